"""Command-line tasks: `flask create-user`, `flask seed-demo`."""

import sys

import click
from flask import Flask, current_app
from flask.cli import with_appcontext
from sqlalchemy import select

from fccnet import demo
from fccnet.auth import services
from fccnet.auth.models import Role
from fccnet.defaults import ensure_defaults
from fccnet.errors import DomainError
from fccnet.extensions import db
from fccnet.licensing.services import sync_checklist
from fccnet.providers.models import Provider


def read_new_password() -> str:
    """Prompt twice, hidden, on a terminal; read one line (or two that must match) from a pipe."""
    if sys.stdin.isatty():
        return click.prompt("Password", hide_input=True, confirmation_prompt=True)
    lines = sys.stdin.read().splitlines()
    if not lines:
        raise click.ClickException("No password given on standard input.")
    if len(lines) > 1 and lines[1] != lines[0]:
        raise click.ClickException("The two passwords do not match.")
    return lines[0]


@click.command("create-user")
@with_appcontext
@click.argument("email")
@click.option("--name", required=True, help="Full name.")
@click.option(
    "--role",
    type=click.Choice([r.value for r in Role]),
    default=Role.MANAGER.value,
    show_default=True,
)
@click.option("--language", default="en", show_default=True, help="Interface language code.")
def create_user_command(email: str, name: str, role: str, language: str) -> None:
    """Create an account with a password (the first manager of a new install)."""
    password = read_new_password()
    try:
        user = services.create_user(
            email=email, name=name, role=Role(role), language=language, actor=None
        )
        services.set_password(user, password, actor=None)
    except DomainError as error:
        db.session.rollback()
        raise click.ClickException(str(error)) from None
    db.session.commit()
    click.echo(f"Created {user.role.value} account {user.email}.")


@click.command("seed-demo")
@with_appcontext
@click.option(
    "--first-run",
    is_flag=True,
    help="Used by `make run`: seed an empty database, otherwise just print the demo sign-ins.",
)
@click.option(
    "--providers",
    "provider_count",
    type=click.IntRange(min=1),
    default=None,
    metavar="N",
    help=(
        "For scale tests: instead of the ~60 hand-made demo providers, generate N providers "
        "(with households, stage history, checklist items, training history, and about "
        "10 coaching contacts and 5 action items each) using bulk inserts. "
        "The demo accounts and reference lists are created too."
    ),
)
def seed_demo_command(first_run: bool, provider_count: int | None) -> None:
    """Fill an EMPTY database (no accounts) with demo accounts and data.

    Without options: the demo accounts, the reference lists and about 60 realistic
    providers made through the same services a coach uses (audit trail, stage
    history, checklists), the same every time (fixed seed). With --providers N:
    the accounts, the reference lists and N generated providers with their training
    and coaching history (20,000 take about a minute on SQLite). Refuses a database that has accounts, and
    never runs under the production configuration.
    """
    if not current_app.config["ALLOW_DEMO_DATA"]:
        raise click.ClickException("Demo data is never loaded under the production configuration.")
    if services.count_users() > 0:
        if first_run:
            demo.print_sign_ins(click.echo)
            return
        raise click.ClickException(
            "This database already has accounts; seed-demo only fills an empty database."
        )
    ensure_defaults()
    if provider_count is None:
        providers = len(demo.seed_demo())
    else:
        providers = demo.seed_scale(provider_count).providers
    db.session.commit()
    click.echo(f"Demo data loaded: {providers} providers.")
    demo.print_sign_ins(click.echo)


@click.command("seed-defaults")
@with_appcontext
def seed_defaults_command() -> None:
    """Fill empty reference lists (stages, requirements, towns) with the seeded defaults."""
    ensure_defaults()
    db.session.commit()
    click.echo("Reference lists are in place.")


@click.command("sync-checklists")
@with_appcontext
def sync_checklists_command() -> None:
    """Create checklist items that have come due (run nightly, e.g. from cron)."""
    created = 0
    for provider in db.session.scalars(select(Provider).where(Provider.deleted_at.is_(None))):
        created += len(sync_checklist(provider))
    db.session.commit()
    click.echo(f"Created {created} checklist items.")


def register_commands(app: Flask) -> None:
    for command in (
        create_user_command,
        seed_demo_command,
        seed_defaults_command,
        sync_checklists_command,
    ):
        app.cli.add_command(command)
