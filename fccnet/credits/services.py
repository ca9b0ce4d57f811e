"""Professional development credits: from attendance, from elsewhere, and what they grant.

A credit that carries a credential (First Aid, CPR, ...) completes the provider's
checklist item for that requirement, with the credential's expiry, so it comes due
on the compliance calendar by the same rules as every other item.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update

from fccnet.audit.services import diff_fields, record_event
from fccnet.auth.models import User
from fccnet.clock import local_date, local_today
from fccnet.database import utcnow
from fccnet.errors import DomainError
from fccnet.extensions import db
from fccnet.licensing.models import ChecklistItem, ItemStatus
from fccnet.licensing.services import add_months, store_document
from fccnet.providers.models import Provider
from fccnet.settings.services import all_settings
from fccnet.text import clean_text
from fccnet.training.hours import MAX_MINUTES
from fccnet.training.models import (
    Attendance,
    CkcArea,
    Credential,
    Credit,
    CreditSource,
    CreditStatus,
    Registration,
)

REJECTION_REASON_MAX_LENGTH = 300


# --- The professional development year --------------------------------------------------


@dataclass(frozen=True)
class Period:
    start: date
    end: date  # inclusive

    def __contains__(self, day: date) -> bool:
        return self.start <= day <= self.end


def pd_year(day: date, start_month: int) -> Period:
    """The professional development year holding `day` (July to June by default)."""
    year = day.year if day.month >= start_month else day.year - 1
    start = date(year, start_month, 1)
    return Period(start, add_months(start, 12) - timedelta(days=1))


def current_pd_year(today: date | None = None) -> Period:
    return pd_year(today or local_today(), all_settings()["pd_year_start_month"])


def required_minutes() -> int:
    """The professional development a provider owes each year (a setting, in hours)."""
    return all_settings()["pd_annual_hours"] * 60


def credential_expiry(credential: Credential | None, earned_on: date) -> date | None:
    if credential is None or not credential.valid_months:
        return None
    return add_months(earned_on, credential.valid_months)


# --- Credits from network sessions ------------------------------------------------------


def credit_minutes_for(registration: Registration) -> int | None:
    """What an attendance is worth: the course's hours, the partial hours, or nothing."""
    if registration.attendance is Attendance.ATTENDED:
        return registration.session.course.credit_minutes
    if registration.attendance is Attendance.PARTIAL:
        return registration.attended_minutes
    return None


def sync_session_credit(registration: Registration, *, actor: User) -> Credit | None:
    """Make the registration's credit match its attendance: create, correct or remove it."""
    credit = db.session.scalar(select(Credit).where(Credit.registration_id == registration.id))
    minutes = credit_minutes_for(registration)
    if not minutes:
        if credit is not None:
            credential = credit.credential
            removed = (credit.taken_on, credit.credential_expires_on)
            record_event(
                "credit.removed",
                actor=actor,
                target=credit,
                details={"provider_id": credit.provider_id, "registration_id": registration.id},
            )
            db.session.delete(credit)
            db.session.flush()
            sync_credential_item(
                registration.provider, credential, actor=actor, removed_completion=removed
            )
        return None
    session = registration.session
    course = session.course
    taken_on = local_date(session.starts_at)
    # Only a full attendance earns the course's credential.
    credential = course.credential if registration.attendance is Attendance.ATTENDED else None
    values = {
        "title": course.title_en,
        "taken_on": taken_on,
        "minutes": minutes,
        "ckc_area_id": course.ckc_area_id,
        "credential_id": credential.id if credential else None,
        "credential_expires_on": credential_expiry(credential, taken_on),
    }
    old_completion = None
    if credit is None:
        credit = Credit(
            provider_id=registration.provider_id,
            source=CreditSource.SESSION,
            registration_id=registration.id,
            status=CreditStatus.APPROVED,
            created_by_id=actor.id,
            reviewed_by_id=actor.id,
            reviewed_at=utcnow(),
            **values,
        )
        db.session.add(credit)
        db.session.flush()
        record_event(
            "credit.created",
            actor=actor,
            target=credit,
            details={"provider_id": credit.provider_id, "minutes": minutes, "source": "session"},
        )
    else:
        old_completion = (credit.taken_on, credit.credential_expires_on)
        changes = diff_fields(credit, values)
        if not changes:
            return credit
        for field, (_old, value) in changes.items():
            setattr(credit, field, value)
        record_event("credit.updated", actor=actor, target=credit, changes=changes)
        db.session.flush()
    # A correction can take the credential away as well as give it.
    sync_credential_item(
        registration.provider, course.credential, actor=actor, removed_completion=old_completion
    )
    return credit


# --- Credits from elsewhere -------------------------------------------------------------


@dataclass
class ExternalCreditInput:
    title: str
    organisation: str
    taken_on: date
    minutes: int
    ckc_area: CkcArea
    evidence: bytes
    evidence_filename: str
    credential: Credential | None = None


def submit_external_credit(
    provider: Provider, data: ExternalCreditInput, *, actor: User, today: date | None = None
) -> Credit:
    """Training taken elsewhere, with evidence; it counts once a manager approves it."""
    today = today or local_today()
    title = clean_text(data.title, field="title", max_length=160)
    organisation = clean_text(data.organisation, field="organisation", max_length=160)
    if data.taken_on > today:
        raise DomainError(_l("The date cannot be in the future."), field="taken_on")
    if not 0 < data.minutes <= MAX_MINUTES:
        raise DomainError(_l("Enter hours above 0 and at most 40."), field="hours")
    document = store_document(provider, data.evidence, data.evidence_filename, actor=actor)
    credit = Credit(
        provider_id=provider.id,
        source=CreditSource.EXTERNAL,
        title=title,
        organisation=organisation,
        taken_on=data.taken_on,
        minutes=data.minutes,
        ckc_area_id=data.ckc_area.id,
        credential_id=data.credential.id if data.credential else None,
        status=CreditStatus.PENDING,
        document_id=document.id,
        created_by_id=actor.id,
    )
    db.session.add(credit)
    db.session.flush()
    record_event(
        "credit.submitted",
        actor=actor,
        target=credit,
        details={"provider_id": provider.id, "title": title, "minutes": data.minutes},
    )
    return credit


def _review(credit: Credit, status: CreditStatus, **values) -> None:
    """Move a pending credit to `status`; conditional, so that two managers reviewing it
    at once cannot both succeed."""
    if credit.status is not CreditStatus.PENDING:
        raise DomainError(_l("This credit was already reviewed."))
    result = db.session.execute(
        update(Credit)
        .where(Credit.id == credit.id, Credit.status == CreditStatus.PENDING)
        .values(status=status, reviewed_at=utcnow(), **values)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        raise DomainError(_l("This credit was already reviewed."))
    db.session.refresh(credit)


def approve_credit(credit: Credit, *, actor: User) -> None:
    _review(
        credit,
        CreditStatus.APPROVED,
        reviewed_by_id=actor.id,
        credential_expires_on=credential_expiry(credit.credential, credit.taken_on),
    )
    record_event(
        "credit.approved",
        actor=actor,
        target=credit,
        changes={"status": (CreditStatus.PENDING, CreditStatus.APPROVED)},
        details={"provider_id": credit.provider_id},
    )
    db.session.flush()
    sync_credential_item(credit.provider, credit.credential, actor=actor)


def reject_credit(credit: Credit, reason: str, *, actor: User) -> None:
    if credit.status is not CreditStatus.PENDING:
        raise DomainError(_l("This credit was already reviewed."))
    reason = clean_text(reason, field="reason", max_length=REJECTION_REASON_MAX_LENGTH)
    _review(credit, CreditStatus.REJECTED, reviewed_by_id=actor.id, rejection_reason=reason)
    record_event(
        "credit.rejected",
        actor=actor,
        target=credit,
        changes={"status": (CreditStatus.PENDING, CreditStatus.REJECTED)},
        details={"provider_id": credit.provider_id, "reason": reason},
    )
    db.session.flush()


# --- Credentials on the checklist -------------------------------------------------------


def latest_credential_credit(provider: Provider, credential: Credential) -> Credit | None:
    return db.session.scalar(
        select(Credit)
        .where(
            Credit.provider_id == provider.id,
            Credit.credential_id == credential.id,
            Credit.status == CreditStatus.APPROVED,
        )
        .order_by(Credit.taken_on.desc(), Credit.id.desc())
        .limit(1)
    )


def sync_credential_item(
    provider: Provider,
    credential: Credential | None,
    *,
    actor: User,
    removed_completion: tuple[date, date | None] | None = None,
) -> None:
    """Make the provider's checklist item for the credential's requirement reflect their
    latest approved credit for it. A newer completion recorded by hand is kept; an item
    that only a removed credit had completed goes back to not started."""
    if credential is None or credential.requirement_id is None:
        return
    item = db.session.scalar(
        select(ChecklistItem).where(
            ChecklistItem.provider_id == provider.id,
            ChecklistItem.requirement_id == credential.requirement_id,
            ChecklistItem.member_key == 0,
        )
    )
    if item is None:
        return
    latest = latest_credential_credit(provider, credential)
    made_by_removed = (
        removed_completion is not None
        and item.status is ItemStatus.DONE
        and (item.completed_on, item.expires_on) == removed_completion
    )
    if latest is not None:
        if (
            not made_by_removed
            and item.status is ItemStatus.DONE
            and item.completed_on is not None
            and item.completed_on > latest.taken_on
        ):
            return
        new_values = {
            "status": ItemStatus.DONE,
            "completed_on": latest.taken_on,
            "expires_on": latest.credential_expires_on,
            "waived_reason": None,
        }
    elif made_by_removed:
        new_values = {"status": ItemStatus.NOT_STARTED, "completed_on": None, "expires_on": None}
    else:
        return
    changes = diff_fields(item, new_values)
    if not changes:
        return
    for field, (_old, value) in changes.items():
        setattr(item, field, value)
    record_event(
        "checklist_item.updated",
        actor=actor,
        target=item,
        changes=changes,
        details={"from_training": True},
    )
    db.session.flush()
