"""Moving a provider through the pipeline, updating a checklist item, uploading evidence."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import DateField, IntegerField, SelectChoice, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from fccnet.forms import PlainText, SelectField, strip
from fccnet.licensing.models import ItemStatus
from fccnet.providers.forms import VersionedForm, optional_int, text_field

STATUS_LABELS = {
    ItemStatus.NOT_STARTED: _l("Not started"),
    ItemStatus.IN_PROGRESS: _l("In progress"),
    ItemStatus.SUBMITTED: _l("Submitted"),
    ItemStatus.DONE: _l("Done"),
    ItemStatus.WAIVED: _l("Waived"),
}


class StageForm(FlaskForm):
    stage_id = SelectField(_l("New stage"), coerce=optional_int, validators=[DataRequired()])
    note = TextAreaField(
        _l("Note"),
        filters=[strip],
        validators=[Optional(), Length(max=2000), PlainText(multiline=True)],
    )
    reason = text_field(
        _l("Reason for closing"),
        max_length=200,
        description=_l("Required for Paused, Withdrawn and Not eligible."),
    )
    license_number = text_field(_l("License number"), max_length=40)
    license_issued_on = DateField(_l("License issued on"), validators=[Optional()])
    capacity_full_time = IntegerField(
        _l("Full-time slots"), validators=[Optional(), NumberRange(min=1, max=12)]
    )
    capacity_school_age = IntegerField(
        _l("School-age slots"), validators=[Optional(), NumberRange(min=0, max=12)]
    )


class ItemForm(VersionedForm):
    status = SelectField(
        _l("Status"),
        choices=[SelectChoice(status.value, label) for status, label in STATUS_LABELS.items()],
    )
    due_on = DateField(_l("Due on"), validators=[Optional()])
    submitted_on = DateField(_l("Submitted on"), validators=[Optional()])
    completed_on = DateField(_l("Completed on"), validators=[Optional()])
    expires_on = DateField(
        _l("Expires on"),
        validators=[Optional()],
        description=_l("Leave empty to compute it from how long the requirement stays valid."),
    )
    waived_reason = text_field(_l("Reason for waiving"), max_length=200)


class DocumentForm(FlaskForm):
    file = FileField(
        _l("File"),
        validators=[FileRequired(_l("Choose a file."))],
        description=_l("PDF, JPEG or PNG, at most 10 MB."),
        render_kw={"accept": ".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png"},
    )
    checklist_item_id = SelectField(
        _l("For checklist item"), coerce=optional_int, validators=[Optional()]
    )


class ComplianceFilterForm(FlaskForm):
    """A manager looks at one coach's caseload, or at the whole network."""

    class Meta:
        csrf = False

    coach = SelectField(_l("Coach"), coerce=optional_int, default=None, validators=[Optional()])
