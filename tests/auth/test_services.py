"""Account services, called directly (no HTTP)."""

from datetime import timedelta

import pytest
from argon2 import PasswordHasher
from sqlalchemy import select

from fccnet.audit.models import AuditEvent
from fccnet.auth import services
from fccnet.auth.models import Role, SetPasswordLink, User
from fccnet.database import utcnow
from fccnet.errors import DomainError
from fccnet.extensions import db
from tests.factories import DEFAULT_PASSWORD, create_user


def audit_actions() -> list[str]:
    return list(db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)))


def test_create_user_normalises_email_and_audits(ctx):
    manager = create_user(role=Role.MANAGER).load()
    user = services.create_user(
        email="  Ana.Perez@Example.ORG ", name=" Ana Pérez ", role=Role.COACH, actor=manager
    )
    assert user.email == "ana.perez@example.org"
    assert user.name == "Ana Pérez"
    assert user.password_hash is None
    event = db.session.scalars(
        select(AuditEvent).where(
            AuditEvent.action == "user.created", AuditEvent.target_id == user.id
        )
    ).one()
    assert event.actor_id == manager.id
    assert event.target_id == user.id
    assert event.changes["email"] == [None, "ana.perez@example.org"]


def test_create_user_refuses_an_existing_email_in_any_case(ctx):
    create_user(email="dup@example.org")
    with pytest.raises(DomainError) as error:
        services.create_user(email="DUP@example.org", name="X", role=Role.COACH, actor=None)
    assert error.value.field == "email"


def test_authenticate_succeeds_and_records_the_sign_in(ctx):
    principal = create_user()
    user = services.authenticate(principal.email.upper(), DEFAULT_PASSWORD)
    assert user is not None and user.id == principal.id
    assert user.last_sign_in_at is not None
    assert audit_actions()[-1] == "auth.signed_in"


@pytest.mark.parametrize(
    ("email", "password"),
    [("nobody@example.org", DEFAULT_PASSWORD), (None, "wrong password entirely")],
)
def test_authenticate_fails_the_same_way_for_unknown_email_and_wrong_password(ctx, email, password):
    principal = create_user()
    assert services.authenticate(email or principal.email, password) is None
    event = db.session.scalars(select(AuditEvent).order_by(AuditEvent.id.desc())).first()
    assert event.action == "auth.sign_in_failed"
    assert event.actor_id is None
    assert "password" not in str(event.details)
    assert password not in str(event.details)


def test_a_deactivated_user_cannot_authenticate(ctx):
    principal = create_user(active=False)
    assert services.authenticate(principal.email, DEFAULT_PASSWORD) is None


def test_authenticate_rehashes_when_the_hashing_cost_changed(ctx):
    principal = create_user()
    user = principal.load()
    old_params_hash = PasswordHasher(time_cost=3, memory_cost=2048).hash(DEFAULT_PASSWORD)
    user.password_hash = old_params_hash
    db.session.commit()
    services.authenticate(principal.email, DEFAULT_PASSWORD)
    assert user.password_hash != old_params_hash
    assert user.password_hash.startswith("$argon2id$")
    assert "t=1" in user.password_hash  # the test config's cost


def test_set_password_refuses_weak_passwords_and_ends_sessions(ctx):
    user = create_user().load()
    token_before = user.session_token
    for weak in ["short", "password123", "x" * 129]:
        with pytest.raises(DomainError):
            services.set_password(user, weak, actor=None)
    assert user.session_token == token_before
    services.set_password(user, "a perfectly fine phrase", actor=None)
    assert user.session_token != token_before


def test_change_password_requires_the_current_password(ctx):
    user = create_user().load()
    with pytest.raises(DomainError) as error:
        services.change_password(user, "not my password", "another fine passphrase")
    assert error.value.field == "current_password"
    services.change_password(user, DEFAULT_PASSWORD, "another fine passphrase")
    assert services.authenticate(user.email, "another fine passphrase") is not None


def test_update_user_audits_old_and_new_values_and_rotates_on_role_change(ctx):
    manager = create_user(role=Role.MANAGER).load()
    user = create_user(role=Role.COACH, name="Old Name").load()
    token = user.session_token
    services.update_user(user, {"name": "New Name"}, actor=manager)
    assert user.session_token == token
    services.update_user(user, {"role": Role.MANAGER}, actor=manager)
    assert user.session_token != token
    events = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "user.updated").order_by(AuditEvent.id)
    ).all()
    assert events[0].changes == {"name": ["Old Name", "New Name"]}
    assert events[1].changes == {"role": ["coach", "manager"]}


def test_update_user_without_changes_writes_nothing(ctx):
    manager = create_user(role=Role.MANAGER).load()
    user = create_user(name="Same").load()
    before = audit_actions()
    services.update_user(user, {"name": "Same", "email": user.email.upper()}, actor=manager)
    assert audit_actions() == before


def test_a_manager_cannot_change_their_own_role_or_deactivate_themselves(ctx):
    manager = create_user(role=Role.MANAGER).load()
    with pytest.raises(DomainError):
        services.update_user(manager, {"role": Role.COACH}, actor=manager)
    with pytest.raises(DomainError):
        services.deactivate_user(manager, actor=manager)


def test_deactivate_and_reactivate(ctx):
    manager = create_user(role=Role.MANAGER).load()
    user = create_user().load()
    token = user.session_token
    services.deactivate_user(user, actor=manager)
    assert not user.active and user.session_token != token
    services.reactivate_user(user, actor=manager)
    assert user.active
    assert audit_actions()[-2:] == ["user.deactivated", "user.reactivated"]


def test_set_password_link_is_single_use(ctx):
    manager = create_user(role=Role.MANAGER).load()
    user = create_user(password=None).load()
    token = services.issue_set_password_link(user, actor=manager)
    link = services.find_usable_link(token)
    assert link is not None and link.user_id == user.id
    # Only a hash is stored.
    assert token not in {row.token_hash for row in db.session.scalars(select(SetPasswordLink))}
    services.set_password_with_link(link, "my brand new passphrase")
    assert services.find_usable_link(token) is None
    with pytest.raises(DomainError):
        services.set_password_with_link(link, "yet another passphrase")
    assert services.authenticate(user.email, "my brand new passphrase") is not None


def test_set_password_link_expires_after_72_hours(ctx):
    manager = create_user(role=Role.MANAGER).load()
    user = create_user(password=None).load()
    token = services.issue_set_password_link(user, actor=manager)
    link = services.find_usable_link(token)
    assert link.expires_at - link.created_at == timedelta(hours=72)
    link.expires_at = utcnow() - timedelta(seconds=1)
    db.session.flush()
    assert services.find_usable_link(token) is None


def test_a_new_link_voids_the_previous_one(ctx):
    manager = create_user(role=Role.MANAGER).load()
    user = create_user(password=None).load()
    first = services.issue_set_password_link(user, actor=manager)
    second = services.issue_set_password_link(user, actor=manager)
    assert services.find_usable_link(first) is None
    assert services.find_usable_link(second) is not None


def test_links_of_a_deactivated_user_do_not_work(ctx):
    manager = create_user(role=Role.MANAGER).load()
    user = create_user(password=None).load()
    token = services.issue_set_password_link(user, actor=manager)
    services.deactivate_user(user, actor=manager)
    assert services.find_usable_link(token) is None
    with pytest.raises(DomainError):
        services.issue_set_password_link(user, actor=manager)


def test_set_language(ctx):
    user = create_user().load()
    services.set_language(user, "es")
    assert user.language == "es"
    with pytest.raises(DomainError):
        services.set_language(user, "fr")


def test_audit_never_stores_secrets(ctx):
    user = create_user().load()
    services.set_password(user, "secret phrase number one", actor=user)
    services.authenticate(user.email, "secret phrase number one")
    services.authenticate(user.email, "wrong phrase number two")
    db.session.flush()
    for event in db.session.scalars(select(AuditEvent)):
        text = f"{event.changes} {event.details}"
        assert "secret phrase" not in text
        assert "wrong phrase" not in text
        assert user.session_token not in text
        assert "$argon2" not in text


def test_users_table_keeps_emails_unique_at_the_database_level(ctx):
    create_user(email="same@example.org")
    db.session.add(User(email="same@example.org", name="Twin", role=Role.COACH, language="en"))
    with pytest.raises(Exception, match=r"(?i)unique|duplicate"):
        db.session.flush()
