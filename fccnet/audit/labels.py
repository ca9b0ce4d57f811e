"""How audit events read on the audit log page, in the reader's language."""

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from fccnet.auth.forms import ROLE_LABELS
from fccnet.auth.models import Role
from fccnet.settings.services import SETTINGS

ACTION_LABELS = {
    "auth.signed_in": _l("Signed in"),
    "auth.sign_in_failed": _l("Sign-in failed"),
    "auth.signed_out": _l("Signed out"),
    "user.created": _l("Account created"),
    "user.updated": _l("Account changed"),
    "user.deactivated": _l("Account deactivated"),
    "user.reactivated": _l("Account reactivated"),
    "user.password_link_issued": _l("Set-password link issued"),
    "user.password_set": _l("Password set"),
    # Network settings and managed lists (fccnet.settings)
    "setting.changed": _l("Network setting changed"),
    "town.created": _l("Town added"),
    "town.updated": _l("Town renamed"),
    "town.deactivated": _l("Town deactivated"),
    "town.reactivated": _l("Town reactivated"),
    "neighborhood.created": _l("Neighborhood added"),
    "neighborhood.updated": _l("Neighborhood changed"),
    "referral_source.created": _l("How-heard answer added"),
    "referral_source.updated": _l("How-heard answer changed"),
    "referral_source.deactivated": _l("How-heard answer deactivated"),
    "referral_source.reactivated": _l("How-heard answer reactivated"),
    "stage.created": _l("Pipeline stage added"),
    "stage.updated": _l("Pipeline stage changed"),
    "stage.moved": _l("Pipeline stage moved"),
    "requirement.created": _l("Requirement added"),
    "requirement.updated": _l("Requirement changed"),
    "requirement.moved": _l("Requirement moved"),
}

TARGET_LABELS = {
    "users": _l("Account"),
    "towns": _l("Town"),
    "neighborhoods": _l("Neighborhood"),
    "referral_sources": _l("How-heard answer"),
    "stages": _l("Pipeline stage"),
    "requirements": _l("Requirement"),
}

FIELD_LABELS = {
    "name": _l("Name"),
    "email": _l("Email"),
    "role": _l("Role"),
    "language": _l("Language"),
    "active": _l("Active"),
    # Network settings and managed lists (fccnet.settings)
    "key": _l("Internal key"),
    "name_en": _l("Name in English"),
    "name_es": _l("Name in Spanish"),
    "description_en": _l("Description in English"),
    "description_es": _l("Description in Spanish"),
    "promise_zone": _l("In the North Hartford Promise Zone"),
    "is_closed": _l("Closed stage"),
    "position": _l("Order"),
    "applies_to": _l("Applies to"),
    "condition": _l("When"),
    "before_licensing": _l("Needed before licensing"),
    "valid_months": _l("Valid for (months)"),
    "valid_months_at_application": _l("Valid at application for (months)"),
}
FIELD_LABELS.update({key: spec.label for key, spec in SETTINGS.items()})


def describe_value(field: str, value) -> str:
    """A stored old or new value as a person reads it."""
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if field == "role" and value in Role._value2member_map_:
        return str(ROLE_LABELS[Role(value)])
    if field == "language":
        return current_app.config["LANGUAGES"].get(value, value)
    return str(value)
