"""Filtering the audit log."""

import re
from datetime import UTC, date, datetime
from pathlib import Path

from fccnet.audit.labels import ACTION_LABELS
from fccnet.audit.models import AuditEvent
from fccnet.audit.queries import list_audit_events
from fccnet.audit.services import record_event
from fccnet.auth.models import Role
from fccnet.extensions import db
from tests.factories import create_user


def actions(**filters) -> list[str]:
    return [event.action for event in db.session.scalars(list_audit_events(**filters))]


def test_filters_by_who_action_and_local_dates(ctx):
    ana = create_user(role=Role.MANAGER, name="Ana Ortiz", email="ana@example.org").load()
    ben = create_user(role=Role.COACH, name="Ben Cole", email="ben@example.org").load()
    db.session.execute(db.delete(AuditEvent))
    # 03:30 UTC on Nov 2 is still Nov 1 in Hartford (22:30, UTC-5).
    late_evening = record_event("x.first", actor=ana)
    late_evening.occurred_at = datetime(2026, 11, 2, 3, 30, tzinfo=UTC)
    next_day = record_event("x.second", actor=ben)
    next_day.occurred_at = datetime(2026, 11, 2, 15, 0, tzinfo=UTC)
    db.session.flush()

    assert actions() == ["x.second", "x.first"]
    assert actions(who="ORTIZ") == ["x.first"]
    assert actions(who="ben@") == ["x.second"]
    assert actions(who="nobody") == []
    assert actions(action="x.second") == ["x.second"]
    assert actions(date_from=date(2026, 11, 1), date_to=date(2026, 11, 1)) == ["x.first"]
    assert actions(date_from=date(2026, 11, 2)) == ["x.second"]


def test_record_event_keeps_old_and_new_values_as_json(ctx):
    user = create_user(name="Before").load()
    event = record_event(
        "user.updated",
        actor=user,
        target=user,
        changes={
            "name": ("Before", "After"),
            "password": ("a", "b"),
            "role": (Role.COACH, Role.MANAGER),
        },
        details={"token": "secret", "email": "x@example.org"},
    )
    db.session.flush()
    db.session.expire(event)
    assert event.changes == {"name": ["Before", "After"], "role": ["coach", "manager"]}
    assert event.details == {"email": "x@example.org"}
    assert event.target_type == "users" and event.target_id == user.id
    assert event.occurred_at.tzinfo is not None


def test_every_recorded_action_has_a_label():
    source = "\n".join(p.read_text() for p in (Path(__file__).parents[2] / "fccnet").rglob("*.py"))
    recorded = set(re.findall(r'record_event\(\s*"([a-z_]+\.[a-z_]+)"', source))
    recorded |= set(re.findall(r'^\s+"([a-z_]+\.[a-z_]+)",\n\s+actor=', source, re.M))
    assert recorded, "no audited actions found: the pattern is out of date"
    assert recorded <= set(ACTION_LABELS), sorted(recorded - set(ACTION_LABELS))


def test_action_labels_name_actions_only():
    assert all("." in action for action in ACTION_LABELS)
