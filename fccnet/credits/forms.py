"""Training taken elsewhere, a manager's review, and the transcript's period."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import DateField, StringField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from fccnet.forms import PlainText, SelectField, strip
from fccnet.providers.forms import optional_int, text_field
from fccnet.training.forms import AreaAndCredentialChoices, HoursField
from fccnet.training.models import CreditSource, CreditStatus

CREDIT_STATUS_LABELS = {
    CreditStatus.PENDING: _l("Pending approval"),
    CreditStatus.APPROVED: _l("Approved"),
    CreditStatus.REJECTED: _l("Rejected"),
}

CREDIT_SOURCE_LABELS = {
    CreditSource.SESSION: _l("Network session"),
    CreditSource.EXTERNAL: _l("Elsewhere"),
}

CREDENTIAL_STATE_LABELS = {
    "expired": _l("Expired"),
    "expiring": _l("Expires within 90 days"),
    "valid": _l("Valid"),
}

REASON_MAX_LENGTH = 300


class ExternalCreditForm(AreaAndCredentialChoices, FlaskForm):
    """Field names match the DomainError fields of submit_external_credit."""

    title = text_field(_l("Training title"), required=True, max_length=160)
    organisation = text_field(
        _l("Organisation that gave it"),
        required=True,
        max_length=160,
        description=_l("For example a community college or the Red Cross."),
    )
    taken_on = DateField(_l("Date taken"), validators=[InputRequired()])
    hours = HoursField(
        _l("Credit hours"),
        places=2,
        validators=[InputRequired()],
        description=_l("Above 0 and at most 40; for example 1.5 for an hour and a half."),
        render_kw={"inputmode": "decimal", "autocomplete": "off"},
    )
    ckc_area_id = SelectField(_l("CKC area"), coerce=optional_int, validators=[DataRequired()])
    credential_id = SelectField(
        _l("Credential earned"),
        coerce=optional_int,
        validators=[Optional()],
        description=_l("Only if the training gave a credential such as CPR or First Aid."),
    )
    file = FileField(
        _l("Evidence (certificate or attendance record)"),
        validators=[FileRequired(_l("Choose a file."))],
        description=_l("PDF, JPEG or PNG, at most 10 MB."),
        render_kw={"accept": ".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png"},
    )


class ReviewForm(FlaskForm):
    """Approving needs nothing but the button (and its CSRF token)."""


class RejectCreditForm(FlaskForm):
    reason = StringField(
        _l("Reason for rejecting"),
        filters=[strip],
        validators=[
            DataRequired(_l("Give the reason, so the provider knows what to fix.")),
            Length(max=REASON_MAX_LENGTH),
            PlainText(),
        ],
    )


class PeriodForm(FlaskForm):
    """The transcript's period, as ?from=YYYY-MM-DD&to=YYYY-MM-DD (both optional)."""

    class Meta:
        csrf = False


# "from" is a Python keyword, so the field is set by name; "to" comes after it.
setattr(PeriodForm, "from", DateField(_l("From"), validators=[Optional()]))
PeriodForm.to = DateField(_l("To"), validators=[Optional()])
