"""Access-matrix cases of coaching: contacts, addenda, deletion, action items, goals and
the timeline."""

from tests.access_matrix import Case, signed_in

OWN = {"provider_id": "own_provider"}
OTHER = {"provider_id": "other_provider"}


def coaching_records(records):
    from datetime import date

    from fccnet.auth.models import User
    from fccnet.coaching import services
    from fccnet.coaching.models import ContactMode, ItemOwner
    from fccnet.coaching.services import ActionItemInput, ContactInput, GoalInput
    from fccnet.extensions import db
    from fccnet.providers.models import Provider

    coach = db.session.get(User, records["coach_user"])
    other_coach = db.session.get(User, records["other_coach_user"])
    own = db.session.get(Provider, records["own_provider"])
    other = db.session.get(Provider, records["other_provider"])

    def contact(provider, actor):
        data = ContactInput(
            contacted_on=date(2026, 1, 5), minutes=30, mode=ContactMode.PHONE, summary="Call"
        )
        return services.log_contact(provider, data, actor=actor)

    deleted = contact(own, coach)
    services.delete_contact(deleted, "Logged twice", actor=coach)

    def item(owner):
        return services.create_action_item(
            own, ActionItemInput(description="Matrix item", owner=owner), actor=coach
        ).id

    return {
        # Logged by the coach principal; the other one by the other provider's coach.
        "own_contact": contact(own, coach).id,
        "other_contact": contact(other, other_coach).id,
        "deleted_contact": deleted.id,
        "own_action_item": item(ItemOwner.PROVIDER),
        "coach_action_item": item(ItemOwner.COACH),
        "own_goal": services.create_goal(own, GoalInput(description="Matrix goal"), actor=coach).id,
    }


RECORD_BUILDERS = [coaching_records]

# Staff read every provider's coaching; a provider only their own (another's is a 404).
OWN_READ = signed_in(200)
OTHER_READ = signed_in(200, provider=404)
# Staff write; a provider is refused on their own record, and learns nothing of another's.
OWN_WRITE = signed_in(200, provider=403)
OTHER_WRITE = signed_in(200, provider=404)
BAD_CONTACT = {"contacted_on": "", "minutes": "", "mode": "home_visit", "summary": ""}
OWN_CONTACT = {**OWN, "contact_id": "own_contact"}
OTHER_CONTACT = {**OTHER, "contact_id": "other_contact"}
OWN_ITEM = {**OWN, "item_id": "own_action_item"}
COACH_ITEM = {**OWN, "item_id": "coach_action_item"}
OWN_GOAL = {**OWN, "goal_id": "own_goal"}


def read_cases(endpoint: str) -> list[Case]:
    return [
        Case(endpoint, "GET", OWN_READ, url_args=OWN, label="own"),
        Case(endpoint, "GET", OTHER_READ, url_args=OTHER, label="other"),
    ]


def write_cases(endpoint: str, data: dict, **url_args) -> list[Case]:
    own, other = {**OWN, **url_args}, {**OTHER, **url_args}
    return [
        Case(endpoint, "GET", OWN_WRITE, url_args=own, label="own"),
        Case(endpoint, "GET", OTHER_WRITE, url_args=other, label="other"),
        Case(endpoint, "POST", OWN_WRITE, url_args=own, data=data, label="own"),
    ]


CASES = [
    *read_cases("coaching.contacts"),
    *read_cases("coaching.timeline"),
    *write_cases("coaching.log_contact", BAD_CONTACT),
    *write_cases("coaching.new_action_item", {"description": ""}),
    *write_cases("coaching.goal", {"description": ""}),
    Case("coaching.contact", "GET", OWN_READ, url_args=OWN_CONTACT, label="own"),
    Case("coaching.contact", "GET", OTHER_READ, url_args=OTHER_CONTACT, label="other"),
    # A contact under another provider's id, and a deleted one (managers still read it).
    Case(
        "coaching.contact",
        "GET",
        signed_in(404),
        url_args={**OWN, "contact_id": "other_contact"},
        label="mismatch",
    ),
    Case(
        "coaching.contact",
        "GET",
        signed_in(404, manager=200),
        url_args={**OWN, "contact_id": "deleted_contact"},
        label="deleted",
    ),
    # Only the author (the coach principal) or a manager corrects a contact.
    Case("coaching.edit_contact", "GET", OWN_WRITE, url_args=OWN_CONTACT, label="own"),
    Case(
        "coaching.edit_contact",
        "GET",
        signed_in(200, coach=403, provider=404),
        url_args=OTHER_CONTACT,
        label="other",
    ),
    Case(
        "coaching.edit_contact",
        "POST",
        OWN_WRITE,
        url_args=OWN_CONTACT,
        data={**BAD_CONTACT, "version": "1"},
        label="own",
    ),
    Case(
        "coaching.add_addendum",
        "POST",
        signed_in(200, provider=403),
        url_args=OWN_CONTACT,
        data={"text": ""},
    ),
    Case(
        "coaching.delete_contact",
        "GET",
        signed_in(403, manager=200),
        url_args=OWN_CONTACT,
        label="own",
    ),
    Case(
        "coaching.delete_contact",
        "GET",
        signed_in(403, manager=200, provider=404),
        url_args=OTHER_CONTACT,
        label="other",
    ),
    Case(
        "coaching.delete_contact",
        "POST",
        signed_in(403, manager=200),
        url_args=OWN_CONTACT,
        data={"reason": ""},
    ),
    Case("coaching.edit_action_item", "GET", OWN_WRITE, url_args=OWN_ITEM),
    Case(
        "coaching.edit_action_item",
        "POST",
        OWN_WRITE,
        url_args=OWN_ITEM,
        data={"description": "", "version": "1"},
    ),
    # The provider closes their own items, not the coach's.
    Case("coaching.close_action_item", "GET", OWN_READ, url_args=OWN_ITEM, label="own"),
    Case(
        "coaching.close_action_item",
        "GET",
        signed_in(200, provider=403),
        url_args=COACH_ITEM,
        label="coach",
    ),
    Case(
        "coaching.close_action_item",
        "POST",
        OWN_READ,
        url_args=OWN_ITEM,
        data={"status": "bogus", "version": "1"},
    ),
    # Reopening an open item changes nothing (staff are sent back with a message).
    Case(
        "coaching.reopen_action_item",
        "POST",
        signed_in(302, provider=403),
        url_args=OWN_ITEM,
    ),
    Case("coaching.goal", "GET", OWN_WRITE, url_args=OWN_GOAL, label="edit"),
    Case("coaching.goal_progress", "GET", OWN_WRITE, url_args=OWN_GOAL),
    Case(
        "coaching.goal_progress",
        "POST",
        OWN_WRITE,
        url_args=OWN_GOAL,
        data={"noted_on": "", "note": ""},
    ),
]
