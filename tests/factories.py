"""Small factories that build exactly what a test needs.

They return `Principal` snapshots (plain values), so a test can use them across
requests without holding a database session open.
"""

import itertools
from dataclasses import dataclass

from sqlalchemy import select

from fccnet.auth import services as auth_services
from fccnet.auth.models import Role, User
from fccnet.extensions import db

DEFAULT_PASSWORD = "a long test passphrase"
_sequence = itertools.count(1)


@dataclass(frozen=True)
class Principal:
    id: int
    email: str
    name: str
    role: Role
    password: str | None

    def load(self) -> User:
        """The live model object (needs an app context)."""
        return db.session.get(User, self.id)


def create_user(
    *,
    role: Role | str = Role.COACH,
    email: str | None = None,
    name: str | None = None,
    password: str | None = DEFAULT_PASSWORD,
    language: str = "en",
    active: bool = True,
) -> Principal:
    """Create and commit a user. Needs an app context."""
    role = Role(role)
    number = next(_sequence)
    user = auth_services.create_user(
        email=email or f"{role.value}{number}@example.org",
        name=name or f"Test {role.value.title()} {number}",
        role=role,
        language=language,
        actor=None,
    )
    if password is not None:
        auth_services.set_password(user, password, actor=None)
    user.active = active
    db.session.commit()
    return Principal(user.id, user.email, user.name, user.role, password)


def ensure_defaults() -> None:
    """The seeded stages, requirements, towns and referral sources (an app context)."""
    from fccnet.defaults import ensure_defaults as seed

    seed()
    db.session.commit()


def town(name: str = "Hartford"):
    from fccnet.providers.models import Town

    return db.session.scalar(select(Town).where(Town.name == name))


def neighborhood(name: str = "Frog Hollow"):
    from fccnet.providers.models import Neighborhood

    return db.session.scalar(select(Neighborhood).where(Neighborhood.name == name))


def create_provider(*, actor: User, coach: User | None = None, **overrides):
    """A provider in Hartford (Frog Hollow) unless told otherwise. Needs the defaults."""
    from fccnet.providers import services as provider_services

    number = next(_sequence)
    data = {
        "legal_name": f"Provider {number}",
        "town_id": town().id,
        "neighborhood_id": neighborhood().id,
        "phone": None,
        "email": None,
        "languages": ["en"],
        "preferred_language": "en",
    }
    data.update(overrides)
    provider = provider_services.create_provider(data, actor=actor, coach=coach)
    db.session.commit()
    return provider
