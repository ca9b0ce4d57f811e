"""Attendance and walk-ins, called directly: what each mark does to the provider's credits
and, for a course with a credential, to their checklist and compliance calendar."""

from datetime import datetime, time, timedelta

import pytest
from sqlalchemy import select

from fccnet.attendance.services import AttendanceMark, add_walk_in, record_attendance
from fccnet.auth.models import Role
from fccnet.clock import local_date, local_today, network_zone
from fccnet.database import utcnow
from fccnet.errors import DomainError
from fccnet.extensions import db
from fccnet.licensing.models import ChecklistItem, ItemStatus, Requirement
from fccnet.licensing.queries import list_compliance
from fccnet.licensing.services import add_months
from fccnet.training import services as training_services
from fccnet.training.models import (
    Attendance,
    Credit,
    CreditSource,
    CreditStatus,
    Registration,
    RegistrationStatus,
    SessionStatus,
)
from tests import factories

ATTENDED, PARTIAL, NO_SHOW = Attendance.ATTENDED, Attendance.PARTIAL, Attendance.NO_SHOW


@pytest.fixture
def people(ctx):
    factories.ensure_defaults()
    manager = factories.create_user(role=Role.MANAGER).load()
    coach = factories.create_user(role=Role.COACH).load()
    providers = [
        factories.create_provider(actor=coach, coach=coach, legal_name=name)
        for name in ("Ana Alvarez", "Berta Brown", "Carmen Cruz")
    ]
    return manager, coach, providers


def started(people, *, minutes=180, credential=None, starts_at=None, capacity=10):
    """A session that started an hour ago (or at `starts_at`), taught by the coach, with
    every provider registered before it began."""
    manager, coach, providers = people
    course = factories.create_course(manager, credit_minutes=minutes, credential=credential)
    session = factories.create_session(
        course,
        actor=manager,
        trainer=coach,
        starts_at=starts_at or utcnow() - timedelta(hours=1),
        capacity=capacity,
    )
    registrations = [
        factories.register_before_start(session, provider, actor=manager) for provider in providers
    ]
    return session, registrations


def credit_of(registration) -> Credit | None:
    return db.session.scalar(select(Credit).where(Credit.registration_id == registration.id))


def test_marks_become_credits_with_the_course_or_the_partial_hours(people):
    _manager, coach, _providers = people
    session, (ana, berta, carmen) = started(people, minutes=180)

    changed = record_attendance(
        session,
        [
            AttendanceMark(ana.id, ATTENDED),
            AttendanceMark(berta.id, PARTIAL, 90),
            AttendanceMark(carmen.id, NO_SHOW),
        ],
        actor=coach,
    )

    assert changed == 3
    assert (ana.attendance, berta.attendance, carmen.attendance) == (ATTENDED, PARTIAL, NO_SHOW)
    assert berta.attended_minutes == 90
    full, partial = credit_of(ana), credit_of(berta)
    assert full.minutes == 180 and partial.minutes == 90
    assert credit_of(carmen) is None
    for credit, registration in ((full, ana), (partial, berta)):
        assert credit.provider_id == registration.provider_id
        assert credit.source is CreditSource.SESSION
        assert credit.status is CreditStatus.APPROVED
        assert credit.taken_on == local_date(session.starts_at)
        assert credit.ckc_area_id == session.course.ckc_area_id
        assert credit.title == session.course.title_en
    assert session.status is SessionStatus.COMPLETED


def test_a_correction_corrects_or_removes_the_credit(people):
    manager, coach, _providers = people
    session, (ana, berta, _carmen) = started(people, minutes=180)
    record_attendance(
        session, [AttendanceMark(ana.id, ATTENDED), AttendanceMark(berta.id, ATTENDED)], actor=coach
    )
    assert credit_of(ana).minutes == 180

    record_attendance(
        session,
        [AttendanceMark(ana.id, NO_SHOW), AttendanceMark(berta.id, PARTIAL, 60)],
        actor=manager,
    )

    assert credit_of(ana) is None
    assert credit_of(berta).minutes == 60
    assert db.session.scalar(select(db.func.count()).select_from(Credit)) == 1

    # Clearing a mark (not marked) removes the credit too.
    record_attendance(session, [AttendanceMark(berta.id, None)], actor=manager)
    assert berta.attendance is None and berta.attended_minutes is None
    assert credit_of(berta) is None


def test_saving_the_same_marks_again_changes_nothing(people):
    _manager, coach, _providers = people
    session, (ana, _berta, _carmen) = started(people)
    record_attendance(session, [AttendanceMark(ana.id, ATTENDED)], actor=coach)
    assert record_attendance(session, [AttendanceMark(ana.id, ATTENDED)], actor=coach) == 0


def test_attendance_waits_for_the_start(people):
    manager, coach, providers = people
    upcoming = factories.create_session(
        factories.create_course(manager),
        actor=manager,
        trainer=coach,
        starts_at=utcnow() + timedelta(days=2),
    )
    registration = training_services.register(upcoming, providers[0], actor=manager)

    with pytest.raises(DomainError, match="once the session has started"):
        record_attendance(upcoming, [AttendanceMark(registration.id, ATTENDED)], actor=coach)
    with pytest.raises(DomainError, match="once the session has started"):
        add_walk_in(upcoming, providers[1], actor=coach)
    # The same session, seen from a moment after it began.
    record_attendance(
        upcoming,
        [AttendanceMark(registration.id, ATTENDED)],
        actor=coach,
        now=upcoming.starts_at + timedelta(minutes=5),
    )
    assert credit_of(registration) is not None


def test_a_cancelled_session_takes_no_attendance(people):
    manager, coach, _providers = people
    session, (ana, _berta, _carmen) = started(people)
    training_services.cancel_session(session, actor=manager)

    with pytest.raises(DomainError, match="cancelled"):
        record_attendance(session, [AttendanceMark(ana.id, ATTENDED)], actor=coach)
    with pytest.raises(DomainError, match="cancelled"):
        add_walk_in(session, factories.create_provider(actor=coach), actor=coach)
    assert ana.attendance is None and credit_of(ana) is None


@pytest.mark.parametrize("minutes", [None, 0, -30, 180, 240])
def test_partial_hours_are_above_zero_and_below_the_course_hours(people, minutes):
    _manager, coach, _providers = people
    session, (ana, berta, _carmen) = started(people, minutes=180)

    with pytest.raises(DomainError) as error:
        record_attendance(
            session,
            [AttendanceMark(ana.id, ATTENDED), AttendanceMark(berta.id, PARTIAL, minutes)],
            actor=coach,
        )

    assert error.value.field == "rows-1-hours"


def test_a_registration_that_is_not_on_the_roster_is_refused(people):
    _manager, coach, _providers = people
    session, (ana, _berta, _carmen) = started(people)
    _other_session, (elsewhere, *_rest) = started(people)

    with pytest.raises(DomainError, match="not on the roster"):
        record_attendance(
            session,
            [AttendanceMark(ana.id, ATTENDED), AttendanceMark(elsewhere.id, ATTENDED)],
            actor=coach,
        )


def test_a_walk_in_joins_the_roster_as_attended_with_credit(people):
    _manager, coach, _providers = people
    session, _registrations = started(people, minutes=120)
    walk_in = factories.create_provider(actor=coach, legal_name="Dora Diaz")
    seats_before = session.seats_taken

    registration = add_walk_in(session, walk_in, actor=coach)

    assert registration.status is RegistrationStatus.REGISTERED
    assert registration.walk_in is True
    assert registration.attendance is ATTENDED
    assert registration.registered_by_id == coach.id
    assert credit_of(registration).minutes == 120
    assert session.seats_taken == seats_before
    on_roster = db.session.scalars(
        select(Registration.provider_id).where(
            Registration.session_id == session.id,
            Registration.status == RegistrationStatus.REGISTERED,
        )
    ).all()
    assert walk_in.id in on_roster


def test_a_partial_walk_in_gets_the_partial_hours(people):
    manager, coach, _providers = people
    session, _registrations = started(people, minutes=120)
    walk_in = factories.create_provider(actor=coach)

    registration = add_walk_in(session, walk_in, actor=manager, attendance=PARTIAL, minutes=45)

    assert credit_of(registration).minutes == 45
    with pytest.raises(DomainError) as error:
        add_walk_in(
            session,
            factories.create_provider(actor=coach),
            actor=manager,
            attendance=PARTIAL,
            minutes=120,
        )
    assert error.value.field == "hours"


def test_someone_already_on_the_roster_is_not_a_walk_in(people):
    _manager, coach, providers = people
    session, (ana, _berta, _carmen) = started(people)

    with pytest.raises(DomainError, match="already on the roster") as error:
        add_walk_in(session, providers[0], actor=coach)

    assert error.value.field == "provider_id"
    assert ana.walk_in is False and ana.attendance is None


def test_someone_on_the_waitlist_can_come_as_a_walk_in(people):
    _manager, coach, providers = people
    session, (_ana, _berta, carmen) = started(people, capacity=2)
    assert carmen.status is RegistrationStatus.WAITLISTED

    registration = add_walk_in(session, providers[2], actor=coach)

    assert registration.id == carmen.id
    assert carmen.status is RegistrationStatus.REGISTERED and carmen.walk_in
    assert credit_of(carmen) is not None


def cpr_item(provider) -> ChecklistItem:
    return db.session.scalar(
        select(ChecklistItem)
        .join(ChecklistItem.requirement)
        .where(ChecklistItem.provider_id == provider.id, Requirement.key == "cpr")
    )


def test_a_cpr_course_completes_the_checklist_item_and_shows_when_it_comes_due(people):
    _manager, coach, providers = people
    cpr = factories.credential("CPR")
    assert cpr.requirement_id is not None and cpr.valid_months == 24
    # Taken almost two years ago: the certificate expires about a month from now.
    day = add_months(local_today(), -24) + timedelta(days=30)
    starts_at = datetime.combine(day, time(9), tzinfo=network_zone())
    session, (ana, berta, _carmen) = started(people, credential=cpr, starts_at=starts_at)
    item = cpr_item(providers[0])
    assert item.status is ItemStatus.NOT_STARTED

    record_attendance(
        session,
        [AttendanceMark(ana.id, ATTENDED), AttendanceMark(berta.id, PARTIAL, 60)],
        actor=coach,
    )

    credit = credit_of(ana)
    assert credit.credential_id == cpr.id
    assert credit.credential_expires_on == add_months(day, 24)
    assert item.status is ItemStatus.DONE
    assert item.completed_on == day
    assert item.expires_on == add_months(day, 24)
    due = db.session.scalars(list_compliance(today=local_today(), provider_id=providers[0].id))
    assert item in list(due)
    # Partial attendance earns hours, not the credential.
    assert credit_of(berta).credential_id is None
    assert cpr_item(providers[1]).status is ItemStatus.NOT_STARTED

    # Taking the attendance away takes the certificate off the checklist again.
    record_attendance(session, [AttendanceMark(ana.id, NO_SHOW)], actor=coach)

    assert item.status is ItemStatus.NOT_STARTED
    assert item.completed_on is None and item.expires_on is None
    due = db.session.scalars(list_compliance(today=local_today(), provider_id=providers[0].id))
    assert item not in list(due)
