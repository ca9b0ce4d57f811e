"""The audit log's filters (a GET form: filters live in the URL)."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, SelectChoice, SelectField
from wtforms.validators import Optional, ValidationError

from fccnet.audit.actions import ACTION_LABELS


class AuditFilterForm(FlaskForm):
    class Meta:
        csrf = False

    user = SelectField(_l("Who"), coerce=int, default=0)
    action = SelectField(_l("What"), default="")
    date_from = DateField(_l("From"), validators=[Optional()])
    date_to = DateField(_l("To"), validators=[Optional()])

    def __init__(self, *args, user_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.user.choices = [SelectChoice(0, _l("Anyone"))] + [
            SelectChoice(user_id, f"{name} ({email})") for user_id, name, email in user_choices
        ]
        self.action.choices = [SelectChoice("", _l("Any action"))] + [
            SelectChoice(action, label) for action, label in ACTION_LABELS.items()
        ]

    def validate_date_to(self, field) -> None:
        if field.data and self.date_from.data and field.data < self.date_from.data:
            raise ValidationError(_l("The end date must be on or after the start date."))
