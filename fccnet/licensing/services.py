"""Moving providers through the pipeline and keeping their checklist complete."""

import hashlib
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from fccnet.audit.services import diff_fields, record_event
from fccnet.auth.models import User
from fccnet.clock import local_today
from fccnet.database import utcnow
from fccnet.errors import ConflictError, DomainError
from fccnet.extensions import db
from fccnet.licensing.models import (
    LICENSED_STAGE_KEY,
    AppliesTo,
    ChecklistItem,
    Condition,
    Document,
    ItemStatus,
    Requirement,
    Stage,
    StageChange,
)
from fccnet.providers.models import HouseholdMember, Provider
from fccnet.settings.services import get_setting

# Household members within this many days of the check age (or of moving in)
# already get their items, due on the day they turn the age (or move in).
LOOK_AHEAD_DAYS = 90


def add_months(day: date, months: int) -> date:
    """The same day `months` later, or the month's last day when it has no such day."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    for candidate in (day.day, 30, 29, 28):
        try:
            return date(year, month, min(day.day, candidate))
        except ValueError:
            continue
    raise AssertionError("unreachable")


def first_stage() -> Stage:
    return db.session.scalars(
        select(Stage)
        .where(Stage.active.is_(True), Stage.is_closed.is_(False))
        .order_by(Stage.position)
    ).first()


# --- The checklist ---------------------------------------------------------------------


@dataclass(frozen=True)
class Obligation:
    """A requirement someone must meet, and from when."""

    requirement: Requirement
    member: HouseholdMember | None
    due_on: date | None


def add_years(day: date, years: int) -> date:
    return add_months(day, 12 * years)


def obligations(
    provider: Provider, requirements: list[Requirement], today: date
) -> list[Obligation]:
    """What the provider and each (coming) adult of the household must meet."""
    check_age = get_setting("background_check_age")
    adults = []  # (member, the day their obligation starts when it is still ahead)
    for member in provider.household:
        if member.moved_out_on is not None and member.moved_out_on <= today:
            continue
        turns_age = add_years(member.born_on, check_age)
        starts = max(turns_age, member.moved_in_on or turns_age)
        if starts <= today + timedelta(days=LOOK_AHEAD_DAYS):
            adults.append((member, starts if starts > today else None))
    result = []
    for requirement in requirements:
        if requirement.condition is Condition.HAS_WELL and not provider.has_well:
            continue
        if requirement.applies_to in (AppliesTo.PROVIDER, AppliesTo.PROVIDER_AND_ADULTS):
            result.append(Obligation(requirement, None, None))
        if requirement.applies_to in (AppliesTo.EACH_ADULT, AppliesTo.PROVIDER_AND_ADULTS):
            result.extend(Obligation(requirement, member, due) for member, due in adults)
    return result


def sync_checklist(provider: Provider, *, today: date | None = None) -> list[ChecklistItem]:
    """Create the items the provider and their household now need; returns the new ones.

    Runs whenever the record or household changes, and nightly (`flask sync-checklists`)
    so that a member nearing the check age gets their items in time.
    """
    today = today or local_today()
    requirements = list(
        db.session.scalars(
            select(Requirement).where(Requirement.active.is_(True)).order_by(Requirement.position)
        )
    )
    existing = set(
        db.session.execute(
            select(ChecklistItem.requirement_id, ChecklistItem.member_key).where(
                ChecklistItem.provider_id == provider.id
            )
        ).all()
    )
    created = []
    for obligation in obligations(provider, requirements, today):
        member_key = obligation.member.id if obligation.member else 0
        if (obligation.requirement.id, member_key) in existing:
            continue
        item = ChecklistItem(
            provider=provider,
            requirement=obligation.requirement,
            household_member=obligation.member,
            member_key=member_key,
            due_on=obligation.due_on,
        )
        db.session.add(item)
        created.append(item)
    db.session.flush()
    return created


def expiry_for(item: ChecklistItem, completed_on: date, licensed: bool) -> date | None:
    requirement = item.requirement
    months = requirement.valid_months
    if not licensed and requirement.valid_months_at_application:
        months = requirement.valid_months_at_application
    return add_months(completed_on, months) if months else None


@dataclass
class ItemUpdate:
    status: ItemStatus
    due_on: date | None = None
    submitted_on: date | None = None
    completed_on: date | None = None
    expires_on: date | None = None
    waived_reason: str | None = None


def update_item(
    item: ChecklistItem,
    update: ItemUpdate,
    *,
    actor: User,
    today: date | None = None,
    expected_version: int | None = None,
) -> None:
    if expected_version is not None and expected_version != item.version:
        raise ConflictError(item)
    today = today or local_today()
    reason = (update.waived_reason or "").strip() or None
    if update.status is ItemStatus.WAIVED and not reason:
        raise DomainError(_l("Give the reason this item is waived."), field="waived_reason")
    submitted_on = update.submitted_on
    completed_on = update.completed_on
    expires_on = update.expires_on
    if update.status is ItemStatus.SUBMITTED:
        submitted_on = submitted_on or today
    if update.status is ItemStatus.DONE:
        completed_on = completed_on or today
        if expires_on is None:
            expires_on = expiry_for(item, completed_on, is_licensed(item.provider))
    if completed_on and completed_on > today:
        raise DomainError(_l("The completion date cannot be in the future."), field="completed_on")
    if expires_on and completed_on and expires_on <= completed_on:
        raise DomainError(_l("The expiry date must be after completion."), field="expires_on")
    new_values = {
        "status": update.status,
        "due_on": update.due_on,
        "submitted_on": submitted_on,
        "completed_on": completed_on if update.status is ItemStatus.DONE else None,
        "expires_on": expires_on if update.status is ItemStatus.DONE else None,
        "waived_reason": reason if update.status is ItemStatus.WAIVED else None,
    }
    changes = diff_fields(item, new_values)
    if not changes:
        return
    for field, (_old, value) in changes.items():
        setattr(item, field, value)
    record_event("checklist_item.updated", actor=actor, target=item, changes=changes)
    db.session.flush()


def is_licensed(provider: Provider) -> bool:
    return provider.license_issued_on is not None


# --- The pipeline ----------------------------------------------------------------------


@dataclass
class LicenseDetails:
    number: str
    issued_on: date
    capacity_full_time: int
    capacity_school_age: int


def move_stage(
    provider: Provider,
    to_stage: Stage,
    *,
    actor: User,
    note: str | None = None,
    reason: str | None = None,
    license: LicenseDetails | None = None,
) -> StageChange:
    if to_stage.id == provider.stage_id:
        raise DomainError(_l("The provider is already at this stage."), field="stage")
    if not to_stage.active:
        raise DomainError(_l("This stage is no longer in use."), field="stage")
    reason = (reason or "").strip() or None
    if to_stage.is_closed and not reason:
        raise DomainError(_l("Give the reason for closing."), field="reason")
    if to_stage.key == LICENSED_STAGE_KEY:
        if license is None or not license.number.strip():
            raise DomainError(_l("Enter the license number."), field="license_number")
        record_license(provider, license, actor=actor)
    change = StageChange(
        provider_id=provider.id,
        from_stage_id=provider.stage_id,
        to_stage=to_stage,
        changed_by_id=actor.id,
        note=(note or "").strip() or None,
        reason=reason,
    )
    db.session.add(change)
    record_event(
        "provider.stage_changed",
        actor=actor,
        target=provider,
        changes={
            "stage": (provider.stage.key, to_stage.key),
            "closed_reason": (provider.closed_reason, reason),
        },
    )
    provider.stage = to_stage
    provider.stage_entered_at = change.changed_at = utcnow()
    provider.closed_reason = reason if to_stage.is_closed else None
    db.session.flush()
    return change


def record_license(provider: Provider, license: LicenseDetails, *, actor: User) -> None:
    if license.capacity_full_time < 1 or license.capacity_school_age < 0:
        raise DomainError(_l("Enter the licensed capacity."), field="capacity_full_time")
    expires_on = add_months(license.issued_on, get_setting("license_validity_months"))
    values = {
        "license_number": license.number.strip(),
        "license_issued_on": license.issued_on,
        "license_expires_on": expires_on,
        "capacity_full_time": license.capacity_full_time,
        "capacity_school_age": license.capacity_school_age,
    }
    changes = diff_fields(provider, values)
    for field, value in values.items():
        setattr(provider, field, value)
    if changes:
        record_event("provider.updated", actor=actor, target=provider, changes=changes)
    license_item = db.session.scalar(
        select(ChecklistItem)
        .join(Requirement)
        .where(ChecklistItem.provider_id == provider.id, Requirement.key == "license")
    )
    if license_item is not None:
        update_item(
            license_item,
            ItemUpdate(ItemStatus.DONE, completed_on=license.issued_on, expires_on=expires_on),
            actor=actor,
            today=max(local_today(), license.issued_on),
        )


def days_in_stages(provider: Provider, changes: list[StageChange], now: datetime | None = None):
    """(stage change, days spent in its stage) for each change, oldest first."""
    now = now or utcnow()
    result = []
    for current, following in zip(changes, [*changes[1:], None], strict=True):
        end = following.changed_at if following else now
        result.append((current, (end - current.changed_at).days))
    return result


# --- Documents -------------------------------------------------------------------------

MAX_DOCUMENT_BYTES = 10 * 1024 * 1024
# Recognised by their first bytes, never by the name or the browser's word.
SIGNATURES = {
    b"%PDF-": ("application/pdf", ".pdf"),
    b"\xff\xd8\xff": ("image/jpeg", ".jpg"),
    b"\x89PNG\r\n\x1a\n": ("image/png", ".png"),
}


def sniff_type(content: bytes) -> tuple[str, str] | None:
    for signature, kind in SIGNATURES.items():
        if content.startswith(signature):
            return kind
    return None


def safe_filename(name: str, extension: str) -> str:
    """The last path part, without control characters, with the extension of its content."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    base = "".join(ch for ch in base if ch.isprintable() and ch not in '"<>:|?*').strip(" .")
    stem = base.rsplit(".", 1)[0] if "." in base else base
    return f"{stem[:150] or 'document'}{extension}"


def store_document(
    provider: Provider,
    content: bytes,
    filename: str,
    *,
    actor: User,
    item: ChecklistItem | None = None,
) -> Document:
    if item is not None and item.provider_id != provider.id:
        raise DomainError(
            _l("Choose an item of this provider's checklist."), field="checklist_item_id"
        )
    if len(content) > MAX_DOCUMENT_BYTES:
        raise DomainError(_l("The file is larger than 10 MB."), field="file")
    if not content:
        raise DomainError(_l("The file is empty."), field="file")
    kind = sniff_type(content)
    if kind is None:
        raise DomainError(_l("Upload a PDF, JPEG or PNG file."), field="file")
    content_type, extension = kind
    document = Document(
        provider_id=provider.id,
        checklist_item_id=item.id if item else None,
        filename=safe_filename(filename or "", extension),
        content_type=content_type,
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        content=content,
        uploaded_by_id=actor.id,
    )
    db.session.add(document)
    db.session.flush()
    record_event(
        "document.uploaded",
        actor=actor,
        target=document,
        details={"provider_id": provider.id, "filename": document.filename, "size": document.size},
    )
    return document
