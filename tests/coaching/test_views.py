"""Coaching over HTTP: logging a contact (with agreed action items), its page, corrections
within the edit window and the 409 for a stale form, addenda, versions, deletion, action
items (a provider marks their own done) and goals, and the provider page's coaching."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select, update

from fccnet.auth.models import Role
from fccnet.clock import local_today
from fccnet.coaching import services
from fccnet.coaching.models import (
    ActionItem,
    ActionStatus,
    CoachingTopic,
    Contact,
    ContactMode,
    ContactVersion,
    Goal,
    GoalStatus,
    ItemOwner,
)
from fccnet.coaching.services import ActionItemInput, ContactInput
from fccnet.database import utcnow
from fccnet.extensions import db
from fccnet.providers.models import Provider
from tests import factories

INTERNAL = "Internal: worried about the landlord"
SUMMARY = "Talked through the budget for the first year."


@pytest.fixture
def people(app):
    """A manager, the provider's coach, another coach, the provider with a sign-in account,
    and another provider (with their own account)."""
    with app.app_context():
        factories.ensure_defaults()
        manager = factories.create_user(role=Role.MANAGER)
        coach = factories.create_user(role=Role.COACH)
        other_coach = factories.create_user(role=Role.COACH)
        provider_user = factories.create_user(role=Role.PROVIDER)
        other_user = factories.create_user(role=Role.PROVIDER)
        actor = coach.load()
        own = factories.create_provider(actor=actor, coach=actor, legal_name="Rosa Díaz")
        own.user_id = provider_user.id
        other = factories.create_provider(actor=actor, legal_name="Other Person")
        other.user_id = other_user.id
        db.session.commit()
        return {
            "manager": manager,
            "coach": coach,
            "other_coach": other_coach,
            "provider": provider_user,
            "other_user": other_user,
            "own": own.id,
            "other": other.id,
            "today": local_today(),
        }


def topic_ids(app, count: int = 2) -> list[int]:
    with app.app_context():
        return list(
            db.session.scalars(
                select(CoachingTopic.id).order_by(CoachingTopic.position).limit(count)
            )
        )


def logged_contact(app, people, *, author="coach", days_ago: int = 0, **fields) -> int:
    """A contact logged through the service by `author`, `days_ago` days ago."""
    with app.app_context():
        provider = db.session.get(Provider, people["own"])
        values = {
            "contacted_on": local_today(),
            "minutes": 45,
            "mode": ContactMode.HOME_VISIT,
            "summary": SUMMARY,
            "internal_notes": INTERNAL,
            "next_steps": "Bring the lease next time.",
        }
        values.update(fields)
        contact = services.log_contact(
            provider, ContactInput(**values), actor=people[author].load()
        )
        db.session.commit()
        # Backdated without moving the contact's version, as if logged back then.
        db.session.execute(
            update(Contact)
            .where(Contact.id == contact.id)
            .values(created_at=utcnow() - timedelta(days=days_ago))
        )
        db.session.commit()
        return contact.id


def contact_url(people, contact_id: int, suffix: str = "") -> str:
    return f"/providers/{people['own']}/contacts/{contact_id}{suffix}"


def contact_form(app, **fields) -> dict:
    with app.app_context():
        today = local_today()
    data = {
        "contacted_on": today.isoformat(),
        "minutes": "45",
        "mode": "home_visit",
        "topic_ids": [str(topic_id) for topic_id in topic_ids(app)],
        "summary": SUMMARY,
        "next_steps": "Call the licensing office.",
        "internal_notes": INTERNAL,
    }
    data.update(fields)
    return data


# --- Logging a contact --------------------------------------------------------------------


def test_the_log_form_opens_with_the_provider_and_today(app, client, auth, people):
    with app.app_context():
        topic = db.session.scalar(select(CoachingTopic).order_by(CoachingTopic.position))
        first_topic = (topic.id, topic.name_en)
    auth.sign_in(people["coach"])
    response = client.get(f"/providers/{people['own']}/contacts/new")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Rosa Díaz" in page
    assert f'value="{people["today"].isoformat()}"' in page
    assert f'type="checkbox" value="{first_topic[0]}"' in page and first_topic[1] in page


def test_a_coach_logs_a_contact_with_topics_and_an_action_item(app, client, auth, people):
    auth.sign_in(people["other_coach"])  # any coach may log, covering for a colleague
    chosen = topic_ids(app)
    due = (people["today"] + timedelta(days=14)).isoformat()
    response = client.post(
        f"/providers/{people['own']}/contacts/new",
        data=contact_form(
            app,
            **{
                "action_items-0-description": "Get the fire extinguisher inspected",
                "action_items-0-owner": "provider",
                "action_items-0-due_on": due,
                "action_items-1-description": "",
                "action_items-1-owner": "coach",
                "action_items-1-due_on": "",
            },
        ),
    )
    assert response.status_code == 302
    with app.app_context():
        contact = db.session.scalar(select(Contact))
        assert contact.provider_id == people["own"]
        assert contact.coach_id == people["other_coach"].id
        assert sorted(topic.id for topic in contact.topics) == sorted(chosen)
        assert contact.internal_notes == INTERNAL
        item = db.session.scalar(select(ActionItem))
        assert item.contact_id == contact.id
        assert item.owner is ItemOwner.PROVIDER
        assert item.due_on.isoformat() == due
        assert db.session.scalar(select(func.count()).select_from(ActionItem)) == 1
        assert response.headers["Location"].endswith(f"/contacts/{contact.id}")


@pytest.mark.parametrize(
    ("fields", "field_id", "message"),
    [
        ({"minutes": "0"}, "minutes", "Enter minutes from 1 to 1440."),
        ({"minutes": "abc"}, "minutes", "Not a valid integer value."),
        ({"contacted_on": "2999-01-01"}, "contacted_on", "The date cannot be in the future."),
        ({"contacted_on": "31/02/2026"}, "contacted_on", "Not a valid date value."),
        ({"mode": "carrier pigeon"}, "mode", "Not a valid choice."),
        ({"topic_ids": ["999999"]}, "topic_ids", "not a valid choice"),
        ({"summary": "", "internal_notes": ""}, "summary", "Write a summary or an internal note."),
        (
            {"action_items-0-description": "", "action_items-0-due_on": "2026-12-01"},
            "action_items-0-due_on",
            "Describe the action item, or clear its due date.",
        ),
    ],
)
def test_bad_contact_input_is_shown_at_the_field_and_saves_nothing(
    app, client, auth, people, fields, field_id, message
):
    auth.sign_in(people["coach"])
    response = client.post(
        f"/providers/{people['own']}/contacts/new", data=contact_form(app, **fields)
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert f'id="{field_id}-error"' in page
    assert message.lower() in page.lower()
    if "summary" not in fields:  # what was typed is still there
        assert SUMMARY in page
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Contact)) == 0


def test_a_provider_cannot_log_a_contact(client, auth, people):
    auth.sign_in(people["provider"])
    assert client.get(f"/providers/{people['own']}/contacts/new").status_code == 403
    assert client.get(f"/providers/{people['other']}/contacts/new").status_code == 404


# --- The contact's page -------------------------------------------------------------------


def test_the_provider_sees_the_summary_but_never_the_internal_notes(app, client, auth, people):
    contact_id = logged_contact(app, people)
    with app.app_context():
        services.add_addendum(
            db.session.get(Contact, contact_id),
            "Internal addendum text",
            actor=people["coach"].load(),
        )
        services.add_addendum(
            db.session.get(Contact, contact_id),
            "Shared addendum text",
            actor=people["coach"].load(),
            internal=False,
        )
        db.session.commit()

    auth.sign_in(people["provider"])
    page = client.get(contact_url(people, contact_id)).get_data(as_text=True)
    assert SUMMARY in page and "Bring the lease next time." in page
    assert INTERNAL not in page and "Internal addendum text" not in page
    assert "Shared addendum text" in page
    auth.sign_out()

    auth.sign_in(people["coach"])
    page = client.get(contact_url(people, contact_id)).get_data(as_text=True)
    assert INTERNAL in page and "Internal addendum text" in page


def test_another_provider_gets_404_for_the_contact(app, client, auth, people):
    contact_id = logged_contact(app, people)
    auth.sign_in(people["other_user"])
    assert client.get(contact_url(people, contact_id)).status_code == 404
    # The contact id under the other provider's own record: not found either.
    assert client.get(f"/providers/{people['other']}/contacts/{contact_id}").status_code == 404


# --- Corrections, the edit window and the 409 ---------------------------------------------


def test_the_author_corrects_a_contact_and_the_manager_sees_the_earlier_version(
    app, client, auth, people
):
    contact_id = logged_contact(app, people)
    auth.sign_in(people["coach"])
    response = client.post(
        contact_url(people, contact_id, "/edit"),
        data=contact_form(app, summary="Corrected summary", version="1"),
    )
    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(Contact, contact_id).summary == "Corrected summary"
        version = db.session.scalar(select(ContactVersion))
        assert version.summary == SUMMARY
    # A coach does not see the history; a manager does.
    assert SUMMARY not in client.get(contact_url(people, contact_id)).get_data(as_text=True)
    auth.sign_out()
    auth.sign_in(people["manager"])
    page = client.get(contact_url(people, contact_id)).get_data(as_text=True)
    assert "Earlier versions" in page and SUMMARY in page and "Corrected summary" in page


def test_another_coach_cannot_edit_a_contact_and_sees_no_button(app, client, auth, people):
    contact_id = logged_contact(app, people)
    auth.sign_in(people["other_coach"])
    assert "/edit" not in client.get(contact_url(people, contact_id)).get_data(as_text=True)
    response = client.post(
        contact_url(people, contact_id, "/edit"), data=contact_form(app, summary="Hijack")
    )
    assert response.status_code == 403
    with app.app_context():
        assert db.session.get(Contact, contact_id).summary == SUMMARY


def test_after_seven_days_the_contact_is_locked_but_takes_an_addendum(app, client, auth, people):
    contact_id = logged_contact(app, people, days_ago=8)
    auth.sign_in(people["coach"])
    page = client.get(contact_url(people, contact_id)).get_data(as_text=True)
    assert "This contact is locked" in page
    assert client.get(contact_url(people, contact_id, "/edit")).status_code == 403
    response = client.post(
        contact_url(people, contact_id, "/addenda"),
        data={"text": "She called back: the lease is signed."},
    )
    assert response.status_code == 302
    page = client.get(contact_url(people, contact_id)).get_data(as_text=True)
    assert "She called back: the lease is signed." in page


def test_an_empty_addendum_is_refused_at_the_field(app, client, auth, people):
    contact_id = logged_contact(app, people)
    auth.sign_in(people["coach"])
    response = client.post(contact_url(people, contact_id, "/addenda"), data={"text": "  "})
    assert response.status_code == 200
    assert 'id="text-error"' in response.get_data(as_text=True)


def test_an_addendum_is_staff_only_unless_deliberately_shared(app, client, auth, people):
    contact_id = logged_contact(app, people)
    auth.sign_in(people["coach"])
    url = contact_url(people, contact_id, "/addenda")
    client.post(url, data={"text": "Not sent: the box"})
    client.post(url, data={"text": "Sent on purpose", "shared": "y"})
    auth.sign_out()
    auth.sign_in(people["provider"])
    page = client.get(contact_url(people, contact_id)).get_data(as_text=True)
    assert "Sent on purpose" in page and "Not sent: the box" not in page


def test_a_correction_typed_as_the_window_closed_is_shown_back_not_lost(app, client, auth, people):
    contact_id = logged_contact(app, people, days_ago=8)
    auth.sign_in(people["coach"])
    response = client.post(
        contact_url(people, contact_id, "/edit"),
        data=contact_form(app, summary="Typed before the lock", version="1"),
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "This contact is locked" in page and "Typed before the lock" in page
    auth.sign_out()
    auth.sign_in(people["other_coach"])  # not the author: refused as before
    response = client.post(
        contact_url(people, contact_id, "/edit"), data=contact_form(app, version="1")
    )
    assert response.status_code == 403


def test_a_contact_keeps_a_topic_retired_since_it_was_logged(app, client, auth, people):
    chosen = topic_ids(app)
    with app.app_context():
        topics = [db.session.get(CoachingTopic, topic_id) for topic_id in chosen]
    contact_id = logged_contact(app, people, topics=topics)
    with app.app_context():
        db.session.get(CoachingTopic, chosen[0]).active = False
        db.session.commit()
    auth.sign_in(people["coach"])
    form = client.get(contact_url(people, contact_id, "/edit")).get_data(as_text=True)
    assert f'value="{chosen[0]}"' in form
    response = client.post(
        contact_url(people, contact_id, "/edit"),
        data=contact_form(app, minutes="50", version="1", topic_ids=[str(t) for t in chosen]),
    )
    assert response.status_code == 302
    with app.app_context():
        contact = db.session.get(Contact, contact_id)
        assert contact.minutes == 50 and sorted(t.id for t in contact.topics) == sorted(chosen)


def test_a_stale_contact_form_gets_the_409_page_and_keeps_what_was_typed(app, client, auth, people):
    contact_id = logged_contact(app, people)
    with app.app_context():
        contact = db.session.get(Contact, contact_id)
        services.update_contact(
            contact,
            ContactInput(
                contacted_on=contact.contacted_on,
                minutes=60,
                mode=contact.mode,
                summary="Saved by the manager",
            ),
            actor=people["manager"].load(),
        )
        db.session.commit()
    auth.sign_in(people["coach"])
    response = client.post(
        contact_url(people, contact_id, "/edit"),
        data=contact_form(app, summary="My careful rewrite", version="1"),
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "Someone else changed this" in page
    assert "My careful rewrite" in page and "Saved by the manager" in page
    with app.app_context():
        assert db.session.get(Contact, contact_id).summary == "Saved by the manager"
    # Saving again from the 409 page (it carries the new version) works.
    response = client.post(
        contact_url(people, contact_id, "/edit"),
        data=contact_form(app, summary="My careful rewrite", version="2"),
    )
    assert response.status_code == 302


# --- Deleting -----------------------------------------------------------------------------


def test_only_a_manager_deletes_a_contact_with_a_reason(app, client, auth, people):
    contact_id = logged_contact(app, people)
    auth.sign_in(people["coach"])
    assert (
        client.post(contact_url(people, contact_id, "/delete"), data={"reason": "x"}).status_code
        == 403
    )
    auth.sign_out()

    auth.sign_in(people["manager"])
    response = client.post(contact_url(people, contact_id, "/delete"), data={"reason": ""})
    assert response.status_code == 200 and 'id="reason-error"' in response.get_data(as_text=True)
    response = client.post(
        contact_url(people, contact_id, "/delete"), data={"reason": "Logged twice"}
    )
    assert response.status_code == 302
    # Managers still read it, marked deleted; coaches and the provider get a 404.
    page = client.get(contact_url(people, contact_id)).get_data(as_text=True)
    assert "Logged twice" in page
    auth.sign_out()
    auth.sign_in(people["coach"])
    assert client.get(contact_url(people, contact_id)).status_code == 404
    page = client.get(f"/providers/{people['own']}").get_data(as_text=True)
    assert SUMMARY not in page


# --- Action items -------------------------------------------------------------------------


def action_item(app, people, owner=ItemOwner.PROVIDER, description="Call the fire marshal"):
    with app.app_context():
        item = services.create_action_item(
            db.session.get(Provider, people["own"]),
            ActionItemInput(
                description=description, owner=owner, due_on=local_today() - timedelta(days=1)
            ),
            actor=people["coach"].load(),
        )
        db.session.commit()
        return item.id


def item_url(people, item_id: int, suffix: str) -> str:
    return f"/providers/{people['own']}/action-items/{item_id}{suffix}"


def test_the_provider_marks_their_item_done_with_a_comment_and_the_coach_sees_it(
    app, client, auth, people
):
    item_id = action_item(app, people)
    auth.sign_in(people["provider"])
    page = client.get(f"/providers/{people['own']}").get_data(as_text=True)
    assert "Call the fire marshal" in page and "Overdue" in page
    assert item_url(people, item_id, "/close") in page
    form = client.get(item_url(people, item_id, "/close")).get_data(as_text=True)
    assert 'value="dropped"' not in form  # dropping is agreed with the coach
    response = client.post(
        item_url(people, item_id, "/close"),
        data={"status": "done", "comment": "Booked for Monday", "version": "1"},
    )
    assert response.status_code == 302
    auth.sign_out()

    auth.sign_in(people["coach"])
    page = client.get(f"/providers/{people['own']}").get_data(as_text=True)
    assert "Booked for Monday" in page
    with app.app_context():
        item = db.session.get(ActionItem, item_id)
        assert item.status is ActionStatus.DONE
        assert item.closed_by_id == people["provider"].id


def test_a_provider_cannot_drop_an_item_or_close_a_coach_owned_one(app, client, auth, people):
    own_item = action_item(app, people)
    coach_item = action_item(app, people, owner=ItemOwner.COACH, description="Send the forms")
    auth.sign_in(people["provider"])
    response = client.post(
        item_url(people, own_item, "/close"), data={"status": "dropped", "version": "1"}
    )
    assert response.status_code == 200 and 'id="status-error"' in response.get_data(as_text=True)
    assert client.get(item_url(people, coach_item, "/close")).status_code == 403
    with app.app_context():
        assert {item.status for item in db.session.scalars(select(ActionItem))} == {
            ActionStatus.OPEN
        }


def test_closing_a_stale_item_gets_the_409_page_with_the_comment_kept(app, client, auth, people):
    item_id = action_item(app, people)
    with app.app_context():
        item = db.session.get(ActionItem, item_id)
        services.update_action_item(
            item,
            ActionItemInput(description="Call the fire marshal today", owner=item.owner),
            actor=people["coach"].load(),
        )
        db.session.commit()
    auth.sign_in(people["provider"])
    response = client.post(
        item_url(people, item_id, "/close"),
        data={"status": "done", "comment": "Done on Friday", "version": "1"},
    )
    assert response.status_code == 409
    assert "Done on Friday" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(ActionItem, item_id).status is ActionStatus.OPEN


def test_staff_add_edit_drop_and_reopen_an_item(app, client, auth, people):
    auth.sign_in(people["coach"])
    base = f"/providers/{people['own']}/action-items"
    response = client.post(f"{base}/new", data={"description": "", "owner": "coach"})
    assert 'id="description-error"' in response.get_data(as_text=True)
    response = client.post(
        f"{base}/new", data={"description": "Order smoke detectors", "owner": "coach"}
    )
    assert response.status_code == 302
    with app.app_context():
        item_id = db.session.scalar(select(ActionItem.id))
    response = client.post(
        item_url(people, item_id, "/edit"),
        data={"description": "Order two smoke detectors", "owner": "coach", "version": "1"},
    )
    assert response.status_code == 302
    response = client.post(
        item_url(people, item_id, "/close"),
        data={"status": "dropped", "comment": "Landlord will", "version": "2"},
    )
    assert response.status_code == 302
    assert client.post(item_url(people, item_id, "/reopen")).status_code == 302
    with app.app_context():
        item = db.session.get(ActionItem, item_id)
        assert item.description == "Order two smoke detectors"
        assert item.status is ActionStatus.OPEN and item.closing_comment is None


def test_a_closed_item_is_not_edited_and_a_stale_edit_gets_the_409_page(app, client, auth, people):
    item_id = action_item(app, people)
    auth.sign_in(people["coach"])
    opened = client.get(item_url(people, item_id, "/edit"))
    assert opened.status_code == 200
    with app.app_context():
        services.close_action_item(
            db.session.get(ActionItem, item_id), ActionStatus.DONE, actor=people["provider"].load()
        )
        db.session.commit()
    response = client.post(
        item_url(people, item_id, "/edit"),
        data={"description": "My new wording", "owner": "provider", "version": "1"},
    )
    assert response.status_code == 409
    assert "My new wording" in response.get_data(as_text=True)
    assert client.get(item_url(people, item_id, "/edit")).status_code == 403


def test_a_provider_closing_an_item_the_coach_took_over_gets_the_409_page(
    app, client, auth, people
):
    item_id = action_item(app, people)
    with app.app_context():
        item = db.session.get(ActionItem, item_id)
        services.update_action_item(
            item,
            ActionItemInput(description=item.description, owner=ItemOwner.COACH),
            actor=people["coach"].load(),
        )
        db.session.commit()
    auth.sign_in(people["provider"])
    response = client.post(
        item_url(people, item_id, "/close"),
        data={"status": "done", "comment": "I did it anyway", "version": "1"},
    )
    assert response.status_code == 409
    assert "I did it anyway" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(ActionItem, item_id).status is ActionStatus.OPEN


def test_an_id_too_large_for_the_database_in_the_query_string_is_not_found(
    app, client, auth, people
):
    auth.sign_in(people["coach"])
    url = f"/providers/{people['own']}/action-items/new"
    assert client.get(url, query_string={"contact_id": str(2**70)}).status_code == 404


def test_an_item_of_another_provider_is_not_found(app, client, auth, people):
    item_id = action_item(app, people)
    auth.sign_in(people["coach"])
    url = f"/providers/{people['other']}/action-items/{item_id}/edit"
    assert client.get(url).status_code == 404


# --- Goals --------------------------------------------------------------------------------


def test_staff_set_a_goal_and_note_progress_and_the_provider_sees_both(app, client, auth, people):
    auth.sign_in(people["coach"])
    base = f"/providers/{people['own']}/goals"
    response = client.post(
        f"{base}/new",
        data={"description": "Fill all six slots", "target_on": "2027-06-30", "status": "active"},
    )
    assert response.status_code == 302
    with app.app_context():
        goal_id = db.session.scalar(select(Goal.id))
    response = client.post(
        f"{base}/{goal_id}/progress",
        data={"noted_on": people["today"].isoformat(), "note": "Four of six filled"},
    )
    assert response.status_code == 302
    response = client.post(
        f"{base}/{goal_id}/progress", data={"noted_on": "2999-01-01", "note": "Future"}
    )
    assert 'id="noted_on-error"' in response.get_data(as_text=True)
    response = client.post(
        f"{base}/{goal_id}/edit",
        data={"description": "Fill all six slots", "status": "achieved", "version": "1"},
    )
    assert response.status_code == 302
    auth.sign_out()

    auth.sign_in(people["provider"])
    page = client.get(f"/providers/{people['own']}").get_data(as_text=True)
    assert "Fill all six slots" in page and "Four of six filled" in page and "Achieved" in page
    assert f"{base}/{goal_id}/edit" not in page
    assert client.get(f"{base}/new").status_code == 403
    with app.app_context():
        assert db.session.get(Goal, goal_id).status is GoalStatus.ACHIEVED


# --- The provider page --------------------------------------------------------------------


def test_the_provider_page_shows_coaching_hours_in_all_and_this_year(app, client, auth, people):
    today = people["today"]
    logged_contact(app, people, minutes=90)
    last_year = today.replace(year=today.year - 1, month=12, day=31)
    logged_contact(app, people, minutes=60, contacted_on=last_year)
    auth.sign_in(people["coach"])
    page = client.get(f"/providers/{people['own']}").get_data(as_text=True)
    assert "2.5 coaching hours in all, 1.5 this year." in page
    assert f"/providers/{people['own']}/contacts/new" in page


def test_contacts_pages_stay_on_the_provider_whatever_the_query_string(app, client, auth, people):
    for _ in range(21):
        logged_contact(app, people)
    auth.sign_in(people["coach"])
    own = people["own"]
    page = client.get(
        f"/providers/{own}/contacts", query_string={"provider_id": people["other"]}
    ).get_data(as_text=True)
    assert f'href="/providers/{own}/contacts?page=2' in page
    assert f"/providers/{people['other']}/contacts" not in page
