"""The roster's attendance form (one row per registered person) and the walk-in form."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    FieldList,
    FormField,
    HiddenField,
    RadioField,
    SelectChoice,
)
from wtforms.validators import DataRequired, Optional, ValidationError

from fccnet.forms import SelectField, strip
from fccnet.providers.forms import optional_int
from fccnet.training.forms import HoursField
from fccnet.training.models import Attendance

ATTENDANCE_LABELS = {
    Attendance.ATTENDED: _l("Attended"),
    Attendance.PARTIAL: _l("Partial"),
    Attendance.NO_SHOW: _l("No-show"),
}
NOT_MARKED = ""
NOT_MARKED_LABEL = _l("Not marked")

# A roster is at most a session's capacity plus its walk-ins; more rows than this
# in one request are not a real roster.
MAX_ROWS = 1000


def parse_attendance(value: str | None) -> Attendance | None:
    return Attendance(value) if value else None


def check_hours(form, field) -> None:
    """Hours are entered only with partial attendance."""
    if field.data is not None and form.attendance.data != Attendance.PARTIAL.value:
        raise ValidationError(
            _l("Hours are only for partial attendance: choose Partial or clear them.")
        )


def hours_field(label):
    return HoursField(
        label,
        validators=[Optional(), check_hours],
        description=_l("Only for partial attendance."),
        render_kw={"inputmode": "decimal", "autocomplete": "off"},
    )


class AttendanceRowForm(FlaskForm):
    """One person on the roster. The registration id is checked against the roster."""

    class Meta:
        csrf = False  # the enclosing form carries the token

    registration_id = HiddenField()
    # When the mark shown was saved (empty: never), to notice someone saving in between.
    marked_at = HiddenField()
    attendance = RadioField(
        _l("Attendance"),
        choices=[
            *(SelectChoice(value.value, label) for value, label in ATTENDANCE_LABELS.items()),
            SelectChoice(NOT_MARKED, NOT_MARKED_LABEL),
        ],
        default=NOT_MARKED,
    )
    # The view labels each row's field with the person's name.
    hours = hours_field(_l("Hours attended"))

    def registration_id_value(self) -> int | None:
        try:
            return int(self.registration_id.data)
        except (TypeError, ValueError):
            return None


class RosterForm(FlaskForm):
    rows = FieldList(FormField(AttendanceRowForm), max_entries=MAX_ROWS)


class WalkInForm(FlaskForm):
    provider_id = SelectField(
        _l("Provider"),
        coerce=optional_int,
        # The list shows one search's matches; the posted id is checked in the view.
        validate_choice=False,
        validators=[DataRequired(_l("Choose a provider from the list."))],
    )
    attendance = RadioField(
        _l("Attendance"),
        choices=[
            SelectChoice(Attendance.ATTENDED.value, ATTENDANCE_LABELS[Attendance.ATTENDED]),
            SelectChoice(Attendance.PARTIAL.value, ATTENDANCE_LABELS[Attendance.PARTIAL]),
        ],
        default=Attendance.ATTENDED.value,
    )
    hours = hours_field(_l("Hours attended"))
    # The search the list came from, to show the same list again after an error.
    q = HiddenField(filters=[strip])
