"""A session's roster: the sign-in sheet, attendance for everyone at once, walk-ins."""

from flask import Blueprint

from fccnet.permissions import login_required_for

bp = Blueprint("attendance", __name__, url_prefix="/training/sessions/<int:session_id>")
login_required_for(bp)
