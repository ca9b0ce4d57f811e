"""Reading and changing network settings; every setting has a seeded default."""

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from fccnet.audit.services import record_event
from fccnet.auth.models import User
from fccnet.errors import DomainError
from fccnet.extensions import db
from fccnet.settings.models import NetworkSetting


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
}


def all_settings() -> dict[str, int]:
    """Every setting's value, in one query."""
    stored = dict(db.session.execute(select(NetworkSetting.key, NetworkSetting.value)).all())
    return {key: stored.get(key, spec.default) for key, spec in SETTINGS.items()}


def get_setting(key: str) -> int:
    stored = db.session.get(NetworkSetting, key)
    return stored.value if stored is not None else SETTINGS[key].default


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
