"""The report pages every report shares: filters in the URL, errors at the fields, a
coach's caseload, CSV downloads of each table (compliance is the report used here)."""

import csv
import io
import re
from datetime import date, timedelta

import pytest
from sqlalchemy import select, update

from fccnet.audit.models import AuditEvent
from fccnet.auth.models import Role
from fccnet.clock import local_today
from fccnet.extensions import db
from fccnet.licensing.models import ChecklistItem, ItemStatus
from tests import factories


@pytest.fixture
def overdue(app, manager, coach, make_user):
    """One overdue item for a provider of the coach principal, one for another coach's."""
    with app.app_context():
        factories.ensure_defaults()
        other_coach = make_user(role=Role.COACH, name="Olivia Other")
        ours = factories.create_provider(
            actor=manager.load(), coach=coach.load(), legal_name="Nuestra Proveedora"
        )
        theirs = factories.create_provider(
            actor=manager.load(), coach=other_coach.load(), legal_name="=Their Provider"
        )
        db.session.execute(update(ChecklistItem).values(due_on=None, status=ItemStatus.NOT_STARTED))
        for provider in (ours, theirs):
            item = db.session.scalars(
                select(ChecklistItem).where(ChecklistItem.provider_id == provider.id)
            ).first()
            item.due_on = local_today() - timedelta(days=3)
        db.session.commit()
        return {"other_coach": other_coach.id, "town": ours.town_id}


def test_the_default_period_is_this_quarter_and_every_table_has_a_csv_link(
    app, client, auth, manager, overdue
):
    auth.sign_in(manager)
    html = client.get("/reports/compliance").get_data(as_text=True)
    with app.app_context():
        today = local_today()
    quarter_start = date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
    assert 'id="report-period"' in html
    assert str(quarter_start.year) in html
    assert "/reports/compliance/by_requirement.csv" in html
    assert "/reports/compliance/overdue.csv" in html
    assert "Nuestra Proveedora" in html and "=Their Provider" in html


def test_filters_live_in_the_url_and_in_the_csv_link(client, auth, manager, overdue):
    auth.sign_in(manager)
    query = {"preset": "last_month", "coach": overdue["other_coach"], "town": overdue["town"]}
    html = client.get("/reports/compliance", query_string=query).get_data(as_text=True)
    assert "Nuestra Proveedora" not in html and "=Their Provider" in html
    assert f"coach={overdue['other_coach']}" in html  # the CSV link keeps the filters
    assert 'value="last_month" selected' in html


def test_a_wrong_custom_range_is_an_error_at_the_field_and_shows_no_figures(
    client, auth, manager, overdue
):
    auth.sign_in(manager)
    query = {"preset": "custom", "start": "2026-05-02", "end": "2026-05-01"}
    response = client.get("/reports/compliance", query_string=query)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'id="end-error"' in html and "The last day cannot be before the first." in html
    assert 'value="2026-05-02"' in html  # what was typed stays
    assert "Nuestra Proveedora" not in html
    missing = client.get("/reports/compliance", query_string={"preset": "custom"})
    assert "Enter the first day of the range." in missing.get_data(as_text=True)
    assert "Enter the last day of the range." in missing.get_data(as_text=True)
    garbled = client.get(
        "/reports/compliance",
        query_string={"preset": "custom", "start": "31/02/2026", "end": "2026-01-01"},
    )
    assert 'id="start-error"' in garbled.get_data(as_text=True)
    # A CSV asked for with a wrong range goes back to the page, which shows the errors.
    csv_response = client.get("/reports/compliance/overdue.csv", query_string=query)
    assert csv_response.status_code == 302
    assert "/reports/compliance?" in csv_response.headers["Location"]


def test_a_coach_sees_only_their_caseload_whatever_the_url_says(client, auth, coach, overdue):
    auth.sign_in(coach)
    response = client.get("/reports/compliance", query_string={"coach": overdue["other_coach"]})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Nuestra Proveedora" in html and "=Their Provider" not in html
    assert 'name="coach"' not in html
    data = client.get(
        "/reports/compliance/by_requirement.csv", query_string={"coach": overdue["other_coach"]}
    ).data
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[-1][1] == "1"  # the total overdue: their own provider's item alone


def test_a_list_of_people_downloads_for_managers_only(client, auth, coach, manager, overdue):
    auth.sign_in(coach)
    html = client.get("/reports/compliance").get_data(as_text=True)
    assert "/reports/compliance/overdue.csv" not in html
    assert "/reports/compliance/by_requirement.csv" in html
    assert client.get("/reports/compliance/overdue.csv").status_code == 403
    auth.sign_out()
    auth.sign_in(manager)
    assert "/reports/compliance/overdue.csv" in client.get("/reports/compliance").get_data(
        as_text=True
    )


def test_stray_and_reserved_arguments_are_left_out_of_links(client, auth, manager, overdue):
    auth.sign_in(manager)
    query = {"name": "x", "key": "y", "_external": "1", "town": overdue["town"]}
    html = client.get("/reports/compliance", query_string=query).get_data(as_text=True)
    downloads = re.findall(r'href="([^"]*\.csv[^"]*)"', html)
    assert f"/reports/compliance/overdue.csv?town={overdue['town']}" in downloads
    assert not [link for link in downloads if "_external" in link or "key=y" in link]
    wrong = {**query, "preset": "custom"}
    response = client.get("/reports/compliance/overdue.csv", query_string=wrong)
    assert response.status_code == 302
    assert "name=x" not in response.headers["Location"]


@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31", "1989-12-31", "2101-01-01"])
def test_dates_beyond_any_record_are_an_error_at_the_field(client, auth, manager, overdue, day):
    auth.sign_in(manager)
    for path, query in [
        ("/reports/coaching", {"preset": "custom", "start": "2026-01-01", "end": day}),
        ("/reports/card", {"half": "custom", "start": day, "end": "2026-06-30"}),
    ]:
        response = client.get(path, query_string=query)
        assert response.status_code == 200
        assert "Enter a date from 1990 to 2100." in response.get_data(as_text=True)


def test_a_table_downloads_as_csv_with_a_byte_order_mark_and_neutralised_cells(
    app, client, auth, manager, overdue
):
    auth.sign_in(manager)
    response = client.get("/reports/compliance/overdue.csv")
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    assert response.data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))
    assert rows[0] == ["Provider", "Household member", "Requirement", "Due", "Days overdue"]
    with app.app_context():
        due = (local_today() - timedelta(days=3)).isoformat()
    assert sorted(row[0] for row in rows[1:]) == ["'=Their Provider", "Nuestra Proveedora"]
    assert {row[3] for row in rows[1:]} == {due}
    assert {row[4] for row in rows[1:]} == {"3"}


def test_an_unknown_table_or_report_is_not_found(client, auth, manager, overdue):
    auth.sign_in(manager)
    assert client.get("/reports/compliance/nothing.csv").status_code == 404
    assert client.get("/reports/nothing").status_code == 404


def test_the_page_and_its_csv_headers_are_in_spanish(client, auth, make_user, overdue):
    reader = make_user(role=Role.MANAGER, language="es")
    auth.sign_in(reader)
    html = client.get("/reports/compliance").get_data(as_text=True)
    assert "Descargar" in html
    rows = list(
        csv.reader(
            io.StringIO(client.get("/reports/compliance/overdue.csv").data.decode("utf-8-sig"))
        )
    )
    assert rows[0][0] == "Proveedor"


def test_reports_are_in_the_menu_for_staff_only(client, auth, manager, provider):
    auth.sign_in(manager)
    assert 'href="/reports"' in client.get("/").get_data(as_text=True)
    auth.sign_out()
    auth.sign_in(provider)
    assert 'href="/reports"' not in client.get("/").get_data(as_text=True)


def test_a_list_of_people_downloaded_is_in_the_audit_log(app, client, auth, manager, overdue):
    auth.sign_in(manager)
    client.get("/reports/compliance/overdue.csv", query_string={"town": overdue["town"]})
    client.get("/reports/exports/providers.csv", query_string={"town": overdue["town"]})
    client.get("/reports/compliance/by_requirement.csv")  # counts, not people: not recorded
    with app.app_context():
        events = db.session.scalars(
            select(AuditEvent).where(AuditEvent.action == "report.exported").order_by(AuditEvent.id)
        ).all()
        assert [(e.actor_id, e.details["export"], e.details["rows"]) for e in events] == [
            (manager.id, "compliance.overdue", 2),
            (manager.id, "providers", 2),
        ]
        assert events[0].details["filters"] == {"town": str(overdue["town"])}
