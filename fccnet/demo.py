"""Demo data for trying fccnet out. Never loaded under the production config."""

from collections.abc import Callable

from fccnet.auth import services as auth_services
from fccnet.auth.models import Role

DEMO_PASSWORD = "hartford-demo-2026"  # noqa: S105 - printed for people trying the demo
DEMO_ACCOUNTS = [
    ("manager@demo.fccnet.org", "Marisol Rivera", Role.MANAGER, "en"),
    ("coach1@demo.fccnet.org", "Denise Carter", Role.COACH, "en"),
    ("coach2@demo.fccnet.org", "Luis Ortega", Role.COACH, "es"),
    ("provider1@demo.fccnet.org", "Keisha Williams", Role.PROVIDER, "en"),
    ("provider2@demo.fccnet.org", "Ana Pérez Núñez", Role.PROVIDER, "es"),
]


def seed_demo() -> None:
    for email, name, role, language in DEMO_ACCOUNTS:
        user = auth_services.create_user(
            email=email, name=name, role=role, language=language, actor=None
        )
        auth_services.set_password(user, DEMO_PASSWORD, actor=None)


def print_sign_ins(echo: Callable[[str], None]) -> None:
    existing = [a for a in DEMO_ACCOUNTS if auth_services.find_user_by_email(a[0]) is not None]
    if not existing:
        return
    echo(f"Demo sign-ins (password for all: {DEMO_PASSWORD}):")
    for email, name, role, _language in existing:
        echo(f"  {role.value:<9} {email:<28} {name}")
