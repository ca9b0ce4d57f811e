"""Who came to a session: the roster is marked in one go, walk-ins are added, and every
mark becomes (or corrects, or removes) the provider's credit."""

from dataclasses import dataclass
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from fccnet.audit.services import diff_fields, record_event
from fccnet.auth.models import User
from fccnet.credits.services import sync_session_credit
from fccnet.database import utcnow
from fccnet.errors import DomainError
from fccnet.extensions import db
from fccnet.providers.models import Provider
from fccnet.training.models import (
    Attendance,
    Registration,
    RegistrationStatus,
    SessionStatus,
    TrainingSession,
)
from fccnet.training.services import has_started


@dataclass(frozen=True)
class AttendanceMark:
    registration_id: int
    attendance: Attendance | None
    minutes: int | None = None  # only for partial attendance
    # mark_version() of the registration as the person saw it; None: do not check.
    seen_version: str | None = None


def mark_version(registration: Registration) -> str:
    marked_at = registration.attendance_marked_at
    return marked_at.isoformat() if marked_at else ""


def _check_can_mark(session: TrainingSession, now: datetime | None) -> None:
    if session.status is SessionStatus.CANCELLED:
        raise DomainError(_l("This session was cancelled."))
    if not has_started(session, now):
        raise DomainError(_l("Attendance can be taken once the session has started."))


def _check_minutes(mark: AttendanceMark, course_minutes: int, field: str) -> int | None:
    if mark.attendance is not Attendance.PARTIAL:
        return None
    if mark.minutes is None or not 0 < mark.minutes < course_minutes:
        raise DomainError(
            _l("For partial attendance, enter hours above 0 and below the course's hours."),
            field=field,
        )
    return mark.minutes


def record_attendance(
    session: TrainingSession,
    marks: list[AttendanceMark],
    *,
    actor: User,
    now: datetime | None = None,
) -> int:
    """Apply every mark of the roster; returns how many registrations changed."""
    _check_can_mark(session, now)
    registrations = {
        registration.id: registration
        for registration in db.session.scalars(
            select(Registration).where(
                Registration.session_id == session.id,
                Registration.status == RegistrationStatus.REGISTERED,
            )
        )
    }
    changed = 0
    for index, mark in enumerate(marks):
        registration = registrations.get(mark.registration_id)
        if registration is None:
            raise DomainError(_l("This person is not on the roster any more. Reload the page."))
        if mark.seen_version is not None and mark.seen_version != mark_version(registration):
            raise DomainError(
                _l(
                    "Someone else saved attendance for %(name)s after you opened this page. "
                    "Reload the roster and check the marks.",
                    name=registration.provider.display_name,
                ),
                field=f"rows-{index}-attendance",
            )
        minutes = _check_minutes(mark, session.course.credit_minutes, field=f"rows-{index}-hours")
        if _apply_mark(registration, mark.attendance, minutes, actor=actor):
            changed += 1
    if changed and session.status is SessionStatus.SCHEDULED:
        session.status = SessionStatus.COMPLETED
    db.session.flush()
    return changed


def _apply_mark(
    registration: Registration,
    attendance: Attendance | None,
    minutes: int | None,
    *,
    actor: User,
) -> bool:
    changes = diff_fields(registration, {"attendance": attendance, "attended_minutes": minutes})
    if not changes:
        return False
    registration.attendance = attendance
    registration.attended_minutes = minutes
    registration.attendance_marked_at = utcnow()
    record_event(
        "attendance.recorded",
        actor=actor,
        target=registration,
        changes=changes,
        details={"session_id": registration.session_id, "provider_id": registration.provider_id},
    )
    db.session.flush()
    sync_session_credit(registration, actor=actor)
    return True


def add_walk_in(
    session: TrainingSession,
    provider: Provider,
    *,
    actor: User,
    attendance: Attendance = Attendance.ATTENDED,
    minutes: int | None = None,
    now: datetime | None = None,
) -> Registration:
    """Someone who came without a seat: they join the roster as attended (no seat is taken,
    since the session is under way)."""
    _check_can_mark(session, now)
    if provider.is_deleted:
        raise DomainError(_l("This provider's record was deleted."), field="provider_id")
    minutes = _check_minutes(
        AttendanceMark(0, attendance, minutes), session.course.credit_minutes, field="hours"
    )
    registration = db.session.scalar(
        select(Registration).where(
            Registration.session_id == session.id, Registration.provider_id == provider.id
        )
    )
    if registration is not None and registration.status is RegistrationStatus.REGISTERED:
        raise DomainError(
            _l("%(name)s is already on the roster.", name=provider.display_name),
            field="provider_id",
        )
    if registration is None:
        registration = Registration(session_id=session.id, provider_id=provider.id)
        db.session.add(registration)
    registration.status = RegistrationStatus.REGISTERED
    registration.walk_in = True
    registration.cancelled_at = None
    registration.registered_by_id = actor.id
    db.session.flush()
    record_event(
        "registration.walk_in",
        actor=actor,
        target=registration,
        details={"session_id": session.id, "provider_id": provider.id},
    )
    _apply_mark(registration, attendance, minutes, actor=actor)
    if session.status is SessionStatus.SCHEDULED:
        session.status = SessionStatus.COMPLETED
    db.session.flush()
    return registration
