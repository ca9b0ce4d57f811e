"""The managers' audit log page."""

from flask import Blueprint, render_template, request
from flask_login import current_user

from fccnet.audit import labels
from fccnet.audit.forms import AuditFilterForm
from fccnet.audit.permissions import can_view_audit_log
from fccnet.audit.queries import list_audit_events
from fccnet.extensions import db
from fccnet.permissions import login_required_for, require

bp = Blueprint("audit", __name__, url_prefix="/audit")
login_required_for(bp)

EVENTS_PER_PAGE = 50


@bp.route("")
def index():
    require(can_view_audit_log(current_user))
    form = AuditFilterForm(request.args)
    filters = {}
    if form.validate():
        filters = {
            "who": form.who.data or None,
            "action": form.action.data or None,
            "date_from": form.date_from.data,
            "date_to": form.date_to.data,
        }
    page = db.paginate(list_audit_events(**filters), per_page=EVENTS_PER_PAGE, error_out=False)
    return render_template("audit/index.html", form=form, page=page, labels=labels)
