"""Coaching forms: logging and correcting a contact, addenda, action items and goals.
Field names match the DomainError fields of fccnet.coaching.services."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    FieldList,
    Form,
    FormField,
    IntegerField,
    RadioField,
    SelectChoice,
    TextAreaField,
)
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)

from fccnet.coaching.models import (
    ActionStatus,
    CoachingTopic,
    ContactMode,
    GoalStatus,
    ItemOwner,
)
from fccnet.coaching.services import MAX_MINUTES, MINUTES_MESSAGE, NOTE_MAX_LENGTH
from fccnet.forms import PlainText, strip
from fccnet.providers.forms import MultiCheckboxField, VersionedForm, text_field

MODE_LABELS = {
    ContactMode.HOME_VISIT: _l("Home visit"),
    ContactMode.PHONE: _l("Phone call"),
    ContactMode.VIDEO: _l("Video call"),
    ContactMode.OFFICE: _l("Office visit"),
    ContactMode.TEXT: _l("Text message"),
    ContactMode.EMAIL: _l("Email"),
}

OWNER_LABELS = {
    ItemOwner.PROVIDER: _l("The provider"),
    ItemOwner.COACH: _l("The coach"),
}

ACTION_STATUS_LABELS = {
    ActionStatus.OPEN: _l("Open"),
    ActionStatus.DONE: _l("Done"),
    ActionStatus.DROPPED: _l("Dropped"),
}

GOAL_STATUS_LABELS = {
    GoalStatus.ACTIVE: _l("Active"),
    GoalStatus.ACHIEVED: _l("Achieved"),
    GoalStatus.DROPPED: _l("Dropped"),
}

# What the coaching templates need to name modes, owners and statuses.
LABELS = {
    "mode_labels": MODE_LABELS,
    "owner_labels": OWNER_LABELS,
    "action_status_labels": ACTION_STATUS_LABELS,
    "goal_status_labels": GOAL_STATUS_LABELS,
}


def note_field(label, *, description=None, required=False):
    return TextAreaField(
        label,
        filters=[strip],
        validators=[
            InputRequired() if required else Optional(),
            Length(max=NOTE_MAX_LENGTH),
            PlainText(multiline=True),
        ],
        description=description,
        render_kw={"rows": 3},
    )


def description_field(label, *, required=True):
    return text_field(label, required=required, max_length=300)


def owner_field():
    return RadioField(
        _l("Who will do it"),
        choices=[SelectChoice(owner.value, label) for owner, label in OWNER_LABELS.items()],
        default=ItemOwner.PROVIDER.value,
        validators=[DataRequired()],
    )


class CoachingContactForm(VersionedForm):
    contacted_on = DateField(_l("Date"), validators=[InputRequired()])
    minutes = IntegerField(
        _l("Minutes"),
        validators=[InputRequired(), NumberRange(min=1, max=MAX_MINUTES, message=MINUTES_MESSAGE)],
        render_kw={"inputmode": "numeric", "autocomplete": "off"},
    )
    mode = RadioField(
        _l("How"),
        choices=[SelectChoice(mode.value, label) for mode, label in MODE_LABELS.items()],
        default=ContactMode.HOME_VISIT.value,
        validators=[DataRequired()],
    )
    topic_ids = MultiCheckboxField(_l("Topics"), coerce=int, validators=[Optional()])
    summary = note_field(_l("Summary"), description=_l("The provider sees the summary."))
    next_steps = note_field(_l("Next steps"), description=_l("The provider sees the next steps."))
    internal_notes = note_field(
        _l("Internal notes"), description=_l("Only coaches and managers see internal notes.")
    )

    def __init__(self, *args, topics: list[CoachingTopic], locale: str, **kwargs):
        """`topics`: the active topics, plus any retired ones the contact already has."""
        super().__init__(*args, **kwargs)
        self.topics_by_id = {topic.id: topic for topic in topics}
        self.topic_ids.choices = [SelectChoice(topic.id, topic.name(locale)) for topic in topics]

    def chosen_topics(self) -> list[CoachingTopic]:
        return [self.topics_by_id[topic_id] for topic_id in self.topic_ids.data or ()]


class ActionItemRow(Form):
    """An action item agreed during the contact; an empty row is ignored."""

    description = description_field(_l("Action item"), required=False)
    owner = owner_field()
    due_on = DateField(_l("Due"), validators=[Optional()])

    def validate_due_on(self, field) -> None:
        if not self.description.data:
            raise ValidationError(_l("Describe the action item, or clear its due date."))


class LogContactForm(CoachingContactForm):
    # Agreed items are rarely more than two; more can be added from the contact's page.
    action_items = FieldList(FormField(ActionItemRow), min_entries=2, max_entries=2)


class AddendumForm(FlaskForm):
    text = note_field(_l("Addendum"), required=True)
    # Unticked (or not sent at all) means staff only: sharing is the deliberate act.
    shared = BooleanField(
        _l("Share with the provider"),
        description=_l("Otherwise only coaches and managers see this addendum."),
    )


class DeleteContactForm(FlaskForm):
    reason = text_field(_l("Reason for deleting"), required=True, max_length=200)


class ActionItemForm(VersionedForm):
    description = description_field(_l("Action item"))
    owner = owner_field()
    due_on = DateField(_l("Due"), validators=[Optional()])


class CloseActionItemForm(VersionedForm):
    status = RadioField(
        _l("Outcome"),
        choices=[
            SelectChoice(status.value, ACTION_STATUS_LABELS[status])
            for status in (ActionStatus.DONE, ActionStatus.DROPPED)
        ],
        default=ActionStatus.DONE.value,
        validators=[DataRequired()],
    )
    comment = text_field(_l("Comment"), max_length=500, description=_l("Optional"))


class GoalForm(VersionedForm):
    description = description_field(_l("Goal"))
    target_on = DateField(_l("Target date"), validators=[Optional()])
    status = RadioField(
        _l("Status"),
        choices=[SelectChoice(status.value, label) for status, label in GOAL_STATUS_LABELS.items()],
        default=GoalStatus.ACTIVE.value,
        validators=[DataRequired()],
    )


class GoalProgressForm(FlaskForm):
    noted_on = DateField(_l("Date"), validators=[InputRequired()])
    note = note_field(_l("Progress"), required=True)
