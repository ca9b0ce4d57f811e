"""Provider, household and caseload forms, and the providers list's filters."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    HiddenField,
    SearchField,
    SelectChoice,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, Optional, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from fccnet.database import MAX_ID
from fccnet.forms import PlainText, SelectField, strip

LANGUAGE_NAMES = {
    "en": _l("English"),
    "es": _l("Spanish"),
    "pt": _l("Portuguese"),
    "pl": _l("Polish"),
    "other": _l("Other"),
}


def optional_int(value):
    if value in (None, "", "None"):
        return None
    number = int(value)
    if not -MAX_ID <= number <= MAX_ID:
        raise ValueError("out of range")
    return number


def text_field(label, *, required=False, max_length=120, **kwargs):
    validators = [DataRequired()] if required else [Optional()]
    return StringField(
        label,
        filters=[strip],
        validators=[*validators, Length(max=max_length), PlainText()],
        **kwargs,
    )


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class VersionedForm(FlaskForm):
    """Carries the version of the record the form was opened on (stale-edit check)."""

    version = HiddenField()
    # Set by fccnet.forms.save when someone saved the record since it was opened.
    conflict = None

    def opened_version(self) -> int | None:
        try:
            return int(self.version.data)
        except (TypeError, ValueError):
            return None


class ContactForm(VersionedForm):
    """What a provider may change on their own record."""

    phone = text_field(
        _l("Phone"), max_length=30, render_kw={"autocomplete": "tel", "inputmode": "tel"}
    )
    email = text_field(
        _l("Email"), max_length=254, render_kw={"autocomplete": "email", "inputmode": "email"}
    )
    preferred_language = SelectField(_l("Preferred language"), validators=[DataRequired()])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.preferred_language.choices = [
            SelectChoice("en", "English", render_kw={"lang": "en"}),
            SelectChoice("es", "Español", render_kw={"lang": "es"}),
        ]


class ProviderForm(ContactForm):
    legal_name = text_field(_l("Legal name"), required=True)
    preferred_name = text_field(_l("Preferred name"))
    business_name = text_field(_l("Business name"), description=_l("Optional"))
    street = text_field(
        _l("Street address"), max_length=200, render_kw={"autocomplete": "street-address"}
    )
    town_id = SelectField(_l("Town"), coerce=int, validators=[DataRequired()])
    neighborhood_id = SelectField(
        _l("Neighborhood"),
        coerce=optional_int,
        validators=[Optional()],
        description=_l("Required for Hartford addresses."),
    )
    languages = MultiCheckboxField(_l("Languages spoken"), validators=[Optional()])
    first_contact_on = DateField(_l("Date of first contact"), validators=[DataRequired()])
    referral_source_id = SelectField(
        _l("How they heard of the network"), coerce=optional_int, validators=[Optional()]
    )
    has_well = BooleanField(_l("The home has a well"))
    ages_served = text_field(_l("Ages served"))
    hours_of_operation = text_field(_l("Hours of operation"))
    accepts_care4kids = BooleanField(_l("Accepts Care 4 Kids"))
    staff_notes = TextAreaField(
        _l("Staff notes"),
        filters=[strip],
        validators=[Optional(), Length(max=5000), PlainText(multiline=True)],
        description=_l("Only staff see these notes."),
    )

    def __init__(self, *args, towns=(), neighborhoods=(), referral_sources=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.town_id.choices = [SelectChoice(0, _l("Choose a town"))] + [
            SelectChoice(t.id, t.name) for t in towns
        ]
        self.neighborhood_id.choices = [SelectChoice(None, "—")] + [
            SelectChoice(n.id, n.name) for n in neighborhoods
        ]
        self.referral_source_id.choices = [SelectChoice(None, "—"), *list(referral_sources)]
        self.languages.choices = [SelectChoice(code, name) for code, name in LANGUAGE_NAMES.items()]

    def validate_town_id(self, field):
        if not field.data:
            raise ValidationError(_l("Choose a town."))

    def provider_data(self) -> dict:
        return {
            name: field.data
            for name, field in self._fields.items()
            if name not in ("csrf_token", "version")
        }


class CreateProviderForm(ProviderForm):
    coach_id = SelectField(_l("Coach"), coerce=optional_int, validators=[Optional()])
    # Set once the person has seen the possible duplicates and still wants a new record.
    confirm_new = HiddenField()


class HouseholdMemberForm(VersionedForm):
    name = text_field(_l("Name"), required=True)
    relationship_to_provider = text_field(_l("Relationship"), required=True, max_length=60)
    born_on = DateField(_l("Date of birth"), validators=[DataRequired()])
    moved_in_on = DateField(
        _l("Moved in on"),
        validators=[Optional()],
        description=_l("Leave empty if they have always lived there."),
    )
    moved_out_on = DateField(_l("Moved out on"), validators=[Optional()])

    def member_data(self) -> dict:
        return {
            name: self[name].data
            for name in (
                "name",
                "relationship_to_provider",
                "born_on",
                "moved_in_on",
                "moved_out_on",
            )
        }


class AssignCoachForm(FlaskForm):
    coach_id = SelectField(_l("Coach"), coerce=optional_int, validators=[Optional()])


class CaseloadForm(FlaskForm):
    from_coach_id = SelectField(_l("From coach"), coerce=optional_int, validators=[DataRequired()])
    to_coach_id = SelectField(_l("To coach"), coerce=optional_int, validators=[DataRequired()])


class DeleteProviderForm(FlaskForm):
    reason = text_field(_l("Reason"), required=True, max_length=200)


class ProviderFilterForm(FlaskForm):
    class Meta:
        csrf = False

    q = SearchField(
        _l("Search"),
        filters=[strip],
        validators=[Optional(), Length(max=100), PlainText()],
        description=_l("Part of a name, business name, phone or email"),
    )
    stage = SelectField(_l("Stage"), coerce=optional_int, default=None, validators=[Optional()])
    coach = SelectField(_l("Coach"), coerce=optional_int, default=None, validators=[Optional()])
    town = SelectField(_l("Town"), coerce=optional_int, default=None, validators=[Optional()])
    neighborhood = SelectField(
        _l("Neighborhood"), coerce=optional_int, default=None, validators=[Optional()]
    )
    language = SelectField(_l("Language"), default="", validators=[Optional()])
    promise_zone = BooleanField(_l("North Hartford Promise Zone"))
    overdue = BooleanField(_l("Has overdue items"))
    deleted = BooleanField(_l("Deleted records"))
    sort = SelectField(_l("Sort by"), default="name")
    descending = BooleanField(_l("Reverse order"))

    def __init__(self, *args, stages=(), coaches=(), towns=(), neighborhoods=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.stage.choices = [SelectChoice(None, _l("Any stage")), *list(stages)]
        self.coach.choices = [
            SelectChoice(None, _l("Any coach")),
            SelectChoice(0, _l("No coach")),
        ] + [SelectChoice(c.id, c.name) for c in coaches]
        self.town.choices = [SelectChoice(None, _l("Any town"))] + [
            SelectChoice(t.id, t.name) for t in towns
        ]
        self.neighborhood.choices = [SelectChoice(None, _l("Any neighborhood"))] + [
            SelectChoice(n.id, n.name) for n in neighborhoods
        ]
        self.language.choices = [SelectChoice("", _l("Any language"))] + [
            SelectChoice(code, name) for code, name in LANGUAGE_NAMES.items()
        ]
        self.sort.choices = [
            SelectChoice("name", _l("Name")),
            SelectChoice("stage", _l("Stage")),
            SelectChoice("first_contact", _l("First contact")),
            SelectChoice("updated", _l("Last updated")),
        ]
