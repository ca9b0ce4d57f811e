"""A manager reads every report, narrows one by town, downloads a table as CSV and the
report card as a PDF; a coach reads their caseload's reports."""

import csv
import io
from datetime import timedelta
from pathlib import Path

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from fccnet.auth.models import Role
from fccnet.clock import local_today
from fccnet.coaching import services as coaching_services
from fccnet.coaching.models import ContactMode
from fccnet.coaching.services import ContactInput
from fccnet.extensions import db
from fccnet.licensing import services as licensing_services
from fccnet.licensing.models import Stage
from tests import factories
from tests.e2e.browser import (
    assert_accessible,
    click_and_wait,
    downloaded_pdf,
    heading,
    main,
    open_from_menu,
    section,
    sign_in_from_start,
)

REPORTS = ("Pipeline", "Outcomes", "Training", "Coaching", "Compliance")


@pytest.fixture
def network(live_app):
    """Ana in Hartford, licensed today with 6 full-time and 2 school-age slots after a home
    visit from her coach; Bea, an inquiry in Bloomfield with another coach."""
    with live_app.app_context():
        factories.ensure_defaults()
        manager = factories.create_user(role=Role.MANAGER, name="Mona Manager")
        coach = factories.create_user(role=Role.COACH, name="Carl Coach")
        other_coach = factories.create_user(role=Role.COACH, name="Olga Other")
        actor = manager.load()
        ana = factories.create_provider(actor=actor, coach=coach.load(), legal_name="Ana Arroyo")
        factories.create_provider(
            actor=actor,
            coach=other_coach.load(),
            legal_name="Bea Blanco",
            town_id=factories.town("Bloomfield").id,
            neighborhood_id=None,
        )
        licensed = db.session.scalar(select(Stage).where(Stage.key == "licensed"))
        licensing_services.move_stage(
            ana,
            licensed,
            actor=actor,
            license=licensing_services.LicenseDetails("DCC-100", local_today(), 6, 2),
        )
        coaching_services.log_contact(
            ana,
            ContactInput(
                contacted_on=local_today() - timedelta(days=1),
                minutes=90,
                mode=ContactMode.HOME_VISIT,
                summary="Licensing visit",
            ),
            actor=coach.load(),
        )
        db.session.commit()
        return {"manager": manager, "coach": coach}


def csv_rows(download) -> list[list[str]]:
    assert download.suggested_filename.endswith(".csv"), download.suggested_filename
    data = Path(download.path()).read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


def test_a_manager_reads_each_report_filters_one_and_downloads_csv_and_the_card(page, network):
    sign_in_from_start(page, network["manager"])
    assert_accessible(page)
    open_from_menu(page, "Reports")
    expect(heading(page, "Reports")).to_be_visible()
    assert_accessible(page)
    for name in REPORTS:
        click_and_wait(page, main(page).get_by_role("link", name=name, exact=True))
        expect(heading(page, name)).to_be_visible()
        assert_accessible(page)
        page.go_back()
        assert_accessible(page)

    # Outcomes this month: Ana, licensed today in Hartford, with her slots.
    click_and_wait(page, main(page).get_by_role("link", name="Outcomes", exact=True))
    assert_accessible(page)
    page.get_by_label("Period", exact=True).select_option(label="This month")
    click_and_wait(page, main(page).get_by_role("button", name="Show"))
    assert_accessible(page)
    by_town = section(page, "Newly licensed by town")
    expect(by_town.get_by_role("row", name="Hartford")).to_contain_text("6")
    # Narrowed to Bloomfield, nobody was licensed: the address keeps the filter.
    page.get_by_label("Town", exact=True).select_option(label="Bloomfield")
    click_and_wait(page, main(page).get_by_role("button", name="Show"))
    assert "town=" in page.url and "preset=this_month" in page.url
    expect(section(page, "Newly licensed by town")).not_to_contain_text("Hartford")
    assert_accessible(page)

    page.get_by_label("Town", exact=True).select_option(label="Any town")
    click_and_wait(page, main(page).get_by_role("button", name="Show"))
    assert_accessible(page)
    with page.expect_download() as download:
        section(page, "Newly licensed by town").get_by_role("link", name="CSV").click()
    rows = csv_rows(download.value)
    assert rows[0][0] == "Town"
    assert any(row[0] == "Hartford" and "6" in row for row in rows[1:])

    open_from_menu(page, "Reports")
    assert_accessible(page)
    click_and_wait(page, main(page).get_by_role("link", name="Report card", exact=True))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Report card")
    assert_accessible(page)
    with page.expect_download() as download:
        main(page).get_by_role("link", name="Download PDF").click()
    text = downloaded_pdf(download.value)
    assert "Report card" in text


def test_a_coach_reads_the_coaching_report_of_their_caseload(page, network):
    sign_in_from_start(page, network["coach"])
    assert_accessible(page)
    open_from_menu(page, "Reports")
    assert_accessible(page)
    click_and_wait(page, main(page).get_by_role("link", name="Coaching", exact=True))
    expect(main(page)).to_contain_text("These figures cover your own caseload.")
    expect(page.get_by_label("Coach", exact=True)).to_have_count(0)
    assert_accessible(page)
