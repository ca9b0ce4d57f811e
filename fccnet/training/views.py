"""The training calendar, the catalog, sessions and registration."""

from flask import Blueprint

from fccnet.permissions import login_required_for

bp = Blueprint("training", __name__, url_prefix="/training")
login_required_for(bp)

# Calendar apps cannot sign in: the personal feed is reached by its secret address alone.
feed_bp = Blueprint("feeds", __name__, url_prefix="/feeds")
