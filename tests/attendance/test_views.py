"""The roster, walk-ins and the sign-in sheet over HTTP."""

import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from fccnet.auth.models import Role
from fccnet.database import utcnow
from fccnet.extensions import db
from fccnet.training import services as training_services
from fccnet.training.models import Attendance, Credit, Registration, RegistrationStatus
from tests import factories

NAMES = ("Ana Alvarez", "Berta Brown", "Carmen Cruz")


@pytest.fixture
def roster(app):
    """A three-hour course's session that started an hour ago, taught by "Tess Trainer":
    three people hold its three seats and one is on the waitlist."""
    with app.app_context():
        factories.ensure_defaults()
        manager = factories.create_user(role=Role.MANAGER)
        trainer = factories.create_user(role=Role.COACH, name="Tess Trainer")
        other_coach = factories.create_user(role=Role.COACH, name="Oscar Other")
        actor = manager.load()
        course = factories.create_course(actor, title_en="Healthy Meals", credit_minutes=180)
        session = factories.create_session(
            course,
            actor=actor,
            trainer=trainer.load(),
            starts_at=utcnow() - timedelta(hours=1),
            capacity=3,
        )
        registrations = {}
        for name in (*NAMES, "Wendy Waitlist"):
            provider = factories.create_provider(actor=actor, legal_name=name, phone="860-555-0123")
            registrations[name] = factories.register_before_start(session, provider, actor=actor).id
        walk_in = factories.create_provider(actor=actor, legal_name="Dora Walkin")
        db.session.commit()
        return {
            "manager": manager,
            "trainer": trainer,
            "other_coach": other_coach,
            "session": session.id,
            "registrations": registrations,
            "walk_in": walk_in.id,
            "url": f"/training/sessions/{session.id}/roster",
        }


def marks(roster, **by_name):
    """Form data for the roster: name -> "attended" | ("partial", hours) | "no_show" | ""."""
    data = {}
    for index, name in enumerate(NAMES):
        mark = by_name.get(name, "")
        attendance, hours = mark if isinstance(mark, tuple) else (mark, "")
        data[f"rows-{index}-registration_id"] = str(roster["registrations"][name])
        data[f"rows-{index}-attendance"] = attendance
        data[f"rows-{index}-hours"] = hours
    return data


def credits_by_name(app, roster) -> dict[str, int]:
    with app.app_context():
        rows = db.session.execute(
            select(Credit.registration_id, Credit.minutes).where(
                Credit.registration_id.is_not(None)
            )
        ).all()
    names = {registration_id: name for name, registration_id in roster["registrations"].items()}
    return {
        names.get(registration_id, registration_id): minutes for registration_id, minutes in rows
    }


def registration(app, registration_id) -> Registration:
    with app.app_context():
        row = db.session.get(Registration, registration_id)
        db.session.expunge(row)
        return row


def test_the_trainer_marks_everyone_at_once(app, client, auth, roster):
    auth.sign_in(roster["trainer"])
    page = client.get(roster["url"]).get_data(as_text=True)
    assert "Save attendance" in page
    for index, name in enumerate(NAMES):
        assert f'<legend class="fs-6 mb-1 fw-semibold">{name}</legend>' in page
        assert (
            f'<label class="form-label" for="rows-{index}-hours">Hours attended for {name}' in page
        )
    assert 'name="rows-0-registration_id"' in page
    # The waitlist is shown, not marked.
    assert "Wendy Waitlist" in page and 'name="rows-3-registration_id"' not in page

    response = client.post(
        roster["url"],
        data=marks(
            roster,
            **{
                "Ana Alvarez": "attended",
                "Berta Brown": ("partial", "1.5"),
                "Carmen Cruz": "no_show",
            },
        ),
    )

    assert response.status_code == 302
    assert response.headers["Location"].endswith(roster["url"])
    assert credits_by_name(app, roster) == {"Ana Alvarez": 180, "Berta Brown": 90}
    assert (
        registration(app, roster["registrations"]["Carmen Cruz"]).attendance is Attendance.NO_SHOW
    )
    page = client.get(roster["url"]).get_data(as_text=True)
    assert "Attendance saved for 3 people." in page
    assert "Credit hours: 3</span>" in page and "Credit hours: 1.5</span>" in page
    # The form opens as saved.
    assert re.search(r'id="rows-1-hours"[^>]*value="1.50"', page)
    assert re.search(
        r'checked[^>]*id="rows-2-attendance-2"|id="rows-2-attendance-2"[^>]*checked', page
    )


def test_a_correction_replaces_the_credit(app, client, auth, roster):
    auth.sign_in(roster["trainer"])
    client.post(roster["url"], data=marks(roster, **{"Ana Alvarez": "attended"}))
    assert credits_by_name(app, roster) == {"Ana Alvarez": 180}

    response = client.post(roster["url"], data=marks(roster, **{"Ana Alvarez": ("partial", "2")}))

    assert response.status_code == 302
    assert credits_by_name(app, roster) == {"Ana Alvarez": 120}
    client.post(roster["url"], data=marks(roster))
    assert credits_by_name(app, roster) == {}


def test_saving_a_roster_opened_before_someone_else_saved_is_refused(app, client, auth, roster):
    auth.sign_in(roster["trainer"])
    page = client.get(roster["url"]).get_data(as_text=True)
    opened = re.search(r'name="rows-0-marked_at"[^>]*value="([^"]*)"', page)
    stale = {**marks(roster), "rows-0-marked_at": opened.group(1) if opened else ""}
    # Someone else marks Ana meanwhile.
    client.post(roster["url"], data=marks(roster, **{"Ana Alvarez": "attended"}))
    assert credits_by_name(app, roster) == {"Ana Alvarez": 180}

    response = client.post(roster["url"], data=stale)

    assert response.status_code == 200
    assert "Someone else saved attendance for Ana Alvarez" in response.get_data(as_text=True)
    assert credits_by_name(app, roster) == {"Ana Alvarez": 180}
    # Told, the person may save their marks on purpose.
    again = client.post(
        roster["url"],
        data={
            **stale,
            "rows-0-marked_at": re.search(
                r'name="rows-0-marked_at"[^>]*value="([^"]*)"', response.get_data(as_text=True)
            ).group(1),
        },
    )
    assert again.status_code == 302
    assert credits_by_name(app, roster) == {}


def test_a_coach_who_is_not_the_trainer_sees_the_roster_but_cannot_mark(
    app, client, auth, roster, table_snapshot
):
    auth.sign_in(roster["other_coach"])
    response = client.get(roster["url"])
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    for name in NAMES:
        assert name in page
    assert "Save attendance" not in page
    assert '<form method="post" action="' + roster["url"] not in page
    assert "Add a walk-in" not in page
    assert "Printable sign-in sheet" in page

    before = table_snapshot()
    assert (
        client.post(roster["url"], data=marks(roster, **{"Ana Alvarez": "attended"})).status_code
        == 403
    )
    walk_in = {"provider_id": str(roster["walk_in"]), "attendance": "attended"}
    assert client.post(roster["url"].replace("roster", "walk-ins"), data=walk_in).status_code == 403
    assert table_snapshot() == before


def test_a_manager_can_mark(app, client, auth, roster):
    auth.sign_in(roster["manager"])
    response = client.post(
        roster["url"], data=marks(roster, **{"Carmen Cruz": "attended"}), follow_redirects=True
    )
    assert "Attendance saved for 1 person." in response.get_data(as_text=True)
    assert credits_by_name(app, roster) == {"Carmen Cruz": 180}


@pytest.mark.parametrize(
    ("hours", "message"),
    [
        ("3", "For partial attendance, enter hours above 0 and below the course"),
        ("0", "Enter hours above 0 and at most 40."),
        ("", "For partial attendance, enter hours above 0 and below the course"),
        ("abc", "Not a valid decimal value"),
        ("NaN", "Enter hours above 0 and at most 40."),
        ("1e99", "Enter hours above 0 and at most 40."),
    ],
)
def test_partial_hours_are_checked_next_to_the_field(app, client, auth, roster, hours, message):
    auth.sign_in(roster["trainer"])
    response = client.post(
        roster["url"],
        data=marks(roster, **{"Ana Alvarez": "attended", "Berta Brown": ("partial", hours)}),
    )

    page = response.get_data(as_text=True)
    assert response.status_code == 200
    error = re.search(r'<div id="rows-1-hours-error"[^>]*>([^<]*)</div>', page)
    assert error and message in error[1]
    assert re.search(r'id="rows-1-hours"[^>]*aria-invalid="true"', page) or re.search(
        r'aria-invalid="true"[^>]*id="rows-1-hours"', page
    )
    assert 'href="#rows-1-hours" class="alert-link">Hours attended for Berta Brown' in page
    assert credits_by_name(app, roster) == {}


def test_hours_without_partial_are_questioned(app, client, auth, roster):
    auth.sign_in(roster["trainer"])
    response = client.post(roster["url"], data=marks(roster, **{"Carmen Cruz": ("attended", "2")}))
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert re.search(
        r'<div id="rows-2-hours-error"[^>]*>Hours are only for partial attendance', page
    )
    assert credits_by_name(app, roster) == {}


@pytest.mark.parametrize("registration_id", ["waitlisted", "other-session", "999999", "abc", ""])
def test_rows_must_be_on_this_roster(app, client, auth, roster, registration_id):
    auth.sign_in(roster["trainer"])
    data = marks(roster, **{"Ana Alvarez": "attended"})
    if registration_id == "waitlisted":
        registration_id = str(roster["registrations"]["Wendy Waitlist"])
    elif registration_id == "other-session":
        with app.app_context():
            actor = roster["manager"].load()
            other = factories.create_session(
                factories.create_course(actor),
                actor=actor,
                trainer=actor,
                starts_at=utcnow() - timedelta(hours=1),
            )
            provider = factories.create_provider(actor=actor)
            registration_id = str(factories.register_before_start(other, provider, actor=actor).id)
            db.session.commit()
    data["rows-1-registration_id"] = registration_id

    response = client.post(roster["url"], data=data)

    assert response.status_code == 200
    assert "The roster changed since the page was opened." in response.get_data(as_text=True)
    assert credits_by_name(app, roster) == {}


def test_before_the_start_the_roster_has_no_form(app, client, auth, roster):
    with app.app_context():
        actor = roster["manager"].load()
        upcoming = factories.create_session(
            factories.create_course(actor),
            actor=actor,
            trainer=roster["trainer"].load(),
            starts_at=utcnow() + timedelta(days=3),
        )
        provider = factories.create_provider(actor=actor, legal_name="Early Bird")
        registration_id = training_services.register(upcoming, provider, actor=actor).id
        db.session.commit()
        url = f"/training/sessions/{upcoming.id}/roster"
    auth.sign_in(roster["trainer"])

    page = client.get(url).get_data(as_text=True)

    assert "Attendance can be taken once the session starts" in page
    assert "Early Bird" in page
    assert "Save attendance" not in page and "Add a walk-in" not in page
    response = client.post(
        url,
        data={"rows-0-registration_id": str(registration_id), "rows-0-attendance": "attended"},
    )
    assert response.status_code == 200
    assert "Attendance can be taken once the session has started." in response.get_data(
        as_text=True
    )
    assert credits_by_name(app, roster) == {}


def test_a_walk_in_is_added(app, client, auth, roster):
    auth.sign_in(roster["trainer"])
    page = client.get(roster["url"] + "?q=walkin").get_data(as_text=True)
    assert f'<option value="{roster["walk_in"]}">Dora Walkin</option>' in page
    assert "Carmen Cruz</option>" not in page  # already on the roster
    # Without a search, the list still leaves out everyone on the roster.
    assert "Ana Alvarez</option>" not in client.get(roster["url"]).get_data(as_text=True)

    response = client.post(
        roster["url"].replace("roster", "walk-ins"),
        data={"provider_id": str(roster["walk_in"]), "attendance": "partial", "hours": "2"},
    )

    assert response.status_code == 302
    page = client.get(roster["url"]).get_data(as_text=True)
    assert "Dora Walkin was added to the roster." in page
    assert "Walk-in</span>" in page and "Credit hours: 2</span>" in page
    with app.app_context():
        added = db.session.scalar(
            select(Registration).where(Registration.provider_id == roster["walk_in"])
        )
        assert added.walk_in and added.status is RegistrationStatus.REGISTERED
        assert added.attendance is Attendance.PARTIAL and added.attended_minutes == 120
        assert (
            db.session.scalar(select(Credit.minutes).where(Credit.registration_id == added.id))
            == 120
        )


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"provider_id": "", "attendance": "attended"}, "provider_id", "Choose a provider"),
        ({"provider_id": "999999", "attendance": "attended"}, "provider_id", "Choose a provider"),
        ({"provider_id": "Ana", "attendance": "attended"}, "provider_id", ""),
        ({"provider_id": "ANA", "attendance": "attended"}, "provider_id", "already on the roster"),
        (
            {"provider_id": "WALK_IN", "attendance": "partial", "hours": ""},
            "hours",
            "For partial attendance",
        ),
        (
            {"provider_id": "WALK_IN", "attendance": "attended", "hours": "1"},
            "hours",
            "Hours are only",
        ),
    ],
)
def test_walk_in_errors_are_shown_at_the_field(app, client, auth, roster, data, field, message):
    auth.sign_in(roster["manager"])
    with app.app_context():
        ana = db.session.get(Registration, roster["registrations"]["Ana Alvarez"]).provider_id
    data = {**data, "q": "walkin"}
    data["provider_id"] = {"ANA": str(ana), "WALK_IN": str(roster["walk_in"])}.get(
        data["provider_id"], data["provider_id"]
    )

    response = client.post(roster["url"].replace("roster", "walk-ins"), data=data)

    page = response.get_data(as_text=True)
    assert response.status_code == 200
    error = re.search(rf'<div id="{field}-error"[^>]*>([^<]*)</div>', page)
    assert error and message in error[1]
    # The same search's list is offered again.
    assert "Dora Walkin</option>" in page
    with app.app_context():
        assert (
            db.session.scalar(
                select(func.count()).select_from(Registration).where(Registration.walk_in)
            )
            == 0
        )


def test_the_sign_in_sheet_lists_names_and_leaves_blank_lines(client, auth, roster):
    auth.sign_in(roster["other_coach"])
    response = client.get(roster["url"].replace("roster", "sign-in-sheet"))

    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Hartford Family Child Care Network" in page
    assert "Sign-in sheet: Healthy Meals" in page
    assert "Tess Trainer" in page and "Hartford Public Library" in page
    for name in NAMES:
        assert f"<td>{name}</td>" in page
    assert "Wendy Waitlist" not in page
    assert "(860) 555-0123" in page
    assert page.count('<tr class="sign-in-blank-line">') >= 5
    assert "Print" in page and "<script>" not in page.split("</main>")[0]


def test_the_roster_shows_the_session_and_links_to_the_sheet(client, auth, roster):
    auth.sign_in(roster["manager"])
    page = client.get(roster["url"]).get_data(as_text=True)
    assert "<h1>Roster: Healthy Meals</h1>" in page
    assert "Tess Trainer" in page and "Hartford Public Library" in page
    assert f'href="/training/sessions/{roster["session"]}/sign-in-sheet"' in page
    assert f'href="/training/sessions/{roster["session"]}">Back to the session' in page
    waitlist = page.split('id="waitlist-heading"')[1]
    assert "Wendy Waitlist" in waitlist


def test_those_who_cannot_mark_see_the_saved_marks(client, auth, roster):
    auth.sign_in(roster["trainer"])
    data = marks(roster, **{"Ana Alvarez": "no_show", "Berta Brown": ("partial", "1.5")})
    assert client.post(roster["url"], data=data).status_code == 302
    auth.sign_out()
    auth.sign_in(roster["other_coach"])

    page = client.get(roster["url"]).get_data(as_text=True)

    assert "No-show" in page
    assert "Partial, hours attended: 1.5" in page
    assert "Credit hours: 1.5</span>" in page
    assert "Not marked" in page  # Carmen Cruz
