"""What every browser test uses: the accessibility check, page watching, signing in.

`assert_accessible(page)` runs axe-core (WCAG 2.0/2.1, levels A and AA) at 1280
and 360 pixels wide and checks that a phone never scrolls sideways. Pages opened
through the `new_page`/`page` fixtures are watched: a document that loads and is
never checked, a JavaScript error, or a Content-Security-Policy refusal fails
the test at teardown.
"""

import hashlib
import io
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from axe_playwright_python.sync_playwright import Axe
from babel.dates import format_date
from playwright.sync_api import ConsoleMessage, Download, Locator, Page, expect
from pypdf import PdfReader

from tests.factories import Principal

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 360, "height": 740}
AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
    "resultTypes": ["violations"],
}
# Everything is local, but CI machines are small and busy: generous, yet far below
# Playwright's default of 30 s, so that a hang still fails quickly.
TIMEOUT_MS = 20_000
HOME_URL = re.compile(r"^https?://[^/]+/$")
SIGN_IN_URL = re.compile(r"/sign-in$")

_axe = Axe()


@dataclass
class PageRecord:
    """What happened in one tab: documents loaded and checked, and problems seen."""

    loaded: list[str] = field(default_factory=list)
    checked: int = 0
    unchecked: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    def on_load(self, url: str) -> None:
        if url == "about:blank":
            return
        if len(self.loaded) > self.checked:
            self.unchecked.append(self.loaded[-1])
        self.loaded.append(url)

    def finish(self) -> list[str]:
        if len(self.loaded) > self.checked:
            self.unchecked.append(self.loaded[-1])
            self.checked = len(self.loaded)
        return [
            *(f"Page never checked with assert_accessible: {url}" for url in self.unchecked),
            *self.problems,
        ]


_records: dict[Page, PageRecord] = {}


def watch(page: Page) -> PageRecord:
    record = PageRecord()
    _records[page] = record
    page.set_default_timeout(TIMEOUT_MS)
    expect.set_options(timeout=TIMEOUT_MS)
    page.on("load", lambda loaded: record.on_load(loaded.url))
    page.on("pageerror", lambda error: record.problems.append(f"JavaScript error: {error}"))

    def on_console(message: ConsoleMessage) -> None:
        # A refusal here means an inline script or style slipped into a template.
        if message.type == "error" and "Content Security Policy" in message.text:
            record.problems.append(f"CSP refusal on {page.url}: {message.text}")

    page.on("console", on_console)
    return record


def unwatch(page: Page) -> list[str]:
    """Stop watching `page`; the problems it had (unchecked pages, errors)."""
    record = _records.pop(page, None)
    return record.finish() if record else []


def _format_violations(violations: list[dict], width: int, url: str) -> str:
    lines = [f"{len(violations)} axe violation(s) at {width}px on {url}:"]
    for violation in violations:
        lines.append(
            f"- {violation['id']} ({violation.get('impact')}): {violation['help']} "
            f"<{violation.get('helpUrl', '')}>"
        )
        for node in violation["nodes"]:
            lines.append(f"    target {node['target']}: {node.get('html', '')[:200]}")
            summary = node.get("failureSummary") or ""
            lines.extend(f"      {line}" for line in summary.splitlines())
    return "\n".join(lines)


def _wide_elements(page: Page, limit: int) -> list[str]:
    return page.evaluate(
        """(limit) => Array.from(document.querySelectorAll('body *'))
            .filter(el => el.getBoundingClientRect().right > limit + 1)
            .slice(0, 5)
            .map(el => el.outerHTML.slice(0, 150))""",
        limit,
    )


# Fingerprints of rendered pages that passed. axe's findings depend only on the
# page's markup, its styles (fixed for the session) and the viewport, so a page
# identical to one that passed (the sign-in page, again) passes again: no need to
# spend half a second re-running axe on it.
_passed: set[str] = set()

_FINGERPRINT = """() => {
    const copy = document.documentElement.cloneNode(true);
    // CSRF tokens differ on every page load and change nothing axe looks at.
    copy.querySelectorAll('input[name=csrf_token]').forEach(input => input.setAttribute('value', ''));
    const focused = document.activeElement;
    return [copy.outerHTML, focused ? focused.outerHTML.slice(0, 300) : ''].join('\\n');
}"""


def _fingerprint(page: Page) -> str:
    viewport = page.viewport_size or DESKTOP
    markup = page.evaluate(_FINGERPRINT)
    return hashlib.sha256(f"{viewport['height']}\n{markup}".encode()).hexdigest()


def _mark_checked(page: Page) -> None:
    record = _records.get(page)
    if record is not None:
        record.checked = len(record.loaded)


def assert_accessible(page: Page) -> None:
    """Zero axe violations at 1280 and at 360 px wide; no sideways scrolling at 360 px.

    The viewport is set back to what it was, so a phone-sized test stays a phone.
    """
    page.wait_for_load_state("load")  # styles applied, and the page counted as loaded
    fingerprint = _fingerprint(page)
    if fingerprint in _passed:
        _mark_checked(page)
        return
    original = page.viewport_size or DESKTOP
    failures = []
    try:
        for width in (DESKTOP["width"], PHONE["width"]):
            page.set_viewport_size({"width": width, "height": original["height"]})
            violations = _axe.run(page, options=AXE_OPTIONS).response["violations"]
            if violations:
                failures.append(_format_violations(violations, width, page.url))
        scroll_width = page.evaluate("document.documentElement.scrollWidth")
        if scroll_width > PHONE["width"] + 1:
            failures.append(
                f"At {PHONE['width']}px {page.url} scrolls sideways (scrollWidth "
                f"{scroll_width}); elements past the edge: {_wide_elements(page, PHONE['width'])}"
            )
    finally:
        page.set_viewport_size(original)
    _mark_checked(page)
    assert not failures, "\n\n".join(failures)
    _passed.add(fingerprint)


def site_header(page: Page) -> Locator:
    return page.get_by_role("banner")


def click_and_wait(page: Page, target: Locator) -> None:
    """Click a link or submit button and wait until the next page has loaded."""
    with page.expect_navigation():
        target.click()


def sign_in(page: Page, email: str, password: str, words: Callable[[str], str] = str) -> None:
    """Fill in and send the sign-in form shown on `page`; `words` translates its labels."""
    page.get_by_label(words("Email")).fill(email)
    page.get_by_label(words("Password")).fill(password)
    click_and_wait(page, page.get_by_role("main").get_by_role("button", name=words("Sign in")))


def sign_in_from_start(page: Page, principal: Principal, password: str | None = None) -> None:
    """Open the sign-in page, check it, sign in, and wait for the home page."""
    page.goto("/sign-in")
    expect(page.get_by_role("heading", name="Sign in", level=1)).to_be_visible()
    assert_accessible(page)
    sign_in(page, principal.email, password or principal.password)
    expect(page).to_have_url(HOME_URL)


def sign_out(page: Page, label: str = "Sign out") -> None:
    """Press the navbar's sign-out button (a POST form) and wait for the sign-in page."""
    click_and_wait(page, site_header(page).get_by_role("button", name=label))
    expect(page).to_have_url(SIGN_IN_URL)


# --- Finding things on a page, as a person would ---------------------------------------------


def main(page: Page) -> Locator:
    return page.get_by_role("main")


def flash(page: Page) -> Locator:
    return page.get_by_role("status")


def section(page: Page, heading: str) -> Locator:
    return main(page).get_by_role("region", name=heading, exact=True)


def heading(page: Page, name: str) -> Locator:
    return page.get_by_role("heading", name=name, level=1, exact=True)


def open_from_menu(page: Page, name: str) -> None:
    """Follow a navigation link, opening the phone menu first when it is collapsed."""
    header = site_header(page)
    menu = header.get_by_role("button", name="Menu")
    if menu.is_visible() and menu.get_attribute("aria-expanded") == "false":
        menu.click()
        expect(menu).to_have_attribute("aria-expanded", "true")
    click_and_wait(page, header.get_by_role("link", name=name, exact=True))


def medium_date(day: date) -> str:
    return format_date(day, "medium", locale="en")


def downloaded_pdf(download: Download) -> str:
    """The PDF's text, after checking that it is a PDF offered as a .pdf file."""
    assert download.suggested_filename.endswith(".pdf"), download.suggested_filename
    data = Path(download.path()).read_bytes()
    assert data.startswith(b"%PDF"), data[:20]
    reader = PdfReader(io.BytesIO(data))
    return "\n".join(page.extract_text() for page in reader.pages)
