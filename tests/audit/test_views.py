"""The audit log page."""

from fccnet.auth.models import Role


def event_rows(response) -> str:
    """The table body only: the filter's options name every action too."""
    html = response.get_data(as_text=True)
    return html.split("<tbody>")[1].split("</tbody>")[0] if "<tbody>" in html else ""


def test_the_audit_log_lists_account_events(client, auth, manager, make_user):
    make_user(role=Role.COACH, name="Carla Coach")
    client.post("/sign-in", data={"email": "nobody@example.org", "password": "wrong pass"})
    auth.sign_in(manager)
    rows = event_rows(client.get("/audit"))
    assert "Account created" in rows
    assert "Sign-in failed" in rows and "nobody@example.org" in rows
    assert "Signed in" in rows


def test_changes_read_in_the_readers_language(client, auth, manager, coach):
    auth.sign_in(manager)
    client.post(
        f"/users/{coach.id}/edit",
        data={"name": coach.name, "email": coach.email, "role": "manager", "language": "es"},
    )
    client.post("/language", data={"language": "es"})
    rows = event_rows(client.get("/audit", query_string={"action": "user.updated"}))
    assert "Rol: Asesor → Gerente" in rows
    assert "Idioma: English → Español" in rows
    assert f'href="/users/{coach.id}/edit"' in rows


def test_the_audit_log_filters(client, auth, manager, make_user):
    coach = make_user(role=Role.COACH, name="Carla Coach")
    auth.sign_in(coach)
    auth.sign_out()
    auth.sign_in(manager)
    rows = event_rows(
        client.get("/audit", query_string={"who": "carla", "action": "auth.signed_out"})
    )
    assert rows.count("<tr>") == 1
    assert "Signed out" in rows
    assert event_rows(client.get("/audit", query_string={"who": "nobody-like-this"})) == ""


def test_who_also_finds_events_about_the_persons_account(client, auth, manager, make_user):
    coach = make_user(role=Role.COACH, name="Carla Coach")
    client.post("/sign-in", data={"email": coach.email, "password": "wrong password"})
    auth.sign_in(manager)
    rows = event_rows(client.get("/audit", query_string={"who": "carla"}))
    assert "Sign-in failed" in rows
    assert "Account created" in rows


def test_an_impossible_date_range_is_explained_at_the_field(client, auth, manager):
    auth.sign_in(manager)
    page = client.get("/audit", query_string={"date_from": "2026-11-10", "date_to": "2026-11-01"})
    assert page.status_code == 200
    assert b'id="date_to-error"' in page.data
    page = client.get("/audit", query_string={"date_from": "not a date"})
    assert b'id="date_from-error"' in page.data
