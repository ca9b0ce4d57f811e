"""A provider's training record, transcript, certificates, and credits from elsewhere."""

from flask import Blueprint

from fccnet.permissions import login_required_for

bp = Blueprint("credits", __name__, url_prefix="/providers/<int:provider_id>/training")
login_required_for(bp)

review_bp = Blueprint("credit_review", __name__, url_prefix="/training/credits")
login_required_for(review_bp)
