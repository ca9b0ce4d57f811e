"""fccnet: case management for a Staffed Family Child Care Network."""

from pathlib import Path

from flask import Flask, current_app, has_request_context, request, session
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select

import config as config_module
from fccnet.extensions import babel, bootstrap, csrf, db, limiter, login_manager, migrate

MIGRATIONS_DIR = Path(__file__).resolve().parent.parent / "migrations"
UNSAFE_SECRET_KEYS = {"", "change-me", "changeme", "secret", "dev", "development"}


def create_app(config_class: type[config_module.Config] | None = None, **overrides) -> Flask:
    app = Flask(__name__, instance_path=str(config_module.INSTANCE_DIR))
    app.config.from_object(config_class or config_module.config_from_environment())
    app.config.update(overrides)
    if app.config["GENERATE_SECRET_KEY"] and not app.config["SECRET_KEY"]:
        app.config["SECRET_KEY"] = config_module.development_secret_key()
    check_production_settings(app)

    register_extensions(app)
    register_blueprints(app)
    register_errorhandlers(app)
    register_cli(app)
    register_template_context(app)
    return app


def check_production_settings(app: Flask) -> None:
    if app.config["ENV_NAME"] != "production":
        return
    key = app.config["SECRET_KEY"] or ""
    if key.lower() in UNSAFE_SECRET_KEYS or len(key) < 32:
        raise RuntimeError(
            "SECRET_KEY must be set to a random value of at least 32 characters in production "
            '(for example: python -c "import secrets; print(secrets.token_hex(32))").'
        )
    if app.debug:
        raise RuntimeError("DEBUG must be off in production.")


def select_locale() -> str:
    languages = current_app.config["LANGUAGES"]
    if not has_request_context():  # CLI and background work
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    if current_user.is_authenticated and current_user.language in languages:
        return current_user.language
    if session.get("language") in languages:
        return session["language"]
    return request.accept_languages.best_match(languages) or "en"


def register_extensions(app: Flask) -> None:
    import fccnet.models  # noqa: F401 - every table in the metadata, for Alembic and create_all
    from fccnet.auth.models import User

    db.init_app(app)
    migrate.init_app(app, db, directory=str(MIGRATIONS_DIR), render_as_batch=True)
    csrf.init_app(app)
    babel.init_app(app, locale_selector=select_locale)
    bootstrap.init_app(app)
    limiter.init_app(app)

    login_manager.init_app(app)
    login_manager.login_view = "auth.sign_in"
    login_manager.login_message = _l("Please sign in to see this page.")
    login_manager.login_message_category = "info"

    @login_manager.user_loader
    def load_user(session_token: str) -> User | None:
        # The session holds the user's current session token (see User.get_id);
        # a rotated token or a deactivated account ends the session here.
        return db.session.scalar(
            select(User).where(User.session_token == session_token, User.active.is_(True))
        )

    from fccnet.security import register_security

    register_security(app)


def register_blueprints(app: Flask) -> None:
    from fccnet.database import IdConverter

    # Before any route: <int:…> ids past what the databases store are plain 404s.
    app.url_map.converters["int"] = IdConverter
    from fccnet.attendance.views import bp as attendance_bp
    from fccnet.audit.views import bp as audit_bp
    from fccnet.auth.views import bp as auth_bp
    from fccnet.auth.views import users_bp
    from fccnet.coaching.views import bp as coaching_bp
    from fccnet.credits.views import bp as credits_bp
    from fccnet.credits.views import review_bp as credit_review_bp
    from fccnet.home.views import bp as home_bp
    from fccnet.home.views import health_bp
    from fccnet.licensing.views import bp as licensing_bp
    from fccnet.licensing.views import compliance_bp
    from fccnet.providers.views import bp as providers_bp
    from fccnet.reports.views import bp as reports_bp
    from fccnet.settings.views import bp as settings_bp
    from fccnet.training.views import bp as training_bp
    from fccnet.training.views import feed_bp

    for blueprint in (
        home_bp,
        health_bp,
        auth_bp,
        users_bp,
        audit_bp,
        providers_bp,
        licensing_bp,
        compliance_bp,
        settings_bp,
        training_bp,
        feed_bp,
        attendance_bp,
        credits_bp,
        credit_review_bp,
        coaching_bp,
        reports_bp,
    ):
        app.register_blueprint(blueprint)


def register_errorhandlers(app: Flask) -> None:
    from fccnet.errors import register_errorhandlers as register

    register(app)


def register_cli(app: Flask) -> None:
    from fccnet.cli import register_commands

    register_commands(app)


def register_template_context(app: Flask) -> None:
    from fccnet.audit.labels import ACTION_LABELS
    from fccnet.audit.permissions import can_view_audit_log
    from fccnet.auth import permissions as auth_permissions
    from fccnet.auth.forms import ROLE_LABELS
    from fccnet.auth.views import language_return_path
    from fccnet.coaching import permissions as coaching_permissions
    from fccnet.credits import permissions as credit_permissions
    from fccnet.forms import filter_query, invalid_fields
    from fccnet.licensing import permissions as licensing_permissions
    from fccnet.licensing.forms import STATUS_LABELS
    from fccnet.permissions import register_template_predicates
    from fccnet.providers import permissions as provider_permissions
    from fccnet.providers.queries import own_provider_id
    from fccnet.providers.services import format_phone
    from fccnet.reports import permissions as report_permissions
    from fccnet.reports.tables import show as report_value
    from fccnet.settings.permissions import can_manage_settings
    from fccnet.training import permissions as training_permissions
    from fccnet.training.forms import delivery_label, session_language_label
    from fccnet.training.hours import format_hours

    register_template_predicates(
        app,
        **{
            name: getattr(module, name)
            for module in (
                provider_permissions,
                licensing_permissions,
                training_permissions,
                credit_permissions,
                coaching_permissions,
                report_permissions,
            )
            for name in dir(module)
            if name.startswith("can_")
        },
        can_view_audit_log=can_view_audit_log,
        can_manage_users=auth_permissions.can_manage_users,
        can_edit_user=auth_permissions.can_edit_user,
        can_deactivate_user=auth_permissions.can_deactivate_user,
        can_reactivate_user=auth_permissions.can_reactivate_user,
        can_issue_password_link=auth_permissions.can_issue_password_link,
        can_manage_settings=can_manage_settings,
    )

    app.jinja_env.filters["phone"] = format_phone
    app.jinja_env.filters["hours"] = format_hours
    app.jinja_env.filters["report_value"] = report_value
    app.jinja_env.globals.update(
        own_provider_id=own_provider_id,
        status_label=lambda status: STATUS_LABELS[status],
        action_label=lambda action: ACTION_LABELS.get(action, action),
        network_name=app.config["NETWORK_NAME"],
        languages=app.config["LANGUAGES"],
        current_locale=lambda: str(get_locale()),
        role_label=lambda role: ROLE_LABELS[role],
        language_return_path=language_return_path,
        delivery_label=delivery_label,
        session_language_label=session_language_label,
        invalid_fields=invalid_fields,
        filter_query=filter_query,
    )
