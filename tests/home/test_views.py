"""The health check and the home pages."""

from config import TestConfig
from fccnet import create_app


def test_healthz_answers_ok_after_a_database_round_trip(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok"}


def test_healthz_answers_503_when_the_database_is_unreachable(tmp_path):
    app = create_app(
        TestConfig, SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path}/missing-dir/nothing.sqlite"
    )
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.get_json() == {"status": "unavailable"}


def test_home_pages_show_an_empty_state_with_a_next_action(client, auth, manager, coach, provider):
    for principal, next_action in [
        (manager, b'href="/users/new"'),
        (coach, b"Next: ask a network manager"),
        (provider, b"Next: talk with your coach"),
    ]:
        auth.sign_in(principal)
        page = client.get("/")
        assert b"Nothing here yet" in page.data
        assert next_action in page.data
        auth.sign_out()


def test_get_requests_change_nothing(app, client, auth, manager, table_snapshot):
    auth.sign_in(manager)
    before = table_snapshot()
    for path in ["/", "/users", "/users/new", f"/users/{manager.id}/edit", "/audit", "/healthz"]:
        assert client.get(path).status_code == 200
    after = table_snapshot()
    assert before == after
