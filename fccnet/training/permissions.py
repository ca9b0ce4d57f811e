"""Who may run the catalog and calendar, and register whom."""

from fccnet.auth.models import User
from fccnet.providers.models import Provider
from fccnet.providers.permissions import can_view_provider, is_own_record, is_staff
from fccnet.training.models import Registration, TrainingSession


def can_manage_training(user: User) -> bool:
    """Courses and sessions: managers run the training calendar."""
    return user.is_authenticated and user.is_manager


def can_view_calendar(user: User) -> bool:
    return user.is_authenticated


def can_register_provider(user: User, provider: Provider) -> bool:
    """Staff register any provider; a provider registers themselves."""
    if provider.is_deleted:
        return False
    return is_staff(user) or is_own_record(user, provider)


def can_register_others(user: User) -> bool:
    return is_staff(user)


def can_cancel_registration(user: User, registration: Registration) -> bool:
    return can_register_provider(user, registration.provider)


def can_view_roster(user: User, session: TrainingSession) -> bool:
    return is_staff(user)


def can_take_attendance(user: User, session: TrainingSession) -> bool:
    """The session's trainer or a manager."""
    if not user.is_authenticated:
        return False
    return user.is_manager or (user.is_staff and session.trainer_id == user.id)


def can_manage_feed(user: User, provider: Provider) -> bool:
    """The personal calendar feed belongs to the provider alone."""
    return is_own_record(user, provider) and not provider.is_deleted


def can_view_registrations(user: User, provider: Provider) -> bool:
    return can_view_provider(user, provider)
