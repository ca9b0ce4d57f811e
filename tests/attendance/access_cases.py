"""Access-matrix cases of the attendance domain: the roster, walk-ins, the sign-in sheet."""

from tests import factories
from tests.access_matrix import Case, signed_in


def started_sessions(records):
    """A session under way taught by the coach principal, with the own provider registered,
    and one taught by another coach."""
    from datetime import timedelta

    from fccnet.auth.models import User
    from fccnet.database import utcnow
    from fccnet.extensions import db
    from fccnet.providers.models import Provider

    coach = db.session.get(User, records["coach_user"])
    other_coach = db.session.get(User, records["other_coach_user"])
    an_hour_ago = utcnow() - timedelta(hours=1)
    course = factories.create_course(coach, title_en="Roster access course")
    started = factories.create_session(course, actor=coach, trainer=coach, starts_at=an_hour_ago)
    own = db.session.get(Provider, records["own_provider"])
    factories.register_before_start(started, own, actor=coach)
    other = factories.create_session(
        course, actor=coach, trainer=other_coach, starts_at=an_hour_ago
    )
    other_provider = db.session.get(Provider, records["other_provider"])
    factories.register_before_start(other, other_provider, actor=coach)
    return {"started_session": started.id, "other_trainer_session": other.id}


RECORD_BUILDERS = [started_sessions]

STARTED = {"session_id": "started_session"}
OTHER_TRAINER = {"session_id": "other_trainer_session"}
# An empty walk-in form: refused with a message at the field (200), nothing saved.
EMPTY_WALK_IN = {"provider_id": "", "attendance": "attended"}

CASES = [
    # Staff see every roster and sheet; providers are not staff.
    Case("attendance.roster", "GET", signed_in(200, provider=403), url_args=STARTED),
    Case(
        "attendance.roster",
        "GET",
        signed_in(200, provider=403),
        url_args=OTHER_TRAINER,
        label="other trainer",
    ),
    Case("attendance.sign_in_sheet", "GET", signed_in(200, provider=403), url_args=STARTED),
    Case(
        "attendance.sign_in_sheet",
        "GET",
        signed_in(200, provider=403),
        url_args=OTHER_TRAINER,
        label="other trainer",
    ),
    Case("attendance.roster", "GET", signed_in(404), url_args={"session_id": 0}, label="missing"),
    # Only the session's trainer or a manager takes attendance.
    Case("attendance.roster", "POST", signed_in(302, provider=403), url_args=STARTED),
    Case(
        "attendance.roster",
        "POST",
        signed_in(302, coach=403, provider=403),
        url_args=OTHER_TRAINER,
        label="other trainer",
    ),
    Case(
        "attendance.add_walk_in",
        "POST",
        signed_in(200, provider=403),
        url_args=STARTED,
        data=EMPTY_WALK_IN,
    ),
    Case(
        "attendance.add_walk_in",
        "POST",
        signed_in(200, coach=403, provider=403),
        url_args=OTHER_TRAINER,
        data=EMPTY_WALK_IN,
        label="other trainer",
    ),
]
