"""What reports write: the audit row of a list of people leaving the app."""

from fccnet.audit.services import record_event
from fccnet.auth.models import User


def record_export(export: str, *, rows: int, filters: dict[str, list[str]], actor: User) -> None:
    """Who downloaded which list of people, how many rows, asked for with which filters."""
    record_event(
        "report.exported",
        actor=actor,
        details={
            "export": export,
            "rows": rows,
            "filters": {name: ", ".join(values) for name, values in filters.items()},
        },
    )
