"""Logging coaching contacts (with an edit window, version history and addenda), action
items and business goals. Every change is audited and flushed; the caller commits."""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from flask_babel import lazy_gettext as _l

from fccnet.audit.services import diff_fields, record_event
from fccnet.auth.models import User
from fccnet.clock import local_today
from fccnet.coaching.models import (
    ActionItem,
    ActionStatus,
    CoachingTopic,
    Contact,
    ContactAddendum,
    ContactMode,
    ContactVersion,
    Goal,
    GoalProgress,
    GoalStatus,
    ItemOwner,
)
from fccnet.database import utcnow
from fccnet.errors import ConflictError, DomainError
from fccnet.extensions import db
from fccnet.providers.models import Provider
from fccnet.text import clean_text

# The author may correct a contact this long after logging it; then only addenda.
EDIT_WINDOW = timedelta(days=7)
NOTE_MAX_LENGTH = 10_000
MAX_MINUTES = 24 * 60
MINUTES_MESSAGE = _l("Enter minutes from 1 to 1440.")


def _check_version(record, expected_version: int | None) -> None:
    if expected_version is not None and expected_version != record.version:
        raise ConflictError(record)


def _note(value: str | None, name: str, *, required: bool = False) -> str:
    return clean_text(
        value, field=name, max_length=NOTE_MAX_LENGTH, required=required, multiline=True
    )


# --- Contacts ---------------------------------------------------------------------------


@dataclass
class ContactInput:
    contacted_on: date
    minutes: int
    mode: ContactMode
    summary: str = ""
    internal_notes: str = ""
    next_steps: str = ""
    topics: list[CoachingTopic] = field(default_factory=list)


def _contact_values(data: ContactInput, today: date, kept_topics=()) -> dict:
    """`kept_topics`: the contact's own topics, which may have been retired since."""
    if data.contacted_on > today:
        raise DomainError(_l("The date cannot be in the future."), field="contacted_on")
    if not 0 < data.minutes <= MAX_MINUTES:
        raise DomainError(MINUTES_MESSAGE, field="minutes")
    if any(not topic.active and topic not in kept_topics for topic in data.topics):
        raise DomainError(_l("Choose topics from the list."), field="topic_ids")
    values = {
        "contacted_on": data.contacted_on,
        "minutes": data.minutes,
        "mode": ContactMode(data.mode),
        "summary": _note(data.summary, "summary"),
        "internal_notes": _note(data.internal_notes, "internal_notes"),
        "next_steps": _note(data.next_steps, "next_steps"),
    }
    if not (values["summary"] or values["internal_notes"]):
        raise DomainError(_l("Write a summary or an internal note."), field="summary")
    return values


def _check_provider(provider: Provider) -> None:
    if provider.is_deleted:
        raise DomainError(_l("This provider's record was deleted."))


def log_contact(
    provider: Provider, data: ContactInput, *, actor: User, today: date | None = None
) -> Contact:
    _check_provider(provider)
    contact = Contact(
        provider_id=provider.id,
        coach_id=actor.id,
        topics=list(data.topics),
        **_contact_values(data, today or local_today()),
    )
    db.session.add(contact)
    db.session.flush()
    # The notes themselves stay out of the audit log: it is read by every manager and
    # keeps no confidentiality of its own.
    record_event(
        "contact.logged",
        actor=actor,
        target=contact,
        details={"provider_id": provider.id, "mode": contact.mode.value},
    )
    return contact


def is_locked(contact: Contact, now: datetime | None = None) -> bool:
    return (now or utcnow()) - contact.created_at > EDIT_WINDOW


def update_contact(
    contact: Contact,
    data: ContactInput,
    *,
    actor: User,
    expected_version: int | None = None,
    now: datetime | None = None,
    today: date | None = None,
) -> None:
    """Correct a contact within the edit window; the earlier version is kept."""
    if contact.is_deleted:
        raise DomainError(_l("This contact was deleted."))
    if is_locked(contact, now):
        raise DomainError(
            _l("This contact is locked: it was logged more than 7 days ago. Add an addendum.")
        )
    _check_version(contact, expected_version)
    values = _contact_values(data, today or local_today(), kept_topics=contact.topics)
    changes = diff_fields(contact, values)
    new_topics = sorted(topic.id for topic in data.topics)
    old_topics = sorted(topic.id for topic in contact.topics)
    if not changes and new_topics == old_topics:
        return
    db.session.add(
        ContactVersion(
            contact_id=contact.id,
            version=contact.version,
            contacted_on=contact.contacted_on,
            minutes=contact.minutes,
            mode=contact.mode,
            summary=contact.summary,
            internal_notes=contact.internal_notes,
            next_steps=contact.next_steps,
            topic_ids=old_topics,
            replaced_by_id=actor.id,
        )
    )
    for name, (_old, value) in changes.items():
        setattr(contact, name, value)
    contact.topics = list(data.topics)
    # The topics live in their own table: touch a column so the version moves for them too.
    contact.updated_at = now or utcnow()
    # Which fields changed, not what they say (see log_contact).
    record_event(
        "contact.edited",
        actor=actor,
        target=contact,
        details={
            "provider_id": contact.provider_id,
            "fields": sorted(changes) + (["topics"] if new_topics != old_topics else []),
        },
    )
    db.session.flush()


def add_addendum(
    contact: Contact, text: str, *, actor: User, internal: bool = True
) -> ContactAddendum:
    if contact.is_deleted:
        raise DomainError(_l("This contact was deleted."))
    addendum = ContactAddendum(
        contact_id=contact.id,
        text=_note(text, "text", required=True),
        internal=internal,
        author_id=actor.id,
    )
    db.session.add(addendum)
    db.session.flush()
    record_event(
        "contact.addendum_added",
        actor=actor,
        target=contact,
        details={"provider_id": contact.provider_id, "internal": internal},
    )
    return addendum


def delete_contact(contact: Contact, reason: str, *, actor: User) -> None:
    """Managers only (see permissions): kept, hidden, with the reason."""
    if contact.is_deleted:
        raise DomainError(_l("This contact was already deleted."))
    contact.deleted_reason = clean_text(reason, field="reason", max_length=200)
    contact.deleted_at = utcnow()
    contact.deleted_by_id = actor.id
    record_event(
        "contact.deleted",
        actor=actor,
        target=contact,
        details={"provider_id": contact.provider_id, "reason": contact.deleted_reason},
    )
    db.session.flush()


# --- Action items -----------------------------------------------------------------------


@dataclass
class ActionItemInput:
    description: str
    owner: ItemOwner
    due_on: date | None = None


def create_action_item(
    provider: Provider,
    data: ActionItemInput,
    *,
    actor: User,
    contact: Contact | None = None,
) -> ActionItem:
    _check_provider(provider)
    if contact is not None and contact.provider_id != provider.id:
        raise DomainError(_l("Choose a contact with this provider."))
    if contact is not None and contact.is_deleted:
        raise DomainError(_l("This contact was deleted."))
    item = ActionItem(
        provider_id=provider.id,
        contact_id=contact.id if contact else None,
        description=clean_text(data.description, field="description", max_length=300),
        owner=ItemOwner(data.owner),
        due_on=data.due_on,
        created_by_id=actor.id,
    )
    db.session.add(item)
    db.session.flush()
    record_event(
        "action_item.created",
        actor=actor,
        target=item,
        details={"provider_id": provider.id, "owner": item.owner.value},
    )
    return item


def update_action_item(
    item: ActionItem,
    data: ActionItemInput,
    *,
    actor: User,
    expected_version: int | None = None,
) -> None:
    _check_version(item, expected_version)
    if item.status is not ActionStatus.OPEN:
        raise DomainError(_l("This action item is closed: reopen it to change it."))
    changes = diff_fields(
        item,
        {
            "description": clean_text(data.description, field="description", max_length=300),
            "owner": ItemOwner(data.owner),
            "due_on": data.due_on,
        },
    )
    if not changes:
        return
    for name, (_old, value) in changes.items():
        setattr(item, name, value)
    record_event("action_item.updated", actor=actor, target=item, changes=changes)
    db.session.flush()


def close_action_item(
    item: ActionItem,
    status: ActionStatus,
    *,
    actor: User,
    comment: str | None = None,
    expected_version: int | None = None,
    today: date | None = None,
) -> None:
    """Mark an open item done (a provider may add a comment) or dropped."""
    if status is ActionStatus.OPEN:
        raise DomainError(_l("Choose done or dropped."), field="status")
    # A stale form first: whoever typed a comment sees what changed, and keeps it.
    _check_version(item, expected_version)
    if item.status is not ActionStatus.OPEN:
        raise DomainError(_l("This action item is already closed."))
    comment = clean_text(comment, field="comment", max_length=500, required=False) or None
    old = item.status
    item.status = status
    item.closed_on = today or local_today()
    item.closing_comment = comment
    item.closed_by_id = actor.id
    record_event(
        "action_item.closed",
        actor=actor,
        target=item,
        changes={"status": (old, status)},
        details={"provider_id": item.provider_id},
    )
    db.session.flush()


def reopen_action_item(
    item: ActionItem, *, actor: User, expected_version: int | None = None
) -> None:
    if item.status is ActionStatus.OPEN:
        raise DomainError(_l("This action item is already open."))
    _check_version(item, expected_version)
    # What the closing said stays in the audit log once the item is open again.
    changes = {
        "status": (item.status, ActionStatus.OPEN),
        "closed_on": (item.closed_on, None),
        "closing_comment": (item.closing_comment, None),
    }
    item.status = ActionStatus.OPEN
    item.closed_on = None
    item.closing_comment = None
    item.closed_by_id = None
    record_event(
        "action_item.reopened",
        actor=actor,
        target=item,
        changes=changes,
        details={"provider_id": item.provider_id},
    )
    db.session.flush()


# --- Goals ------------------------------------------------------------------------------


@dataclass
class GoalInput:
    description: str
    target_on: date | None = None
    status: GoalStatus = GoalStatus.ACTIVE


def _goal_values(data: GoalInput) -> dict:
    return {
        "description": clean_text(data.description, field="description", max_length=300),
        "target_on": data.target_on,
        "status": GoalStatus(data.status),
    }


def create_goal(provider: Provider, data: GoalInput, *, actor: User) -> Goal:
    _check_provider(provider)
    goal = Goal(provider_id=provider.id, created_by_id=actor.id, **_goal_values(data))
    db.session.add(goal)
    db.session.flush()
    record_event("goal.created", actor=actor, target=goal, details={"provider_id": provider.id})
    return goal


def update_goal(
    goal: Goal, data: GoalInput, *, actor: User, expected_version: int | None = None
) -> None:
    _check_version(goal, expected_version)
    changes = diff_fields(goal, _goal_values(data))
    if not changes:
        return
    for name, (_old, value) in changes.items():
        setattr(goal, name, value)
    record_event("goal.updated", actor=actor, target=goal, changes=changes)
    db.session.flush()


def add_goal_progress(
    goal: Goal, note: str, *, actor: User, noted_on: date | None = None
) -> GoalProgress:
    today = local_today()
    noted_on = noted_on or today
    if noted_on > today:
        raise DomainError(_l("The date cannot be in the future."), field="noted_on")
    progress = GoalProgress(
        goal_id=goal.id,
        noted_on=noted_on,
        note=_note(note, "note", required=True),
        author_id=actor.id,
    )
    db.session.add(progress)
    db.session.flush()
    record_event(
        "goal.progress_noted",
        actor=actor,
        target=goal,
        details={"provider_id": goal.provider_id},
    )
    return progress
