"""Error pages are friendly and accessible; CSRF protection is really on."""

from playwright.sync_api import expect

from fccnet.auth.models import Role
from tests.e2e.browser import assert_accessible, sign_in_from_start


def test_forbidden_and_missing_pages_are_accessible(page, make_user):
    coach = make_user(role=Role.COACH)
    sign_in_from_start(page, coach)
    assert_accessible(page)

    response = page.goto("/users")
    assert response.status == 403
    expect(page.get_by_role("heading", name="Not allowed", level=1)).to_be_visible()
    expect(page.get_by_role("link", name="Go to the home page")).to_be_visible()
    assert_accessible(page)

    response = page.goto("/no-such-page")
    assert response.status == 404
    expect(page.get_by_role("heading", name="Page not found", level=1)).to_be_visible()
    assert_accessible(page)


def test_a_form_with_a_bad_csrf_token_is_refused(page, make_user):
    coach = make_user(role=Role.COACH)
    page.goto("/sign-in")
    assert_accessible(page)
    page.get_by_role("main").locator("input[name=csrf_token]").evaluate(
        "input => { input.value = 'forged'; }"
    )
    page.get_by_label("Email").fill(coach.email)
    page.get_by_label("Password").fill(coach.password)
    with page.expect_navigation() as navigation:
        page.get_by_role("main").get_by_role("button", name="Sign in").click()
    assert navigation.value.status == 400
    expect(page.get_by_role("heading", name="Bad request", level=1)).to_be_visible()
    expect(page.get_by_role("main")).to_contain_text(
        "Your form expired or was sent from somewhere else."
    )
    expect(page.get_by_role("contentinfo")).not_to_contain_text("Signed in as")
    assert_accessible(page)
