"""Each role's home page, and the health check."""

from flask import Blueprint, jsonify, render_template
from flask_babel import get_locale
from flask_login import current_user
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from fccnet.auth.queries import count_active_users_by_role
from fccnet.clock import local_today
from fccnet.credits import queries as credit_queries
from fccnet.credits.forms import CREDENTIAL_STATE_LABELS
from fccnet.credits.services import current_pd_year, required_minutes
from fccnet.extensions import db
from fccnet.licensing.queries import list_compliance
from fccnet.permissions import login_required_for
from fccnet.providers.queries import own_provider_id
from fccnet.training.models import Registration, RegistrationStatus
from fccnet.training.queries import list_upcoming_registrations

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
    provider_id = own_provider_id(current_user)
    if provider_id is None:
        return render_template("home/provider.html", provider_id=None)
    return render_template("home/provider.html", **provider_home(provider_id))


# Checklist items listed on the home page; the rest are on the record.
HOME_CHECKLIST_ITEMS = 5


def provider_home(provider_id: int) -> dict:
    """What a provider needs first: their next session, the hours still to do this
    professional development year, and what expires or comes due soon."""
    today = local_today()
    period = current_pd_year(today)
    done = sum(m for _area, m in credit_queries.counted_minutes_by_area(provider_id, period))
    required = required_minutes()
    held = credit_queries.held_credentials(
        list(db.session.scalars(credit_queries.list_credential_credits(provider_id)))
    )
    items = list(
        db.session.scalars(
            list_compliance(today=today, provider_id=provider_id, include_household=False).limit(
                HOME_CHECKLIST_ITEMS + 1
            )
        )
    )
    return {
        "provider_id": provider_id,
        "today": today,
        "period": period,
        "done": done,
        "required": required,
        "left": max(required - done, 0),
        "next_registration": db.session.scalar(
            list_upcoming_registrations(provider_id)
            .where(Registration.status == RegistrationStatus.REGISTERED)
            .limit(1)
        ),
        "expiring": [item for item in held if item.state(today) != "valid"],
        "state_labels": CREDENTIAL_STATE_LABELS,
        "checklist_items": items[:HOME_CHECKLIST_ITEMS],
        "more_items": len(items) > HOME_CHECKLIST_ITEMS,
        "locale": str(get_locale()),
    }


@health_bp.route("/healthz")
def healthz():
    try:
        db.session.execute(text("SELECT 1")).scalar_one()
    except SQLAlchemyError:
        db.session.rollback()
        return jsonify(status="unavailable"), 503
    return jsonify(status="ok")
