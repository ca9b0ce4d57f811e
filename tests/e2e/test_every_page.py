"""Every page a manager or a provider can open, in English and in Spanish, passes axe
at 1280 and 360 px (the flows in the other browser tests cover the forms' error states)."""

from datetime import date

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from fccnet.auth.models import Role
from fccnet.extensions import db
from fccnet.licensing import services as licensing_services
from fccnet.licensing.models import ChecklistItem, Requirement, Stage
from fccnet.providers import services as provider_services
from fccnet.providers.models import Neighborhood, ReferralSource
from tests import factories
from tests.e2e.browser import assert_accessible, click_and_wait, sign_in_from_start

PDF = b"%PDF-1.4\n%%EOF\n"


@pytest.fixture
def records(live_app):
    """A provider with a household member, a document and a done item; the ids of
    one of each managed list entry."""
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
        db.session.commit()
        return {
            "manager": manager,
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
        }


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
    paths = ["/", "/account/password", p, f"{p}/contact"]
    visit_all(page, paths)
    switch_to_spanish(page)
    visit_all(page, paths)
