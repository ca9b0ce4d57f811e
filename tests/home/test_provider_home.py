"""A provider's home page: the next session, the hours still to do, what expires soon."""

import re
from datetime import timedelta

import pytest

from fccnet.auth.models import Role
from fccnet.clock import local_today
from fccnet.database import utcnow
from fccnet.extensions import db
from fccnet.providers.models import Provider
from fccnet.training.services import cancel_registration, register
from tests import factories
from tests.factories import add_held_credential, attend, create_cpr_session, submit_credit


@pytest.fixture
def home(app):
    """A provider with a sign-in account and a record on a coach's caseload."""
    with app.app_context():
        factories.ensure_defaults()
        coach = factories.create_user(role=Role.COACH)
        user = factories.create_user(role=Role.PROVIDER, name="Paula Provider")
        provider = factories.create_provider(actor=coach.load(), coach=coach.load())
        provider.user_id = user.id
        db.session.commit()
        return {"user": user, "provider_id": provider.id}


def build(app, home, make):
    with app.app_context():
        provider = db.session.get(Provider, home["provider_id"])
        result = make(provider, provider.coach)
        db.session.commit()
        return result


def test_the_next_session_hours_left_and_what_expires_soon(app, client, auth, home):
    def make(provider, actor):
        attend(create_cpr_session(actor, title_en="Done already"), provider, actor)  # 3 hours
        submit_credit(provider, actor)  # pending: does not count
        soon = create_cpr_session(
            actor, starts_at=utcnow() + timedelta(days=3), title_en="Safe sleep basics"
        )
        later = create_cpr_session(
            actor, starts_at=utcnow() + timedelta(days=20), title_en="Later session"
        )
        register(later, provider, actor=actor)
        register(soon, provider, actor=actor)
        today = local_today()
        for name, expires_on in (
            ("First Aid", today + timedelta(days=45)),
            ("Medication administration (injectable)", today - timedelta(days=2)),
            ("Medication administration (oral, topical, inhalant)", None),
        ):
            add_held_credential(provider, name, expires_on, taken_on=today - timedelta(days=700))
        return soon.id

    session_id = build(app, home, make)
    auth.sign_in(home["user"])
    page = client.get("/").get_data(as_text=True)
    assert "Nothing here yet" not in page
    next_block = page[page.index("Your next session") : page.index("Your training hours")]
    assert f'href="/training/sessions/{session_id}"' in next_block
    assert "Safe sleep basics" in next_block and "Later session" not in next_block
    assert "7 hours left this year" in page
    assert "3 of 10 hours done" in page
    assert re.search(r"Expires within 90 days</span>\s*First Aid", page)
    assert re.search(r"Expired</span>\s*Medication administration \(injectable\)", page)
    assert "Medication administration (oral" not in page  # never expires: nothing to say
    assert f'href="/providers/{home["provider_id"]}/training"' in page
    assert 'href="/training/"' in page  # the training calendar


def test_a_cancelled_registration_is_not_the_next_session(app, client, auth, home):
    def make(provider, actor):
        session = create_cpr_session(
            actor, starts_at=utcnow() + timedelta(days=3), title_en="Dropped"
        )
        cancel_registration(register(session, provider, actor=actor), actor=actor)

    build(app, home, make)
    auth.sign_in(home["user"])
    page = client.get("/").get_data(as_text=True)
    assert "Dropped" not in page
    assert "You are not registered for a session yet." in page
    assert "10 hours left this year" in page


def test_checklist_items_due_soon_are_listed(app, client, auth, home):
    def make(provider, actor):
        from sqlalchemy import select

        from fccnet.licensing.models import ChecklistItem

        item = db.session.scalar(
            select(ChecklistItem).where(ChecklistItem.provider_id == provider.id).limit(1)
        )
        item.due_on = local_today() + timedelta(days=10)
        return item.requirement.name_en

    requirement = build(app, home, make)
    auth.sign_in(home["user"])
    page = client.get("/").get_data(as_text=True)
    assert requirement in page


def test_a_provider_account_without_a_record_keeps_the_empty_state(client, auth, provider):
    auth.sign_in(provider)
    page = client.get("/").get_data(as_text=True)
    assert "Nothing here yet" in page
    assert "My training record" not in page


def test_the_provider_home_lists_open_action_items_and_active_goals(app, client, auth):
    from fccnet.coaching import services as coaching
    from fccnet.coaching.models import ActionStatus, GoalStatus, ItemOwner
    from fccnet.coaching.services import ActionItemInput, GoalInput

    with app.app_context():
        factories.ensure_defaults()
        coach = factories.create_user(role=Role.COACH).load()
        user = factories.create_user(role=Role.PROVIDER)
        provider = factories.create_provider(actor=coach, coach=coach)
        provider.user_id = user.id

        def item(description):
            return coaching.create_action_item(
                provider,
                ActionItemInput(description=description, owner=ItemOwner.PROVIDER),
                actor=coach,
            )

        item("Open item to do")
        coaching.close_action_item(item("Finished item"), ActionStatus.DONE, actor=coach)
        coaching.create_goal(provider, GoalInput(description="Active goal"), actor=coach)
        coaching.create_goal(
            provider,
            GoalInput(description="Achieved goal", status=GoalStatus.ACHIEVED),
            actor=coach,
        )
        db.session.commit()
        provider_id = provider.id
    auth.sign_in(user)
    page = client.get("/").get_data(as_text=True)
    assert "Open item to do" in page and "Active goal" in page
    assert "Finished item" not in page and "Achieved goal" not in page
    assert f"/providers/{provider_id}/action-items/" in page  # its "Mark done" link
