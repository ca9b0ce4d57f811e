"""The training catalog, sessions and registration with a waitlist, called directly."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from fccnet.attendance.services import add_walk_in
from fccnet.audit.models import AuditEvent
from fccnet.auth.models import Role
from fccnet.database import utcnow
from fccnet.errors import DomainError
from fccnet.extensions import db
from fccnet.providers import services as provider_services
from fccnet.training import services
from fccnet.training.models import (
    Course,
    Delivery,
    Registration,
    RegistrationStatus,
    SessionStatus,
    TrainingSession,
)
from tests import factories

pytestmark = pytest.mark.filterwarnings("error")

REGISTERED = RegistrationStatus.REGISTERED
WAITLISTED = RegistrationStatus.WAITLISTED
CANCELLED = RegistrationStatus.CANCELLED


# --- Helpers ---------------------------------------------------------------------------------


@pytest.fixture
def manager(ctx):
    factories.ensure_defaults()
    return factories.create_user(role=Role.MANAGER).load()


# The course and session these tests start from (values they assert).
COURSE = {
    "title_en": "Safe sleep",
    "title_es": "Sueño seguro",
    "description_en": "Back to sleep.\nEvery time.",
    "description_es": "Boca arriba.",
    "credit_minutes": 120,
}
SESSION = {"hours": 2, "location": "Library, 500 Main St"}


def course_input(**overrides) -> services.CourseInput:
    return factories.course_input(
        **{**COURSE, "ckc_area": factories.ckc_area(position=2), **overrides}
    )


def make_course(actor, **overrides) -> Course:
    return services.create_course(course_input(**overrides), actor=actor)


def session_input(course: Course, **overrides) -> services.SessionInput:
    return factories.session_input(course, **{**SESSION, **overrides})


def make_session(actor, **overrides) -> TrainingSession:
    course = overrides.pop("course", None) or make_course(actor)
    return services.create_session(session_input(course, **overrides), actor=actor)


def make_providers(actor, count: int) -> list:
    return [factories.create_provider(actor=actor) for _ in range(count)]


def registered_count(session: TrainingSession) -> int:
    """Seats really held: registered rows that are not walk-ins (walk-ins take no seat)."""
    return db.session.scalar(
        select(func.count())
        .select_from(Registration)
        .where(
            Registration.session_id == session.id,
            Registration.status == REGISTERED,
            Registration.walk_in.is_(False),
        )
    )


def assert_counter_matches(session: TrainingSession) -> None:
    stored = db.session.scalar(
        select(TrainingSession.seats_taken).where(TrainingSession.id == session.id)
    )
    assert stored == session.seats_taken == registered_count(session)
    assert stored <= session.capacity


def statuses(session: TrainingSession) -> dict[int, RegistrationStatus]:
    rows = db.session.execute(
        select(Registration.provider_id, Registration.status).where(
            Registration.session_id == session.id
        )
    ).all()
    return dict(rows)


def waitlist_order(session: TrainingSession) -> list[int]:
    return list(
        db.session.scalars(
            select(Registration.provider_id)
            .where(Registration.session_id == session.id, Registration.status == WAITLISTED)
            .order_by(Registration.queued_at, Registration.id)
        )
    )


def audit_actions(target) -> list[str]:
    return list(
        db.session.scalars(
            select(AuditEvent.action)
            .where(
                AuditEvent.target_type == target.__tablename__,
                AuditEvent.target_id == target.id,
            )
            .order_by(AuditEvent.id)
        )
    )


def refused(call, field: str | None) -> DomainError:
    with pytest.raises(DomainError) as caught:
        call()
    assert caught.value.field == field
    assert str(caught.value)
    return caught.value


# --- Courses ---------------------------------------------------------------------------------


def test_create_course_saves_it_and_audits(manager):
    cpr = factories.credential("CPR")
    course = make_course(manager, title_en="  CPR  ", credential=cpr, credit_minutes=180)
    stored = db.session.get(Course, course.id)
    assert stored.title_en == "CPR"  # trimmed
    assert stored.title_es == "Sueño seguro"
    assert stored.description_en == "Back to sleep.\nEvery time."  # multi-line kept
    assert stored.credit_minutes == 180
    assert stored.credential_id == cpr.id
    assert stored.ckc_area_id == factories.ckc_area(position=2).id
    assert stored.delivery is Delivery.IN_PERSON
    assert stored.active is True
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "course.created"))
    assert event.target_id == course.id and event.actor_id == manager.id
    assert event.details == {"title": "CPR"}


@pytest.mark.parametrize("minutes", [0, -60, 41 * 60, 40 * 60 + 1])
def test_course_hours_above_zero_and_at_most_forty(manager, minutes):
    refused(lambda: make_course(manager, credit_minutes=minutes), "credit_hours")
    assert db.session.scalar(select(func.count()).select_from(Course)) == 0


@pytest.mark.parametrize("minutes", [1, 40 * 60])
def test_course_hours_limits_are_accepted(manager, minutes):
    assert make_course(manager, credit_minutes=minutes).credit_minutes == minutes


@pytest.mark.parametrize("field", ["title_en", "title_es"])
@pytest.mark.parametrize("value", ["", "   ", None])
def test_course_titles_are_required(manager, field, value):
    refused(lambda: make_course(manager, **{field: value}), field)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("title_en", "Safe\x00sleep"),
        ("title_en", "Safe\nsleep"),
        ("title_es", "Sueño\u202eseguro"),
        ("title_es", "Sueño\x7f"),
        ("description_en", "Nul\x00byte"),
        ("description_es", "Override \u202e here"),
    ],
)
def test_course_text_with_control_characters_is_refused(manager, field, value):
    refused(lambda: make_course(manager, **{field: value}), field)


def test_course_title_too_long_is_refused(manager):
    refused(lambda: make_course(manager, title_en="x" * 161), "title_en")


def test_update_course_changes_and_audits_only_what_changed(manager):
    course = make_course(manager)
    services.update_course(
        course, course_input(title_en="Safe sleep 2", credit_minutes=90), actor=manager
    )
    stored = db.session.get(Course, course.id)
    assert stored.title_en == "Safe sleep 2" and stored.credit_minutes == 90
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "course.updated"))
    assert event.changes == {
        "title_en": ["Safe sleep", "Safe sleep 2"],
        "credit_minutes": [120, 90],
    }
    # Nothing changed: nothing audited.
    services.update_course(
        course, course_input(title_en="Safe sleep 2", credit_minutes=90), actor=manager
    )
    assert audit_actions(course) == ["course.created", "course.updated"]


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"credit_minutes": 0}, "credit_hours"),
        ({"credit_minutes": 41 * 60}, "credit_hours"),
        ({"title_en": ""}, "title_en"),
        ({"title_es": " "}, "title_es"),
        ({"title_en": "Bad\x1bescape"}, "title_en"),
    ],
)
def test_update_course_refuses_bad_input_and_keeps_the_course(manager, overrides, field):
    course = make_course(manager)
    refused(lambda: services.update_course(course, course_input(**overrides), actor=manager), field)
    db.session.expire_all()
    stored = db.session.get(Course, course.id)
    assert (stored.title_en, stored.title_es, stored.credit_minutes) == (
        "Safe sleep",
        "Sueño seguro",
        120,
    )
    assert audit_actions(course) == ["course.created"]


# --- Sessions --------------------------------------------------------------------------------


def test_create_session_with_a_staff_trainer(manager):
    coach = factories.create_user(role=Role.COACH, name="Carla Coach").load()
    session = make_session(manager, trainer=coach, trainer_name="ignored", capacity=12)
    stored = db.session.get(TrainingSession, session.id)
    assert stored.trainer_id == coach.id
    assert stored.trainer_name is None  # a staff trainer replaces an outside name
    assert stored.trainer_label == "Carla Coach"
    assert stored.capacity == 12 and stored.seats_taken == 0 and stored.seats_left == 12
    assert stored.status is SessionStatus.SCHEDULED
    assert stored.location == "Library, 500 Main St" and stored.meeting_url is None
    assert stored.starts_at.tzinfo is not None
    assert audit_actions(session) == ["training_session.created"]


def test_an_outside_trainer_name_alone_is_fine(manager):
    session = make_session(manager, trainer=None, trainer_name="  Dr. Ana Ruiz  ")
    assert session.trainer_id is None
    assert session.trainer_name == "Dr. Ana Ruiz"
    assert session.trainer_label == "Dr. Ana Ruiz"


def test_an_https_link_without_a_location_is_fine(manager):
    session = make_session(manager, location=None, meeting_url="https://meet.example.org/abc?x=1")
    assert session.location is None
    assert session.meeting_url == "https://meet.example.org/abc?x=1"


@pytest.mark.parametrize(
    "url",
    [
        "http://meet.example.org/abc",
        "javascript:alert(1)",
        "JAVASCRIPT:alert(1)",
        "https://",
        "https:///path",
        "ftp://meet.example.org",
        "meet.example.org",
        "https://meet.example.org/a b",
        "data:text/html,<script>alert(1)</script>",
    ],
)
def test_links_other_than_https_are_refused(manager, url):
    course = make_course(manager)
    refused(
        lambda: services.create_session(
            session_input(course, location=None, meeting_url=url), actor=manager
        ),
        "meeting_url",
    )
    assert db.session.scalar(select(func.count()).select_from(TrainingSession)) == 0


@pytest.mark.parametrize("location", [None, "", "   "])
def test_neither_location_nor_link_is_refused(manager, location):
    course = make_course(manager)
    refused(
        lambda: services.create_session(
            session_input(course, location=location, meeting_url=None), actor=manager
        ),
        "location",
    )


def test_end_before_or_at_start_is_refused(manager):
    course = make_course(manager)
    start = utcnow() + timedelta(days=3)
    for end in (start - timedelta(minutes=1), start):
        refused(
            lambda end=end: services.create_session(
                session_input(course, starts_at=start, ends_at=end), actor=manager
            ),
            "ends_at",
        )


@pytest.mark.parametrize("capacity", [0, -1, services.CAPACITY_MAX + 1])
def test_capacity_out_of_range_is_refused(manager, capacity):
    course = make_course(manager)
    refused(
        lambda: services.create_session(session_input(course, capacity=capacity), actor=manager),
        "capacity",
    )


def test_capacity_of_one_is_accepted(manager):
    assert make_session(manager, capacity=1).capacity == 1


def test_the_trainer_must_be_staff(manager):
    course = make_course(manager)
    provider_user = factories.create_user(role=Role.PROVIDER).load()
    refused(
        lambda: services.create_session(
            session_input(course, trainer=provider_user, trainer_name=None), actor=manager
        ),
        "trainer_id",
    )


def test_a_trainer_is_required(manager):
    course = make_course(manager)
    refused(
        lambda: services.create_session(
            session_input(course, trainer=None, trainer_name="  "), actor=manager
        ),
        "trainer_id",
    )


def test_an_unknown_language_is_refused(manager):
    course = make_course(manager)
    refused(
        lambda: services.create_session(session_input(course, language="fr"), actor=manager),
        "language",
    )


@pytest.mark.parametrize("field", ["location", "trainer_name"])
def test_session_text_with_control_characters_is_refused(manager, field):
    course = make_course(manager)
    refused(
        lambda: services.create_session(
            session_input(course, **{field: "Main\x00Street"}), actor=manager
        ),
        field,
    )


def test_update_session_changes_fields_and_audits(manager):
    session = make_session(manager)
    new_start = session.starts_at + timedelta(days=1)
    services.update_session(
        session,
        session_input(
            session.course,
            starts_at=new_start,
            location=None,
            meeting_url="https://meet.example.org/x",
            language="es",
        ),
        actor=manager,
    )
    db.session.expire_all()
    stored = db.session.get(TrainingSession, session.id)
    assert stored.starts_at == new_start
    assert stored.location is None and stored.meeting_url == "https://meet.example.org/x"
    assert stored.language == "es"
    event = db.session.scalar(
        select(AuditEvent).where(AuditEvent.action == "training_session.updated")
    )
    assert set(event.changes) == {"starts_at", "ends_at", "location", "meeting_url", "language"}


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"capacity": 0}, "capacity"),
        ({"meeting_url": "javascript:alert(1)", "location": None}, "meeting_url"),
        ({"meeting_url": "http://example.org", "location": None}, "meeting_url"),
        ({"location": None, "meeting_url": None}, "location"),
    ],
)
def test_update_session_refuses_bad_input(manager, overrides, field):
    session = make_session(manager)
    refused(
        lambda: services.update_session(
            session, session_input(session.course, **overrides), actor=manager
        ),
        field,
    )
    db.session.expire_all()
    stored = db.session.get(TrainingSession, session.id)
    assert stored.capacity == 10 and stored.location == "Library, 500 Main St"


def test_update_session_end_before_start_is_refused(manager):
    session = make_session(manager)
    refused(
        lambda: services.update_session(
            session,
            session_input(
                session.course,
                starts_at=session.starts_at,
                ends_at=session.starts_at - timedelta(hours=1),
            ),
            actor=manager,
        ),
        "ends_at",
    )


def test_capacity_cannot_drop_below_the_people_registered(manager):
    session = make_session(manager, capacity=5)
    for provider in make_providers(manager, 3):
        services.register(session, provider, actor=manager)
    error = refused(
        lambda: services.update_session(
            session,
            session_input(session.course, starts_at=session.starts_at, capacity=2),
            actor=manager,
        ),
        "capacity",
    )
    assert "3" in str(error)
    db.session.expire_all()
    stored = db.session.get(TrainingSession, session.id)
    assert stored.capacity == 5 and stored.seats_taken == 3
    assert "training_session.updated" not in audit_actions(session)
    # Down to exactly the number registered is fine.
    services.update_session(
        session,
        session_input(session.course, starts_at=session.starts_at, capacity=3),
        actor=manager,
    )
    assert session.capacity == 3
    assert_counter_matches(session)


def test_raising_the_capacity_promotes_the_waitlist_in_order(manager):
    session = make_session(manager, capacity=2)
    providers = make_providers(manager, 6)
    start = utcnow()
    for minute, provider in enumerate(providers):
        services.register(session, provider, actor=manager, now=start + timedelta(minutes=minute))
    assert waitlist_order(session) == [p.id for p in providers[2:]]
    services.update_session(
        session,
        session_input(session.course, starts_at=session.starts_at, capacity=4),
        actor=manager,
    )
    found = statuses(session)
    assert [found[p.id] for p in providers] == [REGISTERED] * 4 + [WAITLISTED] * 2
    assert session.seats_taken == 4
    assert_counter_matches(session)
    promoted_events = db.session.scalars(
        select(AuditEvent)
        .where(AuditEvent.action == "registration.promoted")
        .order_by(AuditEvent.id)
    ).all()
    assert [event.details["provider_id"] for event in promoted_events] == [
        providers[2].id,
        providers[3].id,
    ]


def test_cancel_session(manager):
    session = make_session(manager)
    services.cancel_session(session, actor=manager)
    db.session.expire_all()
    stored = db.session.get(TrainingSession, session.id)
    assert stored.status is SessionStatus.CANCELLED
    event = db.session.scalar(
        select(AuditEvent).where(AuditEvent.action == "training_session.cancelled")
    )
    assert event.target_id == session.id
    assert event.changes == {"status": ["scheduled", "cancelled"]}
    # Neither cancelled twice nor changed afterwards.
    refused(lambda: services.cancel_session(stored, actor=manager), None)
    refused(
        lambda: services.update_session(
            stored, session_input(stored.course, capacity=20), actor=manager
        ),
        None,
    )


# --- Registration ----------------------------------------------------------------------------


def test_register_takes_a_seat_then_joins_the_waitlist_when_full(manager):
    session = make_session(manager, capacity=2)
    first, second, third, fourth = make_providers(manager, 4)
    reg1 = services.register(session, first, actor=manager)
    assert reg1.status is REGISTERED and reg1.registered_by_id == manager.id
    assert reg1.queued_at is not None and reg1.cancelled_at is None
    assert session.seats_taken == 1 and session.seats_left == 1
    assert_counter_matches(session)
    assert services.register(session, second, actor=manager).status is REGISTERED
    assert session.seats_taken == 2 and session.seats_left == 0
    assert services.register(session, third, actor=manager).status is WAITLISTED
    assert services.register(session, fourth, actor=manager).status is WAITLISTED
    assert session.seats_taken == 2
    assert_counter_matches(session)
    assert waitlist_order(session) == [third.id, fourth.id]
    event = db.session.scalar(
        select(AuditEvent)
        .where(AuditEvent.action == "registration.created")
        .order_by(AuditEvent.id.desc())
        .limit(1)
    )
    assert event.actor_id == manager.id
    assert event.details == {
        "session_id": session.id,
        "provider_id": fourth.id,
        "status": "waitlisted",
    }


def test_the_waitlist_is_served_by_queued_at_not_by_id(manager):
    session = make_session(manager, capacity=1)
    holder, late, early = make_providers(manager, 3)
    start = utcnow()
    services.register(session, holder, actor=manager, now=start)
    # `late` registers first (lower id) but with a later time than `early`.
    services.register(session, late, actor=manager, now=start + timedelta(minutes=10))
    services.register(session, early, actor=manager, now=start + timedelta(minutes=5))
    assert waitlist_order(session) == [early.id, late.id]
    promoted = services.cancel_registration(
        services._registration_of(session, holder), actor=manager
    )
    assert [r.provider_id for r in promoted] == [early.id]
    assert statuses(session) == {holder.id: CANCELLED, early.id: REGISTERED, late.id: WAITLISTED}
    assert_counter_matches(session)


@pytest.mark.parametrize("capacity", [1, 5])
def test_no_double_registration(manager, capacity):
    session = make_session(manager, capacity=capacity)
    provider = factories.create_provider(actor=manager, legal_name="Rosa Díaz")
    if capacity == 1:
        services.register(session, factories.create_provider(actor=manager), actor=manager)
    first = services.register(session, provider, actor=manager)
    expected = REGISTERED if capacity == 5 else WAITLISTED
    assert first.status is expected
    error = refused(lambda: services.register(session, provider, actor=manager), None)
    assert "Rosa Díaz" in str(error)
    rows = db.session.scalars(
        select(Registration).where(
            Registration.session_id == session.id, Registration.provider_id == provider.id
        )
    ).all()
    assert [r.id for r in rows] == [first.id] and rows[0].status is expected
    assert_counter_matches(session)


def test_the_database_refuses_a_second_row_for_the_same_provider_and_session(manager):
    session = make_session(manager)
    provider = factories.create_provider(actor=manager)
    services.register(session, provider, actor=manager)
    db.session.commit()
    db.session.add(Registration(session_id=session.id, provider_id=provider.id, status=WAITLISTED))
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()
    assert registered_count(session) == 1


def test_cannot_register_once_the_session_has_started(manager):
    session = make_session(manager)
    provider = factories.create_provider(actor=manager)
    for now in (session.starts_at, session.starts_at + timedelta(minutes=1), session.ends_at):
        refused(lambda now=now: services.register(session, provider, actor=manager, now=now), None)
    assert services._registration_of(session, provider) is None
    assert session.seats_taken == 0
    # One second before the start is still fine.
    registration = services.register(
        session, provider, actor=manager, now=session.starts_at - timedelta(seconds=1)
    )
    assert registration.status is REGISTERED


def test_cannot_register_for_a_session_in_the_past(manager):
    past = utcnow() - timedelta(days=2)
    session = make_session(manager, starts_at=past)
    provider = factories.create_provider(actor=manager)
    refused(lambda: services.register(session, provider, actor=manager), None)
    assert db.session.scalar(select(func.count()).select_from(Registration)) == 0


def test_cannot_register_for_a_cancelled_session(manager):
    session = make_session(manager)
    provider = factories.create_provider(actor=manager)
    services.cancel_session(session, actor=manager)
    refused(lambda: services.register(session, provider, actor=manager), None)
    assert db.session.scalar(select(func.count()).select_from(Registration)) == 0
    assert session.seats_taken == 0


def test_cannot_register_a_deleted_provider(manager):
    session = make_session(manager)
    provider = factories.create_provider(actor=manager)
    provider_services.delete_provider(provider, actor=manager, reason="Moved away")
    refused(lambda: services.register(session, provider, actor=manager), None)
    assert db.session.scalar(select(func.count()).select_from(Registration)) == 0
    assert session.seats_taken == 0


def test_registering_again_after_cancelling_reuses_the_row_at_the_end_of_the_line(manager):
    session = make_session(manager, capacity=1)
    holder, first, second = make_providers(manager, 3)
    start = utcnow()
    services.register(session, holder, actor=manager, now=start)
    mine = services.register(session, first, actor=manager, now=start + timedelta(minutes=1))
    services.register(session, second, actor=manager, now=start + timedelta(minutes=2))
    assert waitlist_order(session) == [first.id, second.id]

    assert services.cancel_registration(mine, actor=manager) == []
    assert mine.status is CANCELLED and mine.cancelled_at is not None
    again = services.register(session, first, actor=manager, now=start + timedelta(minutes=3))
    assert again.id == mine.id  # the same row, reused
    assert again.status is WAITLISTED and again.cancelled_at is None
    assert again.queued_at == start + timedelta(minutes=3)
    assert waitlist_order(session) == [second.id, first.id]  # the end of the line
    rows = db.session.scalar(
        select(func.count())
        .select_from(Registration)
        .where(Registration.session_id == session.id, Registration.provider_id == first.id)
    )
    assert rows == 1

    promoted = services.cancel_registration(
        services._registration_of(session, holder), actor=manager
    )
    assert [r.provider_id for r in promoted] == [second.id]
    assert_counter_matches(session)


def test_a_cancelled_seat_holder_who_registers_again_gets_a_free_seat(manager):
    session = make_session(manager, capacity=2)
    first, second = make_providers(manager, 2)
    reg = services.register(session, first, actor=manager)
    services.register(session, second, actor=manager)
    services.cancel_registration(reg, actor=manager)
    assert session.seats_taken == 1
    again = services.register(session, first, actor=manager)
    assert again.id == reg.id and again.status is REGISTERED
    assert_counter_matches(session)


# --- Cancelling ------------------------------------------------------------------------------


def test_cancelling_a_seat_promotes_the_first_on_the_waitlist(manager):
    session = make_session(manager, capacity=2)
    providers = make_providers(manager, 4)
    start = utcnow()
    regs = [
        services.register(session, p, actor=manager, now=start + timedelta(minutes=i))
        for i, p in enumerate(providers)
    ]
    promoted = services.cancel_registration(regs[0], actor=manager)
    assert [r.id for r in promoted] == [regs[2].id]
    assert promoted[0].status is REGISTERED
    assert [statuses(session)[p.id] for p in providers] == [
        CANCELLED,
        REGISTERED,
        REGISTERED,
        WAITLISTED,
    ]
    assert session.seats_taken == 2
    assert_counter_matches(session)
    assert audit_actions(regs[0]) == ["registration.created", "registration.cancelled"]
    assert audit_actions(regs[2]) == ["registration.created", "registration.promoted"]
    cancelled = db.session.scalar(
        select(AuditEvent).where(AuditEvent.action == "registration.cancelled")
    )
    assert cancelled.changes == {"status": ["registered", "cancelled"]}
    assert cancelled.actor_id == manager.id


def test_cancelling_a_waitlisted_registration_promotes_nobody(manager):
    session = make_session(manager, capacity=1)
    holder, first, second = make_providers(manager, 3)
    start = utcnow()
    services.register(session, holder, actor=manager, now=start)
    waiting = services.register(session, first, actor=manager, now=start + timedelta(minutes=1))
    services.register(session, second, actor=manager, now=start + timedelta(minutes=2))
    assert services.cancel_registration(waiting, actor=manager) == []
    assert statuses(session) == {holder.id: REGISTERED, first.id: CANCELLED, second.id: WAITLISTED}
    assert session.seats_taken == 1
    assert_counter_matches(session)
    assert "registration.promoted" not in set(db.session.scalars(select(AuditEvent.action)))


def test_a_cancellation_with_nobody_waiting_frees_the_seat(manager):
    session = make_session(manager, capacity=3)
    reg = services.register(session, factories.create_provider(actor=manager), actor=manager)
    assert services.cancel_registration(reg, actor=manager) == []
    assert session.seats_taken == 0 and session.seats_left == 3
    assert_counter_matches(session)


def test_cannot_cancel_twice(manager):
    session = make_session(manager)
    reg = services.register(session, factories.create_provider(actor=manager), actor=manager)
    services.cancel_registration(reg, actor=manager)
    refused(lambda: services.cancel_registration(reg, actor=manager), None)
    assert session.seats_taken == 0
    assert_counter_matches(session)


def test_cannot_cancel_after_the_start(manager):
    session = make_session(manager, capacity=1)
    holder, waiting = make_providers(manager, 2)
    reg = services.register(session, holder, actor=manager)
    services.register(session, waiting, actor=manager)
    for now in (session.starts_at, session.starts_at + timedelta(hours=1)):
        refused(lambda now=now: services.cancel_registration(reg, actor=manager, now=now), None)
    db.session.expire_all()
    assert statuses(session) == {holder.id: REGISTERED, waiting.id: WAITLISTED}
    assert_counter_matches(session)


def test_the_seat_counter_always_equals_the_registered_rows(manager):
    """A longer scenario: after every step, seats_taken equals a COUNT of the registered
    rows that hold a seat (walk-ins hold none)."""
    session = make_session(manager, capacity=3)
    providers = make_providers(manager, 8)
    start = utcnow()
    clock = iter(start + timedelta(minutes=i) for i in range(100))
    regs = {}

    def register(index):
        regs[index] = services.register(session, providers[index], actor=manager, now=next(clock))
        assert_counter_matches(session)
        return regs[index]

    def cancel(index):
        promoted = services.cancel_registration(regs[index], actor=manager)
        assert_counter_matches(session)
        index_of = {provider.id: i for i, provider in enumerate(providers)}
        return [index_of[r.provider_id] for r in promoted]

    for index in range(6):  # 0, 1, 2 registered; 3, 4, 5 waiting
        register(index)
    assert session.seats_taken == 3
    assert cancel(1) == [3]
    assert cancel(4) == []  # waiting: nobody moves
    assert cancel(0) == [5]
    register(1)  # back, at the end of the line
    register(6)
    assert waitlist_order(session) == [providers[1].id, providers[6].id]
    assert cancel(2) == [1]
    assert cancel(3) == [6]
    assert cancel(5) == []  # the waitlist is empty now
    assert session.seats_taken == 2
    register(7)
    register(0)
    assert regs[0].status is WAITLISTED
    services.update_session(
        session,
        session_input(session.course, starts_at=session.starts_at, capacity=4),
        actor=manager,
    )
    assert_counter_matches(session)
    assert statuses(session)[providers[0].id] is REGISTERED
    refused(
        lambda: services.update_session(
            session,
            session_input(session.course, starts_at=session.starts_at, capacity=3),
            actor=manager,
        ),
        "capacity",
    )
    assert_counter_matches(session)
    # A walk-in at the session takes no seat.
    walk_in = add_walk_in(
        session, providers[4], actor=manager, now=session.starts_at + timedelta(minutes=5)
    )
    assert walk_in.walk_in is True and walk_in.status is REGISTERED
    assert session.seats_taken == 4
    assert_counter_matches(session)
    db.session.commit()
    db.session.expire_all()
    assert_counter_matches(db.session.get(TrainingSession, session.id))


def test_has_started(manager):
    session = make_session(manager)
    assert not services.has_started(session)
    assert not services.has_started(session, session.starts_at - timedelta(seconds=1))
    assert services.has_started(session, session.starts_at)
