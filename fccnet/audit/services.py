"""Writing the audit log. Callers flush and commit with the change they audit."""

from typing import Any

from fccnet.audit.models import AuditEvent
from fccnet.auth.models import User
from fccnet.extensions import db

# Never written to the audit log, whatever a caller passes.
SECRET_FIELDS = frozenset({"password", "password_hash", "session_token", "token", "csrf_token"})


def record_event(
    action: str,
    *,
    actor: User | None,
    target: Any = None,
    changes: dict[str, tuple[Any, Any]] | None = None,
    details: dict[str, Any] | None = None,
) -> AuditEvent:
    if target is not None and target.id is None:
        db.session.flush()
    event = AuditEvent(
        action=action,
        actor=actor,
        target_type=target.__tablename__ if target is not None else None,
        target_id=target.id if target is not None else None,
        changes=_jsonable_changes(changes) if changes else None,
        details={k: v for k, v in details.items() if k not in SECRET_FIELDS} if details else None,
    )
    db.session.add(event)
    return event


def _jsonable_changes(changes: dict[str, tuple[Any, Any]]) -> dict[str, list[Any]]:
    return {
        field: [jsonable(old), jsonable(new)]
        for field, (old, new) in changes.items()
        if field not in SECRET_FIELDS
    }


def jsonable(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if hasattr(value, "value"):  # enums
        return value.value
    return str(value)


def diff_fields(obj: Any, new_values: dict[str, Any]) -> dict[str, tuple[Any, Any]]:
    """The (old, new) pairs of the fields whose value would change."""
    return {
        field: (getattr(obj, field), value)
        for field, value in new_values.items()
        if getattr(obj, field) != value
    }
