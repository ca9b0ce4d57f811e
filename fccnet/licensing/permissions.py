"""Who may move a provider through the pipeline, work their checklist and read evidence."""

from fccnet.auth.models import User
from fccnet.providers.models import Provider
from fccnet.providers.permissions import can_edit_provider, can_view_provider, is_staff


def can_move_stage(user: User, provider: Provider) -> bool:
    return can_edit_provider(user, provider)


def can_update_item(user: User, provider: Provider) -> bool:
    return can_edit_provider(user, provider)


def can_upload_document(user: User, provider: Provider) -> bool:
    return can_edit_provider(user, provider)


def can_download_document(user: User, provider: Provider) -> bool:
    return can_view_provider(user, provider)


def can_view_compliance(user: User) -> bool:
    return is_staff(user)
