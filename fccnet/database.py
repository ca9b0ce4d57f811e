"""Column types and query helpers shared by every domain."""

import enum
import functools
import sqlite3
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import psycopg
from sqlalchemy import DDL, Date, DateTime, Engine, Enum, Integer, String, Table, event
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import Mapped, mapped_column
from sqlalchemy.sql.functions import FunctionElement
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


def create_triggers_with(table: Table, statements: dict[str, list[str]]) -> None:
    """Create the triggers (and PostgreSQL's trigger functions) in `statements`, by
    dialect name, whenever `table` is created from the models. A migration that adds
    them runs the same statements."""
    for dialect, dialect_statements in statements.items():
        for statement in dialect_statements:
            event.listen(table, "after_create", DDL(statement).execute_if(dialect=dialect))


def contains_pattern(text: str) -> str:
    """A LIKE pattern matching `text` anywhere, with LIKE's wildcards taken literally."""
    escaped = text.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


SQLITE_LOCAL_DAY = "fccnet_local_day"


class local_day(FunctionElement):
    """local_day(timestamp_column, zone_name): the calendar day of a UTC timestamp in that
    zone, as a DATE, on both databases (an evening in New York is still that day)."""

    type = Date()
    inherit_cache = True


@compiles(local_day)
def _local_day_postgresql(element, compiler, **kw):
    moment, zone = list(element.clauses)
    return (
        f"CAST(timezone({compiler.process(zone, **kw)}, {compiler.process(moment, **kw)}) AS DATE)"
    )


@compiles(local_day, "sqlite")
def _local_day_sqlite(element, compiler, **kw):
    return f"{SQLITE_LOCAL_DAY}({compiler.process(element.clauses, **kw)})"


class month_start(FunctionElement):
    """month_start(date_expression): the first day of its month, as a DATE, on both databases."""

    type = Date()
    inherit_cache = True


@compiles(month_start)
def _month_start_postgresql(element, compiler, **kw):
    # Truncated as a timestamp without a zone: a DATE would go through timestamptz first.
    day = compiler.process(element.clauses, **kw)
    return f"CAST(date_trunc('month', CAST({day} AS TIMESTAMP)) AS DATE)"


@compiles(month_start, "sqlite")
def _month_start_sqlite(element, compiler, **kw):
    return f"date({compiler.process(element.clauses, **kw)}, 'start of month')"


class days_between(FunctionElement):
    """days_between(later, earlier): whole days from one DATE to another, on both databases."""

    type = Integer()
    inherit_cache = True


@compiles(days_between)
def _days_between_postgresql(element, compiler, **kw):
    later, earlier = list(element.clauses)
    return f"({compiler.process(later, **kw)} - {compiler.process(earlier, **kw)})"


@compiles(days_between, "sqlite")
def _days_between_sqlite(element, compiler, **kw):
    later, earlier = list(element.clauses)
    return (
        f"CAST(julianday({compiler.process(later, **kw)}) "
        f"- julianday({compiler.process(earlier, **kw)}) AS INTEGER)"
    )


def _sqlite_local_day(stored: str | None, zone_name: str) -> str | None:
    """SQLite keeps UTCDateTime as 'YYYY-MM-DD HH:MM:SS.ffffff' in UTC and its dates as
    'YYYY-MM-DD', so the day comes back in the form its date columns compare with.
    Reports call this for every row they read: the day of a whole UTC hour is worked out
    once, and only an hour in which the local day changes looks at the minutes."""
    if stored is None:
        return None
    return _local_day_of_hour(stored[:13], zone_name) or _local_day_of_moment(stored, zone_name)


@functools.lru_cache(maxsize=65536)
def _local_day_of_hour(hour: str, zone_name: str) -> str | None:
    """The local day of every moment of the UTC hour 'YYYY-MM-DD HH', or None if it has two."""
    zone = _zone(zone_name)
    start = datetime.fromisoformat(f"{hour}:00:00").replace(tzinfo=UTC)
    first = start.astimezone(zone).date()
    last = (start + timedelta(hours=1) - timedelta(microseconds=1)).astimezone(zone).date()
    return first.isoformat() if first == last else None


def _local_day_of_moment(stored: str, zone_name: str) -> str:
    moment = datetime.fromisoformat(stored).replace(tzinfo=UTC)
    return moment.astimezone(_zone(zone_name)).date().isoformat()


@functools.lru_cache(maxsize=8)
def _zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


def _unicode_lower(value):
    return value.lower() if isinstance(value, str) else value


@event.listens_for(Engine, "connect")
def _configure_sqlite(dbapi_connection, connection_record) -> None:
    """SQLite only: a write-ahead log with normal sync, so that a
    commit (every page that records a view) does not wait for the disk; and
    Python's lower(), since SQLite's folds only ASCII and case-insensitive search
    must find "Ángela Núñez" as PostgreSQL does; and local_day, as SQLite has no time
    zones of its own."""
    if not isinstance(dbapi_connection, sqlite3.Connection):
        return
    dbapi_connection.create_function("lower", 1, _unicode_lower, deterministic=True)
    dbapi_connection.create_function(SQLITE_LOCAL_DAY, 2, _sqlite_local_day, deterministic=True)
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


@event.listens_for(Engine, "connect")
def _configure_postgresql(dbapi_connection, connection_record) -> None:
    """PostgreSQL only: no JIT compilation. The reports' aggregates over a large network
    cross its cost threshold, and compiling takes longer (tens of milliseconds) than the
    queries it would speed up."""
    if not isinstance(dbapi_connection, psycopg.Connection):
        return
    with dbapi_connection.cursor() as cursor:
        cursor.execute("SET jit = off")
    dbapi_connection.commit()  # a SET in a transaction rolled back would be undone
