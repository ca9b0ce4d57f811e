"""Business coaching as people click: a coach logs a home visit from a phone, the provider
reads it (never the internal note) and marks their action item done; a manager reads a
corrected contact's earlier versions and deletes it with a reason."""

import re
from datetime import timedelta

from playwright.sync_api import Page, expect
from sqlalchemy import select

from fccnet.auth.models import Role
from fccnet.clock import local_today
from fccnet.coaching import services as coaching_services
from fccnet.coaching.models import CoachingTopic, ContactMode
from fccnet.extensions import db
from fccnet.providers.models import Provider
from tests import factories
from tests.e2e.browser import (
    PHONE,
    assert_accessible,
    click_and_wait,
    flash,
    heading,
    main,
    medium_date,
    open_from_menu,
    section,
    sign_in_from_start,
)

PAULA = "Paula Provider"
TOPICS = ("Budgeting and cash flow", "Marketing and enrollment")
SUMMARY = "We went through the weekly budget and the enrollment flyer."
NEXT_STEPS = "Bring last month's receipts."
INTERNAL_NOTE = "SENTINEL-INTERNAL: worried about the rent, may close in spring"
ITEM = "Open a separate bank account for the business"
DONE_COMMENT = "Opened it at the credit union on Park Street."


# --- Helpers ----------------------------------------------------------------------------------


def named_for(action: str, name: str) -> re.Pattern:
    """A link's words followed by what it acts on, read out from a visually hidden part
    (Chromium may put a space before the colon)."""
    return re.compile(rf"^{re.escape(action)} ?: {re.escape(name)}$")


def assert_no_internal_note(page: Page) -> None:
    assert INTERNAL_NOTE not in page.content(), f"The internal note is shown on {page.url}"
    expect(main(page).get_by_text("Internal notes")).to_have_count(0)
    expect(main(page).get_by_text("Staff only")).to_have_count(0)


# --- Records made directly --------------------------------------------------------------------


def seed_people(live_app):
    """A manager, a coach, and a provider account linked to its record in the coach's
    caseload. Returns (manager, coach, provider account, record id)."""
    with live_app.app_context():
        factories.ensure_defaults()
        manager = factories.create_user(role=Role.MANAGER, name="Mona Manager")
        coach = factories.create_user(role=Role.COACH, name="Carl Coach")
        person = factories.create_user(role=Role.PROVIDER, name=PAULA)
        actor = coach.load()
        record = factories.create_provider(actor=actor, coach=actor, legal_name=PAULA)
        record.user_id = person.id
        db.session.commit()
        return manager, coach, person, record.id


# --- 1. A home visit logged from a phone; the provider marks their item done ------------------


def test_coach_logs_a_home_visit_from_a_phone_and_the_provider_marks_the_item_done(
    new_page, live_app
):
    _manager, coach, paula, record_id = seed_people(live_app)
    with live_app.app_context():
        today = local_today()
    due = today + timedelta(days=14)

    phone = new_page(viewport=PHONE)
    sign_in_from_start(phone, coach)
    paula_row = (
        phone.get_by_role("table", name="Your providers, who needs a contact first")
        .get_by_role("row")
        .filter(has=phone.get_by_role("link", name=PAULA, exact=True))
    )
    expect(paula_row).to_contain_text("Never contacted")
    assert_accessible(phone)

    log_link = paula_row.get_by_role("link", name=re.compile(r"^Log a contact\b"))
    expect(log_link).to_have_accessible_name(re.compile(rf"{PAULA}$"))
    click_and_wait(phone, log_link)
    expect(phone).to_have_url(re.compile(rf"/providers/{record_id}/contacts/new$"))
    expect(heading(phone, f"Log a contact with {PAULA}")).to_be_visible()
    expect(phone.get_by_label("Date", exact=True)).to_have_value(today.isoformat())
    assert_accessible(phone)

    # Zero minutes: refused at the field, and everything typed is kept.
    minutes = phone.get_by_label("Minutes")
    minutes.fill("0")
    phone.get_by_label("Home visit").check()
    for topic in TOPICS:
        phone.get_by_label(topic).check()
    phone.get_by_label("Summary").fill(SUMMARY)
    phone.get_by_label("Next steps").fill(NEXT_STEPS)
    phone.get_by_label("Internal notes").fill(INTERNAL_NOTE)
    first_item = main(phone).get_by_role("group", name="Action item 1 (optional)")
    first_item.get_by_label("Action item").fill(ITEM)
    first_item.get_by_label("The provider").check()
    first_item.get_by_label("Due").fill(due.isoformat())
    click_and_wait(phone, main(phone).get_by_role("button", name="Log contact"))
    message = "Enter minutes from 1 to 1440."
    expect(minutes).to_have_attribute("aria-invalid", "true")
    expect(phone.locator("#minutes-error")).to_have_text(message)
    expect(minutes).to_have_accessible_description(message)
    expect(phone.get_by_role("alert")).to_contain_text(f"Minutes: {message}")
    expect(minutes).to_have_value("0")
    expect(phone.get_by_label("Home visit")).to_be_checked()
    for topic in TOPICS:
        expect(phone.get_by_label(topic)).to_be_checked()
    expect(phone.get_by_label("Summary")).to_have_value(SUMMARY)
    expect(phone.get_by_label("Internal notes")).to_have_value(INTERNAL_NOTE)
    expect(first_item.get_by_label("Action item")).to_have_value(ITEM)
    expect(first_item.get_by_label("The provider")).to_be_checked()
    expect(first_item.get_by_label("Due")).to_have_value(due.isoformat())
    assert_accessible(phone)

    minutes.fill("45")
    click_and_wait(phone, main(phone).get_by_role("button", name="Log contact"))
    expect(phone).to_have_url(re.compile(rf"/providers/{record_id}/contacts/\d+$"))
    expect(flash(phone)).to_have_text("Contact logged.")
    expect(heading(phone, f"Contact of {medium_date(today)}")).to_be_visible()
    details = main(phone)
    expect(details).to_contain_text(f"{medium_date(today)} · Home visit · 45 minutes")
    expect(details).to_contain_text("By Carl Coach")
    for words in (*TOPICS, SUMMARY, NEXT_STEPS):
        expect(details).to_contain_text(words)
    expect(section(phone, "Internal notes Staff only")).to_contain_text(INTERNAL_NOTE)
    agreed = section(phone, "Action items agreed")
    expect(agreed).to_contain_text(ITEM)
    expect(agreed).to_contain_text(f"The provider · Due {medium_date(due)}")
    expect(section(phone, "Addenda")).to_contain_text("No addenda.")
    assert_accessible(phone)

    click_and_wait(phone, main(phone).get_by_role("link", name=f"Back to {PAULA}"))
    expect(heading(phone, PAULA)).to_be_visible()
    expect(section(phone, "Coaching")).to_contain_text(
        "0.75 coaching hours in all, 0.75 this year."
    )
    expect(section(phone, "Coaching")).to_contain_text(SUMMARY)
    coach_items = section(phone, "Action items")
    expect(coach_items.get_by_role("listitem")).to_have_count(1)
    expect(coach_items).to_contain_text(ITEM)
    assert_accessible(phone)

    # The provider, on her own phone, reads the visit and marks her item done.
    provider = new_page(viewport=PHONE)
    sign_in_from_start(provider, paula)
    assert_no_internal_note(provider)
    assert_accessible(provider)

    open_from_menu(provider, "My record")
    expect(provider).to_have_url(re.compile(rf"/providers/{record_id}$"))
    coaching = section(provider, "Coaching")
    expect(coaching).to_contain_text(SUMMARY)
    expect(coaching).to_contain_text(NEXT_STEPS)
    expect(coaching).not_to_contain_text("By Carl Coach")
    expect(coaching.get_by_role("link", name="Log a contact")).to_have_count(0)
    items = section(provider, "Action items")
    expect(items).to_contain_text(ITEM)
    expect(items).to_contain_text(f"Due {medium_date(due)}")
    expect(items.get_by_role("link", name=named_for("Edit", ITEM))).to_have_count(0)
    assert_no_internal_note(provider)
    assert_accessible(provider)

    click_and_wait(
        provider,
        coaching.get_by_role("link", name=f"{medium_date(today)} · Home visit · 45 minutes"),
    )
    expect(heading(provider, f"Contact of {medium_date(today)}")).to_be_visible()
    expect(main(provider)).to_contain_text(SUMMARY)
    for staff_action in ("Correct", "Delete", "Add an action item"):
        expect(main(provider).get_by_role("link", name=staff_action)).to_have_count(0)
    expect(main(provider).get_by_role("button", name="Add addendum")).to_have_count(0)
    assert_no_internal_note(provider)
    assert_accessible(provider)

    click_and_wait(provider, main(provider).get_by_role("link", name=f"Back to {PAULA}"))
    assert_accessible(provider)
    click_and_wait(provider, items.get_by_role("link", name=named_for("Mark done", ITEM)))
    expect(heading(provider, "Close the action item")).to_be_visible()
    expect(main(provider)).to_contain_text(ITEM)
    # Only done: dropping an item is agreed with the coach.
    expect(provider.get_by_label("Done")).to_be_checked()
    expect(provider.get_by_label("Dropped")).to_have_count(0)
    assert_accessible(provider)

    provider.get_by_label("Comment").fill(DONE_COMMENT)
    click_and_wait(provider, main(provider).get_by_role("button", name="Mark done"))
    expect(provider).to_have_url(re.compile(rf"/providers/{record_id}#action-items$"))
    expect(flash(provider)).to_have_text("Action item closed.")
    expect(items).to_contain_text("No open action items.")
    expect(items).to_contain_text(f"Done The provider · Due {medium_date(due)}")
    expect(items).to_contain_text(f"Comment: {DONE_COMMENT}")
    expect(items.get_by_role("link", name=named_for("Mark done", ITEM))).to_have_count(0)
    assert_no_internal_note(provider)
    assert_accessible(provider)

    # The coach's page, reloaded, shows the item done with the provider's comment.
    phone.reload()
    expect(coach_items).to_contain_text("No open action items.")
    expect(coach_items).to_contain_text(f"Closed {medium_date(today)}")
    expect(coach_items).to_contain_text(f"Comment: {DONE_COMMENT}")
    expect(coach_items.get_by_role("button", name=named_for("Reopen", ITEM))).to_be_visible()
    expect(section(phone, "Timeline")).to_contain_text("Action item done")
    assert_accessible(phone)


# --- 2. A manager reads a corrected contact's versions and deletes it -------------------------


def test_manager_reads_the_versions_of_a_corrected_contact_and_deletes_it(new_page, live_app):
    manager, coach, _paula, record_id = seed_people(live_app)
    with live_app.app_context():
        today = local_today()
        topic = db.session.scalar(select(CoachingTopic).where(CoachingTopic.name_en == TOPICS[0]))
        contact = coaching_services.log_contact(
            db.session.get(Provider, record_id),
            coaching_services.ContactInput(
                contacted_on=today,
                minutes=30,
                mode=ContactMode.PHONE,
                summary="Talked about the budget.",
                internal_notes=INTERNAL_NOTE,
                topics=[topic],
            ),
            actor=coach.load(),
        )
        db.session.commit()
        contact_path = f"/providers/{record_id}/contacts/{contact.id}"

    # The coach corrects the length and the summary.
    page = new_page()
    sign_in_from_start(page, coach)
    assert_accessible(page)
    page.goto(contact_path)
    expect(heading(page, f"Contact of {medium_date(today)}")).to_be_visible()
    expect(main(page)).to_contain_text("Phone call · 30 minutes")
    assert_accessible(page)

    click_and_wait(page, main(page).get_by_role("link", name="Correct", exact=True))
    expect(heading(page, f"Correct the contact of {medium_date(today)}")).to_be_visible()
    expect(page.get_by_label("Minutes")).to_have_value("30")
    expect(page.get_by_label("Phone call")).to_be_checked()
    expect(page.get_by_label(TOPICS[0])).to_be_checked()
    assert_accessible(page)

    page.get_by_label("Minutes").fill("50")
    page.get_by_label("Summary").fill(SUMMARY)
    click_and_wait(page, main(page).get_by_role("button", name="Save"))
    expect(flash(page)).to_have_text("Contact saved.")
    expect(main(page)).to_contain_text("Phone call · 50 minutes")
    expect(main(page)).to_contain_text(SUMMARY)
    # Earlier versions are for managers.
    expect(section(page, "Earlier versions")).to_have_count(0)
    expect(main(page).get_by_role("link", name="Delete")).to_have_count(0)
    assert_accessible(page)

    # The manager finds it on the provider's page.
    manager_page = new_page()
    sign_in_from_start(manager_page, manager)
    assert_accessible(manager_page)
    manager_page.goto(f"/providers/{record_id}")
    coaching = section(manager_page, "Coaching")
    expect(coaching).to_contain_text("0.83 coaching hours in all")
    assert_accessible(manager_page)

    click_and_wait(
        manager_page,
        coaching.get_by_role("link", name=f"{medium_date(today)} · Phone call · 50 minutes"),
    )
    expect(main(manager_page)).to_contain_text(SUMMARY)
    versions = section(manager_page, "Earlier versions")
    expect(versions.get_by_role("article")).to_have_count(1)
    first = versions.get_by_role("article", name=re.compile(r"^Version 1, replaced "))
    for words in ("Phone call, 30 minutes", "Talked about the budget.", INTERNAL_NOTE, TOPICS[0]):
        expect(first).to_contain_text(words)
    assert_accessible(manager_page)

    # Deleting needs a reason.
    click_and_wait(manager_page, main(manager_page).get_by_role("link", name="Delete", exact=True))
    expect(heading(manager_page, f"Delete the contact of {medium_date(today)}")).to_be_visible()
    assert_accessible(manager_page)

    click_and_wait(manager_page, main(manager_page).get_by_role("button", name="Delete"))
    reason = manager_page.get_by_label("Reason for deleting")
    message = "This field is required."
    expect(reason).to_have_attribute("aria-invalid", "true")
    expect(manager_page.locator("#reason-error")).to_have_text(message)
    expect(reason).to_have_accessible_description(message)
    expect(manager_page.get_by_role("alert")).to_contain_text(f"Reason for deleting: {message}")
    assert_accessible(manager_page)

    reason.fill("Logged on the wrong provider.")
    click_and_wait(manager_page, main(manager_page).get_by_role("button", name="Delete"))
    expect(manager_page).to_have_url(re.compile(rf"/providers/{record_id}#coaching$"))
    expect(flash(manager_page)).to_have_text("The contact is deleted.")
    expect(coaching).to_contain_text("No contacts logged yet.")
    expect(coaching).to_contain_text("0 coaching hours in all")
    assert_accessible(manager_page)

    # Kept for managers, with the reason; gone for the coach.
    manager_page.goto(contact_path)
    expect(main(manager_page).get_by_text("Deleted", exact=True)).to_be_visible()
    expect(main(manager_page)).to_contain_text("Logged on the wrong provider.")
    expect(main(manager_page).get_by_role("link", name="Correct")).to_have_count(0)
    assert_accessible(manager_page)

    response = page.goto(contact_path)
    assert response is not None and response.status == 404
    expect(main(page)).not_to_contain_text(SUMMARY)
    assert_accessible(page)
