"""Coaching services, called directly: contacts (edit window, version history, addenda,
soft delete), coaching minutes, action item transitions and goals."""

import json
from datetime import date, timedelta
from types import SimpleNamespace

import pytest
from sqlalchemy import func, select, update

from fccnet.audit.models import AuditEvent
from fccnet.auth.models import Role
from fccnet.clock import local_today
from fccnet.coaching import queries, services
from fccnet.coaching.models import (
    ActionItem,
    ActionStatus,
    CoachingTopic,
    Contact,
    ContactAddendum,
    ContactMode,
    ContactVersion,
    Goal,
    GoalStatus,
    ItemOwner,
    contact_topics,
)
from fccnet.coaching.services import ActionItemInput, ContactInput, GoalInput
from fccnet.errors import ConflictError, DomainError
from fccnet.extensions import db
from fccnet.providers import services as provider_services
from tests import factories

SENTINEL = "SENTINEL-7f3c-do-not-log"
# A fixed "today" for the services that take one, so no test depends on the clock.
TODAY = date(2026, 3, 10)


@pytest.fixture
def world(ctx):
    factories.ensure_defaults()
    manager = factories.create_user(role=Role.MANAGER).load()
    coach = factories.create_user(role=Role.COACH).load()
    provider = factories.create_provider(actor=manager, coach=coach)
    other = factories.create_provider(actor=manager)
    return SimpleNamespace(manager=manager, coach=coach, provider=provider, other=other)


def topics(*positions: int) -> list[CoachingTopic]:
    """Seeded topics by their position in the list (1 to 12)."""
    rows = db.session.scalars(select(CoachingTopic).where(CoachingTopic.position.in_(positions)))
    by_position = {topic.position: topic for topic in rows}
    return [by_position[position] for position in positions]


def contact_input(**fields) -> ContactInput:
    """A 45-minute home visit on TODAY about the first two topics; `fields` replace any."""
    values = {
        "contacted_on": TODAY,
        "minutes": 45,
        "mode": ContactMode.HOME_VISIT,
        "summary": "Went through the budget together.",
        "internal_notes": "Seemed worried about the rent.",
        "next_steps": "Bring last month's receipts.",
        "topics": topics(1, 2),
        **fields,
    }
    return ContactInput(**values)


def log(world, actor=None, provider=None, **fields) -> Contact:
    return services.log_contact(
        provider or world.provider,
        contact_input(**fields),
        actor=actor or world.coach,
        today=TODAY,
    )


def events(action: str, target=None) -> list[AuditEvent]:
    query = select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id)
    if target is not None:
        query = query.where(
            AuditEvent.target_type == target.__tablename__, AuditEvent.target_id == target.id
        )
    return list(db.session.scalars(query))


def count(model, *where) -> int:
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


def reload(record):
    """The record as the database holds it (after a flush), not as the session remembers."""
    db.session.flush()
    db.session.expire_all()
    return db.session.get(type(record), record.id)


def refused(call, field: str | None) -> DomainError:
    with pytest.raises(DomainError) as error:
        call()
    assert error.value.field == field
    return error.value


# --- The seeded topics --------------------------------------------------------------------


def test_twelve_topics_are_seeded_in_both_languages_once(world):
    factories.ensure_defaults()  # a second run adds nothing
    rows = list(db.session.scalars(select(CoachingTopic).order_by(CoachingTopic.position)))
    assert [topic.position for topic in rows] == list(range(1, 13))
    assert rows[0].name("en") == "Business plan and start-up"
    assert rows[0].name("es") == "Plan de negocios y puesta en marcha"
    assert all(topic.active and topic.name_es for topic in rows)


# --- Logging a contact ----------------------------------------------------------------------


def test_log_contact_saves_every_field_and_the_topics(world):
    contact = log(world, topics=topics(3, 1), summary="  Line one\nline two\ttabbed  ")
    saved = reload(contact)
    assert saved.provider_id == world.provider.id
    assert saved.coach_id == world.coach.id
    assert saved.contacted_on == TODAY
    assert saved.minutes == 45
    assert saved.mode is ContactMode.HOME_VISIT
    # Trimmed; line breaks and tabs are allowed in notes.
    assert saved.summary == "Line one\nline two\ttabbed"
    assert saved.internal_notes == "Seemed worried about the rent."
    assert saved.next_steps == "Bring last month's receipts."
    # Ordered by the topic list's position, whatever order they were chosen in.
    assert [topic.position for topic in saved.topics] == [1, 3]
    assert saved.version == 1
    assert saved.deleted_at is None and not saved.is_deleted
    assert saved.created_at is not None


def test_a_contact_needs_only_a_summary_or_only_internal_notes(world):
    shared = log(world, internal_notes="", next_steps="", topics=[])
    private = log(world, summary="", next_steps="")
    assert reload(shared).internal_notes == "" and shared.topics == []
    assert reload(private).summary == "" and private.internal_notes


def test_a_contact_with_neither_summary_nor_internal_notes_is_refused_at_summary(world):
    refused(lambda: log(world, summary="   ", internal_notes="\n\t "), "summary")
    assert count(Contact) == 0


def test_a_contact_in_the_future_is_refused(world):
    error = refused(lambda: log(world, contacted_on=TODAY + timedelta(days=1)), "contacted_on")
    assert "future" in str(error)
    assert log(world, contacted_on=TODAY).contacted_on == TODAY
    assert log(world, contacted_on=TODAY - timedelta(days=400)).id


def test_the_default_today_is_the_network_date(world):
    tomorrow = local_today() + timedelta(days=1)
    refused(
        lambda: services.log_contact(
            world.provider, contact_input(contacted_on=tomorrow), actor=world.coach
        ),
        "contacted_on",
    )
    contact = services.log_contact(
        world.provider, contact_input(contacted_on=local_today()), actor=world.coach
    )
    assert contact.contacted_on == local_today()


@pytest.mark.parametrize("minutes", [0, -5, 1441, 100_000])
def test_minutes_out_of_range_are_refused(world, minutes):
    error = refused(lambda: log(world, minutes=minutes), "minutes")
    assert "1440" in str(error)
    assert count(Contact) == 0


@pytest.mark.parametrize("minutes", [1, 1440])
def test_minutes_at_the_limits_are_kept(world, minutes):
    assert reload(log(world, minutes=minutes)).minutes == minutes


def test_an_inactive_topic_is_refused(world):
    retired = topics(4)[0]
    retired.active = False
    db.session.flush()
    refused(lambda: log(world, topics=[topics(1)[0], retired]), "topic_ids")
    assert count(Contact) == 0


@pytest.mark.parametrize("field", ["summary", "internal_notes", "next_steps"])
@pytest.mark.parametrize("bad", ["a\x00b", "bell\x07", "esc\x1b[31m", "rtl \u202e override"])
def test_control_characters_are_refused_in_every_note(world, field, bad):
    refused(lambda: log(world, **{field: bad}), field)
    assert count(Contact) == 0


def test_notes_longer_than_the_limit_are_refused(world):
    refused(lambda: log(world, next_steps="x" * 10_001), "next_steps")
    assert len(reload(log(world, next_steps="x" * 10_000)).next_steps) == 10_000


def test_a_deleted_provider_takes_no_contact(world):
    provider_services.delete_provider(world.provider, actor=world.manager, reason="Moved away")
    error = refused(lambda: log(world), None)
    assert "deleted" in str(error)
    assert count(Contact) == 0


def test_any_coach_or_manager_may_log_and_is_the_author(world):
    other_coach = factories.create_user(role=Role.COACH).load()
    # other_coach is not assigned to the provider: covering for a colleague is allowed.
    assert log(world, actor=other_coach).coach_id == other_coach.id
    assert log(world, actor=world.manager).coach_id == world.manager.id


def test_log_contact_is_audited_without_the_notes(world):
    contact = log(world, summary=f"summary {SENTINEL}", internal_notes=f"private {SENTINEL}")
    [event] = events("contact.logged", contact)
    assert event.actor_id == world.coach.id
    assert event.details == {"provider_id": world.provider.id, "mode": "home_visit"}


def assert_no_sentinel_in_the_audit_log():
    rows = list(db.session.scalars(select(AuditEvent)))
    assert rows
    for event in rows:
        for value in (event.changes, event.details):
            assert SENTINEL not in json.dumps(value, ensure_ascii=False), event.action


def test_the_audit_log_never_holds_the_notes_through_a_contacts_life(world):
    """A sentinel in every note, through logging, editing, an addendum and deletion."""
    contact = log(
        world,
        summary=f"shared {SENTINEL}",
        internal_notes=f"internal {SENTINEL}",
        next_steps=f"next {SENTINEL}",
    )
    services.update_contact(
        contact,
        contact_input(
            summary=f"shared again {SENTINEL}",
            internal_notes=f"internal again {SENTINEL}",
            next_steps=f"next again {SENTINEL}",
        ),
        actor=world.coach,
        expected_version=1,
        today=TODAY,
    )
    services.add_addendum(contact, f"addendum {SENTINEL}", actor=world.coach)
    services.delete_contact(contact, "Logged on the wrong provider", actor=world.manager)
    db.session.flush()
    assert [e.action for e in events("contact.edited", contact)] == ["contact.edited"]
    assert events("contact.addendum_added", contact)
    assert events("contact.deleted", contact)
    assert_no_sentinel_in_the_audit_log()


# --- Editing a contact ------------------------------------------------------------------------


def test_an_edit_keeps_the_earlier_version_with_its_topics(world):
    contact = log(world, topics=topics(1, 2))
    services.update_contact(
        contact,
        contact_input(
            minutes=60,
            mode=ContactMode.PHONE,
            summary="Corrected summary.",
            topics=topics(5),
        ),
        actor=world.manager,
        expected_version=1,
        today=TODAY,
    )
    saved = reload(contact)
    assert saved.version == 2
    assert saved.minutes == 60
    assert saved.mode is ContactMode.PHONE
    assert saved.summary == "Corrected summary."
    assert [topic.position for topic in saved.topics] == [5]
    assert saved.coach_id == world.coach.id  # still the author's

    [old] = db.session.scalars(select(ContactVersion).where(ContactVersion.contact_id == saved.id))
    assert old.version == 1
    assert old.contacted_on == TODAY
    assert old.minutes == 45
    assert old.mode is ContactMode.HOME_VISIT
    assert old.summary == "Went through the budget together."
    assert old.internal_notes == "Seemed worried about the rent."
    assert old.next_steps == "Bring last month's receipts."
    assert sorted(old.topic_ids) == sorted(topic.id for topic in topics(1, 2))
    assert old.replaced_by_id == world.manager.id
    assert old.replaced_at is not None

    [event] = events("contact.edited", contact)
    assert event.actor_id == world.manager.id
    assert event.details == {
        "provider_id": world.provider.id,
        "fields": ["minutes", "mode", "summary", "topics"],
    }


def test_every_edit_keeps_one_more_version(world):
    contact = log(world)
    for number, text in enumerate(["Second.", "Third.", "Fourth."], start=1):
        services.update_contact(
            contact,
            contact_input(summary=text),
            actor=world.coach,
            expected_version=number,
            today=TODAY,
        )
    assert reload(contact).version == 4
    versions = db.session.scalars(
        select(ContactVersion)
        .where(ContactVersion.contact_id == contact.id)
        .order_by(ContactVersion.id)
    )
    assert [(v.version, v.summary) for v in versions] == [
        (1, "Went through the budget together."),
        (2, "Second."),
        (3, "Third."),
    ]


def test_an_edit_that_changes_nothing_writes_no_version(world):
    contact = log(world, topics=topics(2, 1))
    # The same values, the topics in another order, the notes with surrounding spaces.
    services.update_contact(
        contact,
        contact_input(summary="  Went through the budget together.  ", topics=topics(1, 2)),
        actor=world.coach,
        expected_version=1,
        today=TODAY,
    )
    assert reload(contact).version == 1
    assert count(ContactVersion) == 0
    assert events("contact.edited") == []


def test_an_edit_of_the_topics_alone_moves_the_version(world):
    contact = log(world, topics=topics(1))
    services.update_contact(
        contact,
        contact_input(topics=topics(1, 6)),
        actor=world.coach,
        expected_version=1,
        today=TODAY,
    )
    saved = reload(contact)
    assert [topic.position for topic in saved.topics] == [1, 6]
    [old] = db.session.scalars(select(ContactVersion))
    assert old.topic_ids == [topics(1)[0].id]
    assert events("contact.edited", contact)[0].details["fields"] == ["topics"]
    assert saved.version == 2
    # A form opened before that edit is stale.
    with pytest.raises(ConflictError):
        services.update_contact(
            saved,
            contact_input(topics=topics(7)),
            actor=world.manager,
            expected_version=1,
            today=TODAY,
        )


def test_an_edit_is_refused_after_seven_days_and_allowed_before(world):
    contact = log(world)
    created = contact.created_at

    services.update_contact(
        contact,
        contact_input(summary="Six days later."),
        actor=world.coach,
        expected_version=1,
        now=created + timedelta(days=6),
        today=TODAY,
    )
    assert reload(contact).summary == "Six days later."

    contact = reload(contact)
    error = refused(
        lambda: services.update_contact(
            contact,
            contact_input(summary="Too late."),
            actor=world.coach,
            expected_version=2,
            now=created + timedelta(days=7, seconds=1),
            today=TODAY,
        ),
        None,
    )
    assert "locked" in str(error)
    saved = reload(contact)
    assert saved.summary == "Six days later."
    assert saved.version == 2
    assert count(ContactVersion) == 1


def test_is_locked_is_strictly_after_seven_days(world):
    contact = log(world)
    created = contact.created_at
    assert not services.is_locked(contact, created)
    assert not services.is_locked(contact, created + timedelta(days=7))
    assert services.is_locked(contact, created + timedelta(days=7, seconds=1))
    assert not services.is_locked(contact)  # just logged, by the real clock


def test_a_stale_edit_raises_a_conflict_and_changes_nothing(world):
    contact = log(world)
    services.update_contact(
        contact,
        contact_input(summary="First correction."),
        actor=world.coach,
        expected_version=1,
        today=TODAY,
    )
    contact = reload(contact)
    assert contact.version == 2
    with pytest.raises(ConflictError) as error:
        services.update_contact(
            contact,
            contact_input(summary="From a form opened before the correction.", minutes=90),
            actor=world.manager,
            expected_version=1,
            today=TODAY,
        )
    assert error.value.current is contact
    saved = reload(contact)
    assert saved.summary == "First correction."
    assert saved.minutes == 45
    assert saved.version == 2
    assert count(ContactVersion) == 1
    assert len(events("contact.edited", contact)) == 1


def test_a_deleted_contact_cannot_be_edited(world):
    contact = log(world)
    services.delete_contact(contact, "Duplicate", actor=world.manager)
    error = refused(
        lambda: services.update_contact(
            contact, contact_input(summary="Edit"), actor=world.coach, today=TODAY
        ),
        None,
    )
    assert "deleted" in str(error)
    assert reload(contact).summary == "Went through the budget together."
    assert count(ContactVersion) == 0


def test_an_edit_checks_its_values_like_logging_does(world):
    contact = log(world)
    refused(
        lambda: services.update_contact(
            contact,
            contact_input(contacted_on=TODAY + timedelta(days=1)),
            actor=world.coach,
            today=TODAY,
        ),
        "contacted_on",
    )
    refused(
        lambda: services.update_contact(
            contact, contact_input(minutes=0), actor=world.coach, today=TODAY
        ),
        "minutes",
    )
    refused(
        lambda: services.update_contact(
            contact, contact_input(summary="", internal_notes=""), actor=world.coach, today=TODAY
        ),
        "summary",
    )
    saved = reload(contact)
    assert saved.version == 1 and saved.minutes == 45
    assert count(ContactVersion) == 0


# --- Addenda ------------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["", "   ", "\n\t", None])
def test_an_empty_addendum_is_refused_at_text(world, text):
    contact = log(world)
    refused(lambda: services.add_addendum(contact, text, actor=world.coach), "text")
    assert count(ContactAddendum) == 0


def test_an_addendum_with_control_characters_is_refused(world):
    contact = log(world)
    refused(lambda: services.add_addendum(contact, "a\x00b", actor=world.coach), "text")


def test_a_locked_contact_takes_an_addendum(world):
    contact = log(world)
    contact.created_at = contact.created_at - timedelta(days=30)
    db.session.flush()
    assert services.is_locked(contact)
    version = contact.version
    addendum = services.add_addendum(
        contact, "  The rent was paid after all.  ", actor=world.manager, internal=False
    )
    saved = reload(addendum)
    assert saved.contact_id == contact.id
    assert saved.text == "The rent was paid after all."
    assert saved.internal is False
    assert saved.author_id == world.manager.id
    assert saved.created_at is not None
    [event] = events("contact.addendum_added", contact)
    assert event.details == {"provider_id": world.provider.id, "internal": False}
    # The contact itself is untouched.
    assert reload(contact).version == version


def test_addenda_are_internal_unless_told(world):
    contact = log(world)
    assert services.add_addendum(contact, "Note", actor=world.coach).internal is True


def test_a_deleted_contact_takes_no_addendum(world):
    contact = log(world)
    services.delete_contact(contact, "Duplicate", actor=world.manager)
    refused(lambda: services.add_addendum(contact, "Late note", actor=world.coach), None)
    assert count(ContactAddendum) == 0


# --- Deleting a contact -------------------------------------------------------------------


def test_delete_contact_is_soft_with_the_reason(world):
    contact = log(world)
    services.delete_contact(contact, "  Logged on the wrong provider  ", actor=world.manager)
    saved = reload(contact)
    assert saved is not None  # the row is kept
    assert saved.is_deleted
    assert saved.deleted_at is not None
    assert saved.deleted_by_id == world.manager.id
    assert saved.deleted_reason == "Logged on the wrong provider"
    assert saved.summary == "Went through the budget together."
    [event] = events("contact.deleted", contact)
    assert event.actor_id == world.manager.id
    assert event.details == {
        "provider_id": world.provider.id,
        "reason": "Logged on the wrong provider",
    }


@pytest.mark.parametrize("reason", ["", "   ", None, "a\nb", "x" * 201])
def test_deleting_needs_a_short_single_line_reason(world, reason):
    contact = log(world)
    refused(lambda: services.delete_contact(contact, reason, actor=world.manager), "reason")
    saved = reload(contact)
    assert saved.deleted_at is None and saved.deleted_reason is None
    assert events("contact.deleted") == []


def test_a_contact_cannot_be_deleted_twice(world):
    contact = log(world)
    services.delete_contact(contact, "Duplicate", actor=world.manager)
    first = reload(contact).deleted_at
    error = refused(lambda: services.delete_contact(contact, "Again", actor=world.manager), None)
    assert "already" in str(error)
    saved = reload(contact)
    assert saved.deleted_reason == "Duplicate"
    assert saved.deleted_at == first
    assert len(events("contact.deleted", contact)) == 1


# --- Coaching minutes ---------------------------------------------------------------------


def test_coaching_minutes_total_and_since_a_day_without_deleted_contacts(world):
    def minutes(provider, since):
        return queries.coaching_minutes(provider.id, since)

    assert minutes(world.provider, TODAY) == (0, 0)
    log(world, contacted_on=TODAY - timedelta(days=10), minutes=30)
    log(world, contacted_on=TODAY - timedelta(days=5), minutes=45)
    log(world, contacted_on=TODAY, minutes=60)
    gone = log(world, contacted_on=TODAY - timedelta(days=1), minutes=90)
    services.delete_contact(gone, "Duplicate", actor=world.manager)
    log(world, provider=world.other, minutes=120)

    assert minutes(world.provider, TODAY - timedelta(days=5)) == (135, 105)
    assert minutes(world.provider, TODAY) == (135, 60)
    assert minutes(world.provider, TODAY + timedelta(days=1)) == (135, 0)
    assert minutes(world.other, TODAY) == (120, 120)


# --- Action items -------------------------------------------------------------------------


def item_input(**fields) -> ActionItemInput:
    values = {
        "description": "Open a separate bank account",
        "owner": ItemOwner.PROVIDER,
        "due_on": TODAY + timedelta(days=14),
        **fields,
    }
    return ActionItemInput(**values)


def test_an_action_item_on_its_own(world):
    item = services.create_action_item(world.provider, item_input(), actor=world.coach)
    saved = reload(item)
    assert saved.provider_id == world.provider.id
    assert saved.contact_id is None
    assert saved.description == "Open a separate bank account"
    assert saved.owner is ItemOwner.PROVIDER
    assert saved.due_on == TODAY + timedelta(days=14)
    assert saved.status is ActionStatus.OPEN
    assert saved.closed_on is None and saved.closing_comment is None
    assert saved.created_by_id == world.coach.id
    assert saved.version == 1
    [event] = events("action_item.created", item)
    assert event.actor_id == world.coach.id
    assert event.details == {"provider_id": world.provider.id, "owner": "provider"}


def test_an_action_item_agreed_in_a_contact(world):
    contact = log(world)
    item = services.create_action_item(
        world.provider,
        item_input(owner=ItemOwner.COACH, due_on=None),
        actor=world.coach,
        contact=contact,
    )
    saved = reload(item)
    assert saved.contact_id == contact.id
    assert saved.owner is ItemOwner.COACH
    assert saved.due_on is None


def test_an_action_item_cannot_hang_on_another_providers_contact(world):
    elsewhere = log(world, provider=world.other)
    error = refused(
        lambda: services.create_action_item(
            world.provider, item_input(), actor=world.coach, contact=elsewhere
        ),
        None,
    )
    assert "contact with this provider" in str(error)
    assert count(ActionItem) == 0


@pytest.mark.parametrize("description", ["", "   ", "x" * 301, "two\nlines", "nul\x00"])
def test_an_action_item_needs_a_short_single_line_description(world, description):
    refused(
        lambda: services.create_action_item(
            world.provider, item_input(description=description), actor=world.coach
        ),
        "description",
    )
    assert count(ActionItem) == 0


def test_update_action_item_and_its_version_conflict(world):
    item = services.create_action_item(world.provider, item_input(), actor=world.coach)
    services.update_action_item(
        item,
        item_input(description="Open a business bank account", owner=ItemOwner.COACH),
        actor=world.coach,
        expected_version=1,
    )
    saved = reload(item)
    assert saved.version == 2
    assert saved.description == "Open a business bank account"
    assert saved.owner is ItemOwner.COACH
    [event] = events("action_item.updated", item)
    assert event.changes == {
        "description": ["Open a separate bank account", "Open a business bank account"],
        "owner": ["provider", "coach"],
    }

    with pytest.raises(ConflictError):
        services.update_action_item(
            saved, item_input(description="Stale form"), actor=world.manager, expected_version=1
        )
    saved = reload(saved)
    assert saved.description == "Open a business bank account"
    assert saved.version == 2
    assert len(events("action_item.updated", item)) == 1


def test_an_unchanged_action_item_is_not_saved_again(world):
    item = services.create_action_item(world.provider, item_input(), actor=world.coach)
    services.update_action_item(item, item_input(), actor=world.coach, expected_version=1)
    assert reload(item).version == 1
    assert events("action_item.updated") == []


def test_close_an_item_done_with_a_comment(world):
    item = services.create_action_item(world.provider, item_input(), actor=world.coach)
    owner = factories.create_user(role=Role.PROVIDER).load()
    services.close_action_item(
        item,
        ActionStatus.DONE,
        actor=owner,
        comment="  Opened it at the credit union.  ",
        expected_version=1,
        today=TODAY,
    )
    saved = reload(item)
    assert saved.status is ActionStatus.DONE
    assert saved.closed_on == TODAY
    assert saved.closing_comment == "Opened it at the credit union."
    assert saved.closed_by_id == owner.id
    assert saved.version == 2
    [event] = events("action_item.closed", item)
    assert event.actor_id == owner.id
    assert event.changes == {"status": ["open", "done"]}
    assert event.details == {"provider_id": world.provider.id}


def test_close_an_item_dropped_without_a_comment_on_the_network_date(world):
    item = services.create_action_item(world.provider, item_input(), actor=world.coach)
    services.close_action_item(item, ActionStatus.DROPPED, actor=world.coach, comment="   ")
    saved = reload(item)
    assert saved.status is ActionStatus.DROPPED
    assert saved.closing_comment is None
    assert saved.closed_on == local_today()
    assert events("action_item.closed", item)[0].changes == {"status": ["open", "dropped"]}


def test_closing_a_closed_item_is_refused(world):
    item = services.create_action_item(world.provider, item_input(), actor=world.coach)
    services.close_action_item(item, ActionStatus.DONE, actor=world.coach, today=TODAY)
    error = refused(
        lambda: services.close_action_item(
            item, ActionStatus.DROPPED, actor=world.manager, today=TODAY
        ),
        None,
    )
    assert "already closed" in str(error)
    saved = reload(item)
    assert saved.status is ActionStatus.DONE
    assert saved.closed_by_id == world.coach.id
    assert len(events("action_item.closed", item)) == 1


def test_closing_as_open_is_refused_at_status(world):
    item = services.create_action_item(world.provider, item_input(), actor=world.coach)
    refused(
        lambda: services.close_action_item(item, ActionStatus.OPEN, actor=world.coach), "status"
    )
    saved = reload(item)
    assert saved.status is ActionStatus.OPEN and saved.version == 1
    assert events("action_item.closed") == []


def test_closing_from_a_stale_form_is_a_conflict(world):
    item = services.create_action_item(world.provider, item_input(), actor=world.coach)
    services.update_action_item(
        item, item_input(description="Changed"), actor=world.coach, expected_version=1
    )
    with pytest.raises(ConflictError):
        services.close_action_item(
            item, ActionStatus.DONE, actor=world.coach, expected_version=1, today=TODAY
        )
    saved = reload(item)
    assert saved.status is ActionStatus.OPEN and saved.closed_on is None


def test_a_closing_comment_with_control_characters_is_refused(world):
    item = services.create_action_item(world.provider, item_input(), actor=world.coach)
    refused(
        lambda: services.close_action_item(
            item, ActionStatus.DONE, actor=world.coach, comment="done\x1b", today=TODAY
        ),
        "comment",
    )
    assert reload(item).status is ActionStatus.OPEN


def test_reopen_clears_the_closing_fields(world):
    item = services.create_action_item(world.provider, item_input(), actor=world.coach)
    services.close_action_item(
        item, ActionStatus.DONE, actor=world.coach, comment="Done", today=TODAY
    )
    services.reopen_action_item(item, actor=world.manager, expected_version=2)
    saved = reload(item)
    assert saved.status is ActionStatus.OPEN
    assert saved.closed_on is None
    assert saved.closing_comment is None
    assert saved.closed_by_id is None
    assert saved.version == 3
    [event] = events("action_item.reopened", item)
    assert event.actor_id == world.manager.id
    # What the closing said is kept in the audit log.
    assert event.changes == {
        "status": ["done", "open"],
        "closed_on": [TODAY.isoformat(), None],
        "closing_comment": ["Done", None],
    }
    # It can be closed again.
    services.close_action_item(saved, ActionStatus.DROPPED, actor=world.coach, today=TODAY)
    assert reload(item).status is ActionStatus.DROPPED


def test_a_closed_item_is_not_updated_and_a_deleted_contact_takes_no_item(world):
    item = services.create_action_item(world.provider, item_input(), actor=world.coach)
    services.close_action_item(item, ActionStatus.DONE, actor=world.coach, today=TODAY)
    with pytest.raises(DomainError, match="reopen it"):
        services.update_action_item(item, item_input(description="New"), actor=world.coach)
    contact = log(world)
    services.delete_contact(contact, "Twice", actor=world.manager)
    with pytest.raises(DomainError, match="deleted"):
        services.create_action_item(
            world.provider, item_input(), actor=world.manager, contact=contact
        )


def test_reopening_an_open_item_or_from_a_stale_form_is_refused(world):
    item = services.create_action_item(world.provider, item_input(), actor=world.coach)
    refused(lambda: services.reopen_action_item(item, actor=world.coach), None)
    services.close_action_item(item, ActionStatus.DONE, actor=world.coach, today=TODAY)
    with pytest.raises(ConflictError):
        services.reopen_action_item(item, actor=world.coach, expected_version=1)
    assert reload(item).status is ActionStatus.DONE
    assert events("action_item.reopened") == []


def test_action_item_audit_trail(world):
    item = services.create_action_item(world.provider, item_input(), actor=world.coach)
    services.update_action_item(item, item_input(due_on=None), actor=world.coach)
    services.close_action_item(item, ActionStatus.DONE, actor=world.coach, today=TODAY)
    services.reopen_action_item(item, actor=world.coach)
    db.session.flush()
    actions = db.session.scalars(
        select(AuditEvent.action)
        .where(AuditEvent.target_type == "action_items", AuditEvent.target_id == item.id)
        .order_by(AuditEvent.id)
    )
    assert list(actions) == [
        "action_item.created",
        "action_item.updated",
        "action_item.closed",
        "action_item.reopened",
    ]


# --- Goals --------------------------------------------------------------------------------


def goal_input(**fields) -> GoalInput:
    values = {"description": "Enroll two more children", "target_on": date(2026, 9, 1), **fields}
    return GoalInput(**values)


def test_create_goal(world):
    goal = services.create_goal(world.provider, goal_input(), actor=world.coach)
    saved = reload(goal)
    assert saved.provider_id == world.provider.id
    assert saved.description == "Enroll two more children"
    assert saved.target_on == date(2026, 9, 1)
    assert saved.status is GoalStatus.ACTIVE
    assert saved.created_by_id == world.coach.id
    assert saved.version == 1
    assert saved.progress == []
    [event] = events("goal.created", goal)
    assert event.details == {"provider_id": world.provider.id}


@pytest.mark.parametrize("description", ["", "  ", "x" * 301, "a\x07"])
def test_a_goal_needs_a_description(world, description):
    refused(
        lambda: services.create_goal(
            world.provider, goal_input(description=description), actor=world.coach
        ),
        "description",
    )


def test_update_goal_and_its_version_conflict(world):
    goal = services.create_goal(world.provider, goal_input(), actor=world.coach)
    services.update_goal(
        goal, goal_input(status=GoalStatus.ACHIEVED), actor=world.coach, expected_version=1
    )
    saved = reload(goal)
    assert saved.status is GoalStatus.ACHIEVED
    assert saved.version == 2
    [event] = events("goal.updated", goal)
    assert event.changes == {"status": ["active", "achieved"]}

    with pytest.raises(ConflictError):
        services.update_goal(
            saved,
            goal_input(description="Stale", target_on=None),
            actor=world.manager,
            expected_version=1,
        )
    saved = reload(goal)
    assert saved.description == "Enroll two more children"
    assert saved.target_on == date(2026, 9, 1)
    assert saved.version == 2
    assert len(events("goal.updated", goal)) == 1

    # Nothing changed: nothing saved.
    services.update_goal(
        saved, goal_input(status=GoalStatus.ACHIEVED), actor=world.coach, expected_version=2
    )
    assert reload(goal).version == 2


def test_goal_progress_notes_come_newest_first(world):
    goal = services.create_goal(world.provider, goal_input(), actor=world.coach)
    today = local_today()
    services.add_goal_progress(
        goal, "Flyers printed", actor=world.coach, noted_on=today - timedelta(days=10)
    )
    services.add_goal_progress(
        goal, "One call", actor=world.coach, noted_on=today - timedelta(days=2)
    )
    services.add_goal_progress(
        goal, "A visit", actor=world.coach, noted_on=today - timedelta(days=5)
    )
    services.add_goal_progress(
        goal, "Second call", actor=world.coach, noted_on=today - timedelta(days=2)
    )
    services.add_goal_progress(goal, "  Signed up!  ", actor=world.manager)
    saved = reload(goal)
    assert [(p.note, (today - p.noted_on).days) for p in saved.progress] == [
        ("Signed up!", 0),
        ("Second call", 2),
        ("One call", 2),
        ("A visit", 5),
        ("Flyers printed", 10),
    ]
    assert saved.progress[0].author_id == world.manager.id
    assert len(events("goal.progress_noted", goal)) == 5


def test_goal_progress_in_the_future_or_empty_is_refused(world):
    goal = services.create_goal(world.provider, goal_input(), actor=world.coach)
    refused(
        lambda: services.add_goal_progress(
            goal, "Tomorrow", actor=world.coach, noted_on=local_today() + timedelta(days=1)
        ),
        "noted_on",
    )
    refused(lambda: services.add_goal_progress(goal, "  ", actor=world.coach), "note")
    refused(lambda: services.add_goal_progress(goal, "a\x00b", actor=world.coach), "note")
    assert reload(goal).progress == []
    assert events("goal.progress_noted") == []


def test_a_deleted_provider_takes_no_action_item_or_goal(world):
    provider_services.delete_provider(world.provider, actor=world.manager, reason="Moved away")
    refused(
        lambda: services.create_action_item(world.provider, item_input(), actor=world.coach),
        None,
    )
    refused(lambda: services.create_goal(world.provider, goal_input(), actor=world.coach), None)
    assert count(ActionItem) == 0
    assert count(Goal) == 0


# A contact's topic rows carry copies of its provider, day, minutes and deletion, kept by
# the database's triggers whatever writes the contact (the coaching report counts topics
# from them).
COPIED = ("provider_id", "contacted_on", "minutes", "deleted_at")


def topic_rows(contact: Contact) -> dict[int, tuple]:
    """topic id -> the copied columns of that topic row, as the database holds them."""
    db.session.flush()
    rows = db.session.execute(
        select(contact_topics.c.topic_id, *(contact_topics.c[name] for name in COPIED)).where(
            contact_topics.c.contact_id == contact.id
        )
    )
    return {row.topic_id: tuple(row)[1:] for row in rows}


def contact_values(contact: Contact) -> tuple:
    db.session.flush()
    db.session.expire_all()
    saved = db.session.get(Contact, contact.id)
    return tuple(getattr(saved, name) for name in COPIED)


def test_a_logged_contacts_topics_copy_its_values(world):
    contact = log(world, topics=topics(1, 2), minutes=50)
    expected = (world.provider.id, TODAY, 50, None)
    assert contact_values(contact) == expected
    assert topic_rows(contact) == {topic.id: expected for topic in topics(1, 2)}


def test_a_correction_moves_the_copies_of_kept_and_new_topics(world):
    contact = log(world, topics=topics(1, 2))
    services.update_contact(
        contact,
        contact_input(contacted_on=TODAY - timedelta(days=2), minutes=75, topics=topics(2, 3)),
        actor=world.coach,
        expected_version=1,
        today=TODAY,
    )
    expected = (world.provider.id, TODAY - timedelta(days=2), 75, None)
    assert contact_values(contact) == expected
    assert topic_rows(contact) == {topic.id: expected for topic in topics(2, 3)}


def test_a_deleted_contacts_topics_are_marked_deleted(world):
    contact = log(world, topics=topics(4))
    other = log(world, topics=topics(4), minutes=20)
    services.delete_contact(contact, "Logged twice", actor=world.manager)
    deleted_at = contact_values(contact)[3]
    assert deleted_at is not None
    assert topic_rows(contact) == {topics(4)[0].id: (world.provider.id, TODAY, 45, deleted_at)}
    # The other contact's row of the same topic is untouched.
    assert topic_rows(other) == {topics(4)[0].id: (world.provider.id, TODAY, 20, None)}


def test_a_change_written_in_sql_reaches_the_copies(world):
    contact = log(world, topics=topics(1, 5))
    db.session.execute(
        update(Contact)
        .where(Contact.id == contact.id)
        .values(provider_id=world.other.id, contacted_on=TODAY - timedelta(days=30), minutes=10)
    )
    expected = (world.other.id, TODAY - timedelta(days=30), 10, None)
    assert contact_values(contact) == expected
    assert topic_rows(contact) == {topic.id: expected for topic in topics(1, 5)}
