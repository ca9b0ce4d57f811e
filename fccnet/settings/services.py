"""Network settings (each with a seeded default) and the managed lists managers keep:
towns and neighborhoods, how people heard of us, pipeline stages, requirement templates,
CKC areas, the credentials courses grant and the coaching topics.

Every change is audited with old and new values and flushed; the caller commits."""

import re
import unicodedata
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, or_, select

from fccnet.audit.services import diff_fields, record_event
from fccnet.auth.models import User
from fccnet.coaching.models import CoachingTopic
from fccnet.errors import DomainError
from fccnet.extensions import db
from fccnet.licensing.models import LICENSED_STAGE_KEY, AppliesTo, Condition, Requirement, Stage
from fccnet.providers.models import Neighborhood, ReferralSource, Town
from fccnet.settings.models import NetworkSetting
from fccnet.text import clean_text
from fccnet.training.models import CkcArea, Credential


@dataclass(frozen=True)
class SettingSpec:
    label: object
    default: int
    minimum: int
    maximum: int


SETTINGS = {
    # Connecticut OEC: household members 18+ need checks (older pages said 16+).
    "background_check_age": SettingSpec(_l("Background check age (years)"), 18, 14, 21),
    "license_validity_months": SettingSpec(_l("License valid for (months)"), 48, 12, 120),
    "default_full_time_slots": SettingSpec(_l("Default full-time slots"), 6, 1, 12),
    "default_school_age_slots": SettingSpec(_l("Default school-age slots"), 3, 0, 12),
    # Care 4 Kids asks for 10 hours of professional development a year.
    "pd_annual_hours": SettingSpec(
        _l("Professional development hours required each year"), 10, 0, 100
    ),
    "pd_year_start_month": SettingSpec(
        _l("Professional development year starts in month (1-12)"), 7, 1, 12
    ),
}


def all_settings() -> dict[str, int]:
    """Every setting's value, in one query."""
    stored = dict(db.session.execute(select(NetworkSetting.key, NetworkSetting.value)).all())
    return {key: stored.get(key, spec.default) for key, spec in SETTINGS.items()}


def get_setting(key: str) -> int:
    stored = db.session.get(NetworkSetting, key)
    return stored.value if stored is not None else SETTINGS[key].default


def change_settings(values: dict[str, int], *, actor: User) -> None:
    for key, value in values.items():
        change_setting(key, value, actor=actor)


def change_setting(key: str, value: int, *, actor: User) -> None:
    spec = SETTINGS[key]
    if not spec.minimum <= value <= spec.maximum:
        raise DomainError(
            _l("Enter a number from %(low)d to %(high)d.", low=spec.minimum, high=spec.maximum),
            field=key,
        )
    old = get_setting(key)
    if old == value:
        return
    stored = db.session.get(NetworkSetting, key)
    if stored is None:
        db.session.add(NetworkSetting(key=key, value=value, updated_by_id=actor.id))
    else:
        stored.value = value
        stored.updated_by_id = actor.id
    record_event("setting.changed", actor=actor, changes={key: (old, value)})
    db.session.flush()


# --- Shared rules for the managed lists ------------------------------------------------------
# The forms check the same, earlier; these hold for the CLI and tests too.

DESCRIPTION_MAX_LENGTH = 2000
MONTHS_MAX = 600
KEY_MAX_LENGTH = 40
DIRECTIONS = ("up", "down")


def clean_months(value: int | None, *, field: str) -> int | None:
    if value is None:
        return None
    if not 1 <= value <= MONTHS_MAX:
        raise DomainError(
            _l("Enter a number from %(low)d to %(high)d.", low=1, high=MONTHS_MAX), field=field
        )
    return value


def _clean_names(data: dict, max_length: int) -> dict:
    """A two-language record's English and Spanish names, both required."""
    return {
        field: clean_text(data.get(field), field=field, max_length=max_length)
        for field in ("name_en", "name_es")
    }


def _ensure_english_name_free(model, name_en: str, message, record=None) -> None:
    """Refuse an English name another record of `model` has (the column is unique:
    a concurrent duplicate fails at commit, and the view shows `message` then too)."""
    existing = db.session.scalar(select(model).where(model.name_en == name_en))
    if existing is not None and existing is not record:
        raise DomainError(message, field="name_en")


def slug_key(model, name: str, *, fallback: str) -> str:
    """A stable key made from an English name, unique among `model`'s keys
    (the key column is unique: a concurrent duplicate fails at commit)."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    base = re.sub(r"[^a-z0-9]+", "_", ascii_name.lower()).strip("_")[:32].strip("_") or fallback
    taken = set(
        db.session.scalars(
            select(model.key).where(
                or_(model.key == base, model.key.startswith(base + "_", autoescape=True))
            )
        )
    )
    key, number = base, 1
    while key in taken:
        number += 1
        key = f"{base}_{number}"
    return key


def _apply(record, action: str, new_values: dict, *, actor: User) -> dict:
    """Set the fields that change, audit them with old and new values, flush."""
    changes = diff_fields(record, new_values)
    if changes:
        for field, (_old, new) in changes.items():
            setattr(record, field, new)
        record_event(action, actor=actor, target=record, changes=changes)
        db.session.flush()
    return changes


def _create(record, action: str, fields: tuple[str, ...], *, actor: User):
    db.session.add(record)
    db.session.flush()
    record_event(
        action,
        actor=actor,
        target=record,
        changes={field: (None, getattr(record, field)) for field in fields},
    )
    return record


def _set_active(record, active: bool, *, prefix: str, actor: User) -> None:
    if record.active == active:
        return
    record.active = active
    action = f"{prefix}.reactivated" if active else f"{prefix}.deactivated"
    record_event(action, actor=actor, target=record, changes={"active": (not active, active)})
    db.session.flush()


def _move(record, direction: str, *, prefix: str, actor: User) -> bool:
    """Swap `record` with its neighbour in the list's order; False at either end.

    Positions are renumbered 1..n first, so gaps or ties left by concurrent
    edits are healed by the next move.
    """
    if direction not in DIRECTIONS:
        raise ValueError(direction)
    model = type(record)
    ordered = list(db.session.scalars(select(model).order_by(model.position, model.id)))
    index = ordered.index(record)
    other_index = index - 1 if direction == "up" else index + 1
    if not 0 <= other_index < len(ordered):
        return False
    old_position = record.position
    ordered[index], ordered[other_index] = ordered[other_index], ordered[index]
    for position, item in enumerate(ordered, start=1):
        item.position = position
    record_event(
        f"{prefix}.moved",
        actor=actor,
        target=record,
        changes={"position": (old_position, record.position)},
        details={"direction": direction, "swapped_with": ordered[index].id},
    )
    db.session.flush()
    return True


def _next_position(model) -> int:
    return (db.session.scalar(select(func.max(model.position))) or 0) + 1


# Ordered two-language lists with nothing but names (CKC areas, coaching topics): `prefix`
# names their audit actions, `taken` is the message for an English name already used.
NAME_FIELDS = ("name_en", "name_es")


def _create_named(model, data: dict, *, max_length: int, taken, prefix: str, actor: User):
    """A new entry, in use, at the end of the list."""
    values = _clean_names(data, max_length)
    _ensure_english_name_free(model, values["name_en"], taken)
    record = model(**values, position=_next_position(model), active=True)
    return _create(record, f"{prefix}.created", (*NAME_FIELDS, "position", "active"), actor=actor)


def _rename(record, data: dict, *, max_length: int, taken, prefix: str, actor: User) -> None:
    """New names (a name left out of `data` stays); position and status never change here."""
    current = {field: getattr(record, field) for field in NAME_FIELDS}
    values = _clean_names({**current, **data}, max_length)
    _ensure_english_name_free(type(record), values["name_en"], taken, record)
    _apply(record, f"{prefix}.updated", values, actor=actor)


# --- Towns and neighborhoods -------------------------------------------------------------------

TOWN_NAME_MAX_LENGTH = 80
TOWN_TAKEN = _l("There is already a town with this name.")
NEIGHBORHOOD_TAKEN = _l("This town already has a neighborhood with this name.")


def _ensure_town_name_free(name: str, town: Town | None = None) -> None:
    existing = db.session.scalar(select(Town).where(Town.name == name))
    if existing is not None and existing is not town:
        raise DomainError(TOWN_TAKEN, field="name")


def create_town(name: str, *, actor: User) -> Town:
    name = clean_text(name, field="name", max_length=TOWN_NAME_MAX_LENGTH)
    _ensure_town_name_free(name)
    return _create(Town(name=name, active=True), "town.created", ("name", "active"), actor=actor)


def rename_town(town: Town, name: str, *, actor: User) -> None:
    name = clean_text(name, field="name", max_length=TOWN_NAME_MAX_LENGTH)
    _ensure_town_name_free(name, town)
    _apply(town, "town.updated", {"name": name}, actor=actor)


def deactivate_town(town: Town, *, actor: User) -> None:
    """A town is never deleted (providers and reports refer to it); it is
    taken off the lists new records choose from."""
    _set_active(town, False, prefix="town", actor=actor)


def reactivate_town(town: Town, *, actor: User) -> None:
    _set_active(town, True, prefix="town", actor=actor)


def _ensure_neighborhood_name_free(
    town: Town, name: str, neighborhood: Neighborhood | None = None
) -> None:
    existing = db.session.scalar(
        select(Neighborhood).where(Neighborhood.town_id == town.id, Neighborhood.name == name)
    )
    if existing is not None and existing is not neighborhood:
        raise DomainError(NEIGHBORHOOD_TAKEN, field="name")


def create_neighborhood(
    town: Town, name: str, *, promise_zone: bool = False, actor: User
) -> Neighborhood:
    name = clean_text(name, field="name", max_length=TOWN_NAME_MAX_LENGTH)
    _ensure_neighborhood_name_free(town, name)
    neighborhood = Neighborhood(town_id=town.id, name=name, promise_zone=bool(promise_zone))
    return _create(
        neighborhood, "neighborhood.created", ("town_id", "name", "promise_zone"), actor=actor
    )


def update_neighborhood(neighborhood: Neighborhood, data: dict, *, actor: User) -> None:
    new_values = {}
    if "name" in data:
        new_values["name"] = clean_text(data["name"], field="name", max_length=TOWN_NAME_MAX_LENGTH)
        _ensure_neighborhood_name_free(neighborhood.town, new_values["name"], neighborhood)
    if "promise_zone" in data:
        new_values["promise_zone"] = bool(data["promise_zone"])
    _apply(neighborhood, "neighborhood.updated", new_values, actor=actor)


# --- How people heard of the network -----------------------------------------------------------

REFERRAL_NAME_MAX_LENGTH = 80
REFERRAL_TAKEN = _l("There is already an answer with this English name.")


def create_referral_source(data: dict, *, actor: User) -> ReferralSource:
    values = _clean_names(data, REFERRAL_NAME_MAX_LENGTH)
    _ensure_english_name_free(ReferralSource, values["name_en"], REFERRAL_TAKEN)
    return _create(
        ReferralSource(**values, active=True),
        "referral_source.created",
        ("name_en", "name_es", "active"),
        actor=actor,
    )


def update_referral_source(source: ReferralSource, data: dict, *, actor: User) -> None:
    values = _clean_names(data, REFERRAL_NAME_MAX_LENGTH)
    _ensure_english_name_free(ReferralSource, values["name_en"], REFERRAL_TAKEN, source)
    _apply(source, "referral_source.updated", values, actor=actor)


def deactivate_referral_source(source: ReferralSource, *, actor: User) -> None:
    _set_active(source, False, prefix="referral_source", actor=actor)


def reactivate_referral_source(source: ReferralSource, *, actor: User) -> None:
    _set_active(source, True, prefix="referral_source", actor=actor)


# --- Pipeline stages -----------------------------------------------------------------------------

STAGE_NAME_MAX_LENGTH = 80
STAGE_FIELDS = ("name_en", "name_es", "is_closed", "active")


def _clean_stage(data: dict) -> dict:
    values = _clean_names(data, STAGE_NAME_MAX_LENGTH)
    values["is_closed"] = bool(data.get("is_closed", False))
    values["active"] = bool(data.get("active", True))
    return values


def create_stage(data: dict, *, actor: User) -> Stage:
    values = _clean_stage(data)
    stage = Stage(
        key=slug_key(Stage, values["name_en"], fallback="stage"),
        position=_next_position(Stage),
        **values,
    )
    return _create(stage, "stage.created", ("key", *STAGE_FIELDS, "position"), actor=actor)


def update_stage(stage: Stage, data: dict, *, actor: User) -> None:
    """Names, closed or not, active. The key never changes: the code relies on it."""
    values = _clean_stage({"active": stage.active, "is_closed": stage.is_closed, **data})
    if stage.key == LICENSED_STAGE_KEY:
        # Moving a provider to Licensed records their license: it must stay open and in use.
        if values["is_closed"]:
            raise DomainError(_l("The Licensed stage cannot be a closed stage."), field="is_closed")
        if not values["active"]:
            raise DomainError(_l("The Licensed stage must stay in use."), field="active")
    _apply(stage, "stage.updated", values, actor=actor)


def move_stage(stage: Stage, direction: str, *, actor: User) -> bool:
    return _move(stage, direction, prefix="stage", actor=actor)


# --- Requirement templates -----------------------------------------------------------------------

REQUIREMENT_NAME_MAX_LENGTH = 120
REQUIREMENT_FIELDS = (
    "name_en",
    "name_es",
    "description_en",
    "description_es",
    "applies_to",
    "condition",
    "before_licensing",
    "valid_months",
    "valid_months_at_application",
    "active",
)


def _clean_requirement(data: dict) -> dict:
    values = _clean_names(data, REQUIREMENT_NAME_MAX_LENGTH)
    for field in ("description_en", "description_es"):
        values[field] = clean_text(
            data.get(field),
            field=field,
            max_length=DESCRIPTION_MAX_LENGTH,
            required=False,
            multiline=True,
        )
    try:
        values["applies_to"] = AppliesTo(data.get("applies_to"))
    except ValueError:
        raise DomainError(_l("Choose who this applies to."), field="applies_to") from None
    try:
        values["condition"] = Condition(data.get("condition") or Condition.ALWAYS)
    except ValueError:
        raise DomainError(_l("Choose when this applies."), field="condition") from None
    values["before_licensing"] = bool(data.get("before_licensing", True))
    for field in ("valid_months", "valid_months_at_application"):
        values[field] = clean_months(data.get(field), field=field)
    values["active"] = bool(data.get("active", True))
    return values


def create_requirement(data: dict, *, actor: User) -> Requirement:
    values = _clean_requirement(data)
    requirement = Requirement(
        key=slug_key(Requirement, values["name_en"], fallback="requirement"),
        position=_next_position(Requirement),
        **values,
    )
    return _create(
        requirement,
        "requirement.created",
        ("key", *REQUIREMENT_FIELDS, "position"),
        actor=actor,
    )


def update_requirement(requirement: Requirement, data: dict, *, actor: User) -> None:
    current = {field: getattr(requirement, field) for field in REQUIREMENT_FIELDS}
    values = _clean_requirement({**current, **data})
    _apply(requirement, "requirement.updated", values, actor=actor)


def move_requirement(requirement: Requirement, direction: str, *, actor: User) -> bool:
    return _move(requirement, direction, prefix="requirement", actor=actor)


# --- CKC areas -------------------------------------------------------------------------------------
# Connecticut's Core Knowledge and Competencies areas, which courses and credits are filed under.

CKC_AREA_NAME_MAX_LENGTH = 120
CKC_AREA_TAKEN = _l("There is already a CKC area with this English name.")
_CKC_AREA = {"max_length": CKC_AREA_NAME_MAX_LENGTH, "taken": CKC_AREA_TAKEN, "prefix": "ckc_area"}


def create_ckc_area(data: dict, *, actor: User) -> CkcArea:
    return _create_named(CkcArea, data, **_CKC_AREA, actor=actor)


def update_ckc_area(area: CkcArea, data: dict, *, actor: User) -> None:
    _rename(area, data, **_CKC_AREA, actor=actor)


def move_ckc_area(area: CkcArea, direction: str, *, actor: User) -> bool:
    return _move(area, direction, prefix="ckc_area", actor=actor)


def deactivate_ckc_area(area: CkcArea, *, actor: User) -> None:
    """Never deleted (courses and credits are filed under it): no longer offered."""
    _set_active(area, False, prefix="ckc_area", actor=actor)


def reactivate_ckc_area(area: CkcArea, *, actor: User) -> None:
    _set_active(area, True, prefix="ckc_area", actor=actor)


# --- Credentials -----------------------------------------------------------------------------------
# What a course grants (First Aid, CPR, ...), valid for some months or for ever; one that
# answers a checklist requirement completes the provider's item there when earned.

CREDENTIAL_NAME_MAX_LENGTH = 120
CREDENTIAL_FIELDS = ("name_en", "name_es", "valid_months", "requirement_id")
CREDENTIAL_TAKEN = _l("There is already a credential with this English name.")
REQUIREMENT_NOT_OFFERED = _l("Choose a checklist requirement that is in use, or none.")


def _clean_requirement_link(requirement_id, *, current: int | None) -> int | None:
    """None, or a requirement in use (a link kept from before may stay on a deactivated one)."""
    if requirement_id is None:
        return None
    requirement = db.session.get(Requirement, requirement_id)
    if requirement is None or (not requirement.active and requirement.id != current):
        raise DomainError(REQUIREMENT_NOT_OFFERED, field="requirement_id")
    return requirement.id


def _clean_credential(data: dict, *, current_requirement_id: int | None = None) -> dict:
    values = _clean_names(data, CREDENTIAL_NAME_MAX_LENGTH)
    values["valid_months"] = clean_months(data.get("valid_months"), field="valid_months")
    values["requirement_id"] = _clean_requirement_link(
        data.get("requirement_id"), current=current_requirement_id
    )
    return values


def create_credential(data: dict, *, actor: User) -> Credential:
    values = _clean_credential(data)
    _ensure_english_name_free(Credential, values["name_en"], CREDENTIAL_TAKEN)
    credential = Credential(**values, position=_next_position(Credential), active=True)
    return _create(
        credential,
        "credential.created",
        (*CREDENTIAL_FIELDS, "position", "active"),
        actor=actor,
    )


def update_credential(credential: Credential, data: dict, *, actor: User) -> None:
    """Names, validity and the linked requirement. A new validity applies to
    credentials earned from then on; expiry dates already given stay."""
    current = {field: getattr(credential, field) for field in CREDENTIAL_FIELDS}
    values = _clean_credential(
        {**current, **data}, current_requirement_id=credential.requirement_id
    )
    _ensure_english_name_free(Credential, values["name_en"], CREDENTIAL_TAKEN, credential)
    _apply(credential, "credential.updated", values, actor=actor)


def move_credential(credential: Credential, direction: str, *, actor: User) -> bool:
    return _move(credential, direction, prefix="credential", actor=actor)


def deactivate_credential(credential: Credential, *, actor: User) -> None:
    """Never deleted (courses and credits refer to it): no longer offered."""
    _set_active(credential, False, prefix="credential", actor=actor)


def reactivate_credential(credential: Credential, *, actor: User) -> None:
    _set_active(credential, True, prefix="credential", actor=actor)


# --- Coaching topics -------------------------------------------------------------------------------
# What a coaching contact covered (budgeting, licensing compliance, ...), ticked on each contact.

COACHING_TOPIC_NAME_MAX_LENGTH = 120
COACHING_TOPIC_TAKEN = _l("There is already a coaching topic with this English name.")
_COACHING_TOPIC = {
    "max_length": COACHING_TOPIC_NAME_MAX_LENGTH,
    "taken": COACHING_TOPIC_TAKEN,
    "prefix": "coaching_topic",
}


def create_coaching_topic(data: dict, *, actor: User) -> CoachingTopic:
    return _create_named(CoachingTopic, data, **_COACHING_TOPIC, actor=actor)


def update_coaching_topic(topic: CoachingTopic, data: dict, *, actor: User) -> None:
    _rename(topic, data, **_COACHING_TOPIC, actor=actor)


def move_coaching_topic(topic: CoachingTopic, direction: str, *, actor: User) -> bool:
    return _move(topic, direction, prefix="coaching_topic", actor=actor)


def deactivate_coaching_topic(topic: CoachingTopic, *, actor: User) -> None:
    """Never deleted (contacts are filed under it): no longer offered on new contacts."""
    _set_active(topic, False, prefix="coaching_topic", actor=actor)


def reactivate_coaching_topic(topic: CoachingTopic, *, actor: User) -> None:
    _set_active(topic, True, prefix="coaching_topic", actor=actor)
