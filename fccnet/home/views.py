"""Each role's home page, and the health check."""

from flask import Blueprint, jsonify, render_template
from flask_babel import get_locale
from flask_login import current_user
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from fccnet.auth.queries import count_active_users_by_role
from fccnet.clock import local_today
from fccnet.coaching import caseload
from fccnet.coaching import queries as coaching_queries
from fccnet.coaching.forms import LABELS as COACHING_LABELS
from fccnet.coaching.models import ActionItem, ActionStatus, Goal, GoalStatus
from fccnet.credits import queries as credit_queries
from fccnet.credits.forms import CREDENTIAL_STATE_LABELS
from fccnet.credits.services import current_pd_year, required_minutes
from fccnet.database import utcnow
from fccnet.extensions import db
from fccnet.licensing.queries import list_compliance
from fccnet.permissions import login_required_for
from fccnet.providers.models import Provider
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
        return render_template("home/coach.html", **coach_home(current_user.id))
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
        "provider": db.session.get(Provider, provider_id),
        "action_items": list(
            db.session.scalars(
                coaching_queries.list_action_items(provider_id).where(
                    ActionItem.status == ActionStatus.OPEN
                )
            )
        ),
        "goals": list(
            db.session.scalars(
                coaching_queries.list_goals(provider_id).where(Goal.status == GoalStatus.ACTIVE)
            )
        ),
        **COACHING_LABELS,
        "locale": str(get_locale()),
    }


# Rows of each list on the coach's home page; the rest are counted.
COACH_HOME_LIST_ITEMS = 8


def coach_home(coach_id: int) -> dict:
    """A coach's day: who needs a contact, what is open or overdue, what comes due on
    the checklists and which trainings their providers are going to."""
    today = local_today()
    rows = caseload.load_caseload(coach_id, today=today)
    return {
        "today": today,
        "rows": rows,
        "due_for_contact": sum(row.contact_is_due(today) for row in rows),
        "overdue_items": sum(row.overdue_items for row in rows),
        "action_items": caseload.preview(
            caseload.list_open_action_items(coach_id), COACH_HOME_LIST_ITEMS
        ),
        "compliance": caseload.preview(
            caseload.list_caseload_compliance(coach_id, today=today), COACH_HOME_LIST_ITEMS
        ),
        "trainings": caseload.preview(
            caseload.list_upcoming_trainings(coach_id, now=utcnow()), COACH_HOME_LIST_ITEMS
        ),
        "compliance_days": caseload.COMPLIANCE_DAYS,
        "contact_due_days": caseload.CONTACT_DUE_AFTER.days,
        **COACHING_LABELS,
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
