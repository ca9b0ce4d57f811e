"""Internal notes never reach a provider: a sentinel planted in every staff-only place of
coaching (internal notes, an internal addendum, an earlier version, a deleted contact) is
searched for in every page and download the provider can reach, by following every link
from their home page in both languages."""

import re
from collections import Counter
from datetime import timedelta
from html import unescape
from io import BytesIO
from urllib.parse import urljoin, urlsplit

from pypdf import PdfReader

from fccnet.auth.models import Role
from fccnet.clock import local_today
from fccnet.coaching import services
from fccnet.coaching.models import ActionStatus, ContactMode, ItemOwner
from fccnet.coaching.services import ActionItemInput, ContactInput, GoalInput
from fccnet.extensions import db
from fccnet.training.services import regenerate_feed
from tests import factories

SENTINEL = "SENTINEL-internal-4b1d"
SHARED = "Shared summary the provider may read"
LINK = re.compile(r'(?:href|action)="([^"#]+)')
# The calendar feed's address is shown in a field to copy, not as a link.
FEED_ADDRESS = re.compile(r'value="(http://localhost/feeds/[^"]+)"')
# Following these would sign the provider out or change something; they are not pages.
SKIP = re.compile(r"^/(sign-out|static/|bootstrap/)")
# Query strings (months of the calendar, pages, filters) of one path visited at most.
VARIANTS_PER_PATH = 3


def plant_sentinels(coach, manager, provider) -> None:
    today = local_today()

    def log(**fields):
        values = {
            "contacted_on": today - timedelta(days=3),
            "minutes": 60,
            "mode": ContactMode.HOME_VISIT,
            "summary": SHARED,
            "internal_notes": f"{SENTINEL} notes",
            "next_steps": "Shared next steps",
        }
        values.update(fields)
        return services.log_contact(provider, ContactInput(**values), actor=coach)

    contact = log()
    services.add_addendum(contact, f"{SENTINEL} addendum", actor=coach, internal=True)
    services.add_addendum(contact, "Shared addendum", actor=coach, internal=False)
    edited = log(summary=f"{SENTINEL} summary before the correction")
    services.update_contact(
        edited,
        ContactInput(
            contacted_on=edited.contacted_on,
            minutes=30,
            mode=ContactMode.PHONE,
            summary="Corrected shared summary",
            internal_notes=f"{SENTINEL} corrected notes",
        ),
        actor=coach,
    )
    deleted = log(summary=f"{SENTINEL} deleted contact")
    services.delete_contact(deleted, f"{SENTINEL} reason", actor=manager)
    item = services.create_action_item(
        provider,
        ActionItemInput(description="Shared action item", owner=ItemOwner.PROVIDER),
        actor=coach,
        contact=contact,
    )
    services.close_action_item(item, ActionStatus.DONE, actor=coach, comment="ok")
    services.create_action_item(
        provider,
        ActionItemInput(description="Open item", owner=ItemOwner.PROVIDER),
        actor=coach,
    )
    goal = services.create_goal(provider, GoalInput(description="Shared goal"), actor=coach)
    services.add_goal_progress(goal, "Shared progress", actor=coach)


def crawl(client, start: str = "/", within: str = "/") -> dict[str, bytes]:
    """Every URL under `within` reachable by GET from `start` through links and GET forms:
    url -> body."""
    seen: dict[str, bytes] = {}
    variants: Counter[str] = Counter()
    queue = [start]
    while queue:
        url = queue.pop()
        path = urlsplit(url).path
        if url in seen or SKIP.match(path) or not path.startswith(within):
            continue
        if variants[path] >= VARIANTS_PER_PATH:
            continue
        variants[path] += 1
        response = client.get(url)
        seen[url] = response.data
        if response.status_code in (301, 302, 303):
            queue.append(urlsplit(response.headers["Location"]).path)
            continue
        if "text/html" not in response.content_type:
            continue
        page = response.get_data(as_text=True)
        # Only the forms that read (method get) lead to pages; POST forms change things.
        get_targets = {
            match.group(2)
            for match in re.finditer(r'<form[^>]*?(method="get")?[^>]*action="([^"]+)"', page)
            if match.group(1)
        }
        for target in set(LINK.findall(page)) | set(FEED_ADDRESS.findall(page)):
            target = unescape(target)
            absolute = urljoin(url, target)
            parts = urlsplit(absolute)
            if parts.netloc and parts.netloc != "localhost":
                continue
            if target.startswith(("mailto:", "tel:", "webcal:")):
                continue
            is_form_action = f'action="{target}"' in page
            if is_form_action and target not in get_targets:
                continue
            queue.append(parts.path + (f"?{parts.query}" if parts.query else ""))
    return seen


def readable_text(body: bytes) -> str:
    if body.startswith(b"%PDF"):
        return "\n".join(page.extract_text() for page in PdfReader(BytesIO(body)).pages)
    return body.decode("utf-8", errors="replace")


def test_no_page_or_download_a_provider_can_reach_shows_internal_notes(app, client, auth):
    with app.app_context():
        factories.ensure_defaults()
        manager = factories.create_user(role=Role.MANAGER).load()
        coach = factories.create_user(role=Role.COACH).load()
        provider_user = factories.create_user(role=Role.PROVIDER)
        provider = factories.create_provider(actor=coach, coach=coach)
        provider.user_id = provider_user.id
        db.session.flush()
        session = factories.create_cpr_session(coach)
        factories.attend(session, provider, coach)
        regenerate_feed(provider, actor=provider_user.load())
        plant_sentinels(coach, manager, provider)
        db.session.commit()

    auth.sign_in(provider_user)
    reached = {}
    for language in ("en", "es"):
        client.post("/language", data={"language": language})
        reached.update({f"{language} {url}": body for url, body in crawl(client).items()})

    urls = " ".join(reached)
    # The crawl did reach the coaching pages, the downloads and the feed.
    for part in ("/contacts/", "/timeline", "/action-items/", ".pdf", "/feeds/", ".ics"):
        assert part in urls, part
    texts = {url: readable_text(body) for url, body in reached.items()}
    assert any(SHARED in text for text in texts.values())
    assert any("Shared addendum" in text for text in texts.values())
    leaks = [url for url, text in texts.items() if SENTINEL in text]
    assert leaks == []


def test_staff_do_see_the_sentinels_so_the_crawl_would_find_them(app, client, auth):
    """The same planting, read by the coach: the crawl's search is not blind."""
    with app.app_context():
        factories.ensure_defaults()
        manager = factories.create_user(role=Role.MANAGER).load()
        coach_principal = factories.create_user(role=Role.COACH)
        coach = coach_principal.load()
        provider = factories.create_provider(actor=coach, coach=coach)
        plant_sentinels(coach, manager, provider)
        db.session.commit()
        provider_id = provider.id
    auth.sign_in(coach_principal)
    reached = crawl(client, f"/providers/{provider_id}", within=f"/providers/{provider_id}")
    assert any(SENTINEL in readable_text(body) for body in reached.values())
