"""Signing in and out, sessions, throttling, passwords and language, over HTTP."""

import re

import pytest
from sqlalchemy import func, select

from config import ProductionConfig
from fccnet.auth import services
from fccnet.auth.models import Role, User
from fccnet.extensions import db

WRONG = "The email or password is not correct."


def test_sign_in_page_renders(client):
    response = client.get("/sign-in")
    assert response.status_code == 200
    assert b'<label class="form-label" for="email">' in response.data


def test_sign_in_lands_on_the_home_page_for_the_role(client, auth, manager, coach, provider):
    for principal, text in [
        (manager, b"Create an account for a coach or a provider"),
        (coach, b"Your caseload"),
        (provider, b"Your training and licensing"),
    ]:
        response = auth.sign_in(principal)
        assert response.status_code == 302
        assert response.headers["Location"] == "/"
        page = client.get("/")
        assert text in page.data
        assert principal.name.encode() in page.data
        auth.sign_out()


def test_unknown_email_and_wrong_password_get_the_same_answer(client, auth, coach):
    unknown = client.post("/sign-in", data={"email": "nobody@example.org", "password": "whatever1"})
    wrong = auth.sign_in(coach, password="not the password")
    assert unknown.status_code == wrong.status_code == 200
    assert WRONG.encode() in unknown.data and WRONG.encode() in wrong.data
    strip = re.compile(rb'value="[^"]*"')
    assert strip.sub(b"", unknown.data) == strip.sub(b"", wrong.data)


def test_a_deactivated_account_cannot_sign_in(client, make_user):
    gone = make_user(active=False)
    response = client.post("/sign-in", data={"email": gone.email, "password": gone.password})
    assert WRONG.encode() in response.data


@pytest.mark.parametrize(
    ("next_url", "expected"),
    [
        ("/users", "/users"),
        ("/account/password?x=1", "/account/password?x=1"),
        ("https://evil.example/", "/"),
        ("//evil.example/", "/"),
        ("/\\evil.example", "/"),
        ("javascript:alert(1)", "/"),
        ("", "/"),
    ],
)
def test_next_only_redirects_within_the_site(client, coach, next_url, expected):
    response = client.post(
        "/sign-in", data={"email": coach.email, "password": coach.password, "next": next_url}
    )
    assert response.headers["Location"] == expected


def test_the_sign_in_page_carries_next_from_the_login_redirect(client):
    response = client.get("/users", follow_redirects=True)
    assert b'name="next" type="hidden" value="/users"' in response.data


def test_session_is_rotated_at_sign_in(client, coach):
    with client.session_transaction() as session:
        session["planted"] = "before sign-in"
    client.post("/sign-in", data={"email": coach.email, "password": coach.password})
    with client.session_transaction() as session:
        assert "planted" not in session


def test_a_copied_cookie_is_dead_after_sign_out(app, client, auth, coach):
    auth.sign_in(coach)
    stolen = client.get_cookie("fccnet_session").value
    assert client.get("/").status_code == 200
    auth.sign_out()

    thief = app.test_client()
    thief.set_cookie("fccnet_session", stolen)
    response = thief.get("/")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/sign-in")


def test_deactivation_ends_open_sessions_on_the_next_request(app, client, auth, coach, manager):
    auth.sign_in(coach)
    assert client.get("/").status_code == 200
    with app.app_context():
        services.deactivate_user(coach.load(), actor=manager.load())
        db.session.commit()
    assert client.get("/").status_code == 302


def test_changing_the_password_signs_out_other_sessions_only(app, client, auth, coach):
    other_device = app.test_client()
    other_device.post("/sign-in", data={"email": coach.email, "password": coach.password})
    auth.sign_in(coach)
    response = client.post(
        "/account/password",
        data={
            "current_password": coach.password,
            "password": "a brand new passphrase",
            "confirm": "a brand new passphrase",
        },
    )
    assert response.status_code == 302
    assert client.get("/").status_code == 200
    assert other_device.get("/").status_code == 302
    auth.sign_out()
    assert auth.sign_in(coach, password="a brand new passphrase").status_code == 302


def test_changing_the_password_requires_the_current_one(client, auth, coach):
    auth.sign_in(coach)
    response = client.post(
        "/account/password",
        data={
            "current_password": "wrong",
            "password": "a new phrase ok",
            "confirm": "a new phrase ok",
        },
    )
    assert response.status_code == 200
    assert b"Your current password is not correct." in response.data
    assert b'aria-invalid="true"' in response.data


@pytest.mark.parametrize(
    ("password", "confirm", "message"),
    [
        ("short", "short", b"Use at least 8 characters."),
        ("x" * 129, "x" * 129, b"Use at most 128 characters."),
        ("password123", "password123", b"This password is too common."),
        ("a fine passphrase", "a different one", b"The two passwords do not match."),
    ],
)
def test_new_password_rules_show_at_the_field(client, auth, coach, password, confirm, message):
    auth.sign_in(coach)
    response = client.post(
        "/account/password",
        data={"current_password": coach.password, "password": password, "confirm": confirm},
    )
    assert message in response.data


def test_sign_in_is_throttled_per_account(app, make_user):
    coach = make_user()
    for attempt in range(10):
        client = app.test_client()
        response = client.post(
            "/sign-in",
            data={"email": coach.email, "password": "wrong guess"},
            environ_base={"REMOTE_ADDR": f"10.0.0.{attempt}"},
        )
        assert response.status_code == 200
    response = app.test_client().post(
        "/sign-in",
        data={"email": coach.email, "password": coach.password},
        environ_base={"REMOTE_ADDR": "10.0.1.1"},
    )
    assert response.status_code == 429
    assert b"Too many attempts" in response.data


def test_sign_in_is_throttled_per_address(client, make_user):
    coach = make_user()
    for attempt in range(10):
        response = client.post(
            "/sign-in", data={"email": f"guess{attempt}@example.org", "password": "wrong guess"}
        )
        assert response.status_code == 200
    response = client.post("/sign-in", data={"email": coach.email, "password": coach.password})
    assert response.status_code == 429


def test_successful_sign_ins_do_not_count_against_the_limit(app, client, coach):
    for _ in range(12):
        response = client.post("/sign-in", data={"email": coach.email, "password": coach.password})
        assert response.status_code == 302
        client.post("/sign-out")


def test_wrong_current_passwords_are_throttled(client, auth, coach):
    auth.sign_in(coach)
    data = {
        "current_password": "wrong",
        "password": "a new phrase ok",
        "confirm": "a new phrase ok",
    }
    for _ in range(10):
        assert client.post("/account/password", data=data).status_code == 200
    assert client.post("/account/password", data=data).status_code == 429


def test_language_is_stored_on_the_account(app, client, auth, coach):
    auth.sign_in(coach)
    response = client.post("/language", data={"language": "es", "next": "/account/password"})
    assert response.headers["Location"] == "/account/password"
    with app.app_context():
        assert db.session.get(User, coach.id).language == "es"
    page = client.get("/account/password")
    assert b'<html lang="es">' in page.data
    auth.sign_out()
    client.post("/language", data={"language": "en"})  # anonymous choice, session only
    auth.sign_in(coach)
    assert b'<html lang="es">' in client.get("/").data


def test_anonymous_language_choice_and_accept_language(app, client):
    assert b'<html lang="es">' in client.get("/sign-in", headers={"Accept-Language": "es-PR"}).data
    client.post("/language", data={"language": "es", "next": "https://evil.example/"})
    assert b'<html lang="es">' in client.get("/sign-in").data
    response = client.post("/language", data={"language": "fr"})
    assert response.status_code == 302
    assert b'<html lang="es">' in client.get("/sign-in").data


def test_session_cookie_flags(client, coach):
    response = client.post("/sign-in", data={"email": coach.email, "password": coach.password})
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie
    assert "Secure" not in cookie


def test_production_cookies_are_secure(make_app):
    app = make_app(ProductionConfig, SECRET_KEY="x" * 40)
    assert app.config["SESSION_COOKIE_SECURE"] is True
    response = app.test_client().get("/sign-in")
    assert "Secure" in response.headers["Set-Cookie"]
    assert response.headers["Strict-Transport-Security"].startswith("max-age=")


def set_password_link(app, manager, user) -> str:
    with app.app_context():
        token = services.issue_set_password_link(user.load(), actor=manager.load())
        db.session.commit()
    return f"/set-password/{token}"


def test_set_password_through_the_link(app, client, manager, make_user):
    newcomer = make_user(password=None, role=Role.PROVIDER)
    url = set_password_link(app, manager, newcomer)
    opened = client.get(url)
    assert opened.status_code == 302
    assert opened.headers["Location"] == "/set-password"  # the token leaves the address bar
    page = client.get("/set-password")
    assert page.status_code == 200
    assert newcomer.email.encode() in page.data

    form = "/set-password"
    refused = client.post(form, data={"password": "password123", "confirm": "password123"})
    assert b"This password is too common." in refused.data

    response = client.post(
        form, data={"password": "my own passphrase", "confirm": "my own passphrase"}
    )
    assert response.status_code == 302
    assert response.headers["Location"] == "/sign-in"
    assert client.get(url).status_code == 404
    assert client.get(form).status_code == 404
    signed_in = client.post(
        "/sign-in", data={"email": newcomer.email, "password": "my own passphrase"}
    )
    assert signed_in.status_code == 302


def test_an_unknown_link_gets_the_same_page_as_a_used_one(client):
    response = client.get("/set-password/not-a-real-token")
    assert response.status_code == 404
    assert b"This link does not work" in response.data


def test_manager_creates_a_user_and_issues_a_link(app, client, auth, manager):
    auth.sign_in(manager)
    response = client.post(
        "/users/new",
        data={
            "name": "Nueva Proveedora",
            "email": "Nueva@Example.org",
            "role": "provider",
            "language": "es",
        },
    )
    assert response.status_code == 302
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == "nueva@example.org"))
        assert user.role is Role.PROVIDER and user.language == "es" and user.password_hash is None
        user_id = user.id
    page = client.post(f"/users/{user_id}/password-link")
    assert page.status_code == 200
    link = re.search(rb'value="(http://localhost/set-password/[^"]+)"', page.data).group(1).decode()
    anonymous = app.test_client()
    response = anonymous.get(link.removeprefix("http://localhost"), follow_redirects=True)
    assert response.status_code == 200
    assert b"Nueva Proveedora" in response.data


def test_creating_a_user_with_a_taken_email_shows_the_error_at_the_field(
    client, auth, manager, coach
):
    auth.sign_in(manager)
    response = client.post(
        "/users/new",
        data={"name": "Someone", "email": coach.email.upper(), "role": "coach", "language": "en"},
    )
    assert response.status_code == 200
    assert b'id="email-error"' in response.data
    assert b"An account with this email already exists." in response.data


def test_editing_a_user_changes_only_the_offered_fields(app, client, auth, manager, coach):
    auth.sign_in(manager)
    with app.app_context():
        before = db.session.get(User, coach.id)
        token, password_hash = before.session_token, before.password_hash
    response = client.post(
        f"/users/{coach.id}/edit",
        data={
            "name": "Renamed Coach",
            "email": coach.email,
            "role": "coach",
            "language": "es",
            "active": "false",
            "password_hash": "x",
            "session_token": "x",
            "id": "999",
        },
    )
    assert response.status_code == 302
    with app.app_context():
        after = db.session.get(User, coach.id)
        assert (after.name, after.language) == ("Renamed Coach", "es")
        assert (
            after.active and after.session_token == token and after.password_hash == password_hash
        )


def test_deactivate_and_reactivate_through_the_pages(app, client, auth, manager, coach):
    auth.sign_in(manager)
    assert client.post(f"/users/{coach.id}/deactivate").status_code == 302
    page = client.get(f"/users/{coach.id}/edit")
    assert b">Reactivate</button>" in page.data and b">Deactivate</button>" not in page.data
    assert client.post(f"/users/{coach.id}/reactivate").status_code == 302
    with app.app_context():
        assert db.session.get(User, coach.id).active


def test_a_manager_sees_no_deactivate_button_on_their_own_account(client, auth, manager):
    auth.sign_in(manager)
    page = client.get(f"/users/{manager.id}/edit")
    assert b">Deactivate</button>" not in page.data
    assert client.post(f"/users/{manager.id}/deactivate").status_code == 403


def test_accounts_list_searches_and_filters(client, auth, manager, make_user):
    make_user(name="Zoe Zed", role=Role.PROVIDER)
    make_user(name="Yolanda 100% Real", role=Role.COACH, active=False)
    auth.sign_in(manager)
    assert b"Zoe Zed" in client.get("/users?q=zed").data
    assert b"Zoe Zed" not in client.get("/users?role=coach").data
    assert b"Yolanda" in client.get("/users?status=inactive").data
    assert b"Yolanda" in client.get("/users?q=100%25").data
    assert b"Zoe Zed" not in client.get("/users?q=100%25").data


@pytest.mark.parametrize("path", ["/users/999999/edit"])
def test_missing_records_are_404(client, auth, manager, path):
    auth.sign_in(manager)
    assert client.get(path).status_code == 404
    assert client.post("/users/999999/deactivate").status_code == 404


def test_links_are_hidden_from_those_who_may_not_use_them(client, auth, coach, manager):
    auth.sign_in(coach)
    page = client.get("/")
    assert b'href="/users"' not in page.data and b'href="/audit"' not in page.data
    auth.sign_out()
    auth.sign_in(manager)
    page = client.get("/")
    assert b'href="/users"' in page.data and b'href="/audit"' in page.data


def test_switching_language_on_a_page_answering_a_post_returns_home(client, auth, manager, coach):
    auth.sign_in(manager)
    page = client.post(f"/users/{coach.id}/password-link").get_data(as_text=True)
    assert 'name="next" value="/"' in page
    page = client.get("/users?role=coach").get_data(as_text=True)
    assert 'name="next" value="/users?role=coach"' in page


def test_spanish_pages_are_really_in_spanish(client, auth, coach):
    auth.sign_in(coach)
    client.post("/language", data={"language": "es"})
    page = client.get("/").get_data(as_text=True)
    assert "Cerrar sesión" in page
    assert "Sign out" not in page


def test_a_concurrent_duplicate_email_is_caught_by_the_database(
    app, client, auth, manager, coach, monkeypatch
):
    # As if another request created the address between the check and the insert.
    monkeypatch.setattr(services, "_ensure_email_free", lambda *args, **kwargs: None)
    auth.sign_in(manager)
    response = client.post(
        "/users/new",
        data={"name": "Twin", "email": coach.email, "role": "coach", "language": "en"},
    )
    assert response.status_code == 200
    assert b'id="email-error"' in response.data
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(User)) == 2


def test_signing_out_keeps_the_persons_language(client, auth, make_user):
    hablante = make_user(language="es")
    auth.sign_in(hablante)
    response = auth.sign_out()
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert '<html lang="es">' in page
    assert "Iniciar sesión" in page
