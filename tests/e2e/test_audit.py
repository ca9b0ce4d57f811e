"""The managers' audit log, read in the browser after people sign in and out."""

import re

from playwright.sync_api import Page, expect

from fccnet.auth.models import Role
from tests.e2e.browser import (
    HOME_URL,
    assert_accessible,
    click_and_wait,
    sign_in,
    sign_in_from_start,
    sign_out,
    site_header,
)

SIGN_IN_ACTIONS = ("Signed in", "Signed out", "Sign-in failed")
WRONG_PASSWORD = "not the right password"


def audit_rows(page: Page) -> list[tuple[str, str]]:
    """(who, what) for each row of the audit table, newest first."""
    table = page.get_by_role("table", name="Audit events, newest first")
    expect(table).to_be_visible()
    return [
        (row.locator("td").nth(1).inner_text(), row.locator("td").nth(2).inner_text())
        for row in table.locator("tbody tr").all()
    ]


def filter_audit_log(page: Page, who: str | None = None, what: str | None = None) -> None:
    if who is not None:
        page.get_by_label("Who", exact=True).fill(who)
    if what is not None:
        page.get_by_label("What", exact=True).select_option(label=what)
    click_and_wait(page, page.get_by_role("button", name="Filter"))


def test_audit_log_shows_sign_ins_and_filters_by_action(page, new_page, make_user):
    manager = make_user(role=Role.MANAGER, name="Mona Manager")
    coach = make_user(role=Role.COACH, name="Carl Coach", email="carl@example.org")

    carl = new_page()
    carl.goto("/sign-in")
    assert_accessible(carl)
    sign_in(carl, coach.email, WRONG_PASSWORD)
    expect(carl.get_by_role("alert")).to_be_visible()
    assert_accessible(carl)
    sign_in(carl, coach.email, coach.password)
    expect(carl).to_have_url(HOME_URL)
    assert_accessible(carl)
    sign_out(carl)
    assert_accessible(carl)

    sign_in_from_start(page, manager)
    assert_accessible(page)
    click_and_wait(page, site_header(page).get_by_role("link", name="Audit log", exact=True))
    expect(page.get_by_role("heading", name="Audit log", level=1)).to_be_visible()
    sign_in_events = [row for row in audit_rows(page) if row[1].startswith(SIGN_IN_ACTIONS)]
    assert sign_in_events == [
        ("Mona Manager", "Signed in"),
        ("Carl Coach", "Signed out"),
        ("Carl Coach", "Signed in"),
        ("Not signed in", "Sign-in failed (carl@example.org)"),
    ]
    main = page.get_by_role("main")
    expect(main).not_to_contain_text(WRONG_PASSWORD)
    expect(main).not_to_contain_text(coach.password)
    assert_accessible(page)

    filter_audit_log(page, what="Sign-in failed")
    expect(page).to_have_url(re.compile(r"[?&]action=auth\.sign_in_failed(&|$)"))
    expect(page.get_by_label("What", exact=True)).to_have_value("auth.sign_in_failed")
    assert audit_rows(page) == [("Not signed in", "Sign-in failed (carl@example.org)")]
    assert_accessible(page)

    filter_audit_log(page, what="Signed in")
    assert audit_rows(page) == [("Mona Manager", "Signed in"), ("Carl Coach", "Signed in")]
    assert_accessible(page)

    filter_audit_log(page, who="CARL", what="Any action")
    expect(page).to_have_url(re.compile(r"[?&]who=CARL(&|$)"))
    # Carl's own actions, and those about his account (the failed sign-in); not Mona's.
    carls = audit_rows(page)
    assert [row for row in carls if row[1].startswith(SIGN_IN_ACTIONS)] == [
        ("Carl Coach", "Signed out"),
        ("Carl Coach", "Signed in"),
        ("Not signed in", "Sign-in failed (carl@example.org)"),
    ]
    assert "Mona Manager" not in {who for who, _what in carls}
    assert_accessible(page)

    filter_audit_log(page, who="", what="Account deactivated")
    expect(main).to_contain_text("No events match these filters.")
    assert_accessible(page)
