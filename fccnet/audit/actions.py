"""What each audited action is called on the audit log page."""

from flask_babel import lazy_gettext as _l

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
