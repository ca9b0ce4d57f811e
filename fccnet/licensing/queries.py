"""Reading checklists, stage histories and what is coming due."""

from datetime import date, timedelta

from sqlalchemy import Select, and_, case, exists, or_, select
from sqlalchemy.orm import joinedload

from fccnet.licensing.models import (
    ChecklistItem,
    Document,
    ItemStatus,
    Requirement,
    Stage,
    StageChange,
)
from fccnet.providers.models import Provider

OPEN_STATUSES = (ItemStatus.NOT_STARTED, ItemStatus.IN_PROGRESS, ItemStatus.SUBMITTED)
URGENCY_WINDOWS = (30, 60, 90)


def item_due_date():
    """When an item next needs attention: an open item's due date, a done item's expiry."""
    return case(
        (ChecklistItem.status.in_(OPEN_STATUSES), ChecklistItem.due_on),
        (ChecklistItem.status == ItemStatus.DONE, ChecklistItem.expires_on),
        else_=None,
    )


def due_by(day: date):
    """item_due_date() <= day, written so that the due_on and expires_on indexes serve it."""
    return or_(
        and_(ChecklistItem.status.in_(OPEN_STATUSES), ChecklistItem.due_on <= day),
        and_(ChecklistItem.status == ItemStatus.DONE, ChecklistItem.expires_on <= day),
    )


def has_overdue_items(today: date):
    return exists().where(ChecklistItem.provider_id == Provider.id, item_due_date() < today)


def list_checklist(provider_id: int, *, include_household: bool) -> Select:
    """The provider's items; household members' too when the reader is staff."""
    query = (
        select(ChecklistItem)
        .where(ChecklistItem.provider_id == provider_id)
        .options(joinedload(ChecklistItem.requirement), joinedload(ChecklistItem.household_member))
        .join(ChecklistItem.requirement)
        .order_by(ChecklistItem.member_key, Requirement.position)
    )
    return query if include_household else query.where(ChecklistItem.household_member_id.is_(None))


def list_documents(provider_id: int, *, include_household: bool) -> Select:
    """The record's documents, newest first; those of household members' items only for staff."""
    query = (
        select(Document)
        .outerjoin(Document.checklist_item)
        .where(Document.provider_id == provider_id, Document.deleted_at.is_(None))
        .order_by(Document.uploaded_at.desc(), Document.id.desc())
    )
    return query if include_household else query.where(ChecklistItem.household_member_id.is_(None))


def list_stage_history(provider_id: int) -> Select:
    return (
        select(StageChange)
        .where(StageChange.provider_id == provider_id)
        .options(
            joinedload(StageChange.from_stage),
            joinedload(StageChange.to_stage),
            joinedload(StageChange.changed_by),
        )
        .order_by(StageChange.changed_at, StageChange.id)
    )


def list_compliance(
    *,
    today: date,
    days: int = 90,
    provider_id: int | None = None,
    coach_id: int | None = None,
    include_household: bool = True,
) -> Select:
    """Items overdue or due within `days`, most urgent first, with provider and member."""
    due = item_due_date()
    query = (
        select(ChecklistItem)
        .join(ChecklistItem.provider)
        .where(
            Provider.deleted_at.is_(None),
            due.is_not(None),
            due <= today + timedelta(days=days),
        )
        .options(
            joinedload(ChecklistItem.requirement),
            joinedload(ChecklistItem.household_member),
            joinedload(ChecklistItem.provider),
        )
        .order_by(due, ChecklistItem.id)
    )
    if provider_id is not None:
        query = query.where(ChecklistItem.provider_id == provider_id)
    if coach_id is not None:
        query = query.where(Provider.coach_id == coach_id)
    if not include_household:
        query = query.where(ChecklistItem.household_member_id.is_(None))
    return query


def next_stage(stage: Stage) -> Select:
    """The open stage that follows `stage` in the pipeline, if any."""
    return (
        select(Stage)
        .where(Stage.active.is_(True), Stage.is_closed.is_(False), Stage.position > stage.position)
        .order_by(Stage.position)
        .limit(1)
    )
