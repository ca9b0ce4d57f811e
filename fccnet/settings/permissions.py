"""Who may change the network's settings and managed lists."""

from fccnet.auth.models import User


def can_manage_settings(user: User) -> bool:
    """Managers only: the rules and lists every coach and provider depends on."""
    return user.is_authenticated and user.is_manager
