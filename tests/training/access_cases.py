"""Access-matrix cases of the training calendar, catalog, sessions, registration and feeds."""

from tests import factories
from tests.access_matrix import Case, everyone, managers_only, signed_in

SESSION = {"session_id": "upcoming_session"}
COURSE = {"course_id": "course"}
OWN = {"provider_id": "own_provider"}
OTHER = {"provider_id": "other_provider"}


def course_and_session(records):
    """A course, an upcoming session the coach principal trains, both providers registered
    for it, and both providers' feed tokens."""
    from fccnet.auth.models import User
    from fccnet.extensions import db
    from fccnet.providers.models import Provider
    from fccnet.training import services

    coach = db.session.get(User, records["coach_user"])
    course = factories.create_course(
        coach, title_en="Matrix First Aid", title_es="Primeros auxilios (matriz)"
    )
    session = factories.create_session(
        course,
        actor=coach,
        trainer=coach,
        meeting_url="https://meet.example.org/matrix",
    )
    found = {"course": course.id, "upcoming_session": session.id}
    for name in ("own", "other"):
        provider = db.session.get(Provider, records[f"{name}_provider"])
        found[f"{name}_registration"] = services.register(session, provider, actor=coach).id
        found[f"{name}_feed_token"] = services.regenerate_feed(provider, actor=coach).token
    return found


RECORD_BUILDERS = [course_and_session]

CASES = [
    Case("training.calendar", "GET", signed_in(200)),
    Case("training.courses", "GET", managers_only(200)),
    Case("training.create_course", "GET", managers_only(200)),
    Case("training.create_course", "POST", managers_only(200), data={"title_en": ""}),
    Case("training.edit_course", "GET", managers_only(200), url_args=COURSE),
    Case(
        "training.edit_course",
        "POST",
        managers_only(200),
        url_args=COURSE,
        data={"title_en": "", "credit_hours": "41"},
    ),
    Case("training.create_session", "GET", managers_only(200)),
    Case("training.create_session", "POST", managers_only(200), data={"capacity": "0"}),
    Case("training.edit_session", "GET", managers_only(200), url_args=SESSION),
    Case(
        "training.edit_session",
        "POST",
        managers_only(200),
        url_args=SESSION,
        data={"capacity": "0"},
    ),
    Case("training.cancel_session", "POST", managers_only(302), url_args=SESSION),
    Case("training.session", "GET", signed_in(200), url_args=SESSION),
    Case("training.session_ics", "GET", signed_in(200), url_args=SESSION),
    # Staff without a choice are asked to choose; the provider (already registered) is told so.
    Case("training.register", "POST", signed_in(302), url_args=SESSION, label="self"),
    # An id that is not one's own: a provider never registers someone else.
    Case(
        "training.register",
        "POST",
        signed_in(404),
        url_args=SESSION,
        data={"provider_id": "987654321"},
        label="unknown",
    ),
    Case(
        "training.cancel_registration",
        "POST",
        signed_in(302),
        url_args={"registration_id": "own_registration"},
        label="own",
    ),
    Case(
        "training.cancel_registration",
        "POST",
        signed_in(302, provider=404),
        url_args={"registration_id": "other_registration"},
        label="other",
    ),
    Case("training.feed", "GET", signed_in(404, provider=200), url_args=OWN, label="own"),
    Case("training.feed", "GET", signed_in(404), url_args=OTHER, label="other"),
    Case(
        "training.regenerate_feed",
        "POST",
        signed_in(404, provider=302),
        url_args=OWN,
        label="own",
    ),
    Case("training.regenerate_feed", "POST", signed_in(404), url_args=OTHER, label="other"),
    # No sign-in: the secret address is the key.
    Case("feeds.personal_feed", "GET", everyone(200), url_args={"token": "own_feed_token"}),
    Case(
        "feeds.personal_feed",
        "GET",
        everyone(404),
        url_args={"token": "AnUnknownTokenOfTheRightShape0123456789abcd"},
        label="unknown",
    ),
]
