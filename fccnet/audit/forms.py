"""The audit log's filters (a GET form: filters live in the URL)."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, SearchField, SelectChoice
from wtforms.validators import Length, Optional, ValidationError

from fccnet.audit.labels import ACTION_LABELS
from fccnet.forms import PlainText, SelectField, strip


class AuditFilterForm(FlaskForm):
    class Meta:
        csrf = False

    who = SearchField(
        _l("Who"),
        description=_l("Part of a name or email"),
        filters=[strip],
        validators=[Optional(), Length(max=100), PlainText()],
    )
    action = SelectField(_l("What"), default="")
    date_from = DateField(_l("From"), validators=[Optional()])
    date_to = DateField(_l("To"), validators=[Optional()])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.action.choices = [SelectChoice("", _l("Any action"))] + [
            SelectChoice(action, label) for action, label in ACTION_LABELS.items()
        ]

    def validate_date_to(self, field) -> None:
        if field.data and self.date_from.data and field.data < self.date_from.data:
            raise ValidationError(_l("The end date must be on or after the start date."))
