"""Reading the catalog, the calendar and registrations."""

from dataclasses import dataclass
from datetime import date, datetime, time

from sqlalchemy import Select, and_, func, or_, select
from sqlalchemy.orm import joinedload

from fccnet.auth.models import Role, User
from fccnet.clock import network_zone
from fccnet.database import contains_pattern, utcnow
from fccnet.licensing.services import add_months
from fccnet.providers.models import Provider
from fccnet.providers.services import phone_search_digits
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
                Provider.id,
                Provider.legal_name,
                Provider.preferred_name,
                Provider.phone,
                Provider.deleted_at,  # may this registration be cancelled?
            )
        )
    )
    if status is RegistrationStatus.WAITLISTED:
        return query.order_by(Registration.queued_at, Registration.id)
    return query.order_by(Provider.legal_name, Provider.id)


def holds_upcoming_place(now: datetime) -> list:
    """Conditions on a registration joined to its session: a seat or a waitlist place in a
    session still to come."""
    return [
        Registration.status.in_((RegistrationStatus.REGISTERED, RegistrationStatus.WAITLISTED)),
        TrainingSession.starts_at > now,
        TrainingSession.status != SessionStatus.CANCELLED,
    ]


def list_upcoming_registrations(provider_id: int, *, now: datetime | None = None) -> Select:
    """The provider's registrations and waitlist places in sessions still to come."""
    return (
        select(Registration)
        .join(Registration.session)
        .where(Registration.provider_id == provider_id, *holds_upcoming_place(now or utcnow()))
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


def load_session_page(session_id: int) -> Select:
    """A session with its course (area, credential) and trainer, in one query."""
    return (
        select(TrainingSession)
        .where(TrainingSession.id == session_id)
        .options(
            joinedload(TrainingSession.course).joinedload(Course.ckc_area),
            joinedload(TrainingSession.course).joinedload(Course.credential),
            joinedload(TrainingSession.trainer).load_only(User.id, User.name),
        )
    )


def waitlist_position(registration: Registration) -> Select:
    """The registration's place in its session's waitlist (1 is next to move up)."""
    return select(func.count()).where(
        Registration.session_id == registration.session_id,
        Registration.status == RegistrationStatus.WAITLISTED,
        or_(
            Registration.queued_at < registration.queued_at,
            and_(
                Registration.queued_at == registration.queued_at,
                Registration.id <= registration.id,
            ),
        ),
    )


def list_staff_trainers(*, include_id: int | None = None) -> Select:
    """(id, name) of active staff accounts (and of the session's current trainer)."""
    condition = and_(User.role.in_((Role.MANAGER, Role.COACH)), User.active.is_(True))
    if include_id is not None:
        condition = or_(condition, User.id == include_id)
    return select(User.id, User.name).where(condition).order_by(User.name, User.id)


def find_providers_to_register(q: str, *, limit: int = 50) -> Select:
    """(id, legal name, preferred name) of records matching a search, for staff registering."""
    query = (
        select(Provider.id, Provider.legal_name, Provider.preferred_name)
        .where(Provider.deleted_at.is_(None))
        .order_by(Provider.legal_name, Provider.id)
        .limit(limit)
    )
    matches = [Provider.search_text.like(contains_pattern(q), escape="\\")]
    digits = phone_search_digits(q)
    if digits:
        matches.append(Provider.phone.like(contains_pattern(digits), escape="\\"))
    return query.where(or_(*matches))
