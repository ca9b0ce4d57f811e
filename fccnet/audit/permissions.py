"""Who may read the audit log."""

from fccnet.auth.models import User


def can_view_audit_log(user: User) -> bool:
    return user.is_authenticated and user.is_manager
