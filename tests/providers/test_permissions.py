"""Provider predicates as a role x ownership matrix."""

from types import SimpleNamespace

import pytest

from fccnet.auth.models import Role
from fccnet.licensing import permissions as licensing
from fccnet.providers import permissions as providers


def user(role: Role, user_id: int):
    return SimpleNamespace(
        id=user_id,
        is_authenticated=True,
        is_manager=role is Role.MANAGER,
        is_coach=role is Role.COACH,
        is_provider=role is Role.PROVIDER,
        is_staff=role in (Role.MANAGER, Role.COACH),
    )


MANAGER = user(Role.MANAGER, 1)
COACH = user(Role.COACH, 2)  # assigned to the record
OTHER_COACH = user(Role.COACH, 3)
OWNER = user(Role.PROVIDER, 4)  # the record's own account
OTHER_PROVIDER = user(Role.PROVIDER, 5)
ANONYMOUS = SimpleNamespace(is_authenticated=False)


def record(deleted=False):
    return SimpleNamespace(coach_id=2, user_id=4, is_deleted=deleted)


# predicate: (manager, assigned coach, other coach, owner, other provider, anonymous)
MATRIX = {
    "can_view_provider": (True, True, True, True, False, False),
    "can_edit_provider": (True, True, False, False, False, False),
    "can_edit_own_contact": (False, False, False, True, False, False),
    "can_delete_provider": (True, False, False, False, False, False),
    "can_view_provider_history": (True, False, False, False, False, False),
    "can_invite_provider": (True, True, False, False, False, False),
}
LICENSING = {
    "can_move_stage": (True, True, False, False, False, False),
    "can_update_item": (True, True, False, False, False, False),
    "can_upload_document": (True, True, False, False, False, False),
    "can_download_document": (True, True, True, True, False, False),
}
PEOPLE = (MANAGER, COACH, OTHER_COACH, OWNER, OTHER_PROVIDER, ANONYMOUS)


@pytest.mark.parametrize(
    ("module", "name", "expected"),
    [(providers, n, e) for n, e in MATRIX.items()]
    + [(licensing, n, e) for n, e in LICENSING.items()],
)
def test_predicates(module, name, expected):
    predicate = getattr(module, name)
    assert tuple(predicate(person, record()) for person in PEOPLE) == expected


def test_a_deleted_record_is_seen_by_managers_only_and_edited_by_nobody():
    deleted = record(deleted=True)
    assert [providers.can_view_provider(p, deleted) for p in PEOPLE] == [
        True,
        False,
        False,
        False,
        False,
        False,
    ]
    assert not any(providers.can_edit_provider(p, deleted) for p in PEOPLE)
    assert providers.can_restore_provider(MANAGER, deleted)
    assert not providers.can_restore_provider(MANAGER, record())


def test_list_and_create_are_for_staff():
    assert [providers.can_list_providers(p) for p in PEOPLE] == [
        True,
        True,
        True,
        False,
        False,
        False,
    ]
    assert [providers.can_create_provider(p) for p in PEOPLE] == [
        True,
        True,
        True,
        False,
        False,
        False,
    ]
