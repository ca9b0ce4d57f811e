"""CSV files that spreadsheets open safely and correctly.

- UTF-8 with a byte-order mark, so Excel reads accented names as UTF-8.
- One header row, then the data rows; RFC 4180 quoting by the csv module (commas,
  quotes and line breaks inside a cell survive), CRLF line endings.
- Dates as YYYY-MM-DD; datetimes must be timezone-aware and are written in ISO 8601
  with their offset (convert to the network's zone first if that is what people expect).
- None is an empty cell; an enum is its value; a bool is `yes_no[0]` or `yes_no[1]`
  ("yes"/"no" unless the caller passes translated words).
- Formula injection (OWASP, ASVS 5.0 1.2.10): a text cell starting with = + - @, a tab,
  a carriage return or NUL gets a leading single quote, so a spreadsheet shows it as
  text instead of running it. Numbers are not text: -5 stays -5.
- Any other type is refused (TypeError), so an object's repr never leaks into a file.
"""

import csv
import enum
import io
import math
import re
import unicodedata
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from decimal import Decimal

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\0")
YES_NO = ("yes", "no")


def csv_cell(value: object, *, yes_no: tuple[str, str] = YES_NO) -> str:
    """The text a value is written as (see the module docstring for the rules)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return yes_no[0] if value else yes_no[1]
    if isinstance(value, enum.Enum):
        return csv_cell(value.value, yes_no=yes_no)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"{value} has no place in a CSV file")
        # repr is the shortest exact form; Decimal turns 1e+16 into plain digits.
        value = Decimal(repr(value))
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise ValueError(f"{value} has no place in a CSV file")
        return format(value, "f")
    if isinstance(value, datetime):
        if value.tzinfo is None:
            raise ValueError("naive datetime: give a timezone-aware one")
        return value.isoformat(timespec="seconds")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, str):
        return "'" + value if value.startswith(FORMULA_STARTS) else value
    raise TypeError(f"cannot write a {type(value).__name__} to CSV")


def csv_bytes(
    header: Sequence[str],
    rows: Iterable[Sequence[object]],
    *,
    yes_no: tuple[str, str] = YES_NO,
) -> bytes:
    """The CSV file: the header row, then every row, each as long as the header."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([csv_cell(name) for name in header])
    for number, row in enumerate(rows, start=1):
        if len(row) != len(header):
            raise ValueError(f"row {number} has {len(row)} cells, the header {len(header)}")
        writer.writerow([csv_cell(value, yes_no=yes_no) for value in row])
    return buffer.getvalue().encode("utf-8-sig")


def csv_filename(stem: str, today: date) -> str:
    """An ASCII-only download name: csv_filename("Proveedoras activas", day) ->
    "proveedoras-activas-2026-11-22.csv" (accents dropped, anything else becomes a dash)."""
    ascii_stem = unicodedata.normalize("NFKD", stem).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_stem.lower()).strip("-") or "export"
    return f"{slug}-{today:%Y-%m-%d}.csv"
