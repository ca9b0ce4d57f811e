"""Reading a provider's training record and the credits waiting for review."""

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import Select, func, select
from sqlalchemy.orm import joinedload

from fccnet.credits.services import Period
from fccnet.extensions import db
from fccnet.training.models import (
    CkcArea,
    Course,
    Credential,
    Credit,
    CreditStatus,
    Registration,
    TrainingSession,
)

EXPIRING_WITHIN_DAYS = 90


def list_credits(provider_id: int, period: Period | None = None) -> Select:
    """Every credit of the provider (or those in `period`), newest first, with what they show."""
    query = (
        select(Credit)
        .where(Credit.provider_id == provider_id)
        .options(
            joinedload(Credit.ckc_area),
            joinedload(Credit.credential),
            joinedload(Credit.registration)
            .joinedload(Registration.session)
            .joinedload(TrainingSession.course),
        )
        .order_by(Credit.taken_on.desc(), Credit.id.desc())
    )
    if period is not None:
        query = query.where(Credit.taken_on.between(period.start, period.end))
    return query


def counted_minutes_by_area(provider_id: int, period: Period) -> list[tuple[CkcArea, int]]:
    """Approved minutes in the period per CKC area, in the areas' order (one query)."""
    minutes = func.sum(Credit.minutes)
    rows = db.session.execute(
        select(CkcArea, minutes)
        .join(Credit, Credit.ckc_area_id == CkcArea.id)
        .where(
            Credit.provider_id == provider_id,
            Credit.status == CreditStatus.APPROVED,
            Credit.taken_on.between(period.start, period.end),
        )
        .group_by(CkcArea.id)
        .order_by(CkcArea.position, CkcArea.id)
    ).all()
    return [(area, int(total)) for area, total in rows]


@dataclass(frozen=True)
class HeldCredential:
    credential: Credential
    earned_on: date
    expires_on: date | None

    def state(self, today: date) -> str:
        """ "expired", "expiring" (within 90 days) or "valid"."""
        if self.expires_on is None or self.expires_on > today + timedelta(
            days=EXPIRING_WITHIN_DAYS
        ):
            return "valid"
        return "expired" if self.expires_on < today else "expiring"


def held_credentials(credits: list[Credit]) -> list[HeldCredential]:
    """The latest approved credit of each credential, from credits already loaded."""
    latest: dict[int, Credit] = {}
    for credit in credits:
        if credit.credential is None or credit.status is not CreditStatus.APPROVED:
            continue
        best = latest.get(credit.credential_id)
        if best is None or (credit.taken_on, credit.id) > (best.taken_on, best.id):
            latest[credit.credential_id] = credit
    held = [
        HeldCredential(credit.credential, credit.taken_on, credit.credential_expires_on)
        for credit in latest.values()
    ]
    return sorted(held, key=lambda h: (h.credential.position, h.credential.id))


def list_pending_credits() -> Select:
    """Credits from elsewhere awaiting a manager, oldest first."""
    return (
        select(Credit)
        .where(Credit.status == CreditStatus.PENDING)
        .options(
            joinedload(Credit.provider),
            joinedload(Credit.ckc_area),
            joinedload(Credit.credential),
            joinedload(Credit.document),
            joinedload(Credit.created_by),
        )
        .order_by(Credit.created_at, Credit.id)
    )


def list_credential_credits(provider_id: int) -> Select:
    """The provider's approved credits that carry a credential (for held_credentials)."""
    return (
        select(Credit)
        .where(
            Credit.provider_id == provider_id,
            Credit.status == CreditStatus.APPROVED,
            Credit.credential_id.is_not(None),
        )
        .options(joinedload(Credit.credential))
    )


def load_certificate_registration(provider_id: int, registration_id: int) -> Select:
    """The provider's registration with what its certificate prints (another's: nothing)."""
    return (
        select(Registration)
        .where(Registration.id == registration_id, Registration.provider_id == provider_id)
        .options(
            joinedload(Registration.session)
            .joinedload(TrainingSession.course)
            .joinedload(Course.ckc_area),
            joinedload(Registration.session).joinedload(TrainingSession.trainer),
        )
    )


def registration_credit(registration_id: int) -> Select:
    """The credit an attendance earned, with its area and credential."""
    return (
        select(Credit)
        .where(Credit.registration_id == registration_id)
        .options(joinedload(Credit.ckc_area), joinedload(Credit.credential))
    )
