"""Who logs, reads and changes coaching records."""

from fccnet.auth.models import User
from fccnet.coaching.models import ActionItem, ActionStatus, Contact, ItemOwner
from fccnet.coaching.services import is_locked
from fccnet.providers.models import Provider
from fccnet.providers.permissions import can_view_provider, is_own_record, is_staff


def can_log_contact(user: User, provider: Provider) -> bool:
    """Any coach may log a contact with any provider (covering for a colleague)."""
    return is_staff(user) and not provider.is_deleted


def can_view_internal_notes(user: User) -> bool:
    """Internal notes and internal addenda: staff only, never the provider."""
    return is_staff(user)


def can_view_contact(user: User, contact: Contact) -> bool:
    """The record's readers; a deleted contact stays readable to managers only."""
    if contact.is_deleted and not (user.is_authenticated and user.is_manager):
        return False
    return can_view_coaching(user, contact.provider)


def can_correct_contact(user: User, contact: Contact) -> bool:
    """Its author, or a manager; whether the edit window is still open aside."""
    if not is_staff(user) or contact.is_deleted or contact.provider.is_deleted:
        return False
    return user.is_manager or contact.coach_id == user.id


def can_edit_contact(user: User, contact: Contact) -> bool:
    """Its author (or a manager) while the edit window is open."""
    return can_correct_contact(user, contact) and not is_locked(contact)


def can_add_addendum(user: User, contact: Contact) -> bool:
    return is_staff(user) and not contact.is_deleted and not contact.provider.is_deleted


def can_delete_contact(user: User, contact: Contact) -> bool:
    return user.is_authenticated and user.is_manager and not contact.is_deleted


def can_view_contact_versions(user: User, contact: Contact) -> bool:
    return user.is_authenticated and user.is_manager


def can_manage_action_items(user: User, provider: Provider) -> bool:
    return is_staff(user) and not provider.is_deleted


def can_edit_action_item(user: User, item: ActionItem) -> bool:
    """Open items only: a closed one is reopened first."""
    return can_manage_action_items(user, item.provider) and item.status is ActionStatus.OPEN


def can_close_action_item(user: User, item: ActionItem) -> bool:
    """Staff close any item; the provider marks their own items done."""
    if item.provider.is_deleted:
        return False
    if is_staff(user):
        return True
    return is_own_record(user, item.provider) and item.owner is ItemOwner.PROVIDER


def can_manage_goals(user: User, provider: Provider) -> bool:
    return is_staff(user) and not provider.is_deleted


def can_view_coaching(user: User, provider: Provider) -> bool:
    """Shared summaries, next steps, action items and goals: the record's readers."""
    return can_view_provider(user, provider)
