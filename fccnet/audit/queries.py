"""Reading the audit log."""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import Select, select
from sqlalchemy.orm import joinedload

from fccnet.audit.models import AuditEvent
from fccnet.auth.models import User
from fccnet.auth.queries import user_matches

LOCAL_TIMEZONE = ZoneInfo("America/New_York")


def _local_midnight(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=LOCAL_TIMEZONE)


def list_audit_events(
    *,
    who: str | None = None,
    action: str | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
) -> Select:
    """Newest first; dates are whole local (Hartford) days, both ends included."""
    query = (
        select(AuditEvent)
        .options(joinedload(AuditEvent.actor))
        .order_by(AuditEvent.occurred_at.desc(), AuditEvent.id.desc())
    )
    if who:
        query = query.where(AuditEvent.actor_id.in_(select(User.id).where(user_matches(who))))
    if action:
        query = query.where(AuditEvent.action == action)
    if date_from:
        query = query.where(AuditEvent.occurred_at >= _local_midnight(date_from))
    if date_to:
        query = query.where(AuditEvent.occurred_at < _local_midnight(date_to + timedelta(days=1)))
    return query
