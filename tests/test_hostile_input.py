"""The fixed hostile-input set of QUALITY.md through every text field.

Never a 500; output always escaped; what is refused is refused with a message
at the field; what is accepted is stored exactly as typed.
"""

import pytest
from sqlalchemy import select

from fccnet.auth import services
from fccnet.auth.models import User
from fccnet.clock import local_today
from fccnet.extensions import db

HOSTILE = {
    "script": "<script>alert(1)</script>",
    "img": '"><img src=x onerror=alert(1)>',
    "sql": "' OR 1=1 --",
    "nul": "nul\x00byte",
    "long": "x" * 10_000,
    "crlf": "line\r\nbreak",
    "rtl": "abc\u202edcba",
    "emoji": "Ana 👩🏽‍🍼 Pérez",
    "blank": "   ",
}
RAW_MARKUP = ("<script>alert(1)</script>", "<img src=x onerror")


def assert_safe(response):
    assert response.status_code != 500
    html = response.get_data(as_text=True)
    for raw in RAW_MARKUP:
        assert raw not in html


@pytest.mark.parametrize("value", HOSTILE.values(), ids=HOSTILE.keys())
def test_account_name_field(app, client, auth, manager, value):
    auth.sign_in(manager)
    email = f"hostile{len(value)}@example.org"
    response = client.post(
        "/users/new", data={"name": value, "email": email, "role": "coach", "language": "en"}
    )
    assert_safe(response)
    with app.app_context():
        stored = db.session.scalar(select(User.name).where(User.email == email))
    if response.status_code == 302:
        assert stored == value.strip()
        assert_safe(client.get("/users"))
        assert_safe(client.get("/audit?action=user.created"))
    else:
        assert stored is None
        assert b'id="name-error"' in response.data


@pytest.mark.parametrize("value", HOSTILE.values(), ids=HOSTILE.keys())
def test_account_email_field_refuses_everything_but_an_address(app, client, auth, manager, value):
    auth.sign_in(manager)
    response = client.post(
        "/users/new", data={"name": "Valid Name", "email": value, "role": "coach", "language": "en"}
    )
    assert_safe(response)
    assert response.status_code == 200
    assert b'id="email-error"' in response.data


@pytest.mark.parametrize("value", HOSTILE.values(), ids=HOSTILE.keys())
def test_edit_account_fields(app, client, auth, manager, coach, value):
    auth.sign_in(manager)
    for field in ("name", "email"):
        data = {"name": coach.name, "email": coach.email, "role": "coach", "language": "en"}
        data[field] = value
        response = client.post(f"/users/{coach.id}/edit", data=data)
        assert_safe(response)
        if response.status_code == 200:
            assert f'id="{field}-error"'.encode() in response.data
    assert_safe(client.get(f"/users/{coach.id}/edit"))


@pytest.mark.parametrize("value", HOSTILE.values(), ids=HOSTILE.keys())
def test_sign_in_fields(client, coach, value):
    for index, data in enumerate(
        [{"email": value, "password": "whatever1"}, {"email": coach.email, "password": value}]
    ):
        response = client.post(
            "/sign-in", data=data, environ_base={"REMOTE_ADDR": f"10.9.{index}.{len(value) % 250}"}
        )
        assert_safe(response)
        assert response.status_code == 200


@pytest.mark.parametrize("value", HOSTILE.values(), ids=HOSTILE.keys())
def test_password_fields(app, client, auth, manager, make_user, value):
    newcomer = make_user(password=None)
    with app.app_context():
        token = services.issue_set_password_link(newcomer.load(), actor=manager.load())
        db.session.commit()
    client.get(f"/set-password/{token}")
    response = client.post("/set-password", data={"password": value, "confirm": value})
    assert_safe(response)
    if response.status_code == 302:  # accepted: it is the password now, exactly as typed
        with app.app_context():
            assert services.authenticate(newcomer.email, value) is not None
    else:
        assert b'id="password-error"' in response.data

    auth.sign_in(manager)
    response = client.post(
        "/account/password",
        data={
            "current_password": value,
            "password": "fine new phrase",
            "confirm": "fine new phrase",
        },
    )
    assert_safe(response)
    assert b'id="current_password-error"' in response.data


@pytest.mark.parametrize("value", HOSTILE.values(), ids=HOSTILE.keys())
def test_search_and_filter_parameters(client, auth, manager, value):
    auth.sign_in(manager)
    for path in ("/users", "/audit"):
        for param in ("q", "role", "status", "who", "action", "date_from", "date_to", "page"):
            response = client.get(path, query_string={param: value})
            assert_safe(response)
            assert response.status_code == 200


def test_javascript_urls_are_not_followed_after_sign_in(client, coach):
    response = client.post(
        "/sign-in",
        data={"email": coach.email, "password": coach.password, "next": "javascript:alert(1)"},
    )
    assert response.headers["Location"] == "/"


def test_role_values_outside_the_list_are_refused(client, auth, manager):
    auth.sign_in(manager)
    response = client.post(
        "/users/new",
        data={"name": "Root", "email": "root@example.org", "role": "admin", "language": "en"},
    )
    assert response.status_code == 200
    assert b'id="role-error"' in response.data


PROVIDER_TEXT_FIELDS = [
    "legal_name",
    "preferred_name",
    "business_name",
    "phone",
    "email",
    "street",
    "ages_served",
    "hours_of_operation",
    "staff_notes",
]


@pytest.fixture
def provider_setup(app, manager):
    from tests import factories

    with app.app_context():
        factories.ensure_defaults()
        provider = factories.create_provider(actor=manager.load(), legal_name="Base Provider")
        return {
            "provider_id": provider.id,
            "town_id": provider.town_id,
            "neighborhood_id": provider.neighborhood_id,
            "item_id": provider_item_id(provider.id),
        }


def provider_item_id(provider_id):
    from fccnet.licensing.models import ChecklistItem

    return db.session.scalar(
        select(ChecklistItem.id).where(ChecklistItem.provider_id == provider_id).limit(1)
    )


@pytest.mark.parametrize("value", HOSTILE.values(), ids=HOSTILE.keys())
def test_provider_form_fields(client, auth, manager, provider_setup, value):
    auth.sign_in(manager)
    base = {
        "legal_name": "Valid Name",
        "town_id": provider_setup["town_id"],
        "neighborhood_id": provider_setup["neighborhood_id"],
        "first_contact_on": "2026-11-01",
        "preferred_language": "en",
        "confirm_new": "yes",
    }
    pid = provider_setup["provider_id"]
    for name in PROVIDER_TEXT_FIELDS:
        for url in ("/providers/new", f"/providers/{pid}/edit"):
            response = client.post(url, data={**base, name: value})
            assert_safe(response)
            if response.status_code == 200:
                assert f'id="{name}-error"'.encode() in response.data, (url, name)
            else:
                assert_safe(client.get(response.headers["Location"]))


REFUSED_IN_REQUIRED_FIELDS = {"nul", "long", "crlf", "rtl", "blank"}


@pytest.mark.parametrize(("kind", "value"), HOSTILE.items(), ids=HOSTILE.keys())
def test_household_stage_item_and_delete_fields(client, auth, manager, provider_setup, kind, value):
    auth.sign_in(manager)
    pid = provider_setup["provider_id"]
    item = provider_setup["item_id"]
    # (url, valid data, the text fields, those of them that are required)
    forms = [
        (
            f"/providers/{pid}/household/new",
            {"name": "A", "relationship_to_provider": "son", "born_on": "1990-01-01"},
            ("name", "relationship_to_provider"),
            ("name", "relationship_to_provider"),
        ),
        (f"/providers/{pid}/stage", {"stage_id": "2"}, ("note", "reason", "license_number"), ()),
        (
            f"/providers/{pid}/items/{item}",
            {"status": "waived"},
            ("waived_reason",),
            ("waived_reason",),
        ),
        (f"/providers/{pid}/delete", {}, ("reason",), ("reason",)),
    ]
    for url, base, fields, required in forms:
        for name in fields:
            response = client.post(url, data={**base, name: value})
            assert_safe(response)
            if name in required and kind in REFUSED_IN_REQUIRED_FIELDS:
                assert response.status_code == 200
                assert f'id="{name}-error"'.encode() in response.data, (url, name)
            if url.endswith("/delete") and response.status_code == 302:
                client.post(f"/providers/{pid}/restore")
    assert_safe(client.get(f"/providers/{pid}"))


@pytest.mark.parametrize("value", HOSTILE.values(), ids=HOSTILE.keys())
def test_provider_list_parameters(client, auth, manager, provider_setup, value):
    auth.sign_in(manager)
    for param in ("q", "stage", "coach", "town", "neighborhood", "language", "sort", "page"):
        response = client.get("/providers", query_string={param: value})
        assert_safe(response)
        assert response.status_code == 200


@pytest.fixture
def training_setup(app, manager, provider_setup):
    from datetime import timedelta

    from fccnet.database import utcnow
    from tests import factories

    with app.app_context():
        actor = manager.load()
        session = factories.create_session(
            factories.create_course(actor),
            actor=actor,
            trainer=actor,
            starts_at=utcnow() + timedelta(days=3),
        )
        db.session.commit()
        return {"session_id": session.id, "provider_id": provider_setup["provider_id"]}


@pytest.mark.parametrize("value", HOSTILE.values(), ids=HOSTILE.keys())
def test_training_page_parameters(client, auth, manager, training_setup, value):
    auth.sign_in(manager)
    session_id, provider_id = training_setup["session_id"], training_setup["provider_id"]
    pages = {
        "/training/": ("month", "area", "language", "delivery", "page"),
        f"/training/sessions/{session_id}": ("q",),
        f"/training/sessions/{session_id}/roster": ("q",),
        f"/providers/{provider_id}/training/transcript": ("from", "to"),
        "/training/credits": ("page",),
    }
    for path, params in pages.items():
        for param in params:
            response = client.get(path, query_string={param: value})
            assert_safe(response)
            assert response.status_code == 200, (path, param)


def test_numbers_too_large_for_the_database_are_not_found(client, auth, manager, training_setup):
    """SQLite cannot compare with an integer past 64 bits: such ids are plain 404s and such
    page numbers show the first page, on both databases."""
    auth.sign_in(manager)
    huge = str(2**70)
    for path in (f"/providers/{huge}", f"/training/sessions/{huge}", f"/training/feed/{huge}"):
        assert client.get(path).status_code == 404
    for path in (
        "/providers",
        "/audit",
        "/users",
        "/compliance",
        "/training/",
        "/training/credits",
    ):
        response = client.get(path, query_string={"page": huge})
        assert response.status_code == 200, path
    session_id = training_setup["session_id"]
    response = client.post(f"/training/sessions/{session_id}/register", data={"provider_id": huge})
    assert response.status_code in (302, 404)
    response = client.get(f"/training/sessions/{session_id}/roster", query_string={"q": huge})
    assert_safe(response)


@pytest.fixture
def coaching_setup(app, manager, provider_setup):
    from fccnet.coaching import services as coaching
    from fccnet.coaching.models import ContactMode, ItemOwner
    from fccnet.coaching.services import ActionItemInput, ContactInput, GoalInput
    from fccnet.providers.models import Provider

    with app.app_context():
        actor = manager.load()
        provider = db.session.get(Provider, provider_setup["provider_id"])
        contact = coaching.log_contact(
            provider,
            ContactInput(
                contacted_on=local_today(),
                minutes=30,
                mode=ContactMode.PHONE,
                summary="Base summary",
            ),
            actor=actor,
        )
        item = coaching.create_action_item(
            provider,
            ActionItemInput(description="Base item", owner=ItemOwner.PROVIDER),
            actor=actor,
        )
        goal = coaching.create_goal(provider, GoalInput(description="Base goal"), actor=actor)
        db.session.commit()
        return {**provider_setup, "contact_id": contact.id, "item_id": item.id, "goal_id": goal.id}


@pytest.mark.parametrize(("kind", "value"), HOSTILE.items(), ids=HOSTILE.keys())
def test_coaching_form_fields(app, client, auth, manager, coaching_setup, kind, value):
    from fccnet.coaching.models import ActionItem, Contact

    auth.sign_in(manager)
    pid = coaching_setup["provider_id"]
    base = f"/providers/{pid}"
    contact = f"{base}/contacts/{coaching_setup['contact_id']}"
    item = f"{base}/action-items/{coaching_setup['item_id']}"
    goal = f"{base}/goals/{coaching_setup['goal_id']}"
    with app.app_context():
        today = local_today().isoformat()
    contact_data = {
        "contacted_on": today,
        "minutes": "30",
        "mode": "phone",
        "summary": "Valid summary",
    }

    def versioned(model, record_id):
        def data():
            with app.app_context():
                return {"version": str(db.session.get(model, record_id).version)}

        return data

    no_version = dict
    # (url, valid data or a function giving the current version, the text fields)
    forms = [
        (
            f"{base}/contacts/new",
            no_version,
            contact_data,
            (
                "summary",
                "next_steps",
                "internal_notes",
                "minutes",
                "contacted_on",
                "mode",
                "topic_ids",
                "action_items-0-description",
                "action_items-0-owner",
                "action_items-0-due_on",
            ),
        ),
        (
            f"{contact}/edit",
            versioned(Contact, coaching_setup["contact_id"]),
            contact_data,
            ("summary", "next_steps", "internal_notes", "minutes"),
        ),
        (f"{contact}/addenda", no_version, {}, ("text",)),
        (
            f"{base}/action-items/new",
            no_version,
            {"description": "Valid", "owner": "coach"},
            ("description", "due_on"),
        ),
        (
            f"{item}/edit",
            versioned(ActionItem, coaching_setup["item_id"]),
            {"description": "Valid", "owner": "coach"},
            ("description", "owner", "due_on"),
        ),
        (
            f"{base}/goals/new",
            no_version,
            {"description": "Valid", "status": "active"},
            ("description", "target_on"),
        ),
        (f"{goal}/progress", no_version, {"noted_on": today}, ("note", "noted_on")),
    ]
    for url, version, valid, fields in forms:
        for name in fields:
            response = client.post(url, data={**valid, **version(), name: value})
            assert_safe(response)
            if response.status_code in (200, 400):
                assert f'id="{name}-error"'.encode() in response.data, (url, name)
            else:
                assert response.status_code == 302, (url, name)
                assert_safe(client.get(response.headers["Location"]))
    # Closing last: an open item takes a hostile comment, or says why not.
    response = client.post(
        f"{item}/close",
        data={
            "status": "done",
            "comment": value,
            **versioned(ActionItem, coaching_setup["item_id"])(),
        },
    )
    assert_safe(response)
    if response.status_code == 200:
        assert b'id="comment-error"' in response.data
    for page in (base, f"{base}/contacts", f"{base}/timeline", contact):
        assert_safe(client.get(page))
    for param in ("page", "contact_id"):
        assert_safe(client.get(f"{base}/contacts", query_string={param: value}))
        assert_safe(client.get(f"{base}/timeline", query_string={param: value}))
        assert_safe(client.get(f"{base}/action-items/new", query_string={param: value}))


REPORT_PAGES = {
    **{
        f"/reports/{name}": (
            "preset",
            "start",
            "end",
            "coach",
            "town",
            "neighborhood",
            "language",
            "promise_zone",
        )
        for name in ("pipeline", "outcomes", "training", "coaching", "compliance", "partner")
    },
    "/reports/pipeline?": ("stalled_days",),
    "/reports/card": ("half", "start", "end"),
}


@pytest.mark.parametrize("value", HOSTILE.values(), ids=HOSTILE.keys())
def test_report_filters(client, auth, manager, provider_setup, value):
    """A bad filter is an error at its field (a 200 page), and a CSV or PDF asked for with
    it goes back to the page; never a 500."""
    auth.sign_in(manager)
    for path, params in REPORT_PAGES.items():
        for param in params:
            # A custom range makes the dates count.
            query = {"preset": "custom", "half": "custom", param: value}
            response = client.get(path.rstrip("?"), query_string=query)
            assert_safe(response)
            assert response.status_code == 200, (path, param)
    for path in ("/reports/compliance/by_requirement.csv", "/reports/card.pdf"):
        query = {"preset": "custom", "half": "custom", "start": value}
        response = client.get(path, query_string=query)
        assert response.status_code == 302, path
    response = client.get("/reports/exports/providers.csv", query_string={"town": value})
    # Only spaces is no filter at all: the whole list.
    assert response.status_code == (302 if value.strip() else 200)
