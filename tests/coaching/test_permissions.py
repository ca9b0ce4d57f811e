"""Coaching predicates as a matrix over real users and records: a manager, the coach who
wrote the contact (assigned to the provider), another coach, the provider on their own
record, a provider on another record, and an anonymous visitor."""

from datetime import timedelta
from types import SimpleNamespace

import pytest
from flask_login import AnonymousUserMixin

from fccnet.auth.models import Role
from fccnet.clock import local_today
from fccnet.coaching import permissions
from fccnet.coaching import services as coaching
from fccnet.coaching.models import ContactMode, ItemOwner
from fccnet.extensions import db
from fccnet.providers import services as provider_services
from tests import factories

PEOPLE = ("manager", "coach", "other_coach", "owner", "other_provider", "anonymous")


@pytest.fixture
def world(ctx):
    factories.ensure_defaults()
    manager = factories.create_user(role=Role.MANAGER).load()
    coach = factories.create_user(role=Role.COACH).load()
    other_coach = factories.create_user(role=Role.COACH).load()
    owner = factories.create_user(role=Role.PROVIDER).load()
    other_provider = factories.create_user(role=Role.PROVIDER).load()

    record = factories.create_provider(actor=manager, coach=coach)
    record.user_id = owner.id
    elsewhere = factories.create_provider(actor=manager, coach=other_coach)
    elsewhere.user_id = other_provider.id
    db.session.commit()

    def contact(author):
        return coaching.log_contact(
            record,
            coaching.ContactInput(
                contacted_on=local_today(),
                minutes=30,
                mode=ContactMode.PHONE,
                summary="Shared summary",
                internal_notes="Internal note",
            ),
            actor=author,
        )

    def item(owner_kind):
        return coaching.create_action_item(
            record,
            coaching.ActionItemInput(description="Call the food program", owner=owner_kind),
            actor=coach,
        )

    users = {
        "manager": manager,
        "coach": coach,
        "other_coach": other_coach,
        "owner": owner,
        "other_provider": other_provider,
        "anonymous": AnonymousUserMixin(),
    }
    return SimpleNamespace(
        users=users,
        record=record,
        elsewhere=elsewhere,
        contact=contact,
        item=item,
        manager=manager,
        coach=coach,
    )


def row(world, predicate, *args) -> dict[str, bool]:
    """Each person's answer, so a failure names who got the wrong one."""
    return {name: predicate(world.users[name], *args) for name in PEOPLE}


def expect(*answers: bool) -> dict[str, bool]:
    return dict(zip(PEOPLE, answers, strict=True))


def delete(world, record):
    provider_services.delete_provider(record, actor=world.manager, reason="Closed")
    db.session.flush()


# --- Provider-level predicates --------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        # Any coach logs a contact with any provider (covering for a colleague).
        ("can_log_contact", expect(True, True, True, False, False, False)),
        ("can_manage_action_items", expect(True, True, True, False, False, False)),
        ("can_manage_goals", expect(True, True, True, False, False, False)),
        ("can_view_coaching", expect(True, True, True, True, False, False)),
    ],
)
def test_provider_predicates(world, name, expected):
    assert row(world, getattr(permissions, name), world.record) == expected


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("can_log_contact", expect(False, False, False, False, False, False)),
        ("can_manage_action_items", expect(False, False, False, False, False, False)),
        ("can_manage_goals", expect(False, False, False, False, False, False)),
        # A deleted record is read by managers only, its own provider included out.
        ("can_view_coaching", expect(True, False, False, False, False, False)),
    ],
)
def test_provider_predicates_on_a_deleted_record(world, name, expected):
    delete(world, world.record)
    assert row(world, getattr(permissions, name), world.record) == expected


def test_a_coach_logs_for_a_provider_assigned_to_someone_else_or_to_nobody(world):
    unassigned = factories.create_provider(actor=world.manager)
    assert row(world, permissions.can_log_contact, world.elsewhere)["coach"]
    assert row(world, permissions.can_log_contact, unassigned)["coach"]
    assert row(world, permissions.can_log_contact, unassigned)["other_coach"]


def test_the_other_record_is_seen_by_its_own_provider_only(world):
    # The mirror image: the "other provider" sees their record, the owner does not.
    assert row(world, permissions.can_view_coaching, world.elsewhere) == expect(
        True, True, True, False, True, False
    )


def test_internal_notes_are_for_staff_only(world):
    assert {
        name: permissions.can_view_internal_notes(world.users[name]) for name in PEOPLE
    } == expect(True, True, True, False, False, False)


# --- Contact predicates ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        # The author and managers, while the window is open; never another coach.
        ("can_edit_contact", expect(True, True, False, False, False, False)),
        ("can_add_addendum", expect(True, True, True, False, False, False)),
        ("can_delete_contact", expect(True, False, False, False, False, False)),
        ("can_view_contact_versions", expect(True, False, False, False, False, False)),
    ],
)
def test_contact_predicates_on_a_fresh_contact_by_the_coach(world, name, expected):
    contact = world.contact(world.coach)
    assert row(world, getattr(permissions, name), contact) == expected


def test_a_coach_cannot_edit_a_contact_they_did_not_write(world):
    by_manager = world.contact(world.manager)
    # The coach is assigned to the provider, but the contact is the manager's.
    assert row(world, permissions.can_edit_contact, by_manager) == expect(
        True, False, False, False, False, False
    )


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        # Locked for everyone, managers included: only addenda from here on.
        ("can_edit_contact", expect(False, False, False, False, False, False)),
        ("can_add_addendum", expect(True, True, True, False, False, False)),
        ("can_delete_contact", expect(True, False, False, False, False, False)),
        ("can_view_contact_versions", expect(True, False, False, False, False, False)),
    ],
)
def test_contact_predicates_after_the_edit_window(world, name, expected):
    contact = world.contact(world.coach)
    contact.created_at = contact.created_at - timedelta(days=7, seconds=1)
    db.session.flush()
    assert coaching.is_locked(contact)
    assert row(world, getattr(permissions, name), contact) == expected


def test_the_edit_window_is_still_open_on_the_sixth_day(world):
    contact = world.contact(world.coach)
    contact.created_at = contact.created_at - timedelta(days=6)
    db.session.flush()
    assert row(world, permissions.can_edit_contact, contact) == expect(
        True, True, False, False, False, False
    )


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("can_edit_contact", expect(False, False, False, False, False, False)),
        ("can_add_addendum", expect(False, False, False, False, False, False)),
        ("can_delete_contact", expect(False, False, False, False, False, False)),
        # The history of a deleted contact stays readable by managers.
        ("can_view_contact_versions", expect(True, False, False, False, False, False)),
    ],
)
def test_contact_predicates_on_a_deleted_contact(world, name, expected):
    contact = world.contact(world.coach)
    coaching.delete_contact(contact, "Duplicate", actor=world.manager)
    assert row(world, getattr(permissions, name), contact) == expected


# --- Action items -------------------------------------------------------------------------


def test_staff_close_any_item_and_the_provider_only_their_own_provider_owned_one(world):
    provider_owned = world.item(ItemOwner.PROVIDER)
    coach_owned = world.item(ItemOwner.COACH)
    assert row(world, permissions.can_close_action_item, provider_owned) == expect(
        True, True, True, True, False, False
    )
    assert row(world, permissions.can_close_action_item, coach_owned) == expect(
        True, True, True, False, False, False
    )


def test_a_provider_cannot_close_another_providers_item(world):
    theirs = coaching.create_action_item(
        world.elsewhere,
        coaching.ActionItemInput(description="Renew insurance", owner=ItemOwner.PROVIDER),
        actor=world.manager,
    )
    answers = row(world, permissions.can_close_action_item, theirs)
    assert answers["owner"] is False
    assert answers["other_provider"] is True  # it is their own record's item
