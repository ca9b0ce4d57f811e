"""Who sees a training record and who records and reviews credits."""

from fccnet.auth.models import User
from fccnet.providers.models import Provider
from fccnet.providers.permissions import can_edit_provider, can_view_provider, is_own_record
from fccnet.training.models import Credit, Registration


def can_view_training_record(user: User, provider: Provider) -> bool:
    """The provider, staff (their coach and managers), as for the record itself."""
    return can_view_provider(user, provider)


def can_submit_credit(user: User, provider: Provider) -> bool:
    """Training taken elsewhere: the provider themselves or their coach (and managers)."""
    if provider.is_deleted:
        return False
    return is_own_record(user, provider) or can_edit_provider(user, provider)


def can_review_credits(user: User) -> bool:
    return user.is_authenticated and user.is_manager


def can_review_credit(user: User, credit: Credit) -> bool:
    return can_review_credits(user)


def can_download_certificate(user: User, registration: Registration) -> bool:
    return registration.attendance is not None and can_view_provider(user, registration.provider)
