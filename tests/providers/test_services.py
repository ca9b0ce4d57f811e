"""Provider records, households and caseloads, called directly."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from fccnet.audit.models import AuditEvent
from fccnet.auth.models import Role
from fccnet.errors import ConflictError, DomainError
from fccnet.extensions import db
from fccnet.providers import services
from fccnet.providers.models import CoachAssignment, Provider
from tests import factories


@pytest.fixture
def coach(ctx):
    factories.ensure_defaults()
    return factories.create_user(role=Role.COACH).load()


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("860-555-0123", "+18605550123"),
        ("(860) 555 0123", "+18605550123"),
        ("+1 860 555 0123", "+18605550123"),
        ("", None),
    ],
)
def test_phones_are_normalised(raw, expected):
    assert services.normalise_phone(raw) == expected


@pytest.mark.parametrize("raw", ["555", "not a phone", "860-555-01234567"])
def test_invalid_phones_are_refused_at_the_field(raw):
    with pytest.raises(DomainError) as error:
        services.normalise_phone(raw)
    assert error.value.field == "phone"


def test_create_provider_records_everything(coach):
    provider = factories.create_provider(
        actor=coach,
        coach=coach,
        legal_name=" María  José Pérez ",
        phone="860 555 0199",
        email="Maria@Example.ORG",
    )
    assert provider.legal_name == "María  José Pérez"
    assert provider.phone == "+18605550199" and provider.email == "maria@example.org"
    assert provider.in_promise_zone is False
    assert "maría" in provider.search_text and "860-555-0199" in provider.search_text
    assert (
        db.session.scalar(
            select(CoachAssignment.to_coach_id).where(CoachAssignment.provider_id == provider.id)
        )
        == coach.id
    )
    event = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "provider.created")
    ).one()
    assert event.changes["phone"] == [None, "+18605550199"]


def test_hartford_addresses_need_a_neighborhood_and_others_cannot_have_one(coach):
    with pytest.raises(DomainError) as error:
        factories.create_provider(actor=coach, neighborhood_id=None)
    assert error.value.field == "neighborhood_id"
    db.session.rollback()
    with pytest.raises(DomainError):
        factories.create_provider(actor=coach, town_id=factories.town("Enfield").id)
    db.session.rollback()
    provider = factories.create_provider(
        actor=coach, town_id=factories.town("Enfield").id, neighborhood_id=None
    )
    assert provider.town.name == "Enfield"


def test_the_promise_zone_comes_from_the_neighborhood(coach):
    provider = factories.create_provider(
        actor=coach, neighborhood_id=factories.neighborhood("Upper Albany").id
    )
    assert provider.in_promise_zone


def test_duplicates_by_phone_email_or_similar_name_in_the_same_town(coach):
    existing = factories.create_provider(
        actor=coach, legal_name="Ángela Núñez", phone="860-555-0101", email="angela@example.org"
    )
    hartford = factories.town().id

    def reasons(**kwargs):
        found = services.find_duplicates(
            **{"legal_name": "", "town_id": None, "phone": None, "email": None, **kwargs}
        )
        return [d.reasons for d in found if d.provider.id == existing.id]

    assert reasons(phone="+18605550101") == [["phone"]]
    assert reasons(email="angela@example.org") == [["email"]]
    assert reasons(legal_name="Angela Nunez", town_id=hartford) == [["name"]]
    assert reasons(legal_name="angela nuñes", town_id=hartford) == [["name"]]
    assert reasons(legal_name="Angela Nunez", town_id=factories.town("Enfield").id) == []
    assert reasons(legal_name="Bob Smith", town_id=hartford) == []
    assert (
        services.find_duplicates(
            legal_name="Ángela Núñez",
            town_id=hartford,
            phone=None,
            email=None,
            exclude_id=existing.id,
        )
        == []
    )


def test_a_stale_version_is_a_conflict_and_changes_nothing(coach):
    provider = factories.create_provider(actor=coach, legal_name="Original")
    opened_version = provider.version
    services.update_provider(
        provider, {"legal_name": "First save"}, actor=coach, expected_version=opened_version
    )
    with pytest.raises(ConflictError) as error:
        services.update_provider(
            provider, {"legal_name": "Second save"}, actor=coach, expected_version=opened_version
        )
    assert error.value.current.legal_name == "First save"
    assert provider.legal_name == "First save"


def test_a_provider_can_change_only_self_service_fields(coach):
    provider = factories.create_provider(actor=coach, legal_name="Keep Me")
    services.update_provider(
        provider,
        {
            "legal_name": "Changed",
            "phone": "860-555-0142",
            "staff_notes": "x",
            "preferred_language": "es",
        },
        actor=coach,
        expected_version=provider.version,
        fields=services.SELF_SERVICE_FIELDS,
    )
    assert provider.legal_name == "Keep Me" and provider.staff_notes is None
    assert provider.phone == "+18605550142" and provider.preferred_language == "es"


def test_reassigning_a_whole_caseload_keeps_history(coach):
    other = factories.create_user(role=Role.COACH).load()
    manager = factories.create_user(role=Role.MANAGER).load()
    mine = [factories.create_provider(actor=coach, coach=coach) for _ in range(3)]
    untouched = factories.create_provider(actor=coach, coach=other)
    moved = services.reassign_caseload(coach, other, actor=manager)
    assert moved == 3
    db.session.expire_all()
    assert {p.coach_id for p in mine} == {other.id}
    assert untouched.coach_id == other.id
    history = db.session.scalars(
        select(CoachAssignment).where(CoachAssignment.from_coach_id == coach.id)
    ).all()
    assert len(history) == 3 and {h.assigned_by_id for h in history} == {manager.id}
    with pytest.raises(DomainError):
        services.reassign_caseload(other, manager, actor=manager)  # not a coach


def test_assign_one_provider(coach):
    other = factories.create_user(role=Role.COACH).load()
    provider = factories.create_provider(actor=coach, coach=coach)
    services.assign_coach(provider, other, actor=coach)
    assert provider.coach_id == other.id
    inactive = factories.create_user(role=Role.COACH, active=False).load()
    with pytest.raises(DomainError):
        services.assign_coach(provider, inactive, actor=coach)


def test_soft_delete_and_restore(coach):
    manager = factories.create_user(role=Role.MANAGER).load()
    provider = factories.create_provider(actor=coach)
    with pytest.raises(DomainError):
        services.delete_provider(provider, actor=manager, reason=" ")
    services.delete_provider(provider, actor=manager, reason="Entered twice")
    assert provider.is_deleted and db.session.get(Provider, provider.id) is not None
    services.restore_provider(provider, actor=manager)
    assert not provider.is_deleted
    actions = list(
        db.session.scalars(
            select(AuditEvent.action).where(
                AuditEvent.target_id == provider.id, AuditEvent.target_type == "providers"
            )
        )
    )
    assert "provider.deleted" in actions and "provider.restored" in actions


def test_household_dates_are_checked(coach):
    provider = factories.create_provider(actor=coach)
    with pytest.raises(DomainError) as error:
        services.add_household_member(
            provider,
            {
                "name": "X",
                "relationship_to_provider": "son",
                "born_on": services.local_today() + timedelta(days=400),
            },
            actor=coach,
        )
    assert error.value.field == "born_on"
