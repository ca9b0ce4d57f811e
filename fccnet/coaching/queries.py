"""Read side of coaching: a provider's contacts, action items and goals."""

from dataclasses import dataclass
from datetime import date

from sqlalchemy import Select, case, func, or_, select
from sqlalchemy.orm import joinedload, selectinload

from fccnet.coaching.models import (
    ActionItem,
    ActionStatus,
    CoachingTopic,
    Contact,
    ContactAddendum,
    ContactVersion,
    Goal,
    GoalStatus,
)
from fccnet.extensions import db

# On the provider page; the rest are a click away.
LATEST_CONTACTS = 5
RECENTLY_CLOSED_ITEMS = 5


def list_contacts(provider_id: int) -> Select:
    """Newest first (not deleted ones), with their topics and author."""
    return (
        select(Contact)
        .where(Contact.provider_id == provider_id, Contact.deleted_at.is_(None))
        .options(selectinload(Contact.topics), joinedload(Contact.coach))
        .order_by(Contact.contacted_on.desc(), Contact.id.desc())
    )


def list_addenda(contact_id: int, *, include_internal: bool) -> Select:
    query = (
        select(ContactAddendum)
        .where(ContactAddendum.contact_id == contact_id)
        .options(joinedload(ContactAddendum.author))
        .order_by(ContactAddendum.created_at, ContactAddendum.id)
    )
    if not include_internal:
        query = query.where(ContactAddendum.internal.is_(False))
    return query


def list_contact_versions(contact_id: int) -> Select:
    """Earlier versions, newest first."""
    return (
        select(ContactVersion)
        .where(ContactVersion.contact_id == contact_id)
        .order_by(ContactVersion.version.desc())
    )


def list_topics_for_form(chosen_ids: list[int] = ()) -> Select:
    """The active topics, and any retired ones a contact already has."""
    return (
        select(CoachingTopic)
        .where(or_(CoachingTopic.active.is_(True), CoachingTopic.id.in_(list(chosen_ids))))
        .order_by(CoachingTopic.position)
    )


def list_topics_by_id(topic_ids: set[int]) -> Select:
    return select(CoachingTopic).where(CoachingTopic.id.in_(topic_ids))


def list_action_items(provider_id: int, *, contact_id: int | None = None) -> Select:
    """Open items first (soonest due first, undated last), then closed ones, newest first."""
    query = select(ActionItem).where(ActionItem.provider_id == provider_id)
    if contact_id is not None:
        query = query.where(ActionItem.contact_id == contact_id)
    is_closed = case((ActionItem.status == ActionStatus.OPEN, 0), else_=1)
    return query.order_by(
        is_closed,
        ActionItem.due_on.is_(None),
        ActionItem.due_on,
        ActionItem.closed_on.desc(),
        ActionItem.id.desc(),
    )


def list_goals(provider_id: int) -> Select:
    """Active goals first, each with its progress notes."""
    is_settled = case((Goal.status == GoalStatus.ACTIVE, 0), else_=1)
    return (
        select(Goal)
        .where(Goal.provider_id == provider_id)
        .options(selectinload(Goal.progress))
        .order_by(is_settled, Goal.target_on.is_(None), Goal.target_on, Goal.id.desc())
    )


def coaching_minutes(provider_id: int, since: date) -> tuple[int, int]:
    """(all minutes, minutes since a day) of the provider's contacts, not deleted ones."""
    recent = case((Contact.contacted_on >= since, Contact.minutes), else_=0)
    total, recent_total = db.session.execute(
        select(
            func.coalesce(func.sum(Contact.minutes), 0), func.coalesce(func.sum(recent), 0)
        ).where(Contact.provider_id == provider_id, Contact.deleted_at.is_(None))
    ).one()
    return int(total), int(recent_total)


@dataclass
class ProviderCoaching:
    """The coaching section of a provider's page."""

    minutes: int
    minutes_this_year: int
    open_items: list[ActionItem]
    closed_items: list[ActionItem]
    goals: list[Goal]
    contacts: list[Contact]


def provider_coaching(provider_id: int, *, today: date) -> ProviderCoaching:
    minutes, minutes_this_year = coaching_minutes(provider_id, today.replace(month=1, day=1))
    items = list_action_items(provider_id)
    return ProviderCoaching(
        minutes=minutes,
        minutes_this_year=minutes_this_year,
        open_items=list(db.session.scalars(items.where(ActionItem.status == ActionStatus.OPEN))),
        closed_items=list(
            db.session.scalars(
                items.where(ActionItem.status != ActionStatus.OPEN).limit(RECENTLY_CLOSED_ITEMS)
            )
        ),
        goals=list(db.session.scalars(list_goals(provider_id))),
        contacts=list(db.session.scalars(list_contacts(provider_id).limit(LATEST_CONTACTS))),
    )
