"""The date ranges reports are asked for: presets people pick ("this quarter"), the
half-years of the report card, and the period before one (to show the change)."""

import enum
from datetime import date, timedelta

from babel.dates import format_skeleton
from flask_babel import get_locale

from fccnet.credits.services import Period, pd_year
from fccnet.licensing.services import add_months


class Preset(enum.StrEnum):
    THIS_MONTH = "this_month"
    LAST_MONTH = "last_month"
    THIS_QUARTER = "this_quarter"
    THIS_PD_YEAR = "this_pd_year"
    LAST_6_MONTHS = "last_6_months"
    CUSTOM = "custom"


def month_of(day: date) -> Period:
    start = day.replace(day=1)
    return Period(start, add_months(start, 1) - timedelta(days=1))


def preset_period(preset: Preset, today: date, *, pd_year_start_month: int) -> Period:
    """The range a preset means on `today` (CUSTOM has none: the caller's dates)."""
    if preset is Preset.THIS_MONTH:
        return month_of(today)
    if preset is Preset.LAST_MONTH:
        return month_of(today.replace(day=1) - timedelta(days=1))
    if preset is Preset.THIS_QUARTER:
        start = date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
        return Period(start, add_months(start, 3) - timedelta(days=1))
    if preset is Preset.THIS_PD_YEAR:
        return pd_year(today, pd_year_start_month)
    if preset is Preset.LAST_6_MONTHS:
        # The six whole months before this one, and this month so far.
        return Period(add_months(today.replace(day=1), -6), today)
    raise ValueError(f"{preset} has no fixed range")


def months_of(start: date, end: date) -> list[date]:
    """The first day of each month from start's to end's."""
    first, months = start.replace(day=1), []
    while first <= end:
        months.append(first)
        first = add_months(first, 1)
    return months


def month_name(first_day: date, skeleton: str = "yMMMM") -> str:
    """ "March 2026", "marzo de 2026" in the reader's language (skeleton "yMMM": "Mar 2026",
    for chart labels)."""
    return format_skeleton(skeleton, first_day, locale=get_locale())


def half_year(day: date) -> Period:
    """January to June or July to December: the report card's usual periods."""
    start = date(day.year, 1 if day.month <= 6 else 7, 1)
    return Period(start, add_months(start, 6) - timedelta(days=1))


def previous_period(period: Period) -> Period:
    """The period just before, as long: the half-year before a half-year, the month before
    a month; any other range, the same number of days before it."""
    starts_a_month = period.start.day == 1
    next_day = period.end + timedelta(days=1)
    if starts_a_month and next_day.day == 1:
        months = (next_day.year - period.start.year) * 12 + next_day.month - period.start.month
        start = add_months(period.start, -months)
        return Period(start, period.start - timedelta(days=1))
    days = (period.end - period.start).days + 1
    return Period(period.start - timedelta(days=days), period.start - timedelta(days=1))
