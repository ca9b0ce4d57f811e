"""`flask create-user` and `flask seed-demo`."""

from sqlalchemy import func, select

from config import ProductionConfig
from fccnet.auth import services
from fccnet.auth.models import Role, User
from fccnet.demo import DEMO_ACCOUNTS, DEMO_PASSWORD
from fccnet.extensions import db
from fccnet.licensing.models import Stage


def count_users(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(User))


def test_create_user_reads_a_piped_password(app, runner):
    result = runner.invoke(
        args=["create-user", "First@Example.org", "--name", "First Manager", "--role", "manager"],
        input="a strong first passphrase\na strong first passphrase\n",
    )
    assert result.exit_code == 0, result.output
    assert "Created manager account first@example.org." in result.output
    with app.app_context():
        user = services.authenticate("first@example.org", "a strong first passphrase")
        assert user is not None and user.role is Role.MANAGER


def test_create_user_refuses_a_weak_password(app, runner):
    result = runner.invoke(
        args=["create-user", "weak@example.org", "--name", "Weak"], input="password123\n"
    )
    assert result.exit_code != 0
    assert "too common" in result.output
    assert count_users(app) == 0


def test_create_user_refuses_mismatched_confirmation(app, runner):
    result = runner.invoke(
        args=["create-user", "x@example.org", "--name", "X"],
        input="one long passphrase\nanother long passphrase\n",
    )
    assert result.exit_code != 0
    assert "do not match" in result.output
    assert count_users(app) == 0


def test_create_user_refuses_an_existing_email(app, runner, coach):
    result = runner.invoke(
        args=["create-user", coach.email.upper(), "--name", "Again"],
        input="a strong first passphrase\n",
    )
    assert result.exit_code != 0
    assert "already exists" in result.output
    assert count_users(app) == 1


def test_seed_demo_fills_an_empty_database_and_prints_the_sign_ins(app, runner):
    result = runner.invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    for email, _name, _role, _language in DEMO_ACCOUNTS:
        assert email in result.output
    assert DEMO_PASSWORD in result.output
    with app.app_context():
        roles = sorted(u.role.value for u in db.session.scalars(select(User)))
        assert roles == ["coach", "coach", "manager", "provider", "provider"]
        assert services.authenticate(DEMO_ACCOUNTS[0][0], DEMO_PASSWORD) is not None


def test_seed_demo_refuses_a_database_with_users(app, runner, coach):
    result = runner.invoke(args=["seed-demo"])
    assert result.exit_code != 0
    assert "already has accounts" in result.output
    assert count_users(app) == 1


def test_seed_demo_first_run_only_prints_on_later_runs(app, runner):
    assert runner.invoke(args=["seed-demo", "--first-run"]).exit_code == 0
    again = runner.invoke(args=["seed-demo", "--first-run"])
    assert again.exit_code == 0
    assert DEMO_ACCOUNTS[0][0] in again.output
    assert count_users(app) == len(DEMO_ACCOUNTS)


def test_seed_demo_refuses_to_run_under_production(make_app):
    app = make_app(ProductionConfig, SECRET_KEY="p" * 40)
    result = app.test_cli_runner().invoke(args=["seed-demo"])
    assert result.exit_code != 0
    assert "production" in result.output


def test_create_user_checks_the_email_and_name_like_the_forms_do(app, runner):
    for args in (
        ["create-user", "not-an-email", "--name", "Someone"],
        ["create-user", "ok@example.org", "--name", "   "],
        ["create-user", "ok@example.org", "--name", "x" * 300],
        ["create-user", "ok@example.org", "--name", "Someone", "--language", "fr"],
    ):
        result = runner.invoke(args=args, input="a strong first passphrase\n")
        assert result.exit_code != 0, args
        assert "Error:" in result.output
    assert count_users(app) == 0


def test_seed_defaults_and_sync_checklists(app, runner):
    result = runner.invoke(args=["seed-defaults"])
    assert result.exit_code == 0, result.output
    assert runner.invoke(args=["seed-defaults"]).exit_code == 0  # idempotent
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Stage)) == 10
    result = runner.invoke(args=["sync-checklists"])
    assert result.exit_code == 0 and "Created 0 checklist items." in result.output
