"""The training catalog, its sessions, and registration with a waitlist.

A seat is claimed with one conditional UPDATE of the session's seat counter
(`seats_taken < capacity`), which the database applies atomically: concurrent
registrations never overbook, on SQLite or PostgreSQL, and need no table lock.
"""

import secrets
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlsplit

from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update

from fccnet.audit.services import diff_fields, record_event
from fccnet.auth.models import User
from fccnet.database import utcnow
from fccnet.errors import DomainError
from fccnet.extensions import db
from fccnet.providers.models import Provider
from fccnet.text import clean_text
from fccnet.training.hours import MAX_MINUTES
from fccnet.training.models import (
    CalendarFeed,
    CkcArea,
    Course,
    Credential,
    Delivery,
    Registration,
    RegistrationStatus,
    SessionStatus,
    TrainingSession,
)

LANGUAGES = ("en", "es")
TITLE_MAX_LENGTH = 160
DESCRIPTION_MAX_LENGTH = 4000
CAPACITY_MAX = 500


# --- Courses ---------------------------------------------------------------------------


@dataclass
class CourseInput:
    title_en: str
    title_es: str
    description_en: str
    description_es: str
    ckc_area: CkcArea
    credit_minutes: int
    delivery: Delivery
    credential: Credential | None = None
    active: bool = True


def _course_values(data: CourseInput) -> dict:
    if not 0 < data.credit_minutes <= MAX_MINUTES:
        raise DomainError(_l("Enter hours above 0 and at most 40."), field="credit_hours")
    return {
        "title_en": clean_text(data.title_en, field="title_en", max_length=TITLE_MAX_LENGTH),
        "title_es": clean_text(data.title_es, field="title_es", max_length=TITLE_MAX_LENGTH),
        "description_en": clean_text(
            data.description_en,
            field="description_en",
            max_length=DESCRIPTION_MAX_LENGTH,
            required=False,
            multiline=True,
        ),
        "description_es": clean_text(
            data.description_es,
            field="description_es",
            max_length=DESCRIPTION_MAX_LENGTH,
            required=False,
            multiline=True,
        ),
        "ckc_area_id": data.ckc_area.id,
        "credit_minutes": data.credit_minutes,
        "delivery": data.delivery,
        "credential_id": data.credential.id if data.credential else None,
        "active": data.active,
    }


def create_course(data: CourseInput, *, actor: User) -> Course:
    course = Course(**_course_values(data))
    db.session.add(course)
    db.session.flush()
    record_event("course.created", actor=actor, target=course, details={"title": course.title_en})
    return course


def update_course(course: Course, data: CourseInput, *, actor: User) -> None:
    changes = diff_fields(course, _course_values(data))
    if not changes:
        return
    for field, (_old, value) in changes.items():
        setattr(course, field, value)
    record_event("course.updated", actor=actor, target=course, changes=changes)
    db.session.flush()


# --- Sessions --------------------------------------------------------------------------


@dataclass
class SessionInput:
    course: Course
    starts_at: datetime
    ends_at: datetime
    capacity: int
    language: str = "en"
    location: str | None = None
    meeting_url: str | None = None
    trainer: User | None = None
    trainer_name: str | None = None


def is_https_url(value: str) -> bool:
    parts = urlsplit(value)
    return parts.scheme == "https" and bool(parts.hostname) and " " not in value


def _session_values(data: SessionInput) -> dict:
    if data.ends_at <= data.starts_at:
        raise DomainError(_l("The end must be after the start."), field="ends_at")
    if not 1 <= data.capacity <= CAPACITY_MAX:
        raise DomainError(_l("Enter a capacity from 1 to %(n)d.", n=CAPACITY_MAX), field="capacity")
    if data.language not in LANGUAGES:
        raise DomainError(_l("Choose a language from the list."), field="language")
    location = clean_text(data.location, field="location", max_length=200, required=False)
    meeting_url = clean_text(data.meeting_url, field="meeting_url", max_length=500, required=False)
    if meeting_url and not is_https_url(meeting_url):
        raise DomainError(_l("Enter a secure link that starts with https://."), field="meeting_url")
    if not location and not meeting_url:
        raise DomainError(_l("Give a location or a meeting link."), field="location")
    trainer_name = clean_text(
        data.trainer_name, field="trainer_name", max_length=120, required=False
    )
    if data.trainer is not None and not data.trainer.is_staff:
        raise DomainError(_l("Choose a staff member from the list."), field="trainer_id")
    if data.trainer is None and not trainer_name:
        raise DomainError(
            _l("Choose a staff trainer or give an outside trainer's name."), field="trainer_id"
        )
    return {
        "course_id": data.course.id,
        "starts_at": data.starts_at,
        "ends_at": data.ends_at,
        "capacity": data.capacity,
        "language": data.language,
        "location": location or None,
        "meeting_url": meeting_url or None,
        "trainer_id": data.trainer.id if data.trainer else None,
        "trainer_name": None if data.trainer else trainer_name,
    }


def create_session(data: SessionInput, *, actor: User) -> TrainingSession:
    session = TrainingSession(**_session_values(data))
    db.session.add(session)
    db.session.flush()
    record_event(
        "training_session.created",
        actor=actor,
        target=session,
        details={"course": data.course.title_en, "starts_at": session.starts_at.isoformat()},
    )
    return session


def update_session(session: TrainingSession, data: SessionInput, *, actor: User) -> None:
    if session.status is not SessionStatus.SCHEDULED:
        raise DomainError(_l("Only a scheduled session can be changed."))
    values = _session_values(data)
    changes = diff_fields(session, values)
    if not changes:
        return
    # Lowering the capacity must not drop people who hold a seat; the condition
    # is checked by the same statement that changes it.
    result = db.session.execute(
        update(TrainingSession)
        .where(TrainingSession.id == session.id, TrainingSession.seats_taken <= values["capacity"])
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        raise DomainError(
            _l(
                "%(n)d people are registered; the capacity cannot be lower.",
                n=session.seats_taken,
            ),
            field="capacity",
        )
    db.session.refresh(session)
    record_event("training_session.updated", actor=actor, target=session, changes=changes)
    promote_waitlist(session, actor=actor)
    db.session.flush()


def cancel_session(session: TrainingSession, *, actor: User) -> None:
    if session.status is not SessionStatus.SCHEDULED:
        raise DomainError(_l("Only a scheduled session can be cancelled."))
    session.status = SessionStatus.CANCELLED
    record_event(
        "training_session.cancelled",
        actor=actor,
        target=session,
        changes={"status": (SessionStatus.SCHEDULED, SessionStatus.CANCELLED)},
    )
    db.session.flush()


def has_started(session: TrainingSession, now: datetime | None = None) -> bool:
    return session.starts_at <= (now or utcnow())


# --- Registration ----------------------------------------------------------------------


def _claim_seat(session: TrainingSession) -> bool:
    result = db.session.execute(
        update(TrainingSession)
        .where(
            TrainingSession.id == session.id,
            TrainingSession.seats_taken < TrainingSession.capacity,
        )
        .values(seats_taken=TrainingSession.seats_taken + 1)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1


def _release_seat(session: TrainingSession) -> None:
    db.session.execute(
        update(TrainingSession)
        .where(TrainingSession.id == session.id, TrainingSession.seats_taken > 0)
        .values(seats_taken=TrainingSession.seats_taken - 1)
        .execution_options(synchronize_session=False)
    )


def _registration_of(session: TrainingSession, provider: Provider) -> Registration | None:
    return db.session.scalar(
        select(Registration).where(
            Registration.session_id == session.id, Registration.provider_id == provider.id
        )
    )


_ALREADY = _l("This registration changed at the same moment. Check it and try again.")


def _change_status(
    registration: Registration, expected: RegistrationStatus, values: dict, *, already
) -> None:
    """Apply `values` only if the row still has the status this request read."""
    db.session.flush()
    result = db.session.execute(
        update(Registration)
        .where(Registration.id == registration.id, Registration.status == expected)
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        raise DomainError(already)
    db.session.refresh(registration)


def register(
    session: TrainingSession, provider: Provider, *, actor: User, now: datetime | None = None
) -> Registration:
    """A seat if one is left, else a place on the waitlist."""
    now = now or utcnow()
    if session.status is SessionStatus.CANCELLED:
        raise DomainError(_l("This session was cancelled."))
    if session.status is not SessionStatus.SCHEDULED or has_started(session, now):
        raise DomainError(_l("This session has already started; registration is closed."))
    if provider.is_deleted:
        raise DomainError(_l("This provider's record was deleted."))
    registration = _registration_of(session, provider)
    if registration is not None and registration.status is RegistrationStatus.REGISTERED:
        raise DomainError(_l("%(name)s is already registered.", name=provider.display_name))
    if registration is not None and registration.status is RegistrationStatus.WAITLISTED:
        raise DomainError(_l("%(name)s is already on the waitlist.", name=provider.display_name))
    status = (
        RegistrationStatus.REGISTERED if _claim_seat(session) else RegistrationStatus.WAITLISTED
    )
    values = {
        "status": status,
        "queued_at": now,
        "cancelled_at": None,
        "registered_by_id": actor.id,
    }
    if registration is None:
        # A concurrent first registration of the same person hits the unique constraint.
        registration = Registration(session_id=session.id, provider_id=provider.id, **values)
        db.session.add(registration)
        db.session.flush()
    else:
        # Coming back after cancelling: only one of two simultaneous requests reopens the row
        # (the other's rollback returns the seat it claimed).
        _change_status(registration, RegistrationStatus.CANCELLED, values, already=_ALREADY)
    record_event(
        "registration.created",
        actor=actor,
        target=registration,
        details={"session_id": session.id, "provider_id": provider.id, "status": status.value},
    )
    db.session.refresh(session)
    return registration


def cancel_registration(
    registration: Registration, *, actor: User, now: datetime | None = None
) -> list[Registration]:
    """Cancel, and give the freed seat to the first on the waitlist; returns who moved up."""
    session = registration.session
    if registration.status is RegistrationStatus.CANCELLED:
        raise DomainError(_l("This registration was already cancelled."))
    if has_started(session, now):
        raise DomainError(_l("This session has already started; it can no longer be cancelled."))
    held_seat = registration.status is RegistrationStatus.REGISTERED and not registration.walk_in
    old_status = registration.status
    # Conditional, so that two cancellations at once (a double click) free one seat only.
    _change_status(
        registration,
        old_status,
        {"status": RegistrationStatus.CANCELLED, "cancelled_at": now or utcnow()},
        already=_l("This registration was already cancelled."),
    )
    record_event(
        "registration.cancelled",
        actor=actor,
        target=registration,
        changes={"status": (old_status, RegistrationStatus.CANCELLED)},
        details={"session_id": session.id, "provider_id": registration.provider_id},
    )
    db.session.flush()
    if not held_seat:
        return []
    _release_seat(session)
    return promote_waitlist(session, actor=actor)


def promote_waitlist(session: TrainingSession, *, actor: User) -> list[Registration]:
    """Give free seats to the waitlist in order. Each step is a conditional UPDATE, so two
    requests freeing seats at once never promote the same person twice."""
    promoted = []
    while True:
        candidate = db.session.scalar(
            select(Registration)
            .where(
                Registration.session_id == session.id,
                Registration.status == RegistrationStatus.WAITLISTED,
            )
            .order_by(Registration.queued_at, Registration.id)
            .limit(1)
        )
        if candidate is None or not _claim_seat(session):
            break
        moved = db.session.execute(
            update(Registration)
            .where(
                Registration.id == candidate.id,
                Registration.status == RegistrationStatus.WAITLISTED,
            )
            .values(status=RegistrationStatus.REGISTERED)
            .execution_options(synchronize_session=False)
        )
        if moved.rowcount != 1:
            _release_seat(session)
            continue
        db.session.refresh(candidate)
        record_event(
            "registration.promoted",
            actor=actor,
            target=candidate,
            changes={"status": (RegistrationStatus.WAITLISTED, RegistrationStatus.REGISTERED)},
            details={"session_id": session.id, "provider_id": candidate.provider_id},
        )
        promoted.append(candidate)
    db.session.flush()
    db.session.refresh(session)
    return promoted


# --- Personal calendar feed ------------------------------------------------------------


def new_feed_token() -> str:
    return secrets.token_urlsafe(32)


def regenerate_feed(provider: Provider, *, actor: User) -> CalendarFeed:
    """A new secret address for the provider's feed; an old one stops working at once."""
    feed = db.session.get(CalendarFeed, provider.id)
    action = "calendar_feed.regenerated" if feed else "calendar_feed.created"
    if feed is None:
        feed = CalendarFeed(provider_id=provider.id)
        db.session.add(feed)
    feed.token = new_feed_token()
    feed.created_at = utcnow()
    # About the provider (a feed row has no id of its own); the token itself, a secret,
    # is never written to the log.
    record_event(action, actor=actor, target=provider)
    db.session.flush()
    return feed
