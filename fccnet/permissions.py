"""Authorization helpers and the app-wide predicates.

Each domain keeps its own `can_<verb>_<noun>(user, obj)` predicates in its
permissions module; they are exposed to templates here so a button is hidden by
the same rule that refuses the request.
"""

from collections.abc import Callable

from flask import Blueprint, Flask, abort
from flask_login import current_user, login_required

from fccnet.auth.models import User


def require(condition: bool, *, hide: bool = False) -> None:
    """Refuse the request unless `condition` holds.

    `hide=True` answers 404, as for a missing record, so that a person cannot
    learn that a record they may not see exists.
    """
    if not condition:
        abort(404 if hide else 403)


def login_required_for(blueprint: Blueprint) -> None:
    """Every route of this blueprint needs a signed-in user, new ones included."""

    @blueprint.before_request
    @login_required
    def _require_login():
        return None


def register_template_predicates(app: Flask, **predicates: Callable) -> None:
    app.jinja_env.globals.update(predicates)


def current_actor() -> User:
    """The signed-in user as a real model object, for services and the audit log."""
    return current_user._get_current_object()
