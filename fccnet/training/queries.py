"""Reading the catalog, the calendar and registrations."""

from dataclasses import dataclass
from datetime import date, datetime, time

from sqlalchemy import Select, select
from sqlalchemy.orm import joinedload

from fccnet.auth.models import User
from fccnet.clock import network_zone
from fccnet.database import utcnow
from fccnet.licensing.services import add_months
from fccnet.providers.models import Provider
from fccnet.training.models import (
    CkcArea,
    Course,
    Credential,
    Delivery,
    Registration,
    RegistrationStatus,
    SessionStatus,
    TrainingSession,
)


def list_ckc_areas(*, include_inactive: bool = False) -> Select:
    query = select(CkcArea).order_by(CkcArea.position, CkcArea.id)
    return query if include_inactive else query.where(CkcArea.active.is_(True))


def list_credentials(*, include_inactive: bool = False) -> Select:
    query = select(Credential).order_by(Credential.position, Credential.id)
    return query if include_inactive else query.where(Credential.active.is_(True))


def list_courses(*, include_inactive: bool = True) -> Select:
    query = (
        select(Course)
        .options(joinedload(Course.ckc_area), joinedload(Course.credential))
        .order_by(Course.active.desc(), Course.title_en, Course.id)
    )
    return query if include_inactive else query.where(Course.active.is_(True))


def month_bounds(month: date) -> tuple[datetime, datetime]:
    """The first instant of the month and of the next, in the network's zone."""
    first = month.replace(day=1)
    zone = network_zone()
    return (
        datetime.combine(first, time.min, tzinfo=zone),
        datetime.combine(add_months(first, 1), time.min, tzinfo=zone),
    )


@dataclass
class CalendarFilters:
    ckc_area_id: int | None = None
    language: str | None = None
    delivery: Delivery | None = None


def list_month_sessions(month: date, filters: CalendarFilters) -> Select:
    """The month's sessions in time order, with course, area and trainer."""
    start, end = month_bounds(month)
    query = (
        select(TrainingSession)
        .join(TrainingSession.course)
        .where(TrainingSession.starts_at >= start, TrainingSession.starts_at < end)
        .options(
            joinedload(TrainingSession.course).joinedload(Course.ckc_area),
            joinedload(TrainingSession.trainer).load_only(User.id, User.name),
        )
        .order_by(TrainingSession.starts_at, TrainingSession.id)
    )
    if filters.ckc_area_id:
        query = query.where(Course.ckc_area_id == filters.ckc_area_id)
    if filters.language:
        query = query.where(TrainingSession.language == filters.language)
    if filters.delivery:
        query = query.where(Course.delivery == filters.delivery)
    return query


def registration_statuses(provider_id: int, session_ids: list[int]) -> Select:
    """(session id, status) of the provider's registrations among these sessions."""
    return select(Registration.session_id, Registration.status).where(
        Registration.provider_id == provider_id, Registration.session_id.in_(session_ids)
    )


def list_session_registrations(session_id: int, status: RegistrationStatus) -> Select:
    """The roster (registered, by name) or the waitlist (in its order), with names loaded."""
    query = (
        select(Registration)
        .join(Registration.provider)
        .where(Registration.session_id == session_id, Registration.status == status)
        .options(
            joinedload(Registration.provider).load_only(
                Provider.id, Provider.legal_name, Provider.preferred_name, Provider.phone
            )
        )
    )
    if status is RegistrationStatus.WAITLISTED:
        return query.order_by(Registration.queued_at, Registration.id)
    return query.order_by(Provider.legal_name, Provider.id)


def list_upcoming_registrations(provider_id: int, *, now: datetime | None = None) -> Select:
    """The provider's registrations and waitlist places in sessions still to come."""
    return (
        select(Registration)
        .join(Registration.session)
        .where(
            Registration.provider_id == provider_id,
            Registration.status.in_((RegistrationStatus.REGISTERED, RegistrationStatus.WAITLISTED)),
            TrainingSession.starts_at > (now or utcnow()),
            TrainingSession.status != SessionStatus.CANCELLED,
        )
        .options(joinedload(Registration.session).joinedload(TrainingSession.course))
        .order_by(TrainingSession.starts_at, TrainingSession.id)
    )


def list_feed_sessions(provider_id: int) -> Select:
    """Every session the provider holds a seat in, past and future (for their calendar feed)."""
    return (
        select(TrainingSession)
        .join(Registration, Registration.session_id == TrainingSession.id)
        .where(
            Registration.provider_id == provider_id,
            Registration.status == RegistrationStatus.REGISTERED,
        )
        .options(joinedload(TrainingSession.course), joinedload(TrainingSession.trainer))
        .order_by(TrainingSession.starts_at)
    )
