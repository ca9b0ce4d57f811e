"""Column types and query helpers shared by every domain."""

import enum
import sqlite3
from datetime import UTC, datetime

from sqlalchemy import DateTime, Engine, Enum, String, event
from sqlalchemy.orm import Mapped, mapped_column
from sqlalchemy.types import TypeDecorator
from werkzeug.routing import IntegerConverter

# The largest id either database stores (a signed 64-bit integer).
MAX_ID = 2**63 - 1


class OrderedBilingualList:
    """A managed list's item: a name in English (unique) and Spanish, an order, and an
    active flag (retired items stay for the records that use them)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    name_en: Mapped[str] = mapped_column(String(120), unique=True)
    name_es: Mapped[str] = mapped_column(String(120))
    position: Mapped[int]
    active: Mapped[bool] = mapped_column(default=True)

    def name(self, locale: str) -> str:
        return self.name_es if locale == "es" else self.name_en


class IdConverter(IntegerConverter):
    """Werkzeug's <int:…>, capped at MAX_ID: SQLite cannot even compare a larger number."""

    def __init__(self, map, *args, **kwargs):
        kwargs.setdefault("max", MAX_ID)
        super().__init__(map, *args, **kwargs)


def utcnow() -> datetime:
    return datetime.now(UTC)


def string_enum(cls: type[enum.Enum]) -> Enum:
    """An enum stored as its values in a plain string column (no native enum type to migrate)."""
    return Enum(cls, native_enum=False, length=20, values_callable=lambda e: [m.value for m in e])


class UTCDateTime(TypeDecorator):
    """A timezone-aware UTC timestamp on every database.

    PostgreSQL keeps the offset; SQLite drops it, so values are converted to UTC
    on the way in and marked as UTC on the way out.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(UTC)

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


def contains_pattern(text: str) -> str:
    """A LIKE pattern matching `text` anywhere, with LIKE's wildcards taken literally."""
    escaped = text.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _unicode_lower(value):
    return value.lower() if isinstance(value, str) else value


@event.listens_for(Engine, "connect")
def _configure_sqlite(dbapi_connection, connection_record) -> None:
    """SQLite only: a write-ahead log with normal sync, so that a
    commit (every page that records a view) does not wait for the disk; and
    Python's lower(), since SQLite's folds only ASCII and case-insensitive search
    must find "Ángela Núñez" as PostgreSQL does."""
    if not isinstance(dbapi_connection, sqlite3.Connection):
        return
    dbapi_connection.create_function("lower", 1, _unicode_lower, deterministic=True)
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()
