"""Headers, CSRF, error pages and start-up checks."""

import logging

import pytest
from flask import abort
from sqlalchemy import select

from config import ProductionConfig, TestConfig
from fccnet import create_app
from fccnet.auth.models import User
from fccnet.extensions import db
from tests.access_matrix import EXEMPT_ENDPOINTS
from tests.factories import create_user


def assert_security_headers(response):
    csp = response.headers["Content-Security-Policy"]
    assert "unsafe-inline" not in csp
    for directive in ("object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'"):
        assert directive in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"]


def test_headers_on_pages_redirects_errors_and_assets(client, auth, coach):
    responses = [
        client.get("/sign-in"),
        client.get("/"),  # redirect to sign-in
        client.get("/no-such-page"),
        client.get("/static/css/app.css"),
        client.get("/bootstrap/static/css/bootstrap.min.css"),
        client.get("/healthz"),
    ]
    auth.sign_in(coach)
    responses.append(client.get("/"))
    for response in responses:
        assert_security_headers(response)


def test_signed_in_pages_are_not_cached(client, auth, coach):
    auth.sign_in(coach)
    assert client.get("/").headers["Cache-Control"] == "no-store"
    assert "no-store" not in client.get("/static/css/app.css").headers.get("Cache-Control", "")


def test_pages_have_no_inline_scripts_or_styles(client, auth, manager):
    auth.sign_in(manager)
    for path in ["/", "/users", "/users/new", "/audit", "/account/password"]:
        html = client.get(path).get_data(as_text=True)
        assert "<style" not in html
        assert " style=" not in html
        for script in html.split("<script")[1:]:
            assert script.lstrip().startswith("src="), path
        assert "cdn" not in html.lower()


@pytest.mark.parametrize("signed_in", [False, True])
def test_every_post_without_a_csrf_token_is_refused(app, client, auth, manager, signed_in):
    if signed_in:
        auth.sign_in(manager)
    app.config["WTF_CSRF_ENABLED"] = True
    for rule in app.url_map.iter_rules():
        if "POST" not in rule.methods or rule.endpoint in EXEMPT_ENDPOINTS:
            continue
        url = rule.build({arg: 1 if arg.endswith("_id") else "x" for arg in rule.arguments})[1]
        response = client.post(url, data={"email": manager.email, "password": manager.password})
        assert response.status_code == 400, url
        assert b"Reload the page and try again" in response.data


def test_a_valid_csrf_token_is_accepted(app, client, coach):
    app.config["WTF_CSRF_ENABLED"] = True
    page = client.get("/sign-in").get_data(as_text=True)
    token = page.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
    response = client.post(
        "/sign-in", data={"email": coach.email, "password": coach.password, "csrf_token": token}
    )
    assert response.status_code == 302


@pytest.mark.parametrize("code", [400, 403, 404, 405, 409, 413, 429, 500])
def test_friendly_error_pages(make_app, code):
    app = make_app()

    @app.route(f"/__raise_{code}")
    def raise_error():
        abort(code)

    response = app.test_client().get(f"/__raise_{code}")
    assert response.status_code == code
    html = response.get_data(as_text=True)
    assert "<h1>" in html and "Traceback" not in html
    assert "Go to the home page" in html
    assert_security_headers(response)


def test_405_keeps_the_allow_header(client):
    response = client.get("/sign-out")
    assert response.status_code == 405
    assert "POST" in response.headers["Allow"]


def test_an_unhandled_exception_rolls_back_and_shows_the_500_page(make_app, coach):
    app = make_app(PROPAGATE_EXCEPTIONS=False)

    @app.route("/__explode")
    def explode():
        db.session.get(User, coach.id).name = "Half-saved change"
        db.session.flush()
        raise RuntimeError("secret internal detail")

    response = app.test_client().get("/__explode")
    assert response.status_code == 500
    assert b"secret internal detail" not in response.data
    assert b"Something went wrong" in response.data
    with app.app_context():
        assert db.session.scalar(select(User.name).where(User.id == coach.id)) == coach.name


def test_oversized_requests_get_413(app, client):
    app.config["MAX_CONTENT_LENGTH"] = 1024
    response = client.post("/sign-in", data={"email": "a" * 5000, "password": "x"})
    assert response.status_code == 413
    assert b"too large" in response.data


@pytest.mark.parametrize("secret", ["", "change-me", "short-key"])
def test_production_refuses_to_start_without_a_real_secret_key(secret):
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app(ProductionConfig, SECRET_KEY=secret)


def test_production_refuses_to_start_in_debug_mode():
    with pytest.raises(RuntimeError, match="DEBUG"):
        create_app(ProductionConfig, SECRET_KEY="k" * 40, DEBUG=True)


def test_proxy_fix_is_configurable(make_app):
    app = make_app(ProductionConfig, SECRET_KEY="k" * 40, PROXY_COUNT=1)

    @app.route("/__scheme")
    def scheme():
        from flask import request

        return f"{request.scheme} {request.remote_addr}"

    response = app.test_client().get(
        "/__scheme", headers={"X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.9"}
    )
    assert response.get_data(as_text=True) == "https 203.0.113.9"


def test_database_urls_are_normalised_to_psycopg3():
    from config import normalise_database_url

    assert normalise_database_url("postgresql://u@h/db") == "postgresql+psycopg://u@h/db"
    assert normalise_database_url("postgres://u@h/db") == "postgresql+psycopg://u@h/db"
    assert normalise_database_url("postgresql+psycopg://u@h/db") == "postgresql+psycopg://u@h/db"
    assert normalise_database_url("sqlite:///x.db") == "sqlite:///x.db"


def test_access_logs_never_show_secret_link_tokens(app, caplog):
    from gunicorn.glogging import SafeAtoms

    caplog.set_level(logging.INFO)
    logging.getLogger("werkzeug").info(
        '%s - - [%s] "%s" %s', "127.0.0.1", "now", "GET /set-password/s3cr3t-t0ken HTTP/1.1", 200
    )
    atoms = SafeAtoms({"r": "GET /set-password/g0n1c0rn-t0ken HTTP/1.1", "s": 200})
    logging.getLogger("gunicorn.access").info('"%(r)s" %(s)s', atoms)
    assert "s3cr3t-t0ken" not in caplog.text
    assert "g0n1c0rn-t0ken" not in caplog.text
    assert caplog.text.count("/set-password/[redacted]") == 2
    logging.getLogger("werkzeug").info('"%s" %s', "GET /feeds/f33d-t0ken.ics HTTP/1.1", 200)
    assert "f33d-t0ken" not in caplog.text
    assert "/feeds/[redacted]" in caplog.text


def test_the_500_page_still_renders_when_the_database_is_gone(tmp_path):
    database = tmp_path / "gone.sqlite"
    app = create_app(
        TestConfig, SQLALCHEMY_DATABASE_URI=f"sqlite:///{database}", PROPAGATE_EXCEPTIONS=False
    )
    with app.app_context():
        db.create_all()
        coach = create_user()
    client = app.test_client()
    client.post("/sign-in", data={"email": coach.email, "password": coach.password})
    with app.app_context():
        db.engine.dispose()
    database.unlink()
    database.mkdir()  # the next connection fails

    response = client.get("/")
    assert response.status_code == 500
    assert b"Something went wrong" in response.data
    assert_security_headers(response)


def test_quick_select_escapes_values_labels_and_attributes():
    from wtforms.fields.choices import Choice

    from fccnet.forms import QuickSelect

    html = QuickSelect.render_option(
        Choice(value='1"><script>', label="<b>A & B</b>", selected=True, render_kw={"lang": '"x'})
    )
    assert html == (
        '<option value="1&quot;&gt;&lt;script&gt;" lang="&quot;x" selected>'
        "&lt;b&gt;A &amp; B&lt;/b&gt;</option>"
    )
