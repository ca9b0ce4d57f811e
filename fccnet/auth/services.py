"""Account changes. Each function flushes, audits, and leaves the commit to its caller."""

import hashlib
import secrets
from datetime import timedelta

from email_validator import EmailNotValidError, validate_email
from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select, update

from fccnet.audit.services import diff_fields, record_event
from fccnet.auth import passwords
from fccnet.auth.models import Role, SetPasswordLink, User, new_session_token
from fccnet.database import utcnow
from fccnet.errors import DomainError
from fccnet.extensions import db
from fccnet.text import clean_text, has_forbidden_characters

EDITABLE_FIELDS = ("name", "email", "role", "language")
NAME_MAX_LENGTH = 120
EMAIL_MAX_LENGTH = 254
EMAIL_TAKEN = _l("An account with this email already exists.")


def normalise_email(email: str) -> str:
    return email.strip().lower()


def clean_email(email: str) -> str:
    """The normalised address, or DomainError. The forms check the same, earlier."""
    email = normalise_email(email)
    try:
        validate_email(email, check_deliverability=False)
    except EmailNotValidError:
        raise DomainError(
            _l("Enter an email address such as name@example.org."), field="email"
        ) from None
    if len(email) > EMAIL_MAX_LENGTH or has_forbidden_characters(email):
        raise DomainError(_l("Enter an email address such as name@example.org."), field="email")
    return email


def clean_name(name: str) -> str:
    return clean_text(name, field="name", max_length=NAME_MAX_LENGTH)


def find_user_by_email(email: str) -> User | None:
    return db.session.scalar(select(User).where(User.email == normalise_email(email)))


def authenticate(email: str, password: str) -> User | None:
    """The active user with this email and password, or None. Audits both outcomes."""
    user = find_user_by_email(email)
    password_ok = passwords.verify_password(user.password_hash if user else None, password)
    if user is None or not password_ok or not user.active:
        record_event(
            "auth.sign_in_failed",
            actor=None,
            target=user,
            details={"email": normalise_email(email)[:254]},
        )
        return None
    if passwords.needs_rehash(user.password_hash):
        user.password_hash = passwords.hash_password(password)
    user.last_sign_in_at = utcnow()
    record_event("auth.signed_in", actor=user, target=user)
    db.session.flush()
    return user


def end_all_sessions(user: User) -> None:
    user.session_token = new_session_token()


def sign_out(user: User) -> None:
    end_all_sessions(user)
    record_event("auth.signed_out", actor=user, target=user)
    db.session.flush()


def _ensure_email_free(email: str, user: User | None = None) -> None:
    existing = find_user_by_email(email)
    if existing is not None and (user is None or existing.id != user.id):
        raise DomainError(EMAIL_TAKEN, field="email")


def create_user(
    *, email: str, name: str, role: Role, language: str = "en", actor: User | None
) -> User:
    email = clean_email(email)
    _ensure_email_free(email)
    user = User(
        email=email, name=clean_name(name), role=Role(role), language=clean_language(language)
    )
    db.session.add(user)
    db.session.flush()
    record_event(
        "user.created",
        actor=actor,
        target=user,
        changes={field: (None, getattr(user, field)) for field in EDITABLE_FIELDS},
    )
    return user


def update_user(user: User, data: dict, *, actor: User) -> None:
    new_values = {field: data[field] for field in EDITABLE_FIELDS if field in data}
    if "email" in new_values:
        new_values["email"] = clean_email(new_values["email"])
        _ensure_email_free(new_values["email"], user)
    if "name" in new_values:
        new_values["name"] = clean_name(new_values["name"])
    if "language" in new_values:
        clean_language(new_values["language"])
    changes = diff_fields(user, new_values)
    if "role" in changes and user.id == actor.id:
        raise DomainError(_l("You cannot change your own role."), field="role")
    if not changes:
        return
    for field, (_old, new) in changes.items():
        setattr(user, field, new)
    if "role" in changes or "email" in changes:
        # Someone signed in under the old role or address must sign in again.
        end_all_sessions(user)
    record_event("user.updated", actor=actor, target=user, changes=changes)
    db.session.flush()


def deactivate_user(user: User, *, actor: User) -> None:
    if user.id == actor.id:
        raise DomainError(_l("You cannot deactivate your own account."))
    if not user.active:
        return
    user.active = False
    end_all_sessions(user)
    record_event("user.deactivated", actor=actor, target=user, changes={"active": (True, False)})
    db.session.flush()


def reactivate_user(user: User, *, actor: User) -> None:
    if user.active:
        return
    user.active = True
    record_event("user.reactivated", actor=actor, target=user, changes={"active": (False, True)})
    db.session.flush()


def clean_language(language: str) -> str:
    if language not in current_app.config["LANGUAGES"]:
        raise DomainError(_l("Unknown language."), field="language")
    return language


def set_language(user: User, language: str) -> None:
    clean_language(language)
    changes = diff_fields(user, {"language": language})
    if changes:
        user.language = language
        record_event("user.updated", actor=user, target=user, changes=changes)
        db.session.flush()


def _require_acceptable(password: str) -> None:
    problem = passwords.password_problem(password)
    if problem is not None:
        raise DomainError(problem, field="password")


def set_password(user: User, password: str, *, actor: User | None) -> None:
    """Set a password and end every existing session of the user."""
    _require_acceptable(password)
    user.password_hash = passwords.hash_password(password)
    end_all_sessions(user)
    record_event("user.password_set", actor=actor, target=user)
    db.session.flush()


def change_password(user: User, current_password: str, new_password: str) -> None:
    if not passwords.verify_password(user.password_hash, current_password):
        raise DomainError(_l("Your current password is not correct."), field="current_password")
    set_password(user, new_password, actor=user)


def _hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue_set_password_link(user: User, *, actor: User) -> str:
    """Create a one-time token (returned once, stored only as a hash).

    Issuing a new link voids the user's earlier unused ones.
    """
    if not user.active:
        raise DomainError(_l("Reactivate the account before issuing a link."))
    now = utcnow()
    db.session.execute(
        update(SetPasswordLink)
        .where(SetPasswordLink.user_id == user.id, SetPasswordLink.used_at.is_(None))
        .values(used_at=now)
    )
    token = secrets.token_urlsafe(32)
    hours = current_app.config["SET_PASSWORD_LINK_HOURS"]
    db.session.add(
        SetPasswordLink(
            user=user,
            token_hash=_hash_token(token),
            created_by_id=actor.id,
            created_at=now,
            expires_at=now + timedelta(hours=hours),
        )
    )
    record_event("user.password_link_issued", actor=actor, target=user)
    db.session.flush()
    return token


def find_usable_link(token: str) -> SetPasswordLink | None:
    link = db.session.scalar(
        select(SetPasswordLink).where(SetPasswordLink.token_hash == _hash_token(token))
    )
    if link is None or not link.is_usable(utcnow()) or not link.user.active:
        return None
    return link


def set_password_with_link(link: SetPasswordLink, password: str) -> User:
    _require_acceptable(password)
    # Claim the link atomically: of two concurrent submissions only one succeeds.
    claimed = db.session.execute(
        update(SetPasswordLink)
        .where(SetPasswordLink.id == link.id, SetPasswordLink.used_at.is_(None))
        .values(used_at=utcnow())
    ).rowcount
    if claimed != 1:
        raise DomainError(_l("This link has already been used."))
    set_password(link.user, password, actor=link.user)
    return link.user


def count_users() -> int:
    return db.session.scalar(select(func.count()).select_from(User))
