"""The checklist and the pipeline, called directly."""

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import delete, select, update

from fccnet.audit.models import AuditEvent
from fccnet.auth.models import Role
from fccnet.errors import DomainError
from fccnet.extensions import db
from fccnet.licensing import services
from fccnet.licensing.models import ChecklistItem, ItemStatus, Requirement, Stage, StageChange
from fccnet.providers import services as provider_services
from fccnet.settings.services import change_setting
from tests import factories


@pytest.fixture
def actor(ctx):
    factories.ensure_defaults()
    return factories.create_user(role=Role.COACH).load()


def items(provider) -> dict[tuple[str, str | None], ChecklistItem]:
    rows = db.session.scalars(select(ChecklistItem).where(ChecklistItem.provider_id == provider.id))
    return {
        (item.requirement.key, item.household_member.name if item.household_member else None): item
        for item in rows
    }


def stage(key: str) -> Stage:
    return db.session.scalar(select(Stage).where(Stage.key == key))


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2026, 1, 31), 1, date(2026, 2, 28)),
        (date(2024, 1, 31), 1, date(2024, 2, 29)),
        (date(2026, 11, 22), 48, date(2030, 11, 22)),
        (date(2026, 12, 15), 1, date(2027, 1, 15)),
        (date(2028, 2, 29), 12, date(2029, 2, 28)),
    ],
)
def test_add_months(day, months, expected):
    assert services.add_months(day, months) == expected


def test_a_new_provider_gets_every_provider_requirement_but_conditional_ones(actor):
    provider = factories.create_provider(actor=actor)
    keys = {key for key, member in items(provider)}
    assert "background_check" in keys and "medical_statement" in keys and "license" in keys
    assert "well_water" not in keys
    assert all(member is None for _key, member in items(provider))
    assert provider.stage.key == "inquiry"


def test_a_well_adds_the_water_test(actor):
    provider = factories.create_provider(actor=actor)
    provider_services.update_provider(
        provider, {"has_well": True}, actor=actor, expected_version=provider.version
    )
    assert ("well_water", None) in items(provider)


def test_adults_get_their_own_checks_and_children_do_not(actor):
    provider = factories.create_provider(actor=actor)
    today = services.local_today()
    provider_services.add_household_member(
        provider,
        {"name": "Adult Son", "relationship_to_provider": "son", "born_on": date(1990, 5, 1)},
        actor=actor,
    )
    provider_services.add_household_member(
        provider,
        {
            "name": "Small Child",
            "relationship_to_provider": "daughter",
            "born_on": today - timedelta(days=365 * 5),
        },
        actor=actor,
    )
    found = items(provider)
    assert ("background_check", "Adult Son") in found
    assert ("medical_statement", "Adult Son") in found
    assert ("first_aid", "Adult Son") not in found  # the provider's alone
    assert not any(member == "Small Child" for _key, member in found)


def test_a_member_nearing_the_check_age_gets_items_due_on_the_birthday(actor):
    provider = factories.create_provider(actor=actor)
    today = services.local_today()
    birthday = services.add_years(today, -18) + timedelta(days=30)
    provider_services.add_household_member(
        provider,
        {"name": "Teen", "relationship_to_provider": "son", "born_on": birthday},
        actor=actor,
    )
    item = items(provider)[("background_check", "Teen")]
    assert item.due_on == today + timedelta(days=30)


def test_aging_in_is_picked_up_by_a_later_sync(actor):
    provider = factories.create_provider(actor=actor)
    today = services.local_today()
    born = services.add_years(today, -18) + timedelta(days=200)
    provider_services.add_household_member(
        provider,
        {"name": "Younger", "relationship_to_provider": "son", "born_on": born},
        actor=actor,
    )
    assert ("background_check", "Younger") not in items(provider)
    created = services.sync_checklist(provider, today=today + timedelta(days=150))
    assert {item.requirement.key for item in created} == {"background_check", "medical_statement"}
    assert services.sync_checklist(provider, today=today + timedelta(days=150)) == []


def test_moving_in_later_and_moving_out(actor):
    provider = factories.create_provider(actor=actor)
    today = services.local_today()
    provider_services.add_household_member(
        provider,
        {
            "name": "Roommate",
            "relationship_to_provider": "friend",
            "born_on": date(1980, 1, 1),
            "moved_in_on": today + timedelta(days=10),
        },
        actor=actor,
    )
    assert items(provider)[("background_check", "Roommate")].due_on == today + timedelta(days=10)
    provider_services.add_household_member(
        provider,
        {
            "name": "Gone",
            "relationship_to_provider": "brother",
            "born_on": date(1980, 1, 1),
            "moved_out_on": today - timedelta(days=1),
        },
        actor=actor,
    )
    assert ("background_check", "Gone") not in items(provider)


def test_the_check_age_is_a_setting(actor):
    manager = factories.create_user(role=Role.MANAGER).load()
    change_setting("background_check_age", 16, actor=manager)
    provider = factories.create_provider(actor=actor)
    born = services.add_years(services.local_today(), -17)
    provider_services.add_household_member(
        provider,
        {"name": "Sixteen", "relationship_to_provider": "son", "born_on": born},
        actor=actor,
    )
    assert ("background_check", "Sixteen") in items(provider)


def test_done_items_expire_by_their_validity(actor):
    provider = factories.create_provider(actor=actor)
    found = items(provider)
    completed = date(2026, 3, 10)
    today = date(2026, 11, 22)
    services.update_item(
        found[("cpr", None)],
        services.ItemUpdate(ItemStatus.DONE, completed_on=completed),
        actor=actor,
        today=today,
    )
    assert found[("cpr", None)].expires_on == date(2028, 3, 10)
    # Before licensing, a medical statement is good for 12 months (36 after).
    medical = found[("medical_statement", None)]
    services.update_item(
        medical,
        services.ItemUpdate(ItemStatus.DONE, completed_on=completed),
        actor=actor,
        today=today,
    )
    assert medical.expires_on == date(2027, 3, 10)
    references = found[("references", None)]
    services.update_item(references, services.ItemUpdate(ItemStatus.DONE), actor=actor, today=today)
    assert references.completed_on == today and references.expires_on is None


def test_expiry_can_be_set_by_hand_and_must_follow_completion(actor):
    provider = factories.create_provider(actor=actor)
    item = items(provider)[("first_aid", None)]
    today = date(2026, 11, 22)
    services.update_item(
        item,
        services.ItemUpdate(
            ItemStatus.DONE, completed_on=date(2026, 1, 5), expires_on=date(2027, 6, 1)
        ),
        actor=actor,
        today=today,
    )
    assert item.expires_on == date(2027, 6, 1)
    with pytest.raises(DomainError) as error:
        services.update_item(
            item,
            services.ItemUpdate(
                ItemStatus.DONE, completed_on=date(2026, 1, 5), expires_on=date(2025, 1, 1)
            ),
            actor=actor,
            today=today,
        )
    assert error.value.field == "expires_on"


def test_waiving_needs_a_reason_and_submitting_records_the_date(actor):
    provider = factories.create_provider(actor=actor)
    item = items(provider)[("references", None)]
    with pytest.raises(DomainError) as error:
        services.update_item(
            item, services.ItemUpdate(ItemStatus.WAIVED, waived_reason="  "), actor=actor
        )
    assert error.value.field == "waived_reason"
    services.update_item(
        item, services.ItemUpdate(ItemStatus.SUBMITTED), actor=actor, today=date(2026, 11, 20)
    )
    assert item.submitted_on == date(2026, 11, 20)
    event = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "checklist_item.updated")
    ).one()
    assert event.changes["status"] == ["not_started", "submitted"]


def test_moving_through_the_pipeline_records_history(actor):
    provider = factories.create_provider(actor=actor)
    services.move_stage(provider, stage("orientation"), actor=actor, note="Came to the session")
    services.move_stage(provider, stage("inquiry"), actor=actor)  # back is allowed
    changes = db.session.scalars(
        select(StageChange).where(StageChange.provider_id == provider.id).order_by(StageChange.id)
    ).all()
    assert [(c.from_stage and c.from_stage.key, c.to_stage.key) for c in changes] == [
        (None, "inquiry"),
        ("inquiry", "orientation"),
        ("orientation", "inquiry"),
    ]
    assert changes[1].note == "Came to the session"
    assert [days for _change, days in services.days_in_stages(provider, changes)] == [0, 0, 0]


def test_closed_stages_need_a_reason(actor):
    provider = factories.create_provider(actor=actor)
    with pytest.raises(DomainError) as error:
        services.move_stage(provider, stage("withdrawn"), actor=actor)
    assert error.value.field == "reason"
    services.move_stage(provider, stage("withdrawn"), actor=actor, reason="Moved to Florida")
    assert provider.closed_reason == "Moved to Florida"
    services.move_stage(provider, stage("inquiry"), actor=actor)
    assert provider.closed_reason is None


def test_licensed_needs_the_license_and_fills_it_in(actor):
    provider = factories.create_provider(actor=actor)
    with pytest.raises(DomainError) as error:
        services.move_stage(provider, stage("licensed"), actor=actor)
    assert error.value.field == "license_number"
    services.move_stage(
        provider,
        stage("licensed"),
        actor=actor,
        license=services.LicenseDetails("DA-12345", date(2026, 11, 1), 6, 3),
    )
    assert provider.license_expires_on == date(2030, 11, 1)
    assert (provider.capacity_full_time, provider.capacity_school_age) == (6, 3)
    license_item = items(provider)[("license", None)]
    assert license_item.status is ItemStatus.DONE
    assert license_item.expires_on == date(2030, 11, 1)


def test_the_same_stage_is_refused(actor):
    provider = factories.create_provider(actor=actor)
    with pytest.raises(DomainError):
        services.move_stage(provider, provider.stage, actor=actor)


def test_requirement_templates_seed_the_connecticut_defaults(actor):
    by_key = {r.key: r for r in db.session.scalars(select(Requirement))}
    assert by_key["background_check"].valid_months == 60
    assert (
        by_key["medical_statement"].valid_months_at_application,
        by_key["medical_statement"].valid_months,
    ) == (12, 36)
    assert by_key["medication"].valid_months == 36
    assert by_key["medication_injectable"].valid_months == 12
    assert by_key["license"].valid_months == 48
    assert by_key["orientation"].valid_months is None


# Each stage change knows when the provider left the stage it moved them into (left_at:
# the moment of their next change), kept by the database whatever writes the history.


def left_at_by_change(provider) -> list[tuple[int, datetime | None]]:
    """(change id, left_at) of the provider's history in order, as the database holds it."""
    db.session.flush()
    rows = db.session.execute(
        select(StageChange.id, StageChange.left_at)
        .where(StageChange.provider_id == provider.id)
        .order_by(StageChange.changed_at, StageChange.id)
    )
    return [tuple(row) for row in rows]


def changed_at_of(*change_ids: int) -> list[datetime]:
    rows = db.session.execute(select(StageChange.id, StageChange.changed_at))
    by_id = dict(tuple(row) for row in rows)
    return [by_id[change_id] for change_id in change_ids]


def test_moving_on_sets_when_the_provider_left_the_stage_before(actor):
    provider = factories.create_provider(actor=actor)
    services.move_stage(provider, stage("orientation"), actor=actor)
    services.move_stage(provider, stage("preparing_application"), actor=actor)
    [(_, left_first), (second, left_second), (third, left_third)] = left_at_by_change(provider)
    assert [left_first, left_second, left_third] == [*changed_at_of(second, third), None]


def test_back_dated_changes_inserted_updated_and_deleted_keep_left_at_in_order(actor):
    provider = factories.create_provider(actor=actor)
    other = factories.create_provider(actor=actor)
    start = datetime(2026, 1, 5, 15, tzinfo=UTC)
    created = db.session.scalar(select(StageChange).where(StageChange.provider_id == provider.id))
    created.changed_at = start
    later = StageChange(
        provider_id=provider.id, to_stage_id=stage("licensed").id, changed_at=start + timedelta(9)
    )
    between = StageChange(
        provider_id=provider.id,
        to_stage_id=stage("orientation").id,
        changed_at=start + timedelta(3),
    )
    db.session.add_all([later, between])  # the later one is written first
    db.session.flush()
    assert left_at_by_change(provider) == [
        (created.id, start + timedelta(3)),
        (between.id, start + timedelta(9)),
        (later.id, None),
    ]
    # Back-dating the last change before the others puts it first.
    db.session.execute(
        update(StageChange)
        .where(StageChange.id == later.id)
        .values(changed_at=start - timedelta(1))
    )
    assert left_at_by_change(provider) == [
        (later.id, start),
        (created.id, start + timedelta(3)),
        (between.id, None),
    ]
    # Two changes at the same moment: the one with the lower id comes first.
    db.session.execute(
        update(StageChange).where(StageChange.id == between.id).values(changed_at=start)
    )
    assert left_at_by_change(provider) == [
        (later.id, start),
        (created.id, start),
        (between.id, None),
    ]
    db.session.execute(delete(StageChange).where(StageChange.id == created.id))
    assert left_at_by_change(provider) == [(later.id, start), (between.id, None)]
    # The other provider's history was never touched.
    assert [left for _, left in left_at_by_change(other)] == [None]


def test_a_change_moved_to_another_provider_updates_both_histories(actor):
    provider = factories.create_provider(actor=actor)
    services.move_stage(provider, stage("orientation"), actor=actor)
    other = factories.create_provider(actor=actor)
    (first, _), (moved, _) = left_at_by_change(provider)
    db.session.execute(
        update(StageChange).where(StageChange.id == moved).values(provider_id=other.id)
    )
    assert left_at_by_change(provider) == [(first, None)]
    # The other provider was created after the move: the moved change comes first.
    [(created_other, _)] = db.session.execute(
        select(StageChange.id, StageChange.left_at).where(
            StageChange.provider_id == other.id, StageChange.id != moved
        )
    )
    assert left_at_by_change(other) == [
        (moved, changed_at_of(created_other)[0]),
        (created_other, None),
    ]
