"""Hours are stored as whole minutes; people read and type them as decimal hours."""

from decimal import ROUND_HALF_UP, Decimal

from flask_babel import format_decimal

MAX_HOURS = 40
MAX_MINUTES = MAX_HOURS * 60


def hours_to_minutes(hours: Decimal | float | int) -> int:
    return int((Decimal(str(hours)) * 60).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def minutes_to_hours(minutes: int | None) -> Decimal:
    return (Decimal(minutes or 0) / 60).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def format_hours(minutes: int | None) -> str:
    """1.5, 10, 0.25 (in the current locale: 1,5 in Spanish)."""
    return format_decimal(minutes_to_hours(minutes), format="#,##0.##")
