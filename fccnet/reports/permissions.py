"""Who reads reports and takes data out of the network."""

from fccnet.auth.models import User


def can_view_reports(user: User) -> bool:
    """Managers see the network; a coach sees the same reports over their own caseload."""
    return user.is_authenticated and user.is_staff


def is_limited_to_caseload(user: User) -> bool:
    return user.is_authenticated and user.is_coach


def can_view_report_card(user: User) -> bool:
    """The published report card speaks for the whole network: managers only."""
    return user.is_authenticated and user.is_manager


def can_export_partner_data(user: User) -> bool:
    return user.is_authenticated and user.is_manager


def can_export_lists(user: User) -> bool:
    """Lists with names (providers, contacts, credits) leave the app only with a manager."""
    return user.is_authenticated and user.is_manager
