"""The audit log page."""

from fccnet.auth.models import Role


def test_the_audit_log_lists_account_events(client, auth, manager, make_user):
    make_user(role=Role.COACH, name="Carla Coach")
    client.post("/sign-in", data={"email": "nobody@example.org", "password": "wrong pass"})
    auth.sign_in(manager)
    page = client.get("/audit").get_data(as_text=True)
    assert "Account created" in page
    assert "Sign-in failed" in page and "nobody@example.org" in page
    assert "Signed in" in page


def test_the_audit_log_filters(client, auth, manager, make_user):
    coach = make_user(role=Role.COACH, name="Carla Coach")
    auth.sign_in(coach)
    auth.sign_out()
    auth.sign_in(manager)
    page = client.get("/audit", query_string={"who": "carla", "action": "auth.signed_out"})
    html = page.get_data(as_text=True)
    assert html.count("<tr>") == 2  # header and one event
    assert "Signed out" in html


def test_an_impossible_date_range_is_explained_at_the_field(client, auth, manager):
    auth.sign_in(manager)
    page = client.get("/audit", query_string={"date_from": "2026-11-10", "date_to": "2026-11-01"})
    assert page.status_code == 200
    assert b'id="date_to-error"' in page.data
    page = client.get("/audit", query_string={"date_from": "not a date"})
    assert b'id="date_from-error"' in page.data
