"""Training pages over HTTP: catalog, sessions, calendar, registration, .ics and feeds."""

import re
from datetime import UTC, datetime, timedelta
from html import unescape
from types import SimpleNamespace

import pytest
from icalendar import Calendar
from sqlalchemy import event, func, select

from fccnet.audit.models import AuditEvent
from fccnet.auth.models import Role, User
from fccnet.database import utcnow
from fccnet.extensions import db
from fccnet.providers.models import Provider
from fccnet.training import services
from fccnet.training.models import (
    CalendarFeed,
    CkcArea,
    Course,
    Delivery,
    Registration,
    RegistrationStatus,
    SessionStatus,
    TrainingSession,
)
from tests import factories
from tests.test_hostile_input import HOSTILE


@pytest.fixture
def people(app):
    with app.app_context():
        factories.ensure_defaults()
        manager = factories.create_user(role=Role.MANAGER, name="Mona Manager")
        coach = factories.create_user(role=Role.COACH, name="Carl Coach")
        provider_user = factories.create_user(role=Role.PROVIDER, name="Paula Pérez")
        other_user = factories.create_user(role=Role.PROVIDER, name="Olga Other")
        actor = coach.load()
        own = factories.create_provider(actor=actor, coach=actor, legal_name="Paula Pérez")
        own.user_id = provider_user.id
        other = factories.create_provider(actor=actor, legal_name="Olga Other")
        other.user_id = other_user.id
        third = factories.create_provider(actor=actor, legal_name="Tina Third")
        areas = db.session.scalars(select(CkcArea).order_by(CkcArea.position)).all()
        db.session.commit()
        return SimpleNamespace(
            manager=manager,
            coach=coach,
            provider=provider_user,
            other_user=other_user,
            own=own.id,
            other=other.id,
            third=third.id,
            area=areas[0].id,
            other_area=areas[1].id,
        )


# The course the pages show unless a test says otherwise.
PEDIATRIC_CPR = {"title_en": "Pediatric CPR", "title_es": "RCP pediátrica", "credit_minutes": 120}


def make_course(people, **fields) -> int:
    """A course (Pediatric CPR, two hours, the first area) the coach created, committed."""
    course = factories.create_course(people.coach.load(), **{**PEDIATRIC_CPR, **fields})
    db.session.commit()
    return course.id


def make_session(people, course_id: int, **fields) -> int:
    """A two-hour session of the course in ten days, the coach training, committed."""
    coach = people.coach.load()
    defaults = {
        "starts_at": utcnow().replace(microsecond=0) + timedelta(days=10),
        "hours": 2,
        "trainer": coach,
    }
    course = db.session.get(Course, course_id)
    session = factories.create_session(course, actor=coach, **{**defaults, **fields})
    db.session.commit()
    return session.id


def register(people, session_id: int, provider_id: int) -> int:
    registration = services.register(
        db.session.get(TrainingSession, session_id),
        db.session.get(Provider, provider_id),
        actor=people.coach.load(),
    )
    db.session.commit()
    return registration.id


def field_error(html: str, field: str) -> str:
    """The text of the error shown next to a field ('' when there is none)."""
    match = re.search(rf'<div id="{field}-error"[^>]*>(.*?)</div>', html, re.S)
    return unescape(match.group(1)).strip() if match else ""


def flashes(html: str) -> str:
    match = re.search(r'<div class="flash-messages".*?</div>\s*</div>', html, re.S)
    return unescape(match.group(0)) if match else ""


def status_of(session_id: int, provider_id: int):
    return db.session.scalar(
        select(Registration.status).where(
            Registration.session_id == session_id, Registration.provider_id == provider_id
        )
    )


COURSE_FORM = {
    "title_en": "Safe Sleep",
    "title_es": "Sueño seguro",
    "description_en": "Back to sleep.\nEvery time.",
    "description_es": "Boca arriba.",
    "credit_hours": "1.5",
    "delivery": "online_live",
    "credential_id": "",
}


def session_form(course_id: int, **overrides) -> dict:
    data = {
        "course_id": str(course_id),
        "date": "2027-01-15",
        "starts_at": "10:00",
        "ends_at": "12:00",
        "location": "Hartford Public Library",
        "meeting_url": "",
        "language": "es",
        "trainer_id": "",
        "trainer_name": "Dr. Outside",
        "capacity": "12",
    }
    data.update(overrides)
    return data


# --- Catalog ---------------------------------------------------------------------------


def test_manager_creates_and_edits_a_course(app, client, auth, people):
    auth.sign_in(people.manager)
    assert client.get("/training/courses/new").status_code == 200
    response = client.post(
        "/training/courses/new", data={**COURSE_FORM, "ckc_area_id": str(people.area)}
    )
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/training/courses")
    with app.app_context():
        course = db.session.scalar(select(Course).where(Course.title_en == "Safe Sleep"))
        assert course.title_es == "Sueño seguro"
        assert course.description_en == "Back to sleep.\nEvery time."
        assert course.credit_minutes == 90
        assert course.delivery is Delivery.ONLINE_LIVE
        assert course.ckc_area_id == people.area
        assert course.credential_id is None
        assert course.active
        course_id = course.id

    listing = client.get("/training/courses").get_data(as_text=True)
    assert "Safe Sleep" in listing and "Sueño seguro" in listing and "1.5" in listing

    edit = client.get(f"/training/courses/{course_id}/edit").get_data(as_text=True)
    assert 'value="1.50"' in edit or 'value="1.5"' in edit
    # Spanish decimal comma; unticking "active" retires the course.
    response = client.post(
        f"/training/courses/{course_id}/edit",
        data={**COURSE_FORM, "ckc_area_id": str(people.other_area), "credit_hours": "2,25"},
    )
    assert response.status_code == 302
    with app.app_context():
        course = db.session.get(Course, course_id)
        assert course.credit_minutes == 135
        assert course.ckc_area_id == people.other_area
        assert not course.active


@pytest.mark.parametrize("hours", ["41", "0", "-1", "40.01", "NaN", "Infinity"])
def test_course_hours_out_of_range_are_refused_at_the_field(app, client, auth, people, hours):
    auth.sign_in(people.manager)
    response = client.post(
        "/training/courses/new",
        data={**COURSE_FORM, "ckc_area_id": str(people.area), "credit_hours": hours},
    )
    assert response.status_code == 200
    assert field_error(response.get_data(as_text=True), "credit_hours") == (
        "Enter hours above 0 and at most 40."
    )
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Course)) == 0


def test_forty_hours_is_accepted(app, client, auth, people):
    auth.sign_in(people.manager)
    response = client.post(
        "/training/courses/new",
        data={**COURSE_FORM, "ckc_area_id": str(people.area), "credit_hours": "40"},
    )
    assert response.status_code == 302
    with app.app_context():
        assert db.session.scalar(select(Course.credit_minutes)) == 2400


def test_only_managers_see_the_catalog_links(app, client, auth, people):
    auth.sign_in(people.coach)
    page = client.get("/training/").get_data(as_text=True)
    assert "/training/sessions/new" not in page and "/training/courses" not in page
    assert client.get("/training/courses").status_code == 403
    auth.sign_out()
    auth.sign_in(people.manager)
    page = client.get("/training/").get_data(as_text=True)
    assert 'href="/training/sessions/new"' in page and 'href="/training/courses"' in page


# --- Sessions --------------------------------------------------------------------------


def test_manager_creates_a_session_in_local_time(app, client, auth, people):
    with app.app_context():
        course_id = make_course(people)
    auth.sign_in(people.manager)
    page = client.get(f"/training/sessions/new?course_id={course_id}").get_data(as_text=True)
    assert f'<option value="{course_id}" selected>' in page
    response = client.post(
        "/training/sessions/new",
        data=session_form(course_id, trainer_id=str(people.coach.id), trainer_name=""),
    )
    assert response.status_code == 302
    with app.app_context():
        session = db.session.scalar(select(TrainingSession))
        assert response.headers["Location"].endswith(f"/training/sessions/{session.id}")
        # 10:00 in Hartford in January (EST, UTC-5) is 15:00 UTC.
        assert session.starts_at == datetime(2027, 1, 15, 15, 0, tzinfo=UTC)
        assert session.ends_at == datetime(2027, 1, 15, 17, 0, tzinfo=UTC)
        assert session.location == "Hartford Public Library"
        assert session.meeting_url is None
        assert session.language == "es"
        assert session.trainer_id == people.coach.id
        assert session.trainer_name is None
        assert session.capacity == 12
        assert session.status is SessionStatus.SCHEDULED
    page = client.get(f"/training/sessions/{session.id}").get_data(as_text=True)
    assert "10:00" in page and "12:00" in page and "Carl Coach" in page
    assert 'href="/training/?month=2027-01"' in page
    assert f'href="/training/sessions/{session.id}/edit"' in page
    auth.sign_out()
    auth.sign_in(people.coach)
    page = client.get(f"/training/sessions/{session.id}").get_data(as_text=True)
    assert "/edit" not in page and "/cancel" not in page.replace("registrations/", "")


def test_summer_times_use_daylight_saving(app, client, auth, people):
    with app.app_context():
        course_id = make_course(people)
    auth.sign_in(people.manager)
    response = client.post(
        "/training/sessions/new",
        data=session_form(
            course_id, date="2027-07-15", location="", meeting_url="https://meet.example.org/x"
        ),
    )
    assert response.status_code == 302
    with app.app_context():
        session = db.session.scalar(select(TrainingSession))
        assert session.starts_at == datetime(2027, 7, 15, 14, 0, tzinfo=UTC)
        assert session.meeting_url == "https://meet.example.org/x"
        assert session.location is None
        assert session.trainer_name == "Dr. Outside"


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("ends_at", "09:30", "The end must be after the start."),
        ("ends_at", "10:00", "The end must be after the start."),
        ("capacity", "0", "Enter a capacity from 1 to 500."),
        (
            "meeting_url",
            "http://meet.example.org/x",
            "Enter a secure link that starts with https://.",
        ),
        ("meeting_url", "javascript:alert(1)", "Enter a secure link that starts with https://."),
        ("location", "", "Give a location or a meeting link."),
        ("trainer_name", "", "Choose a staff trainer or give an outside trainer's name."),
        # Absurd years are refused (8 pm on 9999-12-31 in Hartford does not fit in UTC).
        ("date", "9999-12-31", "Enter a date between 2000 and 2100."),
    ],
)
def test_session_refusals_are_shown_at_the_field(app, client, auth, people, field, value, message):
    with app.app_context():
        course_id = make_course(people)
    auth.sign_in(people.manager)
    response = client.post("/training/sessions/new", data=session_form(course_id, **{field: value}))
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    # Without a trainer, the message belongs to the trainer choice.
    shown_at = "trainer_id" if field == "trainer_name" else field
    assert field_error(html, shown_at) == message
    assert "javascript:alert" not in html.replace('value="javascript:alert(1)"', "")
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(TrainingSession)) == 0


def test_manager_edits_a_session_in_local_time(app, client, auth, people):
    with app.app_context():
        course_id = make_course(people)
        session_id = make_session(
            people, course_id, starts_at=datetime(2027, 1, 15, 15, 0, tzinfo=UTC)
        )
    auth.sign_in(people.manager)
    page = client.get(f"/training/sessions/{session_id}/edit").get_data(as_text=True)
    assert 'value="2027-01-15"' in page and 'value="10:00"' in page and 'value="12:00"' in page
    response = client.post(
        f"/training/sessions/{session_id}/edit",
        data=session_form(course_id, starts_at="13:30", ends_at="15:00", capacity="3"),
    )
    assert response.status_code == 302
    with app.app_context():
        session = db.session.get(TrainingSession, session_id)
        assert session.starts_at == datetime(2027, 1, 15, 18, 30, tzinfo=UTC)
        assert session.capacity == 3


def test_capacity_cannot_drop_below_the_people_registered(app, client, auth, people):
    with app.app_context():
        session_id = make_session(people, make_course(people))
        register(people, session_id, people.own)
        register(people, session_id, people.other)
        course_id = db.session.get(TrainingSession, session_id).course_id
    auth.sign_in(people.manager)
    response = client.post(
        f"/training/sessions/{session_id}/edit", data=session_form(course_id, capacity="1")
    )
    assert response.status_code == 200
    assert "2 people are registered" in field_error(response.get_data(as_text=True), "capacity")


def test_manager_cancels_a_session(app, client, auth, people):
    with app.app_context():
        session_id = make_session(
            people, make_course(people), starts_at=datetime(2031, 3, 4, 15, tzinfo=UTC)
        )
    auth.sign_in(people.manager)
    response = client.post(f"/training/sessions/{session_id}/cancel", follow_redirects=True)
    assert "The session is cancelled." in flashes(response.get_data(as_text=True))
    with app.app_context():
        assert db.session.get(TrainingSession, session_id).status is SessionStatus.CANCELLED
    calendar = client.get("/training/?month=2031-03").get_data(as_text=True)
    assert "Cancelled" in calendar
    # Cancelling again is refused with a message, never a 500.
    again = client.post(f"/training/sessions/{session_id}/cancel", follow_redirects=True)
    assert "Only a scheduled session can be cancelled." in flashes(again.get_data(as_text=True))


# --- Calendar --------------------------------------------------------------------------


def test_calendar_month_lists_sessions_by_day_and_filters(app, client, auth, people):
    with app.app_context():
        first_aid = make_course(people, title_en="First Aid Basics", title_es="Primeros auxilios")
        business = make_course(
            people,
            title_en="Running the Business",
            title_es="Administrar el negocio",
            ckc_area=db.session.get(CkcArea, people.other_area),
            delivery=Delivery.ONLINE_LIVE,
        )
        march = make_session(
            people, first_aid, starts_at=datetime(2031, 3, 4, 15, tzinfo=UTC), capacity=1
        )
        make_session(
            people,
            business,
            starts_at=datetime(2031, 3, 20, 22, tzinfo=UTC),
            language="es",
            location=None,
            meeting_url="https://meet.example.org/biz",
        )
        make_session(
            people,
            first_aid,
            starts_at=datetime(2031, 4, 2, 15, tzinfo=UTC),
            trainer=None,
            trainer_name="Visiting Nurse",
        )
        register(people, march, people.other)
    auth.sign_in(people.provider)
    page = client.get("/training/?month=2031-03").get_data(as_text=True)
    assert "<h1" in page and "March 2031" in page
    assert "Tuesday, March 4, 2031" in page and "Thursday, March 20, 2031" in page
    assert "First Aid Basics" in page and "Running the Business" in page
    assert "Visiting Nurse" not in page  # April's session
    assert "10:00" in page  # 15:00 UTC, local
    assert "Online" in page and "Hartford Public Library" in page
    assert "Full — waitlist" in page and "Carl Coach" in page
    assert 'href="/training/?month=2031-02"' in page and 'href="/training/?month=2031-04"' in page

    spanish = client.get("/training/?month=2031-03&language=es").get_data(as_text=True)
    assert "Running the Business" in spanish and "First Aid Basics" not in spanish
    by_area = client.get(f"/training/?month=2031-03&area={people.area}").get_data(as_text=True)
    assert "First Aid Basics" in by_area and "Running the Business" not in by_area
    online = client.get("/training/?month=2031-03&delivery=online_live").get_data(as_text=True)
    assert "Running the Business" in online and "First Aid Basics" not in online
    # Filters are kept when moving between months.
    assert 'href="/training/?month=2031-04&amp;delivery=online_live"' in online

    empty = client.get("/training/?month=2031-05").get_data(as_text=True)
    assert "No training sessions in May 2031 yet." in empty
    none_match = client.get("/training/?month=2031-04&language=es").get_data(as_text=True)
    assert "No sessions match these filters in April 2031." in none_match


def test_calendar_shows_the_reader_language_and_the_provider_status(app, client, auth, people):
    with app.app_context():
        course = make_course(people)
        mine = make_session(people, course, starts_at=datetime(2031, 3, 4, 15, tzinfo=UTC))
        full = make_session(
            people, course, starts_at=datetime(2031, 3, 5, 15, tzinfo=UTC), capacity=1
        )
        register(people, mine, people.own)
        register(people, full, people.other)
        register(people, full, people.own)
        user = people.provider.load()
        user.language = "es"
        db.session.commit()
    auth.sign_in(people.provider)
    page = client.get("/training/?month=2031-03").get_data(as_text=True)
    assert "RCP pediátrica" in page
    assert page.count('class="badge text-bg-success"') == 1
    assert page.count('class="badge text-bg-warning"') == 1


def test_calendar_defaults_to_this_month_and_ignores_a_bad_month(app, client, auth, people):
    auth.sign_in(people.coach)
    for url in ("/training/", "/training/?month=2031-13", "/training/?month=nonsense"):
        response = client.get(url)
        assert response.status_code == 200
        assert "No training sessions in" in response.get_data(as_text=True)


def test_a_busy_month_is_shown_in_pages_of_forty(app, client, auth, people):
    with app.app_context():
        course = make_course(people)
        first = datetime(2031, 5, 1, 14, tzinfo=UTC)
        for index in range(45):
            make_session(people, course, starts_at=first + timedelta(hours=index * 12))
    auth.sign_in(people.coach)

    def session_links(html):
        return re.findall(r'href="/training/sessions/(\d+)"', html)

    page_one = client.get("/training/?month=2031-05").get_data(as_text=True)
    page_two = client.get("/training/?month=2031-05&page=2").get_data(as_text=True)
    assert len(session_links(page_one)) == 40
    assert len(session_links(page_two)) == 5
    assert not set(session_links(page_one)) & set(session_links(page_two))
    assert "Page 1 of 2" in page_one
    assert "month=2031-05" in page_one.split("Page 1 of 2")[1]  # "Next" keeps the month


def test_calendar_query_count_does_not_grow_with_the_sessions(app, client, auth, people):
    with app.app_context():
        course = make_course(people)
        session_id = make_session(people, course, starts_at=datetime(2031, 3, 4, 15, tzinfo=UTC))
        register(people, session_id, people.own)
    auth.sign_in(people.provider)

    def count_queries():
        statements = []

        def listen(conn, cursor, statement, *args):
            statements.append(statement)

        with app.app_context():
            engine = db.engine
        event.listen(engine, "before_cursor_execute", listen)
        try:
            assert client.get("/training/?month=2031-03").status_code == 200
        finally:
            event.remove(engine, "before_cursor_execute", listen)
        return len(statements)

    few = count_queries()
    with app.app_context():
        other_course = make_course(
            people, title_en="Another", ckc_area=db.session.get(CkcArea, people.other_area)
        )
        for day in range(5, 25):
            sid = make_session(
                people,
                other_course if day % 2 else course,
                starts_at=datetime(2031, 3, day, 15, tzinfo=UTC),
                trainer=None,
                trainer_name="Outside",
            )
            register(people, sid, people.own if day % 3 else people.other)
    assert count_queries() == few


# --- Session page and registration -----------------------------------------------------


def test_provider_registers_joins_the_waitlist_and_cancels(app, client, auth, people):
    with app.app_context():
        session_id = make_session(people, make_course(people), capacity=1)
    page = f"/training/sessions/{session_id}"

    auth.sign_in(people.provider)
    html = client.get(page).get_data(as_text=True)
    assert f'action="/training/sessions/{session_id}/register"' in html
    assert ">Register<" in html
    response = client.post(f"{page}/register", follow_redirects=True)
    assert "You are registered." in flashes(response.get_data(as_text=True))
    assert "Cancel my registration" in response.get_data(as_text=True)
    auth.sign_out()

    auth.sign_in(people.other_user)
    assert "Join the waitlist" in client.get(page).get_data(as_text=True)
    response = client.post(f"{page}/register", follow_redirects=True)
    html = response.get_data(as_text=True)
    assert "The session is full; you are on the waitlist (number 1)." in flashes(html)
    assert "You are on the waitlist (number 1)." in html
    auth.sign_out()

    with app.app_context():
        assert status_of(session_id, people.own) is RegistrationStatus.REGISTERED
        assert status_of(session_id, people.other) is RegistrationStatus.WAITLISTED
        own_registration = db.session.scalar(
            select(Registration.id).where(Registration.provider_id == people.own)
        )

    auth.sign_in(people.provider)
    response = client.post(
        f"/training/registrations/{own_registration}/cancel", follow_redirects=True
    )
    html = flashes(response.get_data(as_text=True))
    assert "Registration cancelled." in html
    assert "Olga Other" not in html  # who moved up is for staff to know
    with app.app_context():
        assert status_of(session_id, people.own) is RegistrationStatus.CANCELLED
        assert status_of(session_id, people.other) is RegistrationStatus.REGISTERED
    # Registering again after cancelling: back in line (the seat is taken now).
    response = client.post(f"{page}/register", follow_redirects=True)
    assert "you are on the waitlist (number 1)" in flashes(response.get_data(as_text=True))


def test_staff_see_who_moved_up(app, client, auth, people):
    with app.app_context():
        session_id = make_session(people, make_course(people), capacity=1)
        first = register(people, session_id, people.own)
        register(people, session_id, people.other)
    auth.sign_in(people.coach)
    html = client.get(f"/training/sessions/{session_id}").get_data(as_text=True)
    assert "Paula Pérez" in html and "Olga Other" in html
    response = client.post(f"/training/registrations/{first}/cancel", follow_redirects=True)
    messages = flashes(response.get_data(as_text=True))
    assert "Registration cancelled." in messages
    assert "Moved up from the waitlist: Olga Other." in messages


def test_provider_cannot_register_or_cancel_for_another_provider(app, client, auth, people):
    with app.app_context():
        session_id = make_session(people, make_course(people))
        others = register(people, session_id, people.other)
    auth.sign_in(people.provider)
    response = client.post(
        f"/training/sessions/{session_id}/register", data={"provider_id": str(people.third)}
    )
    assert response.status_code == 404
    response = client.post(f"/training/registrations/{others}/cancel")
    assert response.status_code == 404
    with app.app_context():
        assert status_of(session_id, people.third) is None
        assert status_of(session_id, people.other) is RegistrationStatus.REGISTERED
    # Their own id is fine.
    response = client.post(
        f"/training/sessions/{session_id}/register", data={"provider_id": str(people.own)}
    )
    assert response.status_code == 302
    with app.app_context():
        assert status_of(session_id, people.own) is RegistrationStatus.REGISTERED


def test_a_past_session_cannot_be_joined(app, client, auth, people):
    with app.app_context():
        session_id = make_session(
            people, make_course(people), starts_at=utcnow() - timedelta(days=1)
        )
    auth.sign_in(people.provider)
    html = client.get(f"/training/sessions/{session_id}").get_data(as_text=True)
    assert "Registration is closed: the session has started." in html
    assert f"/training/sessions/{session_id}/register" not in html
    response = client.post(f"/training/sessions/{session_id}/register", follow_redirects=True)
    assert response.status_code == 200
    assert "This session has already started; registration is closed." in flashes(
        response.get_data(as_text=True)
    )
    with app.app_context():
        assert status_of(session_id, people.own) is None


def test_registering_twice_says_so(app, client, auth, people):
    with app.app_context():
        session_id = make_session(people, make_course(people))
        register(people, session_id, people.own)
    auth.sign_in(people.provider)
    response = client.post(f"/training/sessions/{session_id}/register", follow_redirects=True)
    assert response.status_code == 200
    assert "Paula Pérez is already registered." in flashes(response.get_data(as_text=True))


def test_a_concurrent_duplicate_gets_the_same_friendly_message(
    app, client, auth, people, monkeypatch
):
    """Two requests at once both find no registration; the unique constraint stops the second."""
    with app.app_context():
        session_id = make_session(people, make_course(people))
        register(people, session_id, people.own)
    monkeypatch.setattr(services, "_registration_of", lambda session, provider: None)
    auth.sign_in(people.provider)
    response = client.post(f"/training/sessions/{session_id}/register", follow_redirects=True)
    assert response.status_code == 200
    assert "You are already registered for this session." in flashes(
        response.get_data(as_text=True)
    )
    with app.app_context():
        session = db.session.get(TrainingSession, session_id)
        assert session.seats_taken == 1  # the claimed seat was rolled back


def test_staff_register_a_provider_found_by_search(app, client, auth, people):
    with app.app_context():
        session_id = make_session(people, make_course(people), capacity=1)
        register(people, session_id, people.own)
    auth.sign_in(people.coach)
    page = f"/training/sessions/{session_id}"
    html = client.get(page).get_data(as_text=True)
    assert 'id="q"' in html and 'name="provider_id"' not in html
    html = client.get(f"{page}?q=tina").get_data(as_text=True)
    assert f'<option value="{people.third}">Tina Third</option>' in html
    assert "Olga Other" not in html
    assert "No provider matches" in client.get(f"{page}?q=zzz").get_data(as_text=True)

    response = client.post(
        f"{page}/register", data={"provider_id": str(people.third)}, follow_redirects=True
    )
    assert "The session is full; Tina Third is on the waitlist (number 1)." in flashes(
        response.get_data(as_text=True)
    )
    response = client.post(f"{page}/register", data={}, follow_redirects=True)
    assert "Choose a provider to register." in flashes(response.get_data(as_text=True))
    assert client.post(f"{page}/register", data={"provider_id": "99999"}).status_code == 404
    with app.app_context():
        assert status_of(session_id, people.third) is RegistrationStatus.WAITLISTED
        registration = db.session.scalar(
            select(Registration).where(Registration.provider_id == people.third)
        )
        assert registration.registered_by_id == people.coach.id


def test_meeting_link_only_for_staff_and_registered_providers(app, client, auth, people):
    link = "https://meet.example.org/secret-room"
    with app.app_context():
        session_id = make_session(people, make_course(people), location=None, meeting_url=link)
        register(people, session_id, people.other)
    page = f"/training/sessions/{session_id}"
    auth.sign_in(people.provider)
    assert link not in client.get(page).get_data(as_text=True)
    assert link not in client.get(f"{page}.ics").get_data(as_text=True)
    auth.sign_out()
    auth.sign_in(people.other_user)
    assert link in client.get(page).get_data(as_text=True)
    assert link in client.get(f"{page}.ics").get_data(as_text=True)
    auth.sign_out()
    auth.sign_in(people.coach)
    html = client.get(page).get_data(as_text=True)
    assert link in html
    assert f'href="/training/sessions/{session_id}/roster"' in html


def test_providers_do_not_see_who_else_is_registered(app, client, auth, people):
    with app.app_context():
        session_id = make_session(people, make_course(people))
        register(people, session_id, people.other)
    auth.sign_in(people.provider)
    html = client.get(f"/training/sessions/{session_id}").get_data(as_text=True)
    assert "Olga Other" not in html
    assert "/roster" not in html and "Register a provider" not in html


# --- .ics and the personal feed --------------------------------------------------------


def test_session_ics_parses_back(app, client, auth, people):
    with app.app_context():
        session_id = make_session(
            people, make_course(people), starts_at=datetime(2027, 1, 15, 15, 0, tzinfo=UTC)
        )
    auth.sign_in(people.provider)
    response = client.get(f"/training/sessions/{session_id}.ics")
    assert response.status_code == 200
    assert response.mimetype == "text/calendar"
    assert response.headers["Content-Disposition"].startswith("attachment")
    assert f"training-session-{session_id}.ics" in response.headers["Content-Disposition"]
    calendar = Calendar.from_ical(response.data)
    events = calendar.walk("VEVENT")
    assert len(events) == 1
    assert str(events[0]["SUMMARY"]) == "Pediatric CPR"
    start = events[0].decoded("DTSTART")
    assert start == datetime(2027, 1, 15, 15, 0, tzinfo=UTC)
    assert start.utcoffset() == timedelta(0)
    assert str(events[0]["LOCATION"]) == "Hartford Public Library"


def feed_url_from(html: str) -> str:
    match = re.search(r'id="feed-url"[^>]*value="([^"]+)"|value="([^"]+)"[^>]*id="feed-url"', html)
    return unescape(match.group(1) or match.group(2))


def test_personal_feed_with_its_token_and_regeneration(app, client, auth, people):
    with app.app_context():
        course = make_course(people)
        mine = make_session(people, course, starts_at=datetime(2027, 1, 15, 15, tzinfo=UTC))
        make_session(people, course, starts_at=datetime(2027, 1, 16, 15, tzinfo=UTC))
        register(people, mine, people.own)
        db.session.get(Provider, people.own).preferred_language = "es"
        db.session.commit()

    auth.sign_in(people.provider)
    page = client.get(f"/training/feed/{people.own}")
    assert page.status_code == 200
    assert 'id="feed-url"' not in page.get_data(as_text=True)  # nothing is made on a GET
    with app.app_context():
        assert db.session.get(CalendarFeed, people.own) is None
    page = client.post(f"/training/feed/{people.own}/regenerate", follow_redirects=True)
    assert "Your calendar address is ready" in flashes(page.get_data(as_text=True))
    url = feed_url_from(page.get_data(as_text=True))
    assert url.startswith("http://") and "/feeds/" in url and url.endswith(".ics")
    # The same address on the next visit.
    assert feed_url_from(client.get(f"/training/feed/{people.own}").get_data(as_text=True)) == url
    path = url.removeprefix("http://localhost")
    auth.sign_out()

    anonymous = app.test_client()
    response = anonymous.get(path)
    assert response.status_code == 200
    assert response.mimetype == "text/calendar"
    events = Calendar.from_ical(response.data).walk("VEVENT")
    assert [str(e["SUMMARY"]) for e in events] == ["RCP pediátrica"]
    assert events[0].decoded("DTSTART") == datetime(2027, 1, 15, 15, tzinfo=UTC)

    wrong = path[:-10] + ("A" if path[-10] != "A" else "B") + path[-9:]
    assert anonymous.get(wrong).status_code == 404
    assert anonymous.get("/feeds/short.ics").status_code == 404

    auth.sign_in(people.provider)
    response = client.post(f"/training/feed/{people.own}/regenerate", follow_redirects=True)
    html = response.get_data(as_text=True)
    assert "The old one no longer works" in flashes(html)
    new_url = feed_url_from(html)
    assert new_url != url
    assert anonymous.get(path).status_code == 404
    assert anonymous.get(new_url.removeprefix("http://localhost")).status_code == 200
    with app.app_context():
        events = db.session.scalars(
            select(AuditEvent).where(AuditEvent.action == "calendar_feed.regenerated")
        ).all()
        assert len(events) == 1
        assert events[0].actor_id == people.provider.id
        token = db.session.get(CalendarFeed, people.own).token
        assert token not in repr(events[0].changes) + repr(events[0].details)

    # The feed ends with the provider's account.
    with app.app_context():
        db.session.get(User, people.provider.id).active = False
        db.session.commit()
    assert anonymous.get(new_url.removeprefix("http://localhost")).status_code == 404


def test_another_providers_feed_page_is_not_found(app, client, auth, people):
    auth.sign_in(people.provider)
    assert client.get(f"/training/feed/{people.other}").status_code == 404
    assert client.post(f"/training/feed/{people.other}/regenerate").status_code == 404
    auth.sign_out()
    auth.sign_in(people.manager)
    assert client.get(f"/training/feed/{people.own}").status_code == 404
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(CalendarFeed)) == 0


# --- Hostile input ---------------------------------------------------------------------


@pytest.mark.parametrize("value", HOSTILE.values(), ids=HOSTILE.keys())
def test_hostile_text_in_course_and_session_forms(app, client, auth, people, value):
    with app.app_context():
        course_id = make_course(people)
        session_id = make_session(people, course_id)
    auth.sign_in(people.manager)
    for field in ("title_en", "description_es"):
        data = {**COURSE_FORM, "ckc_area_id": str(people.area), field: value}
        response = client.post("/training/courses/new", data=data)
        html = response.get_data(as_text=True)
        assert response.status_code in (200, 302)
        assert "<script>alert(1)</script>" not in html and "<img src=x" not in html
        if response.status_code == 200:
            assert field_error(html, field)
    for field in ("location", "trainer_name", "meeting_url"):
        data = session_form(course_id, **{field: value})
        response = client.post("/training/sessions/new", data=data)
        assert response.status_code in (200, 302)
        html = response.get_data(as_text=True)
        assert "<script>alert(1)</script>" not in html and "<img src=x" not in html
    for path in ("/training/courses", "/training/?month=2027-01"):
        html = client.get(path).get_data(as_text=True)
        assert "<script>alert(1)</script>" not in html and "<img src=x" not in html
    response = client.get(f"/training/sessions/{session_id}", query_string={"q": value[:100]})
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "<script>alert(1)</script>" not in html and "<img src=x" not in html
