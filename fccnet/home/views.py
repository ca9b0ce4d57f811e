"""Each role's home page, and the health check."""

from flask import Blueprint, jsonify, render_template
from flask_login import current_user
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from fccnet.auth.queries import count_active_users_by_role
from fccnet.extensions import db
from fccnet.permissions import login_required_for

bp = Blueprint("home", __name__)
login_required_for(bp)

health_bp = Blueprint("health", __name__)


@bp.route("/")
def index():
    if current_user.is_manager:
        counts = dict(db.session.execute(count_active_users_by_role()).all())
        return render_template("home/manager.html", counts=counts)
    if current_user.is_coach:
        return render_template("home/coach.html")
    return render_template("home/provider.html")


@health_bp.route("/healthz")
def healthz():
    try:
        db.session.execute(text("SELECT 1")).scalar_one()
    except SQLAlchemyError:
        db.session.rollback()
        return jsonify(status="unavailable"), 503
    return jsonify(status="ok")
