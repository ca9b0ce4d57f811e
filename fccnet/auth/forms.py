"""Sign-in, password and account forms."""

from flask import current_app
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    HiddenField,
    PasswordField,
    SearchField,
    SelectChoice,
    StringField,
)
from wtforms.validators import DataRequired, Email, EqualTo, Length, Optional, ValidationError

from fccnet.auth import passwords
from fccnet.auth.models import Role
from fccnet.forms import PlainText, SelectField, strip

NEW_PASSWORD_HELP = _l(
    "At least %(min)d characters. A passphrase of %(recommended)d or more characters, "
    "such as four unrelated words, is best.",
    min=passwords.MIN_LENGTH,
    recommended=passwords.RECOMMENDED_LENGTH,
)
ROLE_LABELS = {
    Role.MANAGER: _l("Manager"),
    Role.COACH: _l("Coach"),
    Role.PROVIDER: _l("Provider"),
}


def language_choices() -> list[SelectChoice]:
    # Each language is named in itself, so it is never translated.
    return [
        SelectChoice(code, name, render_kw={"lang": code})
        for code, name in current_app.config["LANGUAGES"].items()
    ]


def acceptable_password(form, field) -> None:
    problem = passwords.password_problem(field.data or "")
    if problem is not None:
        raise ValidationError(problem)


def email_field(label):
    return StringField(
        label,
        filters=[strip],
        validators=[
            DataRequired(),
            Length(max=254),
            PlainText(),
            Email(message=_l("Enter an email address such as name@example.org.")),
        ],
        render_kw={"autocomplete": "email", "inputmode": "email", "spellcheck": "false"},
    )


class SignInForm(FlaskForm):
    email = email_field(_l("Email"))
    password = PasswordField(
        _l("Password"),
        validators=[DataRequired(), Length(max=passwords.MAX_LENGTH)],
        render_kw={"autocomplete": "current-password"},
    )
    next = HiddenField()


class NewPasswordMixin:
    password = PasswordField(
        _l("New password"),
        description=NEW_PASSWORD_HELP,
        validators=[DataRequired(), acceptable_password],
        render_kw={"autocomplete": "new-password"},
    )
    confirm = PasswordField(
        _l("Repeat the new password"),
        validators=[
            DataRequired(),
            EqualTo("password", message=_l("The two passwords do not match.")),
        ],
        render_kw={"autocomplete": "new-password"},
    )


class SetPasswordForm(NewPasswordMixin, FlaskForm):
    pass


class ChangePasswordForm(NewPasswordMixin, FlaskForm):
    current_password = PasswordField(
        _l("Current password"),
        validators=[DataRequired(), Length(max=passwords.MAX_LENGTH)],
        render_kw={"autocomplete": "current-password"},
    )


class UserForm(FlaskForm):
    name = StringField(
        _l("Full name"),
        filters=[strip],
        validators=[DataRequired(), Length(max=120), PlainText()],
        render_kw={"autocomplete": "off"},
    )
    email = email_field(_l("Email"))
    role = SelectField(
        _l("Role"),
        choices=[SelectChoice(role.value, label) for role, label in ROLE_LABELS.items()],
        validators=[DataRequired()],
    )
    language = SelectField(
        _l("Language"),
        choices=language_choices,
        validators=[DataRequired()],
    )

    def account_data(self) -> dict:
        return {
            "name": self.name.data,
            "email": self.email.data,
            "role": Role(self.role.data),
            "language": self.language.data,
        }


class LanguageForm(FlaskForm):
    language = SelectField(choices=language_choices)


class UserFilterForm(FlaskForm):
    """The accounts list's filters (a GET form: filters live in the URL)."""

    class Meta:
        csrf = False

    q = SearchField(
        _l("Name or email"), filters=[strip], validators=[Optional(), Length(max=100), PlainText()]
    )
    role = SelectField(
        _l("Role"),
        default="",
        choices=[SelectChoice("", _l("Any role"))]
        + [SelectChoice(role.value, label) for role, label in ROLE_LABELS.items()],
    )
    status = SelectField(
        _l("Status"),
        default="",
        choices=[
            SelectChoice("", _l("Any")),
            SelectChoice("active", _l("Active")),
            SelectChoice("inactive", _l("Deactivated")),
        ],
    )
