"""Professional development credits, the PD year and credentials, called directly."""

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import func, select, update

from fccnet.audit.models import AuditEvent
from fccnet.auth.models import Role
from fccnet.clock import network_zone
from fccnet.credits import services
from fccnet.credits.queries import counted_minutes_by_area
from fccnet.errors import DomainError
from fccnet.extensions import db
from fccnet.licensing import services as licensing_services
from fccnet.licensing.models import ChecklistItem, Document, ItemStatus, Requirement
from fccnet.settings.services import change_setting
from fccnet.training.models import (
    Attendance,
    Credit,
    CreditSource,
    CreditStatus,
)
from tests import factories
from tests.factories import ckc_area, credential

pytestmark = pytest.mark.filterwarnings("error")

PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
TODAY = date(2026, 3, 10)


# --- Helpers ---------------------------------------------------------------------------------


@pytest.fixture
def manager(ctx):
    factories.ensure_defaults()
    return factories.create_user(role=Role.MANAGER).load()


@pytest.fixture
def coach(manager):
    return factories.create_user(role=Role.COACH).load()


@pytest.fixture
def provider(manager, coach):
    return factories.create_provider(actor=manager, coach=coach)


def cpr_item(provider) -> ChecklistItem:
    return db.session.scalar(
        select(ChecklistItem)
        .join(Requirement, Requirement.id == ChecklistItem.requirement_id)
        .where(
            ChecklistItem.provider_id == provider.id,
            Requirement.key == "cpr",
            ChecklistItem.member_key == 0,
        )
    )


def credit_input(**overrides) -> services.ExternalCreditInput:
    values = {
        "title": "Pediatric CPR",
        "organisation": "American Red Cross",
        "taken_on": date(2026, 2, 14),
        "minutes": 240,
        "ckc_area": ckc_area(position=2),
        "evidence": PDF,
        "evidence_filename": "card.pdf",
        "credential": None,
    }
    values.update(overrides)
    return services.ExternalCreditInput(**values)


def submit(provider, actor, **overrides) -> Credit:
    return services.submit_external_credit(
        provider, credit_input(**overrides), actor=actor, today=TODAY
    )


def refused(call, field: str | None) -> DomainError:
    with pytest.raises(DomainError) as caught:
        call()
    assert caught.value.field == field
    assert str(caught.value)
    return caught.value


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def actions() -> list[str]:
    return list(db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)))


def attended_session_credit(provider, actor, starts_at: datetime, **course_fields) -> Credit:
    """A network session (in the past) the provider attended, turned into credit: a
    three-hour CPR course in the second area unless `course_fields` say otherwise."""
    course = factories.create_course(
        actor,
        **{
            "title_en": "CPR for caregivers",
            "title_es": "RCP para cuidadores",
            "ckc_area": ckc_area(position=2),
            "credential": credential("CPR"),
            **course_fields,
        },
    )
    session = factories.create_session(course, actor=actor, starts_at=starts_at, trainer=actor)
    registration = factories.register_before_start(session, provider, actor=actor)
    registration.attendance = Attendance.ATTENDED
    credit = services.sync_session_credit(registration, actor=actor)
    assert credit is not None
    return credit


def local(*args) -> datetime:
    """A local (network zone) wall-clock time, as the aware UTC value stored."""
    return datetime(*args, tzinfo=network_zone()).astimezone(UTC)


# --- The professional development year -------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "start_month", "start", "end"),
    [
        (date(2025, 6, 30), 7, date(2024, 7, 1), date(2025, 6, 30)),
        (date(2025, 7, 1), 7, date(2025, 7, 1), date(2026, 6, 30)),
        (date(2025, 12, 31), 7, date(2025, 7, 1), date(2026, 6, 30)),
        (date(2026, 1, 1), 7, date(2025, 7, 1), date(2026, 6, 30)),
        (date(2025, 1, 1), 1, date(2025, 1, 1), date(2025, 12, 31)),
        (date(2025, 12, 31), 1, date(2025, 1, 1), date(2025, 12, 31)),
        (date(2026, 1, 1), 1, date(2026, 1, 1), date(2026, 12, 31)),
        # A year starting in March ends on the last day of February, leap year or not.
        (date(2024, 2, 29), 3, date(2023, 3, 1), date(2024, 2, 29)),
        (date(2024, 3, 1), 3, date(2024, 3, 1), date(2025, 2, 28)),
        (date(2025, 2, 28), 3, date(2024, 3, 1), date(2025, 2, 28)),
        (date(2028, 2, 29), 3, date(2027, 3, 1), date(2028, 2, 29)),
        (date(2025, 11, 30), 12, date(2024, 12, 1), date(2025, 11, 30)),
        (date(2025, 12, 1), 12, date(2025, 12, 1), date(2026, 11, 30)),
    ],
)
def test_pd_year_boundaries(day, start_month, start, end):
    period = services.pd_year(day, start_month)
    assert period == services.Period(start, end)
    assert day in period
    assert start - timedelta(days=1) not in period
    assert end + timedelta(days=1) not in period


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2024, 2, 29), 12, date(2025, 2, 28)),
        (date(2024, 2, 29), 48, date(2028, 2, 29)),
        (date(2024, 1, 31), 1, date(2024, 2, 29)),
        (date(2023, 1, 31), 1, date(2023, 2, 28)),
        (date(2023, 3, 1), 12, date(2024, 3, 1)),
    ],
)
def test_add_months_around_february_29(day, months, expected):
    assert licensing_services.add_months(day, months) == expected


def test_current_pd_year_honours_the_start_month_setting(manager):
    june_30, july_1 = date(2025, 6, 30), date(2025, 7, 1)
    assert services.current_pd_year(june_30) == services.Period(date(2024, 7, 1), june_30)
    assert services.current_pd_year(july_1) == services.Period(july_1, date(2026, 6, 30))
    change_setting("pd_year_start_month", 1, actor=manager)
    assert services.current_pd_year(june_30) == services.Period(
        date(2025, 1, 1), date(2025, 12, 31)
    )
    assert services.current_pd_year(july_1) == services.Period(date(2025, 1, 1), date(2025, 12, 31))
    change_setting("pd_year_start_month", 9, actor=manager)
    assert services.current_pd_year(date(2025, 8, 31)) == services.Period(
        date(2024, 9, 1), date(2025, 8, 31)
    )
    assert services.current_pd_year(date(2025, 9, 1)) == services.Period(
        date(2025, 9, 1), date(2026, 8, 31)
    )


def test_current_pd_year_defaults_to_today(manager):
    today = services.local_today()
    period = services.current_pd_year()
    assert today in period
    assert period.start.day == 1 and period.start.month == 7


def test_a_session_on_june_30_and_one_on_july_1_fall_in_different_pd_years(manager, provider):
    # 8 pm on June 30 in Hartford is already July 1 in UTC: the local date counts.
    late_june = attended_session_credit(
        provider, manager, local(2025, 6, 30, 20, 0), credential=None
    )
    early_july = attended_session_credit(
        provider, manager, local(2025, 7, 1, 9, 0), credential=None
    )
    assert late_june.taken_on == date(2025, 6, 30)
    assert early_july.taken_on == date(2025, 7, 1)
    assert late_june.source is CreditSource.SESSION and late_june.status is CreditStatus.APPROVED
    earlier = services.pd_year(date(2025, 6, 30), 7)
    later = services.pd_year(date(2025, 7, 1), 7)
    assert counted_minutes_by_area(provider.id, earlier) == [(ckc_area(position=2), 180)]
    assert counted_minutes_by_area(provider.id, later) == [(ckc_area(position=2), 180)]
    # With a calendar PD year both count in 2025.
    assert counted_minutes_by_area(provider.id, services.pd_year(date(2025, 3, 1), 1)) == [
        (ckc_area(position=2), 360)
    ]


# --- Credential expiry -----------------------------------------------------------------------


def test_credential_expiry(manager):
    assert services.credential_expiry(credential("CPR"), date(2025, 3, 15)) == date(2027, 3, 15)
    assert services.credential_expiry(credential("First Aid"), date(2025, 8, 31)) == date(
        2027, 8, 31
    )
    # Valid for ever: no expiry.
    orientation = credential("Health and safety orientation")
    assert orientation.valid_months is None
    assert services.credential_expiry(orientation, date(2025, 3, 15)) is None
    assert services.credential_expiry(None, date(2025, 3, 15)) is None
    # Twelve months after February 29 is February 28.
    injectable = credential("Medication administration (injectable)")
    assert injectable.valid_months == 12
    assert services.credential_expiry(injectable, date(2024, 2, 29)) == date(2025, 2, 28)
    assert services.credential_expiry(credential("CPR"), date(2024, 2, 29)) == date(2026, 2, 28)


# --- Credits from elsewhere ------------------------------------------------------------------


def test_submit_external_credit_is_pending_with_its_evidence(manager, coach, provider):
    credit = submit(provider, coach, title="  Pediatric CPR  ", credential=credential("CPR"))
    db.session.expire_all()
    stored = db.session.get(Credit, credit.id)
    assert stored.status is CreditStatus.PENDING
    assert stored.source is CreditSource.EXTERNAL
    assert stored.provider_id == provider.id
    assert stored.title == "Pediatric CPR"
    assert stored.organisation == "American Red Cross"
    assert stored.taken_on == date(2026, 2, 14)
    assert stored.minutes == 240
    assert stored.ckc_area_id == ckc_area(position=2).id
    assert stored.credential_id == credential("CPR").id
    assert stored.credential_expires_on is None  # set on approval
    assert stored.created_by_id == coach.id
    assert stored.reviewed_by_id is None and stored.reviewed_at is None
    assert stored.registration_id is None
    document = db.session.get(Document, stored.document_id)
    assert document.provider_id == provider.id
    assert document.content == PDF
    assert document.content_type == "application/pdf"
    assert document.filename == "card.pdf"
    assert document.uploaded_by_id == coach.id
    assert actions()[-2:] == ["document.uploaded", "credit.submitted"]
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "credit.submitted"))
    assert event.target_id == credit.id and event.actor_id == coach.id
    # Pending: the checklist is untouched and nothing counts yet.
    assert cpr_item(provider).status is ItemStatus.NOT_STARTED
    assert counted_minutes_by_area(provider.id, services.pd_year(TODAY, 7)) == []


def test_an_image_is_accepted_as_evidence(manager, provider):
    credit = submit(provider, manager, evidence=PNG, evidence_filename="photo.png")
    assert credit.document.content_type == "image/png"


def test_today_is_accepted_and_the_future_is_refused(manager, provider):
    assert submit(provider, manager, taken_on=TODAY).taken_on == TODAY
    refused(lambda: submit(provider, manager, taken_on=TODAY + timedelta(days=1)), "taken_on")
    assert count(Credit) == 1 and count(Document) == 1


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"minutes": 0}, "hours"),
        ({"minutes": -30}, "hours"),
        ({"minutes": 41 * 60}, "hours"),
        ({"minutes": 40 * 60 + 1}, "hours"),
        ({"taken_on": TODAY + timedelta(days=30)}, "taken_on"),
        ({"evidence": b"just some notes\n", "evidence_filename": "notes.txt"}, "file"),
        ({"evidence": b"<html><script>alert(1)</script>", "evidence_filename": "x.pdf"}, "file"),
        ({"evidence": b"", "evidence_filename": "empty.pdf"}, "file"),
        ({"title": ""}, "title"),
        ({"title": "   "}, "title"),
        ({"title": "CPR\x00"}, "title"),
        ({"title": "x" * 161}, "title"),
        ({"organisation": ""}, "organisation"),
        ({"organisation": "Red\u202eCross"}, "organisation"),
    ],
)
def test_submit_refuses_bad_input_and_stores_nothing(manager, provider, overrides, field):
    refused(lambda: submit(provider, manager, **overrides), field)
    assert count(Credit) == 0
    assert count(Document) == 0
    assert "credit.submitted" not in actions()


@pytest.mark.parametrize("minutes", [1, 40 * 60])
def test_submit_hours_limits_are_accepted(manager, provider, minutes):
    assert submit(provider, manager, minutes=minutes).minutes == minutes


# --- Review ----------------------------------------------------------------------------------


def test_approving_a_cpr_credit_completes_the_cpr_checklist_item(manager, coach, provider):
    assert credential("CPR").requirement.key == "cpr"
    item = cpr_item(provider)
    assert item.status is ItemStatus.NOT_STARTED
    credit = submit(provider, coach, credential=credential("CPR"), taken_on=date(2026, 2, 14))
    services.approve_credit(credit, actor=manager)
    db.session.expire_all()
    stored = db.session.get(Credit, credit.id)
    assert stored.status is CreditStatus.APPROVED
    assert stored.reviewed_by_id == manager.id
    assert stored.reviewed_at is not None
    assert stored.credential_expires_on == date(2028, 2, 14)
    item = cpr_item(provider)
    assert item.status is ItemStatus.DONE
    assert item.completed_on == date(2026, 2, 14)
    assert item.expires_on == date(2028, 2, 14)
    approved = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "credit.approved"))
    assert approved.actor_id == manager.id and approved.target_id == credit.id
    assert approved.changes == {"status": ["pending", "approved"]}
    item_event = db.session.scalar(
        select(AuditEvent).where(
            AuditEvent.action == "checklist_item.updated", AuditEvent.target_id == item.id
        )
    )
    assert item_event.details == {"from_training": True}
    assert item_event.changes["status"] == ["not_started", "done"]


def test_approving_a_credit_without_a_credential(manager, provider):
    credit = submit(provider, manager)
    services.approve_credit(credit, actor=manager)
    assert credit.status is CreditStatus.APPROVED
    assert credit.credential_expires_on is None
    assert cpr_item(provider).status is ItemStatus.NOT_STARTED


def test_approving_a_credential_valid_for_ever(manager, provider):
    orientation = credential("Care 4 Kids provider orientation")
    assert orientation.requirement_id is None
    credit = submit(provider, manager, credential=orientation)
    services.approve_credit(credit, actor=manager)
    assert credit.status is CreditStatus.APPROVED
    assert credit.credential_expires_on is None


@pytest.mark.parametrize("reason", ["", "   ", None])
def test_rejecting_needs_a_reason(manager, provider, reason):
    credit = submit(provider, manager)
    refused(lambda: services.reject_credit(credit, reason, actor=manager), "reason")
    db.session.expire_all()
    assert db.session.get(Credit, credit.id).status is CreditStatus.PENDING
    assert "credit.rejected" not in actions()


def test_rejecting_with_a_reason(manager, coach, provider):
    credit = submit(provider, coach, credential=credential("CPR"))
    services.reject_credit(credit, "  The card is unreadable.  ", actor=manager)
    db.session.expire_all()
    stored = db.session.get(Credit, credit.id)
    assert stored.status is CreditStatus.REJECTED
    assert stored.rejection_reason == "The card is unreadable."
    assert stored.reviewed_by_id == manager.id and stored.reviewed_at is not None
    assert stored.credential_expires_on is None
    assert cpr_item(provider).status is ItemStatus.NOT_STARTED
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "credit.rejected"))
    assert event.details["reason"] == "The card is unreadable."
    assert event.changes == {"status": ["pending", "rejected"]}


@pytest.mark.parametrize("first", ["approve", "reject"])
@pytest.mark.parametrize("second", ["approve", "reject"])
def test_a_credit_cannot_be_reviewed_twice(manager, provider, first, second):
    review = {
        "approve": lambda credit: services.approve_credit(credit, actor=manager),
        "reject": lambda credit: services.reject_credit(credit, "Not ours", actor=manager),
    }
    credit = submit(provider, manager)
    review[first](credit)
    status = credit.status
    refused(lambda: review[second](credit), None)
    assert credit.status is status
    assert [a for a in actions() if a in ("credit.approved", "credit.rejected")] == [
        {"approve": "credit.approved", "reject": "credit.rejected"}[first]
    ]


@pytest.mark.parametrize("second", ["approve", "reject"])
def test_a_credit_reviewed_meanwhile_by_another_manager_is_not_reviewed_again(
    manager, provider, second
):
    """This request read the credit as pending; another one approved it since."""
    credit = submit(provider, manager)
    db.session.execute(
        update(Credit)
        .where(Credit.id == credit.id)
        .values(status=CreditStatus.APPROVED)
        .execution_options(synchronize_session=False)
    )
    assert credit.status is CreditStatus.PENDING  # what this request still believes
    review = {
        "approve": lambda: services.approve_credit(credit, actor=manager),
        "reject": lambda: services.reject_credit(credit, "Not ours", actor=manager),
    }
    refused(review[second], None)
    assert db.session.scalar(select(Credit.status).where(Credit.id == credit.id)) is (
        CreditStatus.APPROVED
    )


def test_a_session_credit_cannot_be_reviewed(manager, provider):
    credit = attended_session_credit(provider, manager, local(2025, 10, 1, 9, 0))
    assert credit.status is CreditStatus.APPROVED
    refused(lambda: services.approve_credit(credit, actor=manager), None)
    refused(lambda: services.reject_credit(credit, "No", actor=manager), None)


def test_only_approved_credits_count(manager, provider):
    other = factories.create_provider(actor=manager)
    approved = submit(
        provider, manager, minutes=90, taken_on=date(2025, 9, 1), ckc_area=ckc_area(position=1)
    )
    approved_too = submit(
        provider, manager, minutes=60, taken_on=date(2026, 1, 5), ckc_area=ckc_area(position=3)
    )
    approved_more = submit(
        provider, manager, minutes=30, taken_on=date(2025, 7, 1), ckc_area=ckc_area(position=1)
    )
    submit(
        provider, manager, minutes=600, taken_on=date(2025, 10, 1), ckc_area=ckc_area(position=1)
    )  # pending
    rejected = submit(
        provider, manager, minutes=300, taken_on=date(2025, 11, 1), ckc_area=ckc_area(position=3)
    )
    last_year = submit(
        provider, manager, minutes=120, taken_on=date(2025, 6, 30), ckc_area=ckc_area(position=1)
    )
    someone_else = submit(
        other, manager, minutes=45, taken_on=date(2025, 9, 1), ckc_area=ckc_area(position=1)
    )
    for credit in (approved, approved_too, approved_more, last_year, someone_else):
        services.approve_credit(credit, actor=manager)
    services.reject_credit(rejected, "No evidence", actor=manager)
    period = services.pd_year(date(2025, 12, 1), 7)
    assert counted_minutes_by_area(provider.id, period) == [
        (ckc_area(position=1), 120),
        (ckc_area(position=3), 60),
    ]
    assert counted_minutes_by_area(provider.id, services.pd_year(date(2025, 6, 30), 7)) == [
        (ckc_area(position=1), 120)
    ]
    assert counted_minutes_by_area(other.id, period) == [(ckc_area(position=1), 45)]


# --- Credentials on the checklist ------------------------------------------------------------


def mark_done_by_hand(item: ChecklistItem, completed_on: date, actor) -> None:
    licensing_services.update_item(
        item,
        licensing_services.ItemUpdate(status=ItemStatus.DONE, completed_on=completed_on),
        actor=actor,
        today=completed_on + timedelta(days=1),
    )


def test_an_older_credit_keeps_a_newer_manual_completion(manager, coach, provider):
    item = cpr_item(provider)
    mark_done_by_hand(item, date(2026, 1, 20), coach)
    assert (item.completed_on, item.expires_on) == (date(2026, 1, 20), date(2028, 1, 20))
    credit = submit(provider, coach, credential=credential("CPR"), taken_on=date(2025, 11, 3))
    services.approve_credit(credit, actor=manager)
    db.session.expire_all()
    item = cpr_item(provider)
    assert item.status is ItemStatus.DONE
    assert (item.completed_on, item.expires_on) == (date(2026, 1, 20), date(2028, 1, 20))
    assert db.session.get(Credit, credit.id).credential_expires_on == date(2027, 11, 3)


def test_a_newer_credit_replaces_an_older_manual_completion(manager, coach, provider):
    item = cpr_item(provider)
    mark_done_by_hand(item, date(2025, 5, 2), coach)
    credit = submit(provider, coach, credential=credential("CPR"), taken_on=date(2026, 2, 1))
    services.approve_credit(credit, actor=manager)
    item = cpr_item(provider)
    assert (item.status, item.completed_on, item.expires_on) == (
        ItemStatus.DONE,
        date(2026, 2, 1),
        date(2028, 2, 1),
    )


def test_sync_keeps_a_newer_manual_completion(manager, coach, provider):
    credit = attended_session_credit(provider, manager, local(2025, 10, 6, 9, 0))
    item = cpr_item(provider)
    assert (item.status, item.completed_on) == (ItemStatus.DONE, date(2025, 10, 6))
    mark_done_by_hand(item, date(2026, 1, 20), coach)
    services.sync_credential_item(provider, credential("CPR"), actor=manager)
    item = cpr_item(provider)
    assert (item.status, item.completed_on, item.expires_on) == (
        ItemStatus.DONE,
        date(2026, 1, 20),
        date(2028, 1, 20),
    )
    assert credit.credential_expires_on == date(2027, 10, 6)


def test_removing_the_only_credit_reverts_the_item_it_completed(manager, provider):
    credit = attended_session_credit(provider, manager, local(2025, 10, 6, 9, 0))
    registration = credit.registration
    item = cpr_item(provider)
    assert (item.status, item.completed_on, item.expires_on) == (
        ItemStatus.DONE,
        date(2025, 10, 6),
        date(2027, 10, 6),
    )
    # Attendance corrected to a no-show: the credit goes, and so does the completion.
    registration.attendance = Attendance.NO_SHOW
    assert services.sync_session_credit(registration, actor=manager) is None
    assert count(Credit) == 0
    item = cpr_item(provider)
    assert (item.status, item.completed_on, item.expires_on) == (ItemStatus.NOT_STARTED, None, None)
    assert "credit.removed" in actions()


def test_removing_a_newer_credit_falls_back_to_the_older_one(manager, provider):
    older = submit(provider, manager, credential=credential("CPR"), taken_on=date(2025, 3, 3))
    services.approve_credit(older, actor=manager)
    newer = attended_session_credit(provider, manager, local(2025, 10, 6, 9, 0))
    assert cpr_item(provider).completed_on == date(2025, 10, 6)
    registration = newer.registration
    registration.attendance = Attendance.NO_SHOW
    services.sync_session_credit(registration, actor=manager)
    item = cpr_item(provider)
    assert (item.status, item.completed_on, item.expires_on) == (
        ItemStatus.DONE,
        date(2025, 3, 3),
        date(2027, 3, 3),
    )


def test_removing_a_credit_keeps_a_newer_manual_completion(manager, coach, provider):
    """The coach recorded a newer CPR card by hand after the session; correcting the
    session's attendance must not erase that card."""
    credit = attended_session_credit(provider, manager, local(2025, 10, 6, 9, 0))
    registration = credit.registration
    mark_done_by_hand(cpr_item(provider), date(2026, 1, 20), coach)
    registration.attendance = Attendance.NO_SHOW
    services.sync_session_credit(registration, actor=manager)
    item = cpr_item(provider)
    assert (item.status, item.completed_on, item.expires_on) == (
        ItemStatus.DONE,
        date(2026, 1, 20),
        date(2028, 1, 20),
    )


def test_removing_a_credit_keeps_an_item_completed_by_hand_only(manager, coach, provider):
    """The CPR card recorded by hand is newer than the session (so the session's credit
    never changed the item); removing that credit must leave the item as it was."""
    mark_done_by_hand(cpr_item(provider), date(2026, 1, 20), coach)
    credit = attended_session_credit(provider, manager, local(2025, 10, 6, 9, 0))
    registration = credit.registration
    registration.attendance = Attendance.NO_SHOW
    services.sync_session_credit(registration, actor=manager)
    item = cpr_item(provider)
    assert (item.status, item.completed_on) == (ItemStatus.DONE, date(2026, 1, 20))


def test_a_correction_to_partial_takes_the_credential_away(manager, provider):
    credit = attended_session_credit(provider, manager, local(2025, 10, 6, 9, 0))
    registration = credit.registration
    assert cpr_item(provider).status is ItemStatus.DONE
    registration.attendance = Attendance.PARTIAL
    registration.attended_minutes = 60
    corrected = services.sync_session_credit(registration, actor=manager)
    assert corrected.id == credit.id
    assert (corrected.minutes, corrected.credential_id, corrected.credential_expires_on) == (
        60,
        None,
        None,
    )
    item = cpr_item(provider)
    assert (item.status, item.completed_on, item.expires_on) == (ItemStatus.NOT_STARTED, None, None)
    assert "credit.updated" in actions()
