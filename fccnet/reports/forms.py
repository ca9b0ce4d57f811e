"""The filters every report shares (they live in the URL), and the report card's range."""

from datetime import date

from flask_babel import format_date
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, IntegerField, SelectChoice
from wtforms.validators import NumberRange, Optional

from fccnet.credits.services import Period
from fccnet.forms import SelectField
from fccnet.providers.forms import LANGUAGE_NAMES, optional_int
from fccnet.reports.periods import Preset, half_year, previous_period

PRESET_LABELS = {
    Preset.THIS_MONTH: _l("This month"),
    Preset.LAST_MONTH: _l("Last month"),
    Preset.THIS_QUARTER: _l("This quarter"),
    Preset.THIS_PD_YEAR: _l("This PD year"),
    Preset.LAST_6_MONTHS: _l("Last 6 months"),
    Preset.CUSTOM: _l("Custom range"),
}
DEFAULT_PRESET = Preset.THIS_QUARTER
# Ten years of data is more than any report needs; a longer range is a typing mistake.
MAX_RANGE_DAYS = 3660
# Any date the network's records can hold; beyond them, date arithmetic would overflow.
EARLIEST_DAY = date(1990, 1, 1)
LATEST_DAY = date(2100, 12, 31)
STALLED_DAYS_DEFAULT = 60


def range_is_complete(start, end) -> bool:
    """A custom range needs both days, in order, at most ten years apart (errors at the
    fields; an unreadable date already has its own)."""
    if start.data is None and not start.errors:
        start.errors.append(_l("Enter the first day of the range."))
    if end.data is None and not end.errors:
        end.errors.append(_l("Enter the last day of the range."))
    for field in (start, end):
        if field.data and not EARLIEST_DAY <= field.data <= LATEST_DAY:
            field.errors.append(_l("Enter a date from 1990 to 2100."))
            field.data = None
    if start.data and end.data:
        if end.data < start.data:
            end.errors.append(_l("The last day cannot be before the first."))
        elif (end.data - start.data).days > MAX_RANGE_DAYS:
            end.errors.append(_l("Choose a range of at most ten years."))
    return not (start.errors or end.errors)


class DateRangeForm(FlaskForm):
    """A preset, or a custom range of two dates; the dates are only read for a custom range."""

    class Meta:
        csrf = False

    preset = SelectField(
        _l("Period"),
        choices=[SelectChoice(preset.value, label) for preset, label in PRESET_LABELS.items()],
        default=DEFAULT_PRESET.value,
    )
    start = DateField(_l("From"), validators=[Optional()])
    end = DateField(_l("To"), validators=[Optional()])

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        if self.preset.data != Preset.CUSTOM:
            return valid
        return range_is_complete(self.start, self.end) and valid


class ReportFilterForm(DateRangeForm):
    coach = SelectField(_l("Coach"), coerce=optional_int, default=None, validators=[Optional()])
    town = SelectField(_l("Town"), coerce=optional_int, default=None, validators=[Optional()])
    neighborhood = SelectField(
        _l("Neighborhood"), coerce=optional_int, default=None, validators=[Optional()]
    )
    language = SelectField(_l("Language"), default="", validators=[Optional()])
    promise_zone = BooleanField(_l("North Hartford Promise Zone only"))

    def __init__(self, *args, coaches=(), towns=(), neighborhoods=(), **kwargs):
        super().__init__(*args, **kwargs)
        # "Any" is an empty value, so that an unfiltered report's address stays short.
        self.coach.choices = [
            SelectChoice("", _l("Any coach")),
            SelectChoice(0, _l("No coach")),
        ] + [SelectChoice(c.id, c.name) for c in coaches]
        self.town.choices = [SelectChoice("", _l("Any town"))] + [
            SelectChoice(t.id, t.name) for t in towns
        ]
        self.neighborhood.choices = [SelectChoice("", _l("Any neighborhood"))] + [
            SelectChoice(n.id, n.name) for n in neighborhoods
        ]
        self.language.choices = [SelectChoice("", _l("Any language"))] + [
            SelectChoice(code, name) for code, name in LANGUAGE_NAMES.items()
        ]


class PipelineFilterForm(ReportFilterForm):
    stalled_days = IntegerField(
        _l("Stalled after (days)"),
        default=STALLED_DAYS_DEFAULT,
        validators=[
            Optional(),
            NumberRange(min=1, max=3650, message=_l("Enter a number of days from 1 to 3650.")),
        ],
        render_kw={"inputmode": "numeric"},
    )


CUSTOM = "custom"
HALF_YEARS_OFFERED = 6


class ReportCardForm(FlaskForm):
    """A half-year (the last six, the most recent finished one first), or any range."""

    class Meta:
        csrf = False

    half = SelectField(_l("Period"))
    start = DateField(_l("From"), validators=[Optional()])
    end = DateField(_l("To"), validators=[Optional()])

    def __init__(self, *args, today: date, **kwargs):
        super().__init__(*args, **kwargs)
        halves = [previous_period(half_year(today))]
        while len(halves) < HALF_YEARS_OFFERED:
            halves.append(previous_period(halves[-1]))
        halves.insert(1, half_year(today))  # the half-year in progress, after the last whole one
        self.halves = {half.start.isoformat(): half for half in halves}
        self.half.choices = [
            SelectChoice(key, half_label(half)) for key, half in self.halves.items()
        ] + [SelectChoice(CUSTOM, _l("Custom range"))]
        if not self.half.data:
            self.half.data = next(iter(self.halves))

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        if self.half.data != CUSTOM:
            return valid
        return range_is_complete(self.start, self.end) and valid

    def period(self) -> Period:
        if self.half.data == CUSTOM:
            return Period(self.start.data, self.end.data)
        return self.halves[self.half.data]


def half_label(half: Period) -> str:
    """For example "January to June 2026", in the reader's language."""
    return _l(
        "%(start)s to %(end)s",
        start=format_date(half.start, "LLLL"),
        end=format_date(half.end, "LLLL y"),
    )
