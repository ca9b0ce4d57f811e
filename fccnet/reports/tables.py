"""A report is a list of tables; each is shown on the page (with its chart, if any) and
downloads as its own CSV file (one header row). Values are kept raw (minutes, shares
from 0 to 1, dates) and each column's kind says how to show them and write them."""

import enum
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from flask_babel import (
    format_date,
    format_decimal,
    format_number,
    format_percent,
    get_locale,
    gettext,
)
from markupsafe import Markup

from fccnet.reports.csv_export import csv_bytes


class Kind(enum.StrEnum):
    TEXT = "text"
    COUNT = "count"  # an integer
    PERCENT = "percent"  # a share from 0 to 1; CSV: a percentage with one decimal
    HOURS = "hours"  # given in minutes; shown and written as hours with one decimal
    DAYS = "days"  # a number of days, possibly fractional (a median between two)
    DATE = "date"


class Withheld(enum.Enum):
    """A count left out of a table so that no small count can be worked out (the
    data-partner export's small-cell suppression): shown and written as a word."""

    SUPPRESSED = "suppressed"


SUPPRESSED = Withheld.SUPPRESSED


@dataclass(frozen=True)
class Column:
    label: str
    kind: Kind = Kind.TEXT

    @property
    def numeric(self) -> bool:
        return self.kind not in (Kind.TEXT, Kind.DATE)


@dataclass
class Table:
    key: str  # unique in its report: the CSV file name and the section's anchor
    title: str
    columns: Sequence[Column]
    rows: list[Sequence]
    description: str = ""
    empty_message: str = ""
    chart: Markup | None = None
    footer: Sequence | None = None  # a totals row (also the CSV's last row)
    # An address for each row's first cell (a provider's record), or None.
    links: list[str | None] | None = None

    @property
    def names_people(self) -> bool:
        return self.links is not None

    def linked_rows(self) -> list[tuple[str | None, Sequence]]:
        return list(zip(self.links or [None] * len(self.rows), self.rows, strict=True))


@dataclass
class Report:
    title: str
    intro: str
    tables: list[Table] = field(default_factory=list)

    def table(self, key: str) -> Table | None:
        return next((table for table in self.tables if table.key == key), None)


def in_reader_language(english, spanish):
    """Of a name in English and in Spanish (two values, or two columns to select), the one
    in the reader's language."""
    return spanish if str(get_locale()) == "es" else english


def one_decimal(value) -> Decimal:
    return Decimal(str(value)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def minutes_as_hours(minutes) -> Decimal:
    return one_decimal(Decimal(minutes or 0) / 60)


def show(value, kind: Kind) -> str:
    """A value as the page shows it, in the reader's language."""
    if value is None:
        return "—"
    if value is SUPPRESSED:
        return gettext("suppressed")
    if kind is Kind.COUNT:
        return format_number(value)
    if kind is Kind.PERCENT:
        return format_percent(value, "#,##0.0%")
    if kind is Kind.HOURS:
        return format_decimal(minutes_as_hours(value), "#,##0.0")
    if kind is Kind.DAYS:
        return format_decimal(one_decimal(value), "#,##0.#")
    if kind is Kind.DATE:
        return format_date(value, "medium")
    return str(value)


def csv_value(value, kind: Kind):
    if value is None:
        return None
    if value is SUPPRESSED:
        return gettext("suppressed")
    if kind is Kind.PERCENT:
        return one_decimal(Decimal(str(value)) * 100)
    if kind is Kind.HOURS:
        return minutes_as_hours(value)
    if kind is Kind.DAYS:
        return one_decimal(value)
    if kind is Kind.DATE and not isinstance(value, date):
        return date.fromisoformat(value)
    return value


def table_csv(table: Table, *, yes_no: tuple[str, str]) -> bytes:
    rows = [*table.rows, *([table.footer] if table.footer else [])]
    return csv_bytes(
        [column.label for column in table.columns],
        [[csv_value(v, c.kind) for v, c in zip(row, table.columns, strict=True)] for row in rows],
        yes_no=yes_no,
    )


def chart_format(kind: Kind) -> Callable:
    return lambda value: show(value, kind)
