"""Signing in and out, accounts and passwords, as people click (and type)."""

import re

import pytest
from playwright.sync_api import Locator, Page, expect

from fccnet.auth.models import Role
from tests.e2e.browser import (
    HOME_URL,
    SIGN_IN_URL,
    assert_accessible,
    click_and_wait,
    sign_in,
    sign_in_from_start,
    sign_out,
    site_header,
)

HOME_SECTION = {
    Role.MANAGER: "Providers and reports",
    Role.COACH: "Your caseload",
    Role.PROVIDER: "Your training and licensing",
}
ROLE_NAME = {Role.MANAGER: "Manager", Role.COACH: "Coach", Role.PROVIDER: "Provider"}
NEW_PASSWORD = "tulip harbour lantern quietly"


def signed_out_message(page: Page):
    return page.get_by_role("status").get_by_text("You are signed out.")


@pytest.mark.parametrize("role", list(Role), ids=str)
def test_each_role_signs_in_to_its_home_and_signs_out(page, make_user, role):
    person = make_user(role=role, name=f"Dana {ROLE_NAME[role]}")

    sign_in_from_start(page, person)
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Welcome, {person.name}")
    expect(page.get_by_role("heading", name=HOME_SECTION[role], level=2)).to_be_visible()
    expect(page.get_by_role("contentinfo")).to_contain_text(
        f"Signed in as {person.name} ({ROLE_NAME[role]})"
    )
    manager_links = site_header(page).get_by_role("link", name=re.compile("^(Accounts|Audit log)$"))
    expect(manager_links).to_have_count(2 if role is Role.MANAGER else 0)
    assert_accessible(page)

    sign_out(page)
    expect(signed_out_message(page)).to_be_visible()
    expect(site_header(page).get_by_role("button", name="Sign out")).to_have_count(0)
    assert_accessible(page)

    # Signed out for real: the home page asks to sign in again.
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/sign-in\?next=%2F$"))
    expect(page.get_by_role("status")).to_contain_text("Please sign in to see this page.")
    assert_accessible(page)


def test_wrong_password_and_empty_form_show_accessible_errors(page, make_user):
    coach = make_user(role=Role.COACH)
    page.goto("/sign-in")
    assert_accessible(page)

    click_and_wait(page, page.get_by_role("main").get_by_role("button", name="Sign in"))
    email = page.get_by_label("Email")
    expect(email).to_have_attribute("aria-invalid", "true")
    expect(email).to_have_accessible_description("This field is required.")
    expect(page.get_by_label("Password")).to_have_accessible_description("This field is required.")
    expect(page.get_by_role("alert")).to_contain_text("Please correct the following:")
    assert_accessible(page)

    sign_in(page, coach.email, "not the right password")
    expect(page).to_have_url(SIGN_IN_URL)
    expect(page.get_by_role("alert")).to_have_text("The email or password is not correct.")
    expect(page.get_by_label("Email")).to_have_value(coach.email)
    expect(page.get_by_label("Password")).to_have_value("")
    assert_accessible(page)

    # An unknown account gets the very same message.
    sign_in(page, "nobody@example.org", "not the right password")
    expect(page.get_by_role("alert")).to_have_text("The email or password is not correct.")
    assert_accessible(page)


def test_manager_creates_an_account_and_the_person_sets_a_password(
    page, new_page, make_user, live_server
):
    manager = make_user(role=Role.MANAGER, name="Mona Manager")
    sign_in_from_start(page, manager)
    assert_accessible(page)

    click_and_wait(page, site_header(page).get_by_role("link", name="Accounts", exact=True))
    expect(page.get_by_role("heading", name="Accounts", level=1)).to_be_visible()
    assert_accessible(page)

    click_and_wait(page, page.get_by_role("main").get_by_role("link", name="New account"))
    expect(page.get_by_role("heading", name="New account", level=1)).to_be_visible()
    assert_accessible(page)

    page.get_by_label("Full name").fill("Pilar Provider")
    page.get_by_label("Email").fill("pilar.example.org")
    page.get_by_label("Role").select_option(label="Provider")
    page.get_by_label("Language").select_option(label="English")
    click_and_wait(page, page.get_by_role("button", name="Create account"))

    email = page.get_by_label("Email")
    expect(email).to_have_attribute("aria-invalid", "true")
    expect(email).to_have_accessible_description("Enter an email address such as name@example.org.")
    expect(page.get_by_role("alert")).to_contain_text(
        "Email: Enter an email address such as name@example.org."
    )
    expect(page.get_by_label("Full name")).to_have_value("Pilar Provider")
    assert_accessible(page)

    email.fill("pilar@example.org")
    click_and_wait(page, page.get_by_role("button", name="Create account"))
    expect(page.get_by_role("heading", name="Pilar Provider", level=1)).to_be_visible()
    expect(page.get_by_role("status")).to_have_text(
        "Account created. Issue a set-password link and hand it to Pilar Provider."
    )
    expect(page.get_by_role("main")).to_contain_text("Password: not set yet")
    assert_accessible(page)

    click_and_wait(page, page.get_by_role("button", name="Issue a set-password link"))
    expect(page.get_by_role("heading", name="Set-password link for Pilar Provider")).to_be_visible()
    link_field = page.get_by_label("Link")
    expect(link_field).not_to_be_editable()
    link = link_field.input_value()
    assert link.startswith(f"{live_server}/set-password/")
    assert_accessible(page)

    # Pilar opens the link on her own device.
    pilar = new_page()
    pilar.goto(link)
    expect(pilar.get_by_role("heading", name="Set your password", level=1)).to_be_visible()
    expect(pilar.get_by_role("main")).to_contain_text(
        "Welcome, Pilar Provider. Choose a password for pilar@example.org."
    )
    assert_accessible(pilar)

    new_password = pilar.get_by_label("New password", exact=True)
    for refused, reason in [
        ("short", "Use at least 8 characters."),
        ("password123", "This password is too common. Choose one that is harder to guess."),
    ]:
        new_password.fill(refused)
        pilar.get_by_label("Repeat the new password").fill(refused)
        click_and_wait(pilar, pilar.get_by_role("button", name="Set password"))
        expect(new_password).to_have_attribute("aria-invalid", "true")
        expect(pilar.locator("#password-error")).to_have_text(reason)
        expect(new_password).to_have_accessible_description(re.compile(re.escape(reason) + "$"))
        assert_accessible(pilar)

    new_password.fill(NEW_PASSWORD)
    pilar.get_by_label("Repeat the new password").fill(NEW_PASSWORD)
    click_and_wait(pilar, pilar.get_by_role("button", name="Set password"))
    expect(pilar).to_have_url(SIGN_IN_URL)
    expect(pilar.get_by_role("status")).to_have_text(
        "Your password is set. Sign in with your email and new password."
    )
    assert_accessible(pilar)

    sign_in(pilar, "pilar@example.org", NEW_PASSWORD)
    expect(pilar).to_have_url(HOME_URL)
    expect(pilar.get_by_role("heading", name="Your training and licensing")).to_be_visible()
    assert_accessible(pilar)

    # The link worked once.
    pilar.goto(link)
    expect(pilar.get_by_role("heading", name="This link does not work")).to_be_visible()
    assert_accessible(pilar)

    click_and_wait(page, page.get_by_role("link", name="Back to Pilar Provider"))
    expect(page.get_by_role("main")).to_contain_text("Password: set")
    assert_accessible(page)


def press_tab_until_focused(page: Page, target: Locator, limit: int = 40) -> None:
    for _ in range(limit):
        page.keyboard.press("Tab")
        if target.evaluate("element => element === document.activeElement"):
            return
    raise AssertionError(f"Tab never reached {target}")


def test_sign_in_and_out_with_the_keyboard_alone(page, make_user):
    coach = make_user(role=Role.COACH, name="Kim Keyboard")
    page.goto("/sign-in")
    assert_accessible(page)

    skip_link = page.get_by_role("link", name="Skip to main content")
    assert skip_link.bounding_box()["width"] <= 1  # hidden until focused
    page.keyboard.press("Tab")
    expect(skip_link).to_be_focused()
    box = skip_link.bounding_box()
    assert box["width"] > 50 and box["height"] > 20, f"skip link not visible when focused: {box}"
    expect(skip_link).to_be_in_viewport()

    page.keyboard.press("Enter")
    expect(page.get_by_role("main")).to_be_focused()
    page.keyboard.press("Tab")
    expect(page.get_by_label("Email")).to_be_focused()
    page.keyboard.type(coach.email)
    page.keyboard.press("Tab")
    expect(page.get_by_label("Password")).to_be_focused()
    page.keyboard.type(coach.password)
    page.keyboard.press("Enter")

    expect(page).to_have_url(HOME_URL)
    expect(page.get_by_role("heading", name="Your caseload")).to_be_visible()
    assert_accessible(page)

    press_tab_until_focused(page, site_header(page).get_by_role("button", name="Sign out"))
    page.keyboard.press("Enter")
    expect(page).to_have_url(SIGN_IN_URL)
    expect(signed_out_message(page)).to_be_visible()
    assert_accessible(page)


def test_phone_menu_opens_and_reaches_accounts(phone_page, make_user):
    page = phone_page
    manager = make_user(role=Role.MANAGER, name="Mona Manager")
    sign_in_from_start(page, manager)

    header = site_header(page)
    menu = header.get_by_role("button", name="Menu")
    accounts = header.get_by_role("link", name="Accounts", exact=True)
    expect(menu).to_be_visible()
    expect(menu).to_have_attribute("aria-expanded", "false")
    expect(accounts).to_be_hidden()
    assert_accessible(page)

    menu.click()
    expect(menu).to_have_attribute("aria-expanded", "true")
    expect(accounts).to_be_visible()
    expect(header.get_by_role("button", name="Sign out")).to_be_visible()
    assert_accessible(page)

    click_and_wait(page, accounts)
    expect(page.get_by_role("heading", name="Accounts", level=1)).to_be_visible()
    expect(menu).to_have_attribute("aria-expanded", "false")
    expect(page.get_by_role("link", name="Mona Manager")).to_be_visible()
    assert_accessible(page)

    menu.click()
    # Let the menu finish opening before reaching into it.
    expect(menu).to_have_attribute("aria-expanded", "true")
    expect(header.get_by_role("button", name="Sign out")).to_be_visible()
    sign_out(page)
    expect(signed_out_message(page)).to_be_visible()
    assert_accessible(page)


def test_password_change_shows_errors_and_ends_other_sessions(page, new_page, make_user):
    provider = make_user(role=Role.PROVIDER, name="Paula Provider")
    other_device = new_page()
    sign_in_from_start(other_device, provider)
    assert_accessible(other_device)
    sign_in_from_start(page, provider)
    assert_accessible(page)

    click_and_wait(page, site_header(page).get_by_role("link", name="Password", exact=True))
    expect(page.get_by_role("heading", name="Change your password", level=1)).to_be_visible()
    assert_accessible(page)

    current = page.get_by_label("Current password")
    new_password = page.get_by_label("New password", exact=True)
    repeat = page.get_by_label("Repeat the new password")

    current.fill(provider.password)
    new_password.fill(NEW_PASSWORD)
    repeat.fill(NEW_PASSWORD + " typo")
    click_and_wait(page, page.get_by_role("button", name="Change password"))
    expect(repeat).to_have_attribute("aria-invalid", "true")
    expect(repeat).to_have_accessible_description("The two passwords do not match.")
    assert_accessible(page)

    current.fill("not my password")
    new_password.fill(NEW_PASSWORD)
    repeat.fill(NEW_PASSWORD)
    click_and_wait(page, page.get_by_role("button", name="Change password"))
    expect(current).to_have_attribute("aria-invalid", "true")
    expect(current).to_have_accessible_description("Your current password is not correct.")
    assert_accessible(page)

    current.fill(provider.password)
    new_password.fill(NEW_PASSWORD)
    repeat.fill(NEW_PASSWORD)
    click_and_wait(page, page.get_by_role("button", name="Change password"))
    expect(page).to_have_url(HOME_URL)
    expect(page.get_by_role("status")).to_have_text(
        "Your password is changed. Any other device you used is signed out."
    )
    assert_accessible(page)

    # The other device's session ended with the change.
    other_device.reload()
    expect(other_device).to_have_url(re.compile(r"/sign-in\?next=%2F$"))
    assert_accessible(other_device)
    sign_in(other_device, provider.email, NEW_PASSWORD)
    expect(other_device).to_have_url(HOME_URL)
    assert_accessible(other_device)
