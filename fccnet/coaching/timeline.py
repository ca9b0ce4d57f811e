"""The provider timeline: stage changes, contacts, action items, checklist completions and
training attendance, merged newest first.

The merge and the pagination run in SQL: a UNION ALL of (kind, id, day, moment) keys,
ordered and cut to one page, and a count; then each kind's rows on that page are loaded
with their relationships. A page costs the same few queries whatever the history's size.

Every event sorts on the network's calendar day first (what the page shows), then on a
UTC moment within the day. Dates (a contact's day) are already local days; timestamps
are turned into local days in SQL by `local_day`, so an evening stage change does not
sort as the next day, as it would if dates and UTC timestamps were compared directly.
"""

import enum
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from math import ceil
from typing import Any

from sqlalchemy import Select, String, func, literal, select, union_all
from sqlalchemy.orm import joinedload, selectinload

from fccnet.clock import network_zone
from fccnet.coaching.models import ActionItem, ActionStatus, Contact
from fccnet.database import local_day
from fccnet.extensions import MAX_PAGE, db
from fccnet.licensing.models import ChecklistItem, ItemStatus, StageChange
from fccnet.training.models import Attendance, Registration, TrainingSession

TIMELINE_PER_PAGE = 25
# How many entries the provider page shows before linking to the full timeline.
LATEST_ENTRIES = 10


# --- Entries and pages ------------------------------------------------------------------


class EntryKind(enum.StrEnum):
    STAGE_CHANGE = "stage_change"
    CONTACT = "contact"
    ACTION_ITEM_CREATED = "action_item_created"
    ACTION_ITEM_CLOSED = "action_item_closed"
    CHECKLIST_ITEM_DONE = "checklist_item_done"
    TRAINING_ATTENDED = "training_attended"


@dataclass(frozen=True)
class TimelineEntry:
    """One event: its kind, the local day it happened and the record it comes from (a
    StageChange, Contact, ActionItem, ChecklistItem or Registration, relationships loaded)."""

    kind: EntryKind
    day: date
    record: Any


@dataclass(frozen=True)
class TimelinePage:
    """One page of the timeline, with what templates/_macros/pagination.html reads."""

    items: list[TimelineEntry]
    page: int
    per_page: int
    total: int
    # Whether the entries include what only staff see (household members' items).
    staff: bool

    @property
    def pages(self) -> int:
        return ceil(self.total / self.per_page)

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def prev_num(self) -> int | None:
        return self.page - 1 if self.has_prev else None

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    @property
    def next_num(self) -> int | None:
        return self.page + 1 if self.has_next else None


# --- Queries ----------------------------------------------------------------------------


def _key(kind: EntryKind, record_id, day, moment) -> Select:
    return select(
        literal(kind.value, String).label("kind"),
        record_id.label("id"),
        day.label("day"),
        moment.label("moment"),
    )


def timeline_events(provider_id: int, *, staff: bool):
    """Every event's (kind, id, day, moment), as a subquery to order, page and count."""
    zone = network_zone().key
    checklist = _key(
        EntryKind.CHECKLIST_ITEM_DONE,
        ChecklistItem.id,
        ChecklistItem.completed_on,
        ChecklistItem.updated_at,
    ).where(
        ChecklistItem.provider_id == provider_id,
        ChecklistItem.status == ItemStatus.DONE,
        ChecklistItem.completed_on.is_not(None),
    )
    if not staff:
        # As on the provider page: a provider sees their own items, not their household's.
        checklist = checklist.where(ChecklistItem.household_member_id.is_(None))
    return union_all(
        _key(
            EntryKind.STAGE_CHANGE,
            StageChange.id,
            local_day(StageChange.changed_at, zone),
            StageChange.changed_at,
        ).where(StageChange.provider_id == provider_id),
        _key(EntryKind.CONTACT, Contact.id, Contact.contacted_on, Contact.created_at).where(
            Contact.provider_id == provider_id, Contact.deleted_at.is_(None)
        ),
        _key(
            EntryKind.ACTION_ITEM_CREATED,
            ActionItem.id,
            local_day(ActionItem.created_at, zone),
            ActionItem.created_at,
        ).where(ActionItem.provider_id == provider_id),
        _key(
            EntryKind.ACTION_ITEM_CLOSED, ActionItem.id, ActionItem.closed_on, ActionItem.updated_at
        ).where(
            ActionItem.provider_id == provider_id,
            ActionItem.status.in_([ActionStatus.DONE, ActionStatus.DROPPED]),
            ActionItem.closed_on.is_not(None),
        ),
        checklist,
        _key(
            EntryKind.TRAINING_ATTENDED,
            Registration.id,
            local_day(TrainingSession.starts_at, zone),
            TrainingSession.starts_at,
        )
        .join(Registration.session)
        .where(
            Registration.provider_id == provider_id,
            Registration.attendance.in_([Attendance.ATTENDED, Attendance.PARTIAL]),
        ),
    ).subquery("timeline_events")


# Each kind's rows, with what the list shows of them. Both action item kinds are one load.
_LOADS = {
    StageChange: select(StageChange).options(
        joinedload(StageChange.to_stage), joinedload(StageChange.changed_by)
    ),
    Contact: select(Contact).options(selectinload(Contact.topics), joinedload(Contact.coach)),
    ActionItem: select(ActionItem),
    ChecklistItem: select(ChecklistItem).options(
        joinedload(ChecklistItem.requirement), joinedload(ChecklistItem.household_member)
    ),
    Registration: select(Registration).options(
        joinedload(Registration.session).joinedload(TrainingSession.course)
    ),
}

_MODEL_OF_KIND = {
    EntryKind.STAGE_CHANGE: StageChange,
    EntryKind.CONTACT: Contact,
    EntryKind.ACTION_ITEM_CREATED: ActionItem,
    EntryKind.ACTION_ITEM_CLOSED: ActionItem,
    EntryKind.CHECKLIST_ITEM_DONE: ChecklistItem,
    EntryKind.TRAINING_ATTENDED: Registration,
}


def _load_entries(events, *, limit: int, offset: int = 0) -> list[TimelineEntry]:
    """One page of `events` (timeline_events), newest first, as entries with their rows."""
    keys = db.session.execute(
        select(events.c.kind, events.c.id, events.c.day)
        .order_by(events.c.day.desc(), events.c.moment.desc(), events.c.kind, events.c.id.desc())
        .limit(limit)
        .offset(offset)
    ).all()
    ids_by_model = defaultdict(set)
    for kind, record_id, _day in keys:
        ids_by_model[_MODEL_OF_KIND[kind]].add(record_id)
    records = {
        (model, record.id): record
        for model, ids in ids_by_model.items()
        for record in db.session.scalars(_LOADS[model].where(model.id.in_(ids)))
    }
    return [
        TimelineEntry(EntryKind(kind), day, records[_MODEL_OF_KIND[kind], record_id])
        for kind, record_id, day in keys
        # Gone since the keys were read (a concurrent delete): left out, not an error.
        if (_MODEL_OF_KIND[kind], record_id) in records
    ]


def timeline_page(
    provider_id: int, *, staff: bool, page: int = 1, per_page: int = TIMELINE_PER_PAGE
) -> TimelinePage:
    """A page of the provider's timeline, newest first; household members' checklist items
    only for staff. An impossible page number means page 1, as elsewhere (db.paginate)."""
    if not 1 <= page <= MAX_PAGE:
        page = 1
    events = timeline_events(provider_id, staff=staff)
    items = _load_entries(events, limit=per_page, offset=(page - 1) * per_page)
    total = db.session.scalar(select(func.count()).select_from(events))
    return TimelinePage(items=items, page=page, per_page=per_page, total=total, staff=staff)


def latest_entries(
    provider_id: int, *, staff: bool, limit: int = LATEST_ENTRIES
) -> list[TimelineEntry]:
    """The newest entries, for the provider page (which links to the full timeline)."""
    return _load_entries(timeline_events(provider_id, staff=staff), limit=limit)
