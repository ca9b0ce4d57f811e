"""Provider records as people click: a coach works a case, a provider reads their own."""

import re
from datetime import date, timedelta

from playwright.sync_api import Locator, Page, expect
from sqlalchemy import select

from fccnet.auth.models import Role
from fccnet.extensions import db
from fccnet.licensing import services as licensing_services
from fccnet.licensing.models import ChecklistItem, Requirement, Stage
from fccnet.providers import services as provider_services
from tests import factories
from tests.e2e.browser import (
    assert_accessible,
    click_and_wait,
    flash,
    main,
    open_from_menu,
    section,
    sign_in_from_start,
    site_header,
)

STAGES_TO_LICENSED = [
    "Orientation",
    "Preparing application",
    "Application submitted",
    "Awaiting inspection",
]
PDF_BYTES = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
STAFF_NOTE = "SENTINEL-STAFF-NOTE"
MEMBER_NAME = "SENTINEL MEMBER"


# --- Helpers ----------------------------------------------------------------------------------


def checklist_rows(page: Page) -> Locator:
    return page.get_by_role("table", name="Licensing checklist").locator("tbody tr")


def checklist_row(page: Page, requirement: str, who: str | None = None) -> Locator:
    rows = checklist_rows(page).filter(has_text=requirement)
    return rows.filter(has_text=who) if who else rows


def fill_provider_form(page: Page, *, name: str, phone: str, email: str) -> None:
    page.get_by_label("Legal name").fill(name)
    page.get_by_label("Phone").fill(phone)
    page.get_by_label("Email").fill(email)
    page.get_by_label("Street address").fill("12 Park Terrace")
    page.get_by_label("Town").select_option(label="Hartford")


def move_to_stage(page: Page, stage: str) -> None:
    """From the provider page: open Change stage, choose `stage`, send, back on the record."""
    click_and_wait(page, main(page).get_by_role("link", name="Change stage"))
    expect(page.get_by_role("heading", name=re.compile("^Change the stage of "))).to_be_visible()
    assert_accessible(page)
    page.get_by_label("New stage").select_option(label=stage)
    click_and_wait(page, main(page).get_by_role("button", name="Change stage"))


def seed_provider_people(live_app):
    """The defaults, and a coach to sign in as. Returns the coach."""
    with live_app.app_context():
        factories.ensure_defaults()
        return factories.create_user(role=Role.COACH, name="Carmen Coach")


# --- 1. A coach works a new provider's case on a phone -----------------------------------------


def test_coach_creates_a_provider_and_takes_them_to_licensed(phone_page, live_app):
    page = phone_page
    coach = seed_provider_people(live_app)
    sign_in_from_start(page, coach)
    assert_accessible(page)

    open_from_menu(page, "Providers")
    expect(page.get_by_role("heading", name="Providers", level=1)).to_be_visible()
    expect(main(page)).to_contain_text("0 providers")
    assert_accessible(page)

    click_and_wait(page, main(page).get_by_role("link", name="New provider"))
    expect(page.get_by_role("heading", name="New provider", level=1)).to_be_visible()
    expect(page.get_by_label("Coach", exact=True)).to_have_value(str(coach.id))
    assert_accessible(page)

    # Hartford without a neighborhood: the error sits at the field.
    fill_provider_form(page, name="Rosa Delgado", phone="860-555-0142", email="rosa@example.org")
    click_and_wait(page, main(page).get_by_role("button", name="Create provider"))
    neighborhood = page.get_by_label("Neighborhood")
    expect(neighborhood).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#neighborhood_id-error")).to_have_text(
        "Choose the neighborhood for an address in Hartford."
    )
    expect(neighborhood).to_have_accessible_description(
        re.compile(r"Choose the neighborhood for an address in Hartford\.$")
    )
    expect(page.get_by_role("alert")).to_contain_text(
        "Neighborhood: Choose the neighborhood for an address in Hartford."
    )
    expect(page.get_by_label("Legal name")).to_have_value("Rosa Delgado")
    assert_accessible(page)

    neighborhood.select_option(label="Frog Hollow")
    click_and_wait(page, main(page).get_by_role("button", name="Create provider"))
    expect(page).to_have_url(re.compile(r"/providers/\d+$"))
    expect(page.get_by_role("heading", name="Rosa Delgado", level=1)).to_be_visible()
    expect(flash(page)).to_have_text("Provider record created.")
    summary = section(page, "Summary")
    expect(summary).to_contain_text("Frog Hollow")
    expect(summary).to_contain_text("Carmen Coach")
    expect(main(page)).to_contain_text("Inquiry")
    provider_checklist = checklist_rows(page).count()
    assert provider_checklist > 0
    expect(checklist_row(page, "Background check")).to_have_count(1)
    expect(section(page, "Household")).to_contain_text("No household members recorded.")
    assert_accessible(page)

    # An adult joins the household; the checklist gains their own checks.
    click_and_wait(page, main(page).get_by_role("link", name="Add a household member"))
    expect(page.get_by_role("heading", name="Add a household member", level=1)).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Name", exact=True).fill("Luis Delgado")
    page.get_by_label("Relationship").fill("Spouse")
    page.get_by_label("Date of birth").fill("1984-04-12")
    click_and_wait(page, main(page).get_by_role("button", name="Save"))
    expect(page).to_have_url(re.compile(r"/providers/\d+#household$"))
    expect(flash(page)).to_have_text("Household saved.")
    expect(section(page, "Household").get_by_role("link", name="Luis Delgado")).to_be_visible()
    expect(section(page, "Household")).to_contain_text("Spouse")
    expect(checklist_row(page, "Background check", "Luis Delgado")).to_have_count(1)
    expect(checklist_row(page, "Medical statement", "Luis Delgado")).to_have_count(1)
    expect(checklist_rows(page)).to_have_count(provider_checklist + 2)
    assert_accessible(page)

    # Through the pipeline, one stage at a time.
    for stage in STAGES_TO_LICENSED:
        move_to_stage(page, stage)
        expect(flash(page)).to_have_text(f"Stage changed to {stage}.")
        expect(page.get_by_role("heading", name="Rosa Delgado", level=1)).to_be_visible()
        assert_accessible(page)

    # Licensed needs the license: first without its number.
    move_to_stage(page, "Licensed")
    license_number = page.get_by_label("License number")
    expect(license_number).to_have_attribute("aria-invalid", "true")
    expect(license_number).to_have_accessible_description("Required to record the license.")
    expect(page.get_by_label("License issued on")).to_have_accessible_description(
        "Required to record the license."
    )
    expect(page.get_by_role("alert")).to_contain_text(
        "License number: Required to record the license."
    )
    expect(page.get_by_label("New stage").locator("option:checked")).to_have_text("Licensed")
    expect(page.get_by_label("Full-time slots")).to_have_value("6")
    expect(page.get_by_label("School-age slots")).to_have_value("3")
    assert_accessible(page)

    issued = date.today() - timedelta(days=2)
    license_number.fill("DL-60123")
    page.get_by_label("License issued on").fill(issued.isoformat())
    page.get_by_label("Full-time slots").fill("5")
    page.get_by_label("School-age slots").fill("2")
    click_and_wait(page, main(page).get_by_role("button", name="Change stage"))
    expect(flash(page)).to_have_text("Stage changed to Licensed.")
    license_section = section(page, "License")
    expect(license_section).to_contain_text("DL-60123")
    expect(license_section).to_contain_text("5 full-time, 2 school-age")
    expect(checklist_row(page, "License issued")).to_contain_text("Done")

    history = section(page, "Stage history").locator("li strong")
    expect(history).to_have_text(["Licensed", *reversed(STAGES_TO_LICENSED), "Inquiry"])
    assert_accessible(page)

    # Evidence: a small PDF for the application.
    documents = section(page, "Documents")
    expect(documents).to_contain_text("No documents yet.")
    documents.get_by_label("File").set_input_files(
        {"name": "application form.pdf", "mimeType": "application/pdf", "buffer": PDF_BYTES}
    )
    documents.get_by_label("For checklist item").select_option(label="Application and fee")
    click_and_wait(page, documents.get_by_role("button", name="Upload"))
    expect(page).to_have_url(re.compile(r"/providers/\d+#documents$"))
    expect(flash(page)).to_have_text("Document uploaded.")
    expect(
        section(page, "Documents").get_by_role("link", name="application form.pdf")
    ).to_be_visible()
    assert_accessible(page)

    # Two items done through the item form.
    for requirement in ("Network orientation", "Application and fee"):
        row = checklist_row(page, requirement)
        expect(row).to_contain_text("Not started")
        click_and_wait(page, row.get_by_role("link", name=f"Update {requirement}"))
        expect(page.get_by_role("heading", name=requirement, level=1)).to_be_visible()
        expect(main(page)).to_contain_text("Rosa Delgado")
        assert_accessible(page)
        page.get_by_label("Status").select_option(label="Done")
        click_and_wait(page, main(page).get_by_role("button", name="Save"))
        expect(page).to_have_url(re.compile(r"/providers/\d+#checklist$"))
        expect(flash(page)).to_have_text("Checklist item saved.")
        expect(checklist_row(page, requirement)).to_contain_text("Done")
        assert_accessible(page)
    expect(checklist_row(page, "Three references")).to_contain_text("Not started")

    # The new record is in the list.
    open_from_menu(page, "Providers")
    expect(main(page)).to_contain_text("1 provider")
    table = page.get_by_role("table", name="Providers")
    expect(table.get_by_role("link", name="Rosa Delgado")).to_be_visible()
    expect(table).to_contain_text("Licensed")
    assert_accessible(page)


# --- 2. A likely duplicate is flagged -------------------------------------------------------


def test_creating_a_provider_with_a_known_phone_warns_of_a_duplicate(page, live_app):
    coach = seed_provider_people(live_app)
    with live_app.app_context():
        existing = factories.create_provider(
            actor=coach.load(), coach=coach.load(), legal_name="Marisol Ortiz", phone="860-555-0177"
        )
        existing_id = existing.id

    sign_in_from_start(page, coach)
    assert_accessible(page)
    open_from_menu(page, "Providers")
    expect(page.get_by_role("table", name="Providers")).to_contain_text("Marisol Ortiz")
    assert_accessible(page)
    click_and_wait(page, main(page).get_by_role("link", name="New provider"))
    assert_accessible(page)

    fill_provider_form(page, name="Maria Gomez", phone="(860) 555-0177", email="maria@example.org")
    page.get_by_label("Neighborhood").select_option(label="Asylum Hill")
    click_and_wait(page, main(page).get_by_role("button", name="Create provider"))
    warning = page.get_by_role("alert").filter(has_text="This may be someone we already know")
    expect(
        warning.get_by_role("heading", name="This may be someone we already know")
    ).to_be_visible()
    expect(warning).to_contain_text("same phone")
    existing_link = warning.get_by_role("link", name="Marisol Ortiz")
    expect(existing_link).to_have_attribute("href", f"/providers/{existing_id}")
    expect(main(page).get_by_role("button", name="Create a new record anyway")).to_be_visible()
    expect(page.get_by_label("Legal name")).to_have_value("Maria Gomez")
    assert_accessible(page)

    click_and_wait(page, existing_link)
    expect(page).to_have_url(re.compile(rf"/providers/{existing_id}$"))
    expect(page.get_by_role("heading", name="Marisol Ortiz", level=1)).to_be_visible()
    assert_accessible(page)

    # Nothing new was created by the warning.
    open_from_menu(page, "Providers")
    expect(main(page)).to_contain_text("1 provider")
    assert_accessible(page)


# --- 3. A provider reads their own record, and nothing else ------------------------------------


def seed_linked_provider(live_app):
    """A provider account linked to its record, with staff-only things planted on it, and
    another provider's record. Returns (provider user, own record id, other record id,
    how many checklist items are the provider's own)."""
    with live_app.app_context():
        factories.ensure_defaults()
        coach = factories.create_user(role=Role.COACH, name="Carmen Coach")
        person = factories.create_user(role=Role.PROVIDER, name="Paula Provider")
        actor = coach.load()
        record = factories.create_provider(
            actor=actor,
            coach=actor,
            legal_name="Paula Provider",
            phone="860-555-0190",
            staff_notes=f"{STAFF_NOTE} (coach only)",
        )
        record.user_id = person.id
        member = provider_services.add_household_member(
            record,
            {
                "name": MEMBER_NAME,
                "relationship_to_provider": "Sister",
                "born_on": date(1990, 6, 1),
                "moved_in_on": None,
                "moved_out_on": None,
            },
            actor=actor,
        )
        # The member's own item is overdue, so it would surface in "Due soon" if leaked.
        member_item = db.session.scalar(
            select(ChecklistItem)
            .join(Requirement)
            .where(
                ChecklistItem.household_member_id == member.id,
                Requirement.key == "medical_statement",
            )
        )
        member_item.due_on = date.today() - timedelta(days=3)
        orientation = db.session.scalar(select(Stage).where(Stage.key == "orientation"))
        change = licensing_services.move_stage(
            record, orientation, actor=actor, note=f"{STAFF_NOTE} in the stage note"
        )
        db.session.commit()
        # Planted for real, so that their absence below means something.
        assert STAFF_NOTE in record.staff_notes and STAFF_NOTE in change.note
        own_items = db.session.scalar(
            select(db.func.count())
            .select_from(ChecklistItem)
            .where(
                ChecklistItem.provider_id == record.id, ChecklistItem.household_member_id.is_(None)
            )
        )
        member_items = db.session.scalar(
            select(db.func.count())
            .select_from(ChecklistItem)
            .where(ChecklistItem.household_member_id == member.id)
        )
        assert member_items == 2
        other = factories.create_provider(actor=actor, coach=actor, legal_name="Olga Other")
        return person, record.id, other.id, own_items


def assert_no_sentinel(page: Page) -> None:
    content = page.content()
    for sentinel in (STAFF_NOTE, MEMBER_NAME):
        assert sentinel not in content, f"{sentinel!r} shown to the provider on {page.url}"


def test_provider_sees_only_their_own_checklist(page, live_app):
    person, record_id, other_id, own_items = seed_linked_provider(live_app)

    sign_in_from_start(page, person)
    assert_no_sentinel(page)
    assert_accessible(page)
    header = site_header(page)
    expect(header.get_by_role("link", name="Providers", exact=True)).to_have_count(0)
    expect(header.get_by_role("link", name="Due soon", exact=True)).to_have_count(0)

    open_from_menu(page, "My record")
    expect(page).to_have_url(re.compile(rf"/providers/{record_id}$"))
    expect(page.get_by_role("heading", name="Paula Provider", level=1)).to_be_visible()
    expect(checklist_rows(page)).to_have_count(own_items)
    checklist = page.get_by_role("table", name="Licensing checklist")
    expect(checklist.get_by_role("columnheader", name="Who")).to_have_count(0)
    expect(checklist.get_by_role("link")).to_have_count(0)  # read-only
    expect(checklist_row(page, "Background check")).to_have_count(1)
    expect(checklist_row(page, "Medical statement")).to_have_count(1)
    expect(section(page, "Due soon")).to_contain_text("Nothing overdue or due in the next 90 days.")
    expect(section(page, "Stage history").locator("li strong")).to_have_text(
        ["Orientation", "Inquiry"]
    )
    expect(main(page).get_by_role("region", name="Household")).to_have_count(0)
    expect(main(page).get_by_text("Staff notes")).to_have_count(0)
    for staff_action in ("Edit", "Change stage", "Upload", "Delete"):
        expect(main(page).get_by_role("link", name=staff_action, exact=True)).to_have_count(0)
        expect(main(page).get_by_role("button", name=staff_action, exact=True)).to_have_count(0)
    assert_no_sentinel(page)
    assert_accessible(page)

    click_and_wait(page, main(page).get_by_role("link", name="Update my contact details"))
    expect(page.get_by_role("heading", name="Your contact details", level=1)).to_be_visible()
    expect(page.get_by_label("Phone")).not_to_have_value("")
    assert_no_sentinel(page)
    assert_accessible(page)

    click_and_wait(page, main(page).get_by_role("link", name="Back to your record"))
    assert_no_sentinel(page)
    assert_accessible(page)

    open_from_menu(page, "Home")
    assert_no_sentinel(page)
    assert_accessible(page)

    # Someone else's record is as missing as a record that does not exist.
    response = page.goto(f"/providers/{other_id}")
    assert response is not None and response.status == 404
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    expect(main(page)).not_to_contain_text("Olga Other")
    other_text = main(page).inner_text()
    assert_no_sentinel(page)
    assert_accessible(page)

    response = page.goto(f"/providers/{other_id + record_id + 1000}")
    assert response is not None and response.status == 404
    assert main(page).inner_text() == other_text
    assert_accessible(page)

    response = page.goto("/providers")
    assert response is not None and response.status == 403
    expect(main(page)).not_to_contain_text("Olga Other")
    assert_no_sentinel(page)
    assert_accessible(page)
