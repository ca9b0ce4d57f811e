"""The catalog, session and registration forms, and the calendar's filters."""

from decimal import Decimal, InvalidOperation

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    DecimalField,
    HiddenField,
    IntegerField,
    SearchField,
    SelectChoice,
    TextAreaField,
    TimeField,
)
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)
from wtforms.widgets import TextInput

from fccnet.forms import PlainText, SelectField, strip
from fccnet.providers.forms import optional_int, text_field
from fccnet.training.hours import MAX_HOURS
from fccnet.training.models import Delivery
from fccnet.training.services import (
    CAPACITY_MAX,
    DESCRIPTION_MAX_LENGTH,
    TITLE_MAX_LENGTH,
    is_https_url,
)

DELIVERY_LABELS = {
    Delivery.IN_PERSON: _l("In person"),
    Delivery.ONLINE_LIVE: _l("Online, live"),
    Delivery.SELF_PACED: _l("Self-paced"),
}

SESSION_LANGUAGES = {"en": _l("English"), "es": _l("Spanish")}

HOURS_MESSAGE = _l("Enter hours above 0 and at most 40.")
CAPACITY_MESSAGE = _l("Enter a capacity from 1 to %(n)d.", n=CAPACITY_MAX)
HTTPS_MESSAGE = _l("Enter a secure link that starts with https://.")


class HoursField(DecimalField):
    """Decimal hours above 0 and at most 40, typed with a point or (in Spanish) a comma:
    1.5 or 1,5. NaN and infinities are refused like any other number out of range."""

    # A number input would refuse the comma in some browsers.
    widget = TextInput()

    def process_formdata(self, valuelist):
        if not valuelist or not valuelist[0].strip():
            self.data = None
            return
        try:
            self.data = Decimal(valuelist[0].strip().replace(",", "."))
        except (InvalidOperation, ValueError) as error:
            self.data = None
            raise ValueError(self.gettext("Not a valid decimal value.")) from error

    def pre_validate(self, form):
        if self.data is not None and not (self.data.is_finite() and 0 < self.data <= MAX_HOURS):
            raise ValidationError(HOURS_MESSAGE)


def description_field(label):
    return TextAreaField(
        label,
        filters=[strip],
        validators=[Optional(), Length(max=DESCRIPTION_MAX_LENGTH), PlainText(multiline=True)],
        render_kw={"rows": 4},
    )


def id_choices(blank_label, pairs) -> list[SelectChoice]:
    """A select's choices: a blank one (None) with this label, then one per (id, label)."""
    return [SelectChoice(None, blank_label), *(SelectChoice(key, label) for key, label in pairs)]


class AreaAndCredentialChoices:
    """Fills a form's `ckc_area_id` and `credential_id` selects from (id, name) pairs:
    a course's and a credit's from elsewhere (put it before FlaskForm in the bases)."""

    def __init__(self, *args, areas=(), credentials=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.ckc_area_id.choices = id_choices(_l("Choose an area"), areas)
        self.credential_id.choices = id_choices(_l("No credential"), credentials)


class CourseForm(AreaAndCredentialChoices, FlaskForm):
    title_en = text_field(_l("Title in English"), required=True, max_length=TITLE_MAX_LENGTH)
    title_es = text_field(
        _l("Title in Spanish"),
        required=True,
        max_length=TITLE_MAX_LENGTH,
        render_kw={"lang": "es"},
    )
    description_en = description_field(_l("Description in English"))
    description_es = description_field(_l("Description in Spanish"))
    ckc_area_id = SelectField(_l("CKC area"), coerce=optional_int, validators=[DataRequired()])
    credit_hours = HoursField(
        _l("Credit hours"),
        places=2,
        validators=[InputRequired()],
        description=_l("Above 0 and at most 40; for example 1.5 for an hour and a half."),
        render_kw={"inputmode": "decimal"},
    )
    delivery = SelectField(
        _l("Delivery"),
        choices=[SelectChoice(value.value, label) for value, label in DELIVERY_LABELS.items()],
        validators=[DataRequired()],
    )
    credential_id = SelectField(
        _l("Credential it grants"),
        coerce=optional_int,
        validators=[Optional()],
        description=_l("Optional"),
    )
    active = BooleanField(_l("Offered (new sessions can be scheduled)"))


class SessionForm(FlaskForm):
    """Times are typed in the network's zone; the view turns them into UTC."""

    course_id = SelectField(_l("Course"), coerce=optional_int, validators=[DataRequired()])
    date = DateField(_l("Date"), validators=[InputRequired()])
    starts_at = TimeField(
        _l("Start time"), format=["%H:%M", "%H:%M:%S"], validators=[InputRequired()]
    )
    ends_at = TimeField(_l("End time"), format=["%H:%M", "%H:%M:%S"], validators=[InputRequired()])
    location = text_field(
        _l("Location"),
        max_length=200,
        description=_l("The address, or leave empty for an online session."),
    )
    meeting_url = text_field(
        _l("Meeting link"),
        max_length=500,
        description=_l("For online sessions: a link that starts with https://."),
        render_kw={"inputmode": "url"},
    )
    language = SelectField(
        _l("Language"),
        choices=[SelectChoice(code, label) for code, label in SESSION_LANGUAGES.items()],
        validators=[DataRequired()],
    )
    trainer_id = SelectField(
        _l("Trainer"),
        coerce=optional_int,
        validators=[Optional()],
        description=_l("A staff member, or leave empty and give an outside trainer's name."),
    )
    trainer_name = text_field(_l("Outside trainer's name"))
    capacity = IntegerField(
        _l("Capacity"),
        validators=[
            InputRequired(),
            NumberRange(min=1, max=CAPACITY_MAX, message=CAPACITY_MESSAGE),
        ],
        render_kw={"inputmode": "numeric"},
    )

    def __init__(self, *args, courses=(), trainers=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.course_id.choices = id_choices(_l("Choose a course"), courses)
        self.trainer_id.choices = id_choices(_l("Outside trainer"), trainers)

    def validate_meeting_url(self, field):
        if field.data and not is_https_url(field.data):
            raise ValidationError(HTTPS_MESSAGE)

    def validate_date(self, field):
        if field.data is not None and not 2000 <= field.data.year <= 2100:
            raise ValidationError(_l("Enter a date between 2000 and 2100."))


class RegisterForm(FlaskForm):
    """Staff choose the provider; a provider registers themselves (no choice)."""

    # The choices are the search results on the page; any id is looked up and checked.
    provider_id = SelectField(
        _l("Provider"), coerce=optional_int, validators=[Optional()], validate_choice=False
    )


class ButtonForm(FlaskForm):
    """A button that changes something: nothing to fill in (CSRF is checked app-wide)."""


class ProviderSearchForm(FlaskForm):
    """Narrows a list of providers to choose from: whom to register for a session, or
    whom to add to a roster as a walk-in (GET, on the page itself)."""

    class Meta:
        csrf = False

    q = SearchField(
        _l("Find a provider"),
        filters=[strip],
        validators=[Optional(), Length(max=100), PlainText()],
        description=_l("Part of a name, phone or email"),
    )


class CalendarFilterForm(FlaskForm):
    class Meta:
        csrf = False

    month = HiddenField()
    area = SelectField(_l("CKC area"), coerce=optional_int, default=None, validators=[Optional()])
    # Optional() lets whitespace through unchecked: strip it first.
    language = SelectField(_l("Language"), default="", filters=[strip], validators=[Optional()])
    delivery = SelectField(_l("Delivery"), default="", filters=[strip], validators=[Optional()])

    def __init__(self, *args, areas=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.area.choices = id_choices(_l("Any area"), areas)
        self.language.choices = [SelectChoice("", _l("Any language"))] + [
            SelectChoice(code, label) for code, label in SESSION_LANGUAGES.items()
        ]
        self.delivery.choices = [SelectChoice("", _l("Any delivery"))] + [
            SelectChoice(value.value, label) for value, label in DELIVERY_LABELS.items()
        ]


def delivery_label(delivery) -> str:
    return str(DELIVERY_LABELS[Delivery(delivery)])


def session_language_label(code: str) -> str:
    return str(SESSION_LANGUAGES.get(code, code))
