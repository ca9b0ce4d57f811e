"""Browser tests: the real app on 127.0.0.1, driven by the system Chromium.

The session's app is served by werkzeug in a thread; every test gets empty
tables (the `app` fixture) and CSRF protection switched on, as in production.
Each page is checked with `tests.e2e.browser.assert_accessible`. When a test
fails, screenshots at 360 and 1280 px land in test-artifacts/.
"""

import os
import re
import shutil
import sys
import threading
from pathlib import Path

import pytest
from flask_babel import force_locale
from flask_babel import gettext as babel_gettext
from playwright.sync_api import Page, sync_playwright
from werkzeug.serving import make_server

from tests.e2e.browser import DESKTOP, PHONE, unwatch, watch

REPO_ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS_DIR = REPO_ROOT / "test-artifacts"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]


# --- Failure screenshots ---------------------------------------------------------------------


@pytest.hookimpl(hookwrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"rep_{report.when}", report)


def _test_failed(item) -> bool:
    reports = (getattr(item, "rep_setup", None), getattr(item, "rep_call", None))
    return any(report is not None and report.failed for report in reports)


def _save_screenshots(item, pages: list[Page]) -> None:
    ARTIFACTS_DIR.mkdir(exist_ok=True)
    base = re.sub(r"[^\w.-]+", "_", item.name)
    for number, page in enumerate(pages, start=1):
        if page.is_closed():
            continue
        name = base if number == 1 else f"{base}-person{number}"
        height = (page.viewport_size or DESKTOP)["height"]
        for width in (PHONE["width"], DESKTOP["width"]):
            try:
                page.set_viewport_size({"width": width, "height": height})
                page.screenshot(path=str(ARTIFACTS_DIR / f"{name}-{width}.png"), full_page=True)
            except Exception as error:  # a screenshot must never hide the real failure
                print(f"No screenshot of {page.url}: {error}", file=sys.stderr)


# --- Translations, server, browser -----------------------------------------------------------


@pytest.fixture(scope="session")
def live_server(session_app):
    """The session's app over HTTP on a free port of 127.0.0.1; yields the base URL."""
    server = make_server("127.0.0.1", 0, session_app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=10)
        server.server_close()


@pytest.fixture
def live_app(app, live_server):
    """The served app for one test: empty tables afterwards (`app`), CSRF on."""
    app.config["WTF_CSRF_ENABLED"] = True
    return app


def find_chromium() -> str | None:
    if os.access(CHROMIUM, os.X_OK):
        return CHROMIUM
    return shutil.which("chromium")


@pytest.fixture(scope="session")
def chromium_path() -> str:
    path = find_chromium()
    if path is None:
        message = "Chromium is not installed; apt-get install chromium to run the browser tests."
        if os.environ.get("CI") == "true":
            pytest.fail(f"{message} Browser tests never skip in CI.", pytrace=False)
        pytest.skip(message)
    return path


@pytest.fixture(scope="session")
def playwright_session():
    with sync_playwright() as playwright:
        yield playwright


@pytest.fixture(scope="session")
def browser(playwright_session, chromium_path):
    browser = playwright_session.chromium.launch(
        executable_path=chromium_path, headless=True, args=CHROMIUM_ARGS
    )
    yield browser
    browser.close()


# --- Pages ------------------------------------------------------------------------------------


@pytest.fixture
def new_page(request, browser, live_app, live_server):
    """Open a page in a new browser context: another person, with their own cookies.

    `new_page(viewport=PHONE)` for a phone. URLs are relative to the live server,
    so `page.goto("/sign-in")` works.
    """
    contexts = []
    pages: list[Page] = []

    def open_page(viewport: dict | None = None) -> Page:
        context = browser.new_context(
            base_url=live_server, viewport=viewport or DESKTOP, locale="en-US"
        )
        contexts.append(context)
        page = context.new_page()
        watch(page)
        pages.append(page)
        return page

    yield open_page

    try:
        failed = _test_failed(request.node)
        if failed:
            _save_screenshots(request.node, pages)
        problems = [problem for page in pages for problem in unwatch(page)]
        if problems and not failed:
            pytest.fail("\n".join(problems), pytrace=False)
    finally:
        for context in contexts:
            context.close()


@pytest.fixture
def page(new_page) -> Page:
    """A desktop-sized page (1280x900, en-US) in a fresh browser context."""
    return new_page()


@pytest.fixture
def phone_page(new_page) -> Page:
    """A phone-sized page (360x740, en-US) in a fresh browser context."""
    return new_page(viewport=PHONE)


# --- People and words -------------------------------------------------------------------------


@pytest.fixture
def spanish(live_app):
    """What the app shows in Spanish for an English message (the English itself while
    the catalog lacks it), so the tests follow the catalog as it is filled in."""

    def translate(message: str, **variables) -> str:
        with live_app.test_request_context(), force_locale("es"):
            return babel_gettext(message, **variables)

    return translate
