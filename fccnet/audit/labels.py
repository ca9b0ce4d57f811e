"""How audit events read on the audit log page, in the reader's language."""

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from fccnet.auth.forms import ROLE_LABELS
from fccnet.auth.models import Role

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
}

TARGET_LABELS = {
    "users": _l("Account"),
}

FIELD_LABELS = {
    "name": _l("Name"),
    "email": _l("Email"),
    "role": _l("Role"),
    "language": _l("Language"),
    "active": _l("Active"),
}


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
