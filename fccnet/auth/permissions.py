"""Who may manage accounts and read the audit log."""

from fccnet.auth.models import User


def can_manage_users(user: User) -> bool:
    return user.is_authenticated and user.is_manager


def can_edit_user(actor: User, user: User) -> bool:
    return can_manage_users(actor)


def can_deactivate_user(actor: User, user: User) -> bool:
    return can_manage_users(actor) and actor.id != user.id and user.active


def can_reactivate_user(actor: User, user: User) -> bool:
    return can_manage_users(actor) and not user.active


def can_issue_password_link(actor: User, user: User) -> bool:
    return can_manage_users(actor) and user.active
