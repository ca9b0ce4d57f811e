"""English and Spanish: the navbar switch, remembered by the account."""

from playwright.sync_api import expect

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


def test_language_switch_is_kept_by_the_account(page, make_user, spanish):
    nav_words = {word: spanish(word) for word in ("Home", "Password", "Sign out")}
    untranslated = [word for word, translation in nav_words.items() if word == translation]
    assert not untranslated, f"not translated in the Spanish catalog: {untranslated}"
    coach = make_user(role=Role.COACH, name="Carla Coach")
    sign_in_from_start(page, coach)
    html = page.locator("html")
    header = site_header(page)
    expect(html).to_have_attribute("lang", "en")
    assert_accessible(page)

    click_and_wait(page, header.get_by_role("button", name="Español"))
    expect(html).to_have_attribute("lang", "es")
    expect(header.get_by_role("link", name=nav_words["Home"], exact=True)).to_be_visible()
    expect(header.get_by_role("link", name=nav_words["Password"], exact=True)).to_be_visible()
    expect(header.get_by_role("button", name=nav_words["Sign out"], exact=True)).to_be_visible()
    expect(page.get_by_role("heading", level=2)).to_have_text(spanish("Your caseload"))
    # The other language is offered, named in itself and marked as such.
    english = header.get_by_role("button", name="English", exact=True)
    expect(english).to_have_attribute("lang", "en")
    expect(header.get_by_role("button", name="Español")).to_have_count(0)
    assert_accessible(page)

    sign_out(page, label=nav_words["Sign out"])
    assert_accessible(page)
    # Signed out, the page follows the browser (or the session); either way, sign in.
    words = spanish if html.get_attribute("lang") == "es" else str
    sign_in(page, coach.email, coach.password, words)
    expect(page).to_have_url(HOME_URL)
    # The browser asks for en-US; the account's choice wins.
    expect(html).to_have_attribute("lang", "es")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        spanish("Welcome, %(name)s", name=coach.name)
    )
    assert_accessible(page)

    click_and_wait(page, english)
    expect(html).to_have_attribute("lang", "en")
    expect(header.get_by_role("button", name="Sign out", exact=True)).to_be_visible()
    expect(page.get_by_role("heading", level=2)).to_have_text("Your caseload")
    assert_accessible(page)
