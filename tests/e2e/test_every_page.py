"""Every page a manager, a coach or a provider can open, in English and in Spanish, passes
axe at 1280 and 360 px (the flows in the other browser tests cover the forms' error states)."""

from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from fccnet.attendance import services as attendance_services
from fccnet.auth.models import Role
from fccnet.clock import local_today, network_zone
from fccnet.coaching import services as coaching_services
from fccnet.coaching.models import ActionStatus, CoachingTopic, ContactMode, ItemOwner
from fccnet.coaching.services import ActionItemInput, ContactInput, GoalInput
from fccnet.database import utcnow
from fccnet.extensions import db
from fccnet.licensing import services as licensing_services
from fccnet.licensing.models import ChecklistItem, Requirement, Stage
from fccnet.providers import services as provider_services
from fccnet.providers.models import Neighborhood, ReferralSource
from fccnet.training import services as training_services
from fccnet.training.models import Attendance
from tests import factories
from tests.e2e.browser import assert_accessible, click_and_wait, sign_in_from_start

PDF = b"%PDF-1.4\n%%EOF\n"


@pytest.fixture
def records(live_app):
    """A provider with a household member, a document, a done item, training and
    coaching records; the ids of one of each managed list entry."""
    with live_app.app_context():
        factories.ensure_defaults()
        manager = factories.create_user(role=Role.MANAGER, name="Mona Manager")
        coach = factories.create_user(role=Role.COACH, name="Carl Coach")
        provider_user = factories.create_user(role=Role.PROVIDER, name="Paula Provider")
        actor = coach.load()
        provider = factories.create_provider(
            actor=actor, coach=actor, legal_name="Paula Provider", staff_notes="Note"
        )
        provider.user_id = provider_user.id
        member = provider_services.add_household_member(
            provider,
            {"name": "Pedro", "relationship_to_provider": "son", "born_on": date(1990, 1, 1)},
            actor=actor,
        )
        item = db.session.scalars(
            select(ChecklistItem).where(ChecklistItem.provider_id == provider.id).limit(1)
        ).one()
        licensing_services.store_document(provider, PDF, "evidence.pdf", actor=actor, item=item)
        training = seed_training(provider, manager.load(), actor)
        coaching = seed_coaching(provider, actor)
        db.session.commit()
        return {
            **training,
            **coaching,
            "manager": manager,
            "coach_user": coach,
            "provider_user": provider_user,
            "provider": provider.id,
            "member": member.id,
            "item": item.id,
            "coach": coach.id,
            "town": factories.town().id,
            "neighborhood": db.session.scalar(select(Neighborhood.id).limit(1)),
            "referral_source": db.session.scalar(select(ReferralSource.id).limit(1)),
            "stage": db.session.scalar(select(Stage.id).where(Stage.key == "orientation")),
            "requirement": db.session.scalar(select(Requirement.id).limit(1)),
            "coaching_topic": db.session.scalar(select(CoachingTopic.id).limit(1)),
        }


def seed_training(provider, manager, coach) -> dict:
    """A CPR course; a session next week the provider is registered for; a session that
    started today, attended (a credit, a credential, a certificate); a credit from elsewhere
    waiting for review; the provider's calendar feed."""
    area = factories.ckc_area()
    cpr = factories.credential("CPR")
    course = factories.create_course(
        manager,
        title_en="Pediatric CPR",
        title_es="RCP pediátrica",
        description_en="Infant and child CPR.",
        description_es="RCP para bebés y niños.",
        ckc_area=area,
        credit_minutes=180,
        credential=cpr,
    )

    def session(starts_at, **extra):
        return factories.create_session(
            course, actor=manager, starts_at=starts_at, trainer=coach, **extra
        )

    zone = network_zone()
    today = local_today()
    upcoming = session(
        datetime.combine(today + timedelta(days=7), time(18), tzinfo=zone).astimezone(UTC),
        meeting_url="https://meet.example.org/cpr",
    )
    training_services.register(upcoming, provider, actor=manager)
    midnight = datetime.combine(today, time(0), tzinfo=zone).astimezone(UTC)
    past = session(max(utcnow() - timedelta(hours=1), midnight))
    registration = factories.register_before_start(past, provider, actor=manager)
    attendance_services.record_attendance(
        past,
        [attendance_services.AttendanceMark(registration.id, Attendance.ATTENDED)],
        actor=manager,
    )
    factories.submit_credit(
        provider,
        coach,
        title="First Aid refresher",
        organisation="American Red Cross",
        minutes=150,
        ckc_area=area,
        evidence=PDF,
        evidence_filename="first-aid.pdf",
    )
    training_services.regenerate_feed(provider, actor=coach)
    return {
        "course": course.id,
        "upcoming": upcoming.id,
        "upcoming_month": upcoming.starts_at.astimezone(zone).strftime("%Y-%m"),
        "past": past.id,
        "ckc_area": area.id,
        "credential": cpr.id,
    }


def seed_coaching(provider, coach) -> dict:
    """A home visit corrected once (an earlier version), with a shared and a staff-only
    addendum and an open item for the provider; a done item with a comment; a goal with
    progress."""
    today = local_today()
    topics = list(
        db.session.scalars(select(CoachingTopic).order_by(CoachingTopic.position).limit(2))
    )
    visit = ContactInput(
        contacted_on=today,
        minutes=45,
        mode=ContactMode.HOME_VISIT,
        summary="Went through the weekly budget.",
        internal_notes="Worried about the rent.",
        next_steps="Bring last month's receipts.",
        topics=topics,
    )
    contact = coaching_services.log_contact(provider, visit, actor=coach)
    coaching_services.update_contact(contact, replace(visit, minutes=60), actor=coach)
    coaching_services.add_addendum(contact, "Receipts received.", actor=coach, internal=False)
    coaching_services.add_addendum(contact, "The rent was paid late again.", actor=coach)
    open_item = coaching_services.create_action_item(
        provider,
        ActionItemInput(
            "Open a bank account for the business", ItemOwner.PROVIDER, today + timedelta(days=14)
        ),
        actor=coach,
        contact=contact,
    )
    done_item = coaching_services.create_action_item(
        provider, ActionItemInput("Send the food program form", ItemOwner.COACH), actor=coach
    )
    coaching_services.close_action_item(
        done_item, ActionStatus.DONE, actor=coach, comment="Sent by email."
    )
    goal = coaching_services.create_goal(
        provider,
        GoalInput("Enroll six children", target_on=today + timedelta(days=180)),
        actor=coach,
    )
    coaching_services.add_goal_progress(goal, "Four children enrolled.", actor=coach)
    return {"contact": contact.id, "action_item": open_item.id, "goal": goal.id}


def coaching_pages(r) -> list[str]:
    """What staff and the provider both open: contacts, a contact, the timeline."""
    p = f"/providers/{r['provider']}"
    return [f"{p}/contacts", f"{p}/contacts/{r['contact']}", f"{p}/timeline"]


def training_pages(r) -> list[str]:
    """What staff and the provider both open: the calendar, sessions, the training record."""
    t = f"/providers/{r['provider']}/training"
    return [
        "/training/",
        f"/training/?month={r['upcoming_month']}",
        f"/training/sessions/{r['upcoming']}",
        f"/training/sessions/{r['past']}",
        t,
        f"{t}/transcript",
        f"{t}/credits/new",
    ]


def manager_pages(r) -> list[str]:
    p = f"/providers/{r['provider']}"
    return [
        "/",
        "/users",
        "/users/new",
        f"/users/{r['coach']}/edit",
        "/audit",
        "/account/password",
        "/providers",
        "/providers/new",
        p,
        f"{p}/edit",
        f"{p}/household/new",
        f"{p}/household/{r['member']}",
        f"{p}/coach",
        f"{p}/delete",
        f"{p}/stage",
        f"{p}/items/{r['item']}",
        "/providers/caseloads",
        "/compliance",
        "/settings",
        "/settings/towns",
        "/settings/towns/new",
        f"/settings/towns/{r['town']}",
        f"/settings/towns/{r['town']}/neighborhoods/new",
        f"/settings/neighborhoods/{r['neighborhood']}",
        "/settings/how-heard",
        "/settings/how-heard/new",
        f"/settings/how-heard/{r['referral_source']}",
        "/settings/stages",
        "/settings/stages/new",
        f"/settings/stages/{r['stage']}",
        "/settings/requirements",
        "/settings/requirements/new",
        f"/settings/requirements/{r['requirement']}",
        "/settings/ckc-areas",
        "/settings/ckc-areas/new",
        f"/settings/ckc-areas/{r['ckc_area']}",
        "/settings/credentials",
        "/settings/credentials/new",
        f"/settings/credentials/{r['credential']}",
        "/settings/coaching-topics",
        "/settings/coaching-topics/new",
        f"/settings/coaching-topics/{r['coaching_topic']}",
        *coaching_pages(r),
        f"{p}/contacts/new",
        f"{p}/contacts/{r['contact']}/edit",
        f"{p}/contacts/{r['contact']}/delete",
        f"{p}/action-items/new",
        f"{p}/action-items/new?contact_id={r['contact']}",
        f"{p}/action-items/{r['action_item']}/edit",
        f"{p}/action-items/{r['action_item']}/close",
        f"{p}/goals/new",
        f"{p}/goals/{r['goal']}/edit",
        f"{p}/goals/{r['goal']}/progress",
        *training_pages(r),
        f"/training/sessions/{r['upcoming']}?q=Paula",
        "/training/courses",
        "/training/courses/new",
        f"/training/courses/{r['course']}/edit",
        "/training/sessions/new",
        f"/training/sessions/{r['upcoming']}/edit",
        f"/training/sessions/{r['upcoming']}/roster",
        f"/training/sessions/{r['past']}/roster",
        f"/training/sessions/{r['past']}/roster?q=Paula",
        f"/training/sessions/{r['past']}/sign-in-sheet",
        "/training/credits",
        *report_pages(),
        "/reports/partner",
        "/reports/card",
        "/reports/card?half=custom&start=2026-01-01&end=2025-01-01",
    ]


def report_pages() -> list[str]:
    """Every report over this PD year (the records fall in it), and one with a wrong range."""
    names = ("pipeline", "outcomes", "training", "coaching", "compliance")
    return [
        "/reports",
        *(f"/reports/{name}?preset=this_pd_year" for name in names),
        "/reports/pipeline?preset=custom&start=2026-02-30&end=",
    ]


def visit_all(page, paths: list[str]) -> None:
    for path in paths:
        response = page.goto(path)
        assert response.status == 200, path
        assert_accessible(page)


def switch_to_spanish(page) -> None:
    click_and_wait(page, page.get_by_role("button", name="Español").first)
    expect(page.locator("html")).to_have_attribute("lang", "es")
    assert_accessible(page)


def test_every_manager_page_in_both_languages(page, records):
    sign_in_from_start(page, records["manager"])
    assert_accessible(page)
    paths = manager_pages(records)
    visit_all(page, paths)
    switch_to_spanish(page)
    visit_all(page, paths)


def test_every_provider_page_in_both_languages(page, records):
    sign_in_from_start(page, records["provider_user"])
    assert_accessible(page)
    p = f"/providers/{records['provider']}"
    paths = [
        "/",
        "/account/password",
        p,
        f"{p}/contact",
        *coaching_pages(records),
        f"{p}/action-items/{records['action_item']}/close",
        *training_pages(records),
        f"/training/feed/{records['provider']}",
    ]
    visit_all(page, paths)
    switch_to_spanish(page)
    visit_all(page, paths)


def test_every_coach_page_in_both_languages(page, records, spanish):
    sign_in_from_start(page, records["coach_user"])
    expect(
        page.get_by_role("table", name="Your providers, who needs a contact first")
    ).to_contain_text("Paula Provider")
    assert_accessible(page)
    p = f"/providers/{records['provider']}"
    paths = ["/", f"{p}/contacts/new", f"{p}/contacts/{records['contact']}", *report_pages()]
    visit_all(page, paths)
    switch_to_spanish(page)
    visit_all(page, paths)
    # The form speaks Spanish, topics included (their names are kept in both languages).
    page.goto(f"{p}/contacts/new")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        spanish("Log a contact with %(name)s", name="Paula Provider")
    )
    expect(page.get_by_label("Presupuesto y flujo de caja")).to_be_visible()
    assert_accessible(page)
