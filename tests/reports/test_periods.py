"""Report periods: the presets on awkward days, the half-years, and the period before."""

from datetime import date

import pytest

from fccnet.credits.services import Period
from fccnet.reports.periods import Preset, half_year, preset_period, previous_period


@pytest.mark.parametrize(
    ("preset", "today", "expected"),
    [
        (Preset.THIS_MONTH, date(2028, 2, 10), Period(date(2028, 2, 1), date(2028, 2, 29))),
        (Preset.LAST_MONTH, date(2026, 1, 31), Period(date(2025, 12, 1), date(2025, 12, 31))),
        (Preset.LAST_MONTH, date(2026, 3, 31), Period(date(2026, 2, 1), date(2026, 2, 28))),
        (Preset.THIS_QUARTER, date(2026, 11, 22), Period(date(2026, 10, 1), date(2026, 12, 31))),
        (Preset.THIS_QUARTER, date(2026, 3, 31), Period(date(2026, 1, 1), date(2026, 3, 31))),
        (Preset.THIS_PD_YEAR, date(2026, 6, 30), Period(date(2025, 7, 1), date(2026, 6, 30))),
        (Preset.THIS_PD_YEAR, date(2026, 7, 1), Period(date(2026, 7, 1), date(2027, 6, 30))),
        (Preset.LAST_6_MONTHS, date(2026, 11, 22), Period(date(2026, 5, 1), date(2026, 11, 22))),
        (Preset.LAST_6_MONTHS, date(2026, 3, 31), Period(date(2025, 9, 1), date(2026, 3, 31))),
    ],
)
def test_presets(preset, today, expected):
    assert preset_period(preset, today, pd_year_start_month=7) == expected


def test_the_pd_year_follows_its_start_month():
    period = preset_period(Preset.THIS_PD_YEAR, date(2026, 8, 15), pd_year_start_month=9)
    assert period == Period(date(2025, 9, 1), date(2026, 8, 31))


def test_a_custom_range_has_no_preset_dates():
    with pytest.raises(ValueError):
        preset_period(Preset.CUSTOM, date(2026, 1, 1), pd_year_start_month=7)


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2026, 1, 1), Period(date(2026, 1, 1), date(2026, 6, 30))),
        (date(2026, 6, 30), Period(date(2026, 1, 1), date(2026, 6, 30))),
        (date(2026, 7, 1), Period(date(2026, 7, 1), date(2026, 12, 31))),
        (date(2026, 12, 31), Period(date(2026, 7, 1), date(2026, 12, 31))),
    ],
)
def test_half_years(day, expected):
    assert half_year(day) == expected


@pytest.mark.parametrize(
    ("period", "expected"),
    [
        # A half-year: the half-year before.
        (
            Period(date(2026, 1, 1), date(2026, 6, 30)),
            Period(date(2025, 7, 1), date(2025, 12, 31)),
        ),
        (
            Period(date(2026, 7, 1), date(2026, 12, 31)),
            Period(date(2026, 1, 1), date(2026, 6, 30)),
        ),
        # Whole months: as many months before, whatever their lengths.
        (
            Period(date(2026, 3, 1), date(2026, 3, 31)),
            Period(date(2026, 2, 1), date(2026, 2, 28)),
        ),
        (
            Period(date(2026, 10, 1), date(2026, 12, 31)),
            Period(date(2026, 7, 1), date(2026, 9, 30)),
        ),
        # Any other range: as many days before.
        (
            Period(date(2026, 3, 10), date(2026, 3, 19)),
            Period(date(2026, 2, 28), date(2026, 3, 9)),
        ),
        (
            Period(date(2026, 5, 1), date(2026, 11, 22)),
            Period(date(2025, 10, 7), date(2026, 4, 30)),
        ),
    ],
)
def test_previous_period(period, expected):
    assert previous_period(period) == expected
