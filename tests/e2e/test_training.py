"""Training as people click: a manager builds the catalog and schedules a session, a
provider registers from a phone, the trainer marks attendance, the provider reads the
hours and downloads the transcript, and a credit taken elsewhere is reviewed."""

import re
from datetime import UTC, date, datetime, time, timedelta

from babel.dates import format_date, format_skeleton
from playwright.sync_api import Locator, Page, expect

from fccnet.auth.models import Role
from fccnet.clock import local_date, local_today, network_zone
from fccnet.database import utcnow
from fccnet.extensions import db
from fccnet.licensing.services import add_months
from fccnet.providers.models import Provider
from tests import factories
from tests.e2e.browser import (
    PHONE,
    assert_accessible,
    click_and_wait,
    downloaded_pdf,
    flash,
    heading,
    main,
    medium_date,
    open_from_menu,
    section,
    sign_in_from_start,
)

COURSE_EN = "Pediatric CPR"
COURSE_ES = "RCP pediátrica"
AREA = "Health, Safety and Nutrition"
LIBRARY = "Hartford Public Library, 500 Main Street"
ANA = "Ana Pérez Núñez"
BERTA = "Berta Brown"
HOURS_ERROR = "Enter hours above 0 and at most 40."
PDF_BYTES = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


# --- Helpers ----------------------------------------------------------------------------------


def month_label(day: date) -> str:
    return format_skeleton("yMMMM", day, locale="en")


def long_date(day: date) -> str:
    return format_date(day, "full", locale="en")


def show_month_of(page: Page, day: date) -> None:
    """On the calendar: step to the month of `day` (this month, or the one before or after)."""
    months = page.get_by_role("navigation", name="Months")
    wanted = month_label(day)
    if months.get_by_role("heading").inner_text() != wanted:
        click_and_wait(page, months.get_by_role("link", name=wanted, exact=True))
        assert_accessible(page)
    expect(months.get_by_role("heading")).to_have_text(wanted)


def day_on_calendar(page: Page, day: date) -> Locator:
    return section(page, long_date(day))


def open_session_from_calendar(page: Page, day: date, title: str = COURSE_EN) -> None:
    show_month_of(page, day)
    click_and_wait(page, day_on_calendar(page, day).get_by_role("link", name=title))
    expect(heading(page, title)).to_be_visible()


# --- Records made directly, for the parts of a story that happen off screen -------------------


def seed_staff(live_app):
    """The defaults, a manager and a coach (who trains). Returns (manager, coach)."""
    with live_app.app_context():
        factories.ensure_defaults()
        manager = factories.create_user(role=Role.MANAGER, name="Mona Manager")
        coach = factories.create_user(role=Role.COACH, name="Carl Coach")
        return manager, coach


def seed_provider(live_app, coach, name: str):
    """A provider account linked to its own record. Returns (account, record id)."""
    with live_app.app_context():
        person = factories.create_user(role=Role.PROVIDER, name=name)
        actor = coach.load()
        record = factories.create_provider(actor=actor, coach=actor, legal_name=name)
        record.user_id = person.id
        db.session.commit()
        return person, record.id


def make_course(actor):
    """The CPR course, three credit hours (an app context)."""
    return factories.create_course(
        actor,
        title_en=COURSE_EN,
        title_es=COURSE_ES,
        description_en="Infant and child CPR, with practice on manikins.",
        description_es="RCP para bebés y niños, con práctica en maniquíes.",
        ckc_area=factories.ckc_area(AREA),
        credit_minutes=180,
        credential=factories.credential("CPR"),
    )


def local_moment(day: date, at: time) -> datetime:
    return datetime.combine(day, at, tzinfo=network_zone()).astimezone(UTC)


def started_today() -> datetime:
    """An hour ago, or this morning's midnight if that was later: a session that has
    started and that still falls on today (in this month and this PD year)."""
    midnight = local_moment(local_today(), time(0))
    return max(utcnow() - timedelta(hours=1), midnight)


# --- 1. A manager adds a course and schedules a session ----------------------------------------


def test_manager_adds_a_course_and_schedules_a_session(page, live_app):
    manager, _coach = seed_staff(live_app)
    with live_app.app_context():
        day = local_today() + timedelta(days=7)

    sign_in_from_start(page, manager)
    assert_accessible(page)
    open_from_menu(page, "Training")
    expect(heading(page, "Training calendar")).to_be_visible()
    assert_accessible(page)

    click_and_wait(page, main(page).get_by_role("link", name="Courses", exact=True))
    expect(heading(page, "Courses")).to_be_visible()
    expect(main(page)).to_contain_text("No courses yet.")
    assert_accessible(page)

    click_and_wait(page, main(page).get_by_role("link", name="Add a course", exact=True))
    expect(heading(page, "Add a course")).to_be_visible()
    assert_accessible(page)

    # 41 hours is refused at the field; the rest of the form is kept.
    page.get_by_label("Title in English").fill(COURSE_EN)
    page.get_by_label("Title in Spanish").fill(COURSE_ES)
    page.get_by_label("CKC area").select_option(label=AREA)
    hours = page.get_by_label("Credit hours")
    hours.fill("41")
    page.get_by_label("Delivery").select_option(label="In person")
    page.get_by_label("Credential it grants").select_option(label="CPR")
    click_and_wait(page, main(page).get_by_role("button", name="Add course"))
    expect(hours).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#credit_hours-error")).to_have_text(HOURS_ERROR)
    expect(hours).to_have_accessible_description(re.compile(rf"{re.escape(HOURS_ERROR)}$"))
    expect(page.get_by_role("alert")).to_contain_text(f"Credit hours: {HOURS_ERROR}")
    expect(page.get_by_label("Title in English")).to_have_value(COURSE_EN)
    expect(page.get_by_label("Title in Spanish")).to_have_value(COURSE_ES)
    expect(page.get_by_label("Credential it grants").locator("option:checked")).to_have_text("CPR")
    assert_accessible(page)

    hours.fill("3")
    click_and_wait(page, main(page).get_by_role("button", name="Add course"))
    expect(page).to_have_url(re.compile(r"/training/courses$"))
    expect(flash(page)).to_have_text("Course added.")
    row = page.get_by_role("table", name="Courses").locator("tbody tr")
    expect(row).to_have_count(1)
    for text in (COURSE_EN, COURSE_ES, AREA, "In person", "CPR", "Offered"):
        expect(row).to_contain_text(text)
    expect(row.locator("td").nth(2)).to_have_text("3")
    assert_accessible(page)

    # A session of it: the end before the start is refused at the field.
    # The course's name is read out after the link's words (Chromium puts a space before the colon).
    schedule = re.compile(rf"^Schedule a session ?: {re.escape(COURSE_EN)}$")
    click_and_wait(page, row.get_by_role("link", name=schedule))
    expect(heading(page, "Add a session")).to_be_visible()
    course = page.get_by_label("Course", exact=True)
    expect(course.locator("option:checked")).to_have_text(COURSE_EN)
    assert_accessible(page)

    page.get_by_label("Date").fill(day.isoformat())
    page.get_by_label("Start time").fill("10:00")
    ends = page.get_by_label("End time")
    ends.fill("09:30")
    page.get_by_label("Location").fill(LIBRARY)
    page.get_by_label("Language").select_option(label="English")
    page.get_by_label("Trainer", exact=True).select_option(label="Carl Coach")
    page.get_by_label("Capacity").fill("2")
    click_and_wait(page, main(page).get_by_role("button", name="Add session"))
    expect(ends).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#ends_at-error")).to_have_text("The end must be after the start.")
    expect(ends).to_have_accessible_description("The end must be after the start.")
    expect(page.get_by_role("alert")).to_contain_text("End time: The end must be after the start.")
    expect(page.get_by_label("Location")).to_have_value(LIBRARY)
    expect(page.get_by_label("Date")).to_have_value(day.isoformat())
    expect(page.get_by_label("Capacity")).to_have_value("2")
    assert_accessible(page)

    ends.fill("13:00")
    click_and_wait(page, main(page).get_by_role("button", name="Add session"))
    expect(page).to_have_url(re.compile(r"/training/sessions/\d+$"))
    expect(flash(page)).to_have_text("Session scheduled.")
    expect(heading(page, COURSE_EN)).to_be_visible()
    details = main(page)
    for text in (long_date(day), LIBRARY, "Carl Coach", "2 of 2 seats left", "CPR", AREA):
        expect(details).to_contain_text(text)
    expect(section(page, "Registered (0 of 2)")).to_contain_text("Nobody is registered yet.")
    assert_accessible(page)

    # It is on the calendar, on its day.
    click_and_wait(page, main(page).get_by_role("link", name="Training calendar", exact=True))
    expect(page.get_by_role("navigation", name="Months").get_by_role("heading")).to_have_text(
        month_label(day)
    )
    on_the_day = day_on_calendar(page, day)
    expect(on_the_day.get_by_role("link", name=COURSE_EN)).to_be_visible()
    expect(on_the_day).to_contain_text("2 seats left")
    expect(on_the_day).to_contain_text("Trainer: Carl Coach")
    expect(on_the_day).to_contain_text("In person")
    assert_accessible(page)


# --- 2. Providers register from their phones; a full session has a waitlist --------------------


def test_provider_registers_from_a_phone_and_a_full_session_has_a_waitlist(new_page, live_app):
    manager, coach = seed_staff(live_app)
    ana, _ana_record = seed_provider(live_app, coach, ANA)
    berta, _berta_record = seed_provider(live_app, coach, BERTA)
    with live_app.app_context():
        day = local_today() + timedelta(days=3)
        course = make_course(manager.load())
        factories.create_session(
            course,
            actor=manager.load(),
            trainer=coach.load(),
            starts_at=local_moment(day, time(18, 0)),
            capacity=1,
            location=LIBRARY,
        )
        db.session.commit()

    page = new_page(viewport=PHONE)
    sign_in_from_start(page, ana)
    assert_accessible(page)
    open_from_menu(page, "Training")
    expect(heading(page, "Training calendar")).to_be_visible()
    assert_accessible(page)
    open_session_from_calendar(page, day)
    place = section(page, "Your place")
    expect(main(page)).to_contain_text("1 of 1 seats left")
    expect(main(page)).not_to_contain_text("Roster and attendance")
    assert_accessible(page)

    click_and_wait(page, place.get_by_role("button", name="Register", exact=True))
    expect(flash(page)).to_have_text("You are registered.")
    expect(place).to_contain_text("You are registered.")
    expect(main(page)).to_contain_text("Full — waitlist")
    assert_accessible(page)

    click_and_wait(page, place.get_by_role("button", name="Cancel my registration"))
    expect(flash(page)).to_have_text("Registration cancelled.")
    expect(place).not_to_contain_text("You are registered.")
    expect(main(page)).to_contain_text("1 of 1 seats left")
    assert_accessible(page)

    click_and_wait(page, place.get_by_role("button", name="Register", exact=True))
    expect(flash(page)).to_have_text("You are registered.")
    expect(place).to_contain_text("You are registered.")
    assert_accessible(page)

    click_and_wait(page, main(page).get_by_role("link", name="Training calendar", exact=True))
    expect(day_on_calendar(page, day)).to_contain_text("Registered")
    assert_accessible(page)

    # The only seat is taken: Berta can join the waitlist.
    other = new_page(viewport=PHONE)
    sign_in_from_start(other, berta)
    assert_accessible(other)
    open_from_menu(other, "Training")
    assert_accessible(other)
    open_session_from_calendar(other, day)
    other_place = section(other, "Your place")
    expect(main(other)).to_contain_text("Full — waitlist")
    expect(other_place.get_by_role("button", name="Register", exact=True)).to_have_count(0)
    assert_accessible(other)

    click_and_wait(other, other_place.get_by_role("button", name="Join the waitlist"))
    expect(flash(other)).to_have_text("The session is full; you are on the waitlist (number 1).")
    expect(other_place).to_contain_text("You are on the waitlist (number 1).")
    assert_accessible(other)

    # Ana gives up her seat: Berta moves up by herself.
    open_session_from_calendar(page, day)
    assert_accessible(page)
    click_and_wait(page, place.get_by_role("button", name="Cancel my registration"))
    expect(flash(page)).to_have_text("Registration cancelled.")
    expect(place.get_by_role("button", name="Join the waitlist")).to_be_visible()
    assert_accessible(page)

    other.reload()
    expect(other_place).to_contain_text("You are registered.")
    expect(other_place.get_by_role("button", name="Cancel my registration")).to_be_visible()
    assert_accessible(other)


# --- 3 and 4. The trainer marks attendance; the provider reads the hours, gets the PDFs --------


def test_trainer_marks_attendance_and_the_provider_sees_the_hours(new_page, live_app):
    manager, coach = seed_staff(live_app)
    ana, ana_record = seed_provider(live_app, coach, ANA)
    _berta, berta_record = seed_provider(live_app, coach, BERTA)
    with live_app.app_context():
        actor = manager.load()
        course = make_course(actor)
        starts = started_today()
        session = factories.create_session(
            course, actor=actor, trainer=coach.load(), starts_at=starts, location=LIBRARY
        )
        for record_id in (ana_record, berta_record):
            provider = db.session.get(Provider, record_id)
            factories.register_before_start(session, provider, actor=actor)
        db.session.commit()
        day = local_date(starts)
        cpr_expires = add_months(day, 24)

    # The trainer, on the roster.
    page = new_page()
    sign_in_from_start(page, coach)
    assert_accessible(page)
    open_from_menu(page, "Training")
    assert_accessible(page)
    open_session_from_calendar(page, day)
    expect(section(page, "Registered (2 of 10)")).to_contain_text(ANA)
    assert_accessible(page)

    click_and_wait(page, main(page).get_by_role("link", name="Roster and attendance"))
    expect(heading(page, f"Roster: {COURSE_EN}")).to_be_visible()
    expect(main(page)).to_contain_text("2 people registered")
    assert_accessible(page)

    click_and_wait(page, main(page).get_by_role("link", name="Printable sign-in sheet"))
    expect(heading(page, f"Sign-in sheet: {COURSE_EN}")).to_be_visible()
    sheet = page.get_by_role("table")
    expect(sheet).to_contain_text(ANA)
    expect(sheet).to_contain_text(BERTA)
    expect(sheet.locator("tbody tr")).to_have_count(2 + 8)  # and blank lines for walk-ins
    assert_accessible(page)
    click_and_wait(page, main(page).get_by_role("link", name="Back to the roster"))
    assert_accessible(page)

    # Everyone at once; 41 hours of a three-hour session is refused at the field.
    ana_row = main(page).get_by_role("group", name=ANA, exact=True)
    berta_row = main(page).get_by_role("group", name=BERTA, exact=True)
    berta_hours = page.get_by_label(f"Hours attended for {BERTA}")
    ana_row.get_by_label("Attended", exact=True).check()
    berta_row.get_by_label("Partial", exact=True).check()
    berta_hours.fill("41")
    click_and_wait(page, main(page).get_by_role("button", name="Save attendance"))
    expect(berta_hours).to_have_attribute("aria-invalid", "true")
    expect(berta_hours).to_have_accessible_description(re.compile(rf"{re.escape(HOURS_ERROR)}$"))
    expect(page.get_by_role("alert")).to_contain_text(f"Hours attended for {BERTA}: {HOURS_ERROR}")
    expect(ana_row.get_by_label("Attended", exact=True)).to_be_checked()
    expect(berta_row.get_by_label("Partial", exact=True)).to_be_checked()
    assert_accessible(page)

    berta_hours.fill("1.5")
    click_and_wait(page, main(page).get_by_role("button", name="Save attendance"))
    expect(flash(page)).to_have_text("Attendance saved for 2 people.")
    expect(ana_row.get_by_label("Attended", exact=True)).to_be_checked()
    expect(berta_row.get_by_label("Partial", exact=True)).to_be_checked()
    expect(berta_hours).to_have_value("1.50")
    roster = section(page, "2 people registered")
    expect(roster.get_by_role("listitem").filter(has_text=ANA)).to_contain_text("Credit hours: 3")
    expect(roster.get_by_role("listitem").filter(has_text=BERTA)).to_contain_text(
        "Credit hours: 1.5"
    )
    assert_accessible(page)

    # Partial attendance earns its hours, not the course's credential.
    click_and_wait(page, main(page).get_by_role("link", name="Back to the session"))
    assert_accessible(page)
    click_and_wait(page, section(page, "Registered (2 of 10)").get_by_role("link", name=BERTA))
    expect(heading(page, BERTA)).to_be_visible()
    assert_accessible(page)
    click_and_wait(page, main(page).get_by_role("link", name="Training record", exact=True))
    expect(heading(page, "Training record")).to_be_visible()
    expect(section(page, "Hours this year")).to_contain_text("1.5 of 10 hours")
    expect(section(page, "Credentials")).to_contain_text("No credentials yet.")
    berta_credit = section(page, "Every credit").locator("tbody tr")
    expect(berta_credit).to_have_count(1)
    expect(berta_credit).to_contain_text(COURSE_EN)
    expect(berta_credit).to_contain_text("1.5")
    assert_accessible(page)

    # Ana, on her phone: the hours, the credential, the PDFs.
    phone = new_page(viewport=PHONE)
    sign_in_from_start(phone, ana)
    expect(section(phone, "Your training hours")).to_contain_text("7 hours left this year")
    assert_accessible(phone)

    open_from_menu(phone, "My training")
    expect(heading(phone, "Training record")).to_be_visible()
    hours_section = section(phone, "Hours this year")
    expect(hours_section).to_contain_text("3 of 10 hours")
    expect(hours_section).to_contain_text("7 hours left to reach the requirement.")
    progress = phone.get_by_role("progressbar", name="Hours this year against the requirement")
    expect(progress).to_have_attribute("aria-valuetext", "3 of 10 hours")
    expect(progress).to_have_attribute("aria-valuemax", "10.00")
    expect(section(phone, "Hours by CKC area").get_by_role("row", name=f"{AREA} 3")).to_be_visible()
    credentials = section(phone, "Credentials")
    expect(credentials).to_contain_text("CPR")
    expect(credentials).to_contain_text(f"expires {medium_date(cpr_expires)}")
    expect(credentials).to_contain_text("Valid")
    credit_rows = section(phone, "Every credit").locator("tbody tr")
    expect(credit_rows).to_have_count(1)
    expect(credit_rows).to_contain_text(COURSE_EN)
    expect(credit_rows).to_contain_text("Network session")
    expect(credit_rows).to_contain_text("Approved")
    assert_accessible(phone)

    with phone.expect_download() as certificate:
        section(phone, "Every credit").get_by_role("link", name=f"Certificate {COURSE_EN}").click()
    text = downloaded_pdf(certificate.value)
    for words in ("Certificate of completion", ANA, COURSE_EN, "Credit hours: 3", "Carl Coach"):
        assert words in text, words
    assert f"Credential: CPR · Expires {format_date(cpr_expires, 'long', locale='en')}" in text

    click_and_wait(phone, main(phone).get_by_role("link", name="Transcript", exact=True))
    expect(heading(phone, "Training transcript")).to_be_visible()
    expect(main(phone)).to_contain_text(ANA)
    expect(section(phone, "Training in this period")).to_contain_text(COURSE_EN)
    expect(section(phone, "Total hours")).to_contain_text("Counted hours")
    assert_accessible(phone)

    with phone.expect_download() as transcript:
        main(phone).get_by_role("link", name="Download PDF transcript").click()
    text = downloaded_pdf(transcript.value)
    for words in ("Training transcript", "Pérez Núñez", COURSE_EN, "Counted hours: 3"):
        assert words in text, words


# --- 5. Training taken elsewhere, and a manager's review ---------------------------------------


def test_provider_sends_a_credit_from_elsewhere_and_a_manager_reviews_it(new_page, live_app):
    manager, coach = seed_staff(live_app)
    ana, _ana_record = seed_provider(live_app, coach, ANA)
    _berta, berta_record = seed_provider(live_app, coach, BERTA)
    with live_app.app_context():
        today = local_today()
        factories.submit_credit(
            db.session.get(Provider, berta_record),
            coach.load(),
            title="Infant nutrition workshop",
            ckc_area=factories.ckc_area(AREA),
            evidence=PDF_BYTES,
            evidence_filename="nutrition.pdf",
        )
        db.session.commit()
        first_aid_expires = add_months(today, 24)

    phone = new_page(viewport=PHONE)
    sign_in_from_start(phone, ana)
    assert_accessible(phone)
    open_from_menu(phone, "My training")
    expect(section(phone, "Every credit")).to_contain_text("No training recorded yet.")
    assert_accessible(phone)

    click_and_wait(phone, main(phone).get_by_role("link", name="Add training taken elsewhere"))
    expect(heading(phone, "Add training taken elsewhere")).to_be_visible()
    assert_accessible(phone)

    # Without the evidence: refused at the file field.
    phone.get_by_label("Training title").fill("First Aid refresher")
    phone.get_by_label("Organisation that gave it").fill("American Red Cross")
    phone.get_by_label("Date taken").fill(today.isoformat())
    phone.get_by_label("Credit hours").fill("2.5")
    phone.get_by_label("CKC area").select_option(label=AREA)
    phone.get_by_label("Credential earned").select_option(label="First Aid")
    click_and_wait(phone, main(phone).get_by_role("button", name="Send for approval"))
    evidence = phone.get_by_label("Evidence (certificate or attendance record)")
    expect(evidence).to_have_attribute("aria-invalid", "true")
    expect(phone.locator("#file-error")).to_have_text("Choose a file.")
    expect(phone.get_by_role("alert")).to_contain_text(
        "Evidence (certificate or attendance record): Choose a file."
    )
    expect(phone.get_by_label("Training title")).to_have_value("First Aid refresher")
    assert_accessible(phone)

    evidence.set_input_files(
        {"name": "first aid card.pdf", "mimeType": "application/pdf", "buffer": PDF_BYTES}
    )
    click_and_wait(phone, main(phone).get_by_role("button", name="Send for approval"))
    expect(heading(phone, "Training record")).to_be_visible()
    expect(flash(phone)).to_have_text(
        "Sent for approval. It will count once a manager approves it."
    )
    pending = section(phone, "Every credit").locator("tbody tr")
    expect(pending).to_have_count(1)
    for text in ("First Aid refresher", "Elsewhere (American Red Cross)", "Pending approval"):
        expect(pending).to_contain_text(text)
    expect(section(phone, "Hours this year")).to_contain_text("0 of 10 hours")
    expect(section(phone, "Credentials")).to_contain_text("No credentials yet.")
    assert_accessible(phone)

    # The manager's queue: reject without a reason, approve, then reject with one.
    page = new_page()
    sign_in_from_start(page, manager)
    assert_accessible(page)
    open_from_menu(page, "Credits to review")
    expect(heading(page, "Credits to review")).to_be_visible()
    expect(main(page)).to_contain_text("2 credits waiting")
    expect(main(page).get_by_role("link", name="first aid card.pdf")).to_be_visible()
    assert_accessible(page)

    nutrition = f"Infant nutrition workshop for {BERTA}"
    click_and_wait(page, main(page).get_by_role("button", name=f"Reject {nutrition}"))
    reason = page.get_by_label(f"Reason for rejecting {nutrition}")
    message = "Give the reason, so the provider knows what to fix."
    expect(reason).to_have_attribute("aria-invalid", "true")
    expect(reason).to_have_accessible_description(message)
    expect(page.get_by_role("alert")).to_have_text(f"Reason for rejecting: {message}")
    expect(main(page)).to_contain_text("2 credits waiting")
    assert_accessible(page)

    click_and_wait(
        page, main(page).get_by_role("button", name=f"Approve First Aid refresher for {ANA}")
    )
    expect(flash(page)).to_have_text(
        f"Approved: First Aid refresher for {ANA}. The hours now count."
    )
    expect(main(page)).to_contain_text("1 credit waiting")
    assert_accessible(page)

    page.get_by_label(f"Reason for rejecting {nutrition}").fill("The certificate is not readable.")
    click_and_wait(page, main(page).get_by_role("button", name=f"Reject {nutrition}"))
    expect(flash(page)).to_contain_text(f"Rejected: {nutrition}.")
    expect(main(page)).to_contain_text("Nothing to review.")
    assert_accessible(page)

    # Ana's hours now count, and she holds First Aid.
    open_from_menu(phone, "My training")
    approved = section(phone, "Every credit").locator("tbody tr")
    expect(approved).to_contain_text("Approved")
    expect(section(phone, "Hours this year")).to_contain_text("2.5 of 10 hours")
    credentials = section(phone, "Credentials")
    expect(credentials).to_contain_text("First Aid")
    expect(credentials).to_contain_text(f"expires {medium_date(first_aid_expires)}")
    assert_accessible(phone)
