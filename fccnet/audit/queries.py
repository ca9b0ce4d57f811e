"""Reading the audit log."""

from datetime import date, datetime, time, timedelta

from sqlalchemy import Select, select, union
from sqlalchemy.orm import joinedload

from fccnet.audit.models import AuditEvent
from fccnet.auth.models import User
from fccnet.auth.queries import user_matches
from fccnet.clock import network_zone


def _local_midnight(day: date) -> datetime:
    """Midnight at the start of `day` in the network's time zone."""
    return datetime.combine(day, time.min, tzinfo=network_zone())


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
        # Events by the person, and events about their account (failed sign-ins, changes).
        # A UNION, not an OR, so that each side uses its own index.
        people = select(User.id).where(user_matches(who)).scalar_subquery()
        by_person = select(AuditEvent.id).where(AuditEvent.actor_id.in_(people))
        about_person = select(AuditEvent.id).where(
            AuditEvent.target_type == User.__tablename__, AuditEvent.target_id.in_(people)
        )
        query = query.where(AuditEvent.id.in_(union(by_person, about_person)))
    if action:
        query = query.where(AuditEvent.action == action)
    if date_from:
        query = query.where(AuditEvent.occurred_at >= _local_midnight(date_from))
    if date_to:
        query = query.where(AuditEvent.occurred_at < _local_midnight(date_to + timedelta(days=1)))
    return query


def list_audit_events_about(target) -> Select:
    """The history of one record, newest first."""
    return (
        select(AuditEvent)
        .where(AuditEvent.target_type == target.__tablename__, AuditEvent.target_id == target.id)
        .options(joinedload(AuditEvent.actor))
        .order_by(AuditEvent.occurred_at.desc(), AuditEvent.id.desc())
    )
