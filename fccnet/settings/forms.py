"""Forms for the network settings and the managed lists (shape and field checks only;
the services check the same rules again, and name uniqueness is a database constraint)."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    IntegerField,
    SelectChoice,
    StringField,
    TextAreaField,
)
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    Optional,
    StopValidation,
    ValidationError,
)

from fccnet.forms import PlainText, SelectField, strip
from fccnet.licensing.models import AppliesTo, Condition
from fccnet.providers.forms import optional_int
from fccnet.settings import services
from fccnet.settings.services import SETTINGS, SettingSpec

APPLIES_TO_LABELS = {
    AppliesTo.PROVIDER: _l("The provider"),
    AppliesTo.EACH_ADULT: _l("Each adult household member"),
    AppliesTo.PROVIDER_AND_ADULTS: _l("The provider and each adult household member"),
}
CONDITION_LABELS = {
    Condition.ALWAYS: _l("Always"),
    Condition.HAS_WELL: _l("Only when the home has a well"),
}


class WholeNumberField(IntegerField):
    """An integer field whose "not a number" message reads like the others."""

    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError:
            raise ValueError(_l("Enter a whole number, such as 12.")) from None


class InRange:
    """low <= value <= high, with the same message as the services."""

    def __init__(self, low: int, high: int):
        self.low, self.high = low, high

    def __call__(self, form, field) -> None:
        if field.data is None:
            raise StopValidation()  # not a number: its message is already there
        if not self.low <= field.data <= self.high:
            raise ValidationError(
                _l("Enter a number from %(low)d to %(high)d.", low=self.low, high=self.high)
            )


def number_field(label, low: int, high: int, *, required: bool = True, description=None):
    return WholeNumberField(
        label,
        description=description,
        validators=[InputRequired() if required else Optional(), InRange(low, high)],
        render_kw={"min": low, "max": high, "inputmode": "numeric"},
    )


def text_field(label, max_length: int, *, required: bool = True, lang: str | None = None):
    render_kw = {"autocomplete": "off"}
    if lang:
        render_kw["lang"] = lang
    return StringField(
        label,
        filters=[strip],
        validators=[
            DataRequired() if required else Optional(),
            Length(max=max_length),
            PlainText(),
        ],
        render_kw=render_kw,
    )


def description_field(label, *, lang: str):
    return TextAreaField(
        label,
        filters=[strip],
        validators=[
            Optional(),
            Length(max=services.DESCRIPTION_MAX_LENGTH),
            PlainText(multiline=True),
        ],
        render_kw={"rows": 3, "lang": lang},
    )


class NetworkSettingsForm(FlaskForm):
    """One number per network setting; the fields are added below from SETTINGS."""


def _setting_field(spec: SettingSpec):
    return number_field(
        spec.label,
        spec.minimum,
        spec.maximum,
        description=_l("From %(low)d to %(high)d.", low=spec.minimum, high=spec.maximum),
    )


for _key, _spec in SETTINGS.items():
    setattr(NetworkSettingsForm, _key, _setting_field(_spec))


class TownForm(FlaskForm):
    name = text_field(_l("Town name"), services.TOWN_NAME_MAX_LENGTH)


class NeighborhoodForm(FlaskForm):
    name = text_field(_l("Neighborhood name"), services.TOWN_NAME_MAX_LENGTH)
    promise_zone = BooleanField(_l("In the North Hartford Promise Zone"))


class ReferralSourceForm(FlaskForm):
    name_en = text_field(_l("Answer in English"), services.REFERRAL_NAME_MAX_LENGTH, lang="en")
    name_es = text_field(_l("Answer in Spanish"), services.REFERRAL_NAME_MAX_LENGTH, lang="es")


class StageForm(FlaskForm):
    name_en = text_field(_l("Name in English"), services.STAGE_NAME_MAX_LENGTH, lang="en")
    name_es = text_field(_l("Name in Spanish"), services.STAGE_NAME_MAX_LENGTH, lang="es")
    is_closed = BooleanField(
        _l("Closed stage (moving a provider here needs a reason)"),
    )
    active = BooleanField(_l("In use"), default=True)


class RequirementForm(FlaskForm):
    name_en = text_field(_l("Name in English"), services.REQUIREMENT_NAME_MAX_LENGTH, lang="en")
    name_es = text_field(_l("Name in Spanish"), services.REQUIREMENT_NAME_MAX_LENGTH, lang="es")
    description_en = description_field(_l("Description in English"), lang="en")
    description_es = description_field(_l("Description in Spanish"), lang="es")
    applies_to = SelectField(
        _l("Applies to"),
        choices=[SelectChoice(value.value, label) for value, label in APPLIES_TO_LABELS.items()],
        validators=[DataRequired()],
    )
    condition = SelectField(
        _l("When"),
        choices=[SelectChoice(value.value, label) for value, label in CONDITION_LABELS.items()],
        validators=[DataRequired()],
    )
    before_licensing = BooleanField(_l("Needed before licensing"), default=True)
    valid_months = number_field(
        _l("Valid for (months)"),
        1,
        services.MONTHS_MAX,
        required=False,
        description=_l("Leave empty when it never expires."),
    )
    valid_months_at_application = number_field(
        _l("Valid at application for (months)"),
        1,
        services.MONTHS_MAX,
        required=False,
        description=_l(
            "Optional: a shorter validity before licensing (a medical statement: 12 months)."
        ),
    )
    active = BooleanField(_l("In use"), default=True)

    def requirement_data(self) -> dict:
        return {
            field: getattr(self, field).data
            for field in services.REQUIREMENT_FIELDS
            if field in self._fields
        }


class CkcAreaForm(FlaskForm):
    name_en = text_field(_l("Name in English"), services.CKC_AREA_NAME_MAX_LENGTH, lang="en")
    name_es = text_field(_l("Name in Spanish"), services.CKC_AREA_NAME_MAX_LENGTH, lang="es")


class CoachingTopicForm(FlaskForm):
    name_en = text_field(_l("Name in English"), services.COACHING_TOPIC_NAME_MAX_LENGTH, lang="en")
    name_es = text_field(_l("Name in Spanish"), services.COACHING_TOPIC_NAME_MAX_LENGTH, lang="es")


class CredentialForm(FlaskForm):
    name_en = text_field(_l("Name in English"), services.CREDENTIAL_NAME_MAX_LENGTH, lang="en")
    name_es = text_field(_l("Name in Spanish"), services.CREDENTIAL_NAME_MAX_LENGTH, lang="es")
    valid_months = number_field(
        _l("Valid for (months)"),
        1,
        services.MONTHS_MAX,
        required=False,
        description=_l(
            "Leave empty when it never expires. A change applies to credentials earned from now on."
        ),
    )
    requirement_id = SelectField(
        _l("Completes this checklist requirement"),
        coerce=optional_int,
        validators=[Optional()],
        description=_l(
            "Earning the credential marks this item done on the provider's checklist, "
            "with the credential's expiry."
        ),
    )

    def __init__(self, *args, requirements=(), **kwargs):
        """`requirements`: the ones offered (those in use, and the one linked now)."""
        super().__init__(*args, **kwargs)
        self.requirement_id.choices = [SelectChoice(None, _l("None"))] + [
            SelectChoice(requirement.id, requirement.name_en) for requirement in requirements
        ]

    def credential_data(self) -> dict:
        return {field: self[field].data for field in services.CREDENTIAL_FIELDS}
