"""The coach's day: their caseload with when each provider was last contacted and what is
open, and what comes up across it (action items, compliance items, trainings)."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import Select, case, func, select
from sqlalchemy.orm import contains_eager, joinedload, load_only

from fccnet.coaching.models import ActionItem, ActionStatus, Contact
from fccnet.extensions import db
from fccnet.licensing.models import Stage
from fccnet.licensing.queries import list_compliance
from fccnet.providers.models import Provider
from fccnet.training.models import (
    Registration,
    TrainingSession,
)
from fccnet.training.queries import holds_upcoming_place

# A provider not contacted for longer than this is due for a contact.
CONTACT_DUE_AFTER = timedelta(days=30)
# Compliance items shown: overdue ones and those due within this many days.
COMPLIANCE_DAYS = 30

# The name columns of a provider shown beside an item in a list.
_PROVIDER_NAMES = (Provider.id, Provider.legal_name, Provider.preferred_name)


@dataclass(frozen=True)
class CaseloadRow:
    provider: Provider
    last_contacted_on: date | None
    open_items: int
    overdue_items: int

    def days_since_contact(self, today: date) -> int | None:
        if self.last_contacted_on is None:
            return None
        return (today - self.last_contacted_on).days

    def contact_is_due(self, today: date) -> bool:
        """Never contacted, or not for longer than CONTACT_DUE_AFTER; not for a provider in a
        closed stage (withdrawn, not eligible, paused)."""
        if self.provider.stage.is_closed:
            return False
        return self.last_contacted_on is None or today - self.last_contacted_on > CONTACT_DUE_AFTER


@dataclass(frozen=True)
class Preview:
    """The first items of a list and how many there are in all."""

    items: list
    total: int

    @property
    def more(self) -> int:
        return self.total - len(self.items)


def _caseload_providers(coach_id: int) -> Select:
    return select(Provider.id).where(Provider.coach_id == coach_id, Provider.deleted_at.is_(None))


def list_caseload(coach_id: int, *, today: date) -> Select:
    """(provider, last contacted on, open items, overdue items) of the coach's providers,
    those needing a contact first: never contacted, then longest ago."""
    # Each grouped subquery is limited to the caseload itself: neither database pushes the
    # outer WHERE into it, and grouping every provider's contacts would grow with the network.
    caseload = _caseload_providers(coach_id)
    last_contacts = (
        select(Contact.provider_id, func.max(Contact.contacted_on).label("last_contacted_on"))
        .where(Contact.provider_id.in_(caseload), Contact.deleted_at.is_(None))
        .group_by(Contact.provider_id)
        .subquery()
    )
    item_counts = (
        select(
            ActionItem.provider_id,
            func.count().label("open_items"),
            func.count(case((ActionItem.due_on < today, 1))).label("overdue_items"),
        )
        .where(ActionItem.provider_id.in_(caseload), ActionItem.status == ActionStatus.OPEN)
        .group_by(ActionItem.provider_id)
        .subquery()
    )
    return (
        select(
            Provider,
            last_contacts.c.last_contacted_on,
            func.coalesce(item_counts.c.open_items, 0),
            func.coalesce(item_counts.c.overdue_items, 0),
        )
        .join(Provider.stage)
        .outerjoin(last_contacts, last_contacts.c.provider_id == Provider.id)
        .outerjoin(item_counts, item_counts.c.provider_id == Provider.id)
        .where(Provider.coach_id == coach_id, Provider.deleted_at.is_(None))
        .options(
            load_only(*_PROVIDER_NAMES, Provider.stage_id, Provider.town_id),
            contains_eager(Provider.stage),
            joinedload(Provider.town),
        )
        .order_by(
            # Withdrawn, not eligible or paused: still on the caseload, but last.
            Stage.is_closed,
            last_contacts.c.last_contacted_on.is_not(None),
            last_contacts.c.last_contacted_on,
            func.coalesce(item_counts.c.overdue_items, 0).desc(),
            Provider.legal_name,
            Provider.id,
        )
    )


def load_caseload(coach_id: int, *, today: date) -> list[CaseloadRow]:
    return [
        CaseloadRow(provider, last_contacted_on, open_items, overdue_items)
        for provider, last_contacted_on, open_items, overdue_items in db.session.execute(
            list_caseload(coach_id, today=today)
        )
    ]


def list_open_action_items(coach_id: int) -> Select:
    """Open action items across the caseload: overdue first, then soonest due, undated last."""
    return (
        select(ActionItem)
        .where(
            # By the caseload's ids rather than a join, so that SQLite reads the items of
            # these providers and not every open item in the network by date.
            ActionItem.provider_id.in_(_caseload_providers(coach_id)),
            ActionItem.status == ActionStatus.OPEN,
        )
        .options(joinedload(ActionItem.provider).load_only(*_PROVIDER_NAMES))
        .order_by(ActionItem.due_on.is_(None), ActionItem.due_on, ActionItem.id)
    )


def list_caseload_compliance(coach_id: int, *, today: date) -> Select:
    """Checklist items of the caseload overdue or due within COMPLIANCE_DAYS, most urgent first."""
    return list_compliance(today=today, days=COMPLIANCE_DAYS, coach_id=coach_id)


def list_upcoming_trainings(coach_id: int, *, now: datetime) -> Select:
    """The caseload's registrations and waitlist places in sessions still to come, soonest first."""
    return (
        select(Registration)
        .join(Registration.session)
        .join(Registration.provider)
        .where(
            Provider.coach_id == coach_id,
            Provider.deleted_at.is_(None),
            *holds_upcoming_place(now),
        )
        .options(
            joinedload(Registration.session).joinedload(TrainingSession.course),
            joinedload(Registration.provider).load_only(*_PROVIDER_NAMES),
        )
        .order_by(TrainingSession.starts_at, TrainingSession.id, Provider.legal_name, Provider.id)
    )


def preview(query: Select, limit: int) -> Preview:
    """The first `limit` rows of an ORM query and the count of all, in one query (the window
    count is taken before the LIMIT)."""
    rows = db.session.execute(query.add_columns(func.count().over()).limit(limit)).all()
    return Preview([row[0] for row in rows], rows[0][1] if rows else 0)
