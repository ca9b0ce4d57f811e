"""Who may see and change which provider record."""

from fccnet.auth.models import User
from fccnet.providers.models import Provider


def is_staff(user: User) -> bool:
    return user.is_authenticated and user.is_staff


def is_own_record(user: User, provider: Provider) -> bool:
    return user.is_authenticated and user.is_provider and provider.user_id == user.id


def can_list_providers(user: User) -> bool:
    return is_staff(user)


def can_create_provider(user: User) -> bool:
    return is_staff(user)


def can_view_provider(user: User, provider: Provider) -> bool:
    """Staff see every record (managers also deleted ones); a provider only their own."""
    if provider.is_deleted:
        return user.is_authenticated and user.is_manager
    return is_staff(user) or is_own_record(user, provider)


def can_edit_provider(user: User, provider: Provider) -> bool:
    """Managers edit every record; coaches the ones assigned to them."""
    if not user.is_authenticated or provider.is_deleted:
        return False
    return user.is_manager or (user.is_coach and provider.coach_id == user.id)


def can_edit_own_contact(user: User, provider: Provider) -> bool:
    return is_own_record(user, provider) and not provider.is_deleted


def can_see_staff_fields(user: User) -> bool:
    """Staff notes, the household's details, the audit trail: never for providers."""
    return is_staff(user)


def can_assign_coach(user: User, provider: Provider | None = None) -> bool:
    return user.is_authenticated and user.is_manager


def can_delete_provider(user: User, provider: Provider) -> bool:
    return user.is_authenticated and user.is_manager and not provider.is_deleted


def can_restore_provider(user: User, provider: Provider) -> bool:
    return user.is_authenticated and user.is_manager and provider.is_deleted


def can_view_provider_history(user: User, provider: Provider) -> bool:
    return user.is_authenticated and user.is_manager


def can_invite_provider(user: User, provider: Provider) -> bool:
    return can_edit_provider(user, provider)
