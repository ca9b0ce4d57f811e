"""The coach's home page: their caseload (stage, last contact and days since, open and
overdue action items, one-click "log a contact"), and across it the open action items,
the compliance items due in the next 30 days and the providers' upcoming trainings."""

import re
from datetime import timedelta
from types import SimpleNamespace

import pytest
from sqlalchemy import event, select

from fccnet.auth.models import Role
from fccnet.clock import local_today
from fccnet.coaching import caseload, services
from fccnet.coaching.models import ActionStatus, Contact, ContactMode, ItemOwner
from fccnet.coaching.services import ActionItemInput, ContactInput
from fccnet.database import utcnow
from fccnet.extensions import db
from fccnet.licensing.models import ChecklistItem, Requirement, Stage
from fccnet.providers.models import Provider, Town
from fccnet.providers.services import delete_provider
from fccnet.training.services import cancel_registration, cancel_session, register
from tests import factories


@pytest.fixture
def world(app):
    """A manager, the signed-in coach and another coach (Principals)."""
    with app.app_context():
        factories.ensure_defaults()
        return SimpleNamespace(
            manager=factories.create_user(role=Role.MANAGER),
            coach=factories.create_user(role=Role.COACH, name="Carla Coach"),
            other_coach=factories.create_user(role=Role.COACH, name="Otto Coach"),
        )


def build(app, make):
    """Run `make` in an app context and commit what it made (the page reads it)."""
    with app.app_context():
        result = make()
        db.session.commit()
        return result


def add_provider(world, name: str, *, coach=None) -> int:
    """A provider named `name` on `coach`'s caseload (None: nobody's); returns its id."""
    manager = world.manager.load()
    coach_user = coach.load() if coach is not None else None
    return factories.create_provider(actor=manager, coach=coach_user, legal_name=name).id


def log_contact(provider_id: int, days_ago: int, actor) -> int:
    today = local_today()
    contact = services.log_contact(
        db.session.get(Provider, provider_id),
        ContactInput(
            contacted_on=today - timedelta(days=days_ago),
            minutes=30,
            mode=ContactMode.PHONE,
            summary="Talked about the application.",
        ),
        actor=actor.load(),
        today=today,
    )
    return contact.id


def add_action_item(provider_id: int, description: str, actor, *, due_in: int | None):
    due_on = local_today() + timedelta(days=due_in) if due_in is not None else None
    return services.create_action_item(
        db.session.get(Provider, provider_id),
        ActionItemInput(description=description, owner=ItemOwner.PROVIDER, due_on=due_on),
        actor=actor.load(),
    )


def set_checklist_item(provider_id: int, key: str, **values) -> str:
    """Change one of the provider's own checklist items; returns the requirement's name."""
    item = db.session.scalar(
        select(ChecklistItem)
        .join(ChecklistItem.requirement)
        .where(
            ChecklistItem.provider_id == provider_id,
            ChecklistItem.household_member_id.is_(None),
            Requirement.key == key,
        )
    )
    for name, value in values.items():
        setattr(item, name, value)
    db.session.flush()
    return item.requirement.name_en


def home_page(client, auth, world) -> str:
    auth.sign_in(world.coach)
    response = client.get("/")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def caseload_rows(page: str) -> dict[int, str]:
    """The caseload table's rows by provider id, in the page's order."""
    table = page[page.index('id="caseload-caption"') : page.index("</table>")]
    rows = {}
    for row in re.findall(r"<tr>.*?</tr>", table, re.S)[1:]:  # the header row first
        provider_id = int(re.search(r'href="/providers/(\d+)"', row).group(1))
        rows[provider_id] = " ".join(row.split())
    return rows


def section(page: str, heading_id: str) -> str:
    start = page.index(f'id="{heading_id}"')
    end = page.find("</section>", start)
    return page[start:end]


# --- The caseload -----------------------------------------------------------------------


def test_the_caseload_is_the_coachs_own_providers_each_with_a_log_a_contact_link(
    app, client, auth, world
):
    def make():
        ids = SimpleNamespace(
            ana=add_provider(world, "Ana Mine", coach=world.coach),
            bea=add_provider(world, "Bea Mine", coach=world.coach),
            dora=add_provider(world, "Dora Deleted", coach=world.coach),
            olga=add_provider(world, "Olga Other", coach=world.other_coach),
            nadia=add_provider(world, "Nadia Nobody"),
        )
        delete_provider(
            db.session.get(Provider, ids.dora), actor=world.manager.load(), reason="Duplicate"
        )
        return ids

    ids = build(app, make)
    page = home_page(client, auth, world)
    rows = caseload_rows(page)
    assert set(rows) == {ids.ana, ids.bea}
    for name in ("Dora Deleted", "Olga Other", "Nadia Nobody"):
        assert name not in page
    assert "2 providers" in page
    ana = rows[ids.ana]
    assert ">Ana Mine</a>" in ana
    assert "Stage: </span>Inquiry" in ana
    assert "Town: </span>Hartford" in ana
    # One link per provider, each named for its provider so that no two read alike.
    log_links = re.findall(r'href="(/providers/\d+/contacts/new)"', page)
    assert sorted(log_links) == sorted(f"/providers/{i}/contacts/new" for i in (ids.ana, ids.bea))
    for provider_id, name in ((ids.ana, "Ana Mine"), (ids.bea, "Bea Mine")):
        assert (
            f'href="/providers/{provider_id}/contacts/new">Log a contact'
            f'<span class="visually-hidden"> {name}</span>'
        ) in rows[provider_id]
    assert "Nothing here yet" not in page


def test_a_coach_whose_only_provider_was_deleted_sees_the_empty_state(app, client, auth, world):
    def make():
        provider = db.session.get(Provider, add_provider(world, "Dora Deleted", coach=world.coach))
        delete_provider(provider, actor=world.manager.load(), reason="Duplicate")

    build(app, make)
    page = home_page(client, auth, world)
    assert "Nothing here yet" in page
    assert "Next: ask a network manager to assign providers to you." in page
    assert "Log a contact" not in page


def test_the_last_contact_ignores_deleted_contacts_and_other_providers_contacts(
    app, client, auth, world
):
    def make():
        ana = add_provider(world, "Ana Mine", coach=world.coach)
        bea = add_provider(world, "Bea Mine", coach=world.coach)
        olga = add_provider(world, "Olga Other", coach=world.other_coach)
        log_contact(ana, 40, world.coach)
        deleted = db.session.get(Contact, log_contact(ana, 10, world.coach))
        services.delete_contact(deleted, "Wrong provider", actor=world.manager.load())
        log_contact(olga, 1, world.other_coach)  # someone else's provider
        log_contact(bea, 3, world.manager)  # any author counts
        log_contact(bea, 20, world.coach)
        return SimpleNamespace(ana=ana, bea=bea)

    ids = build(app, make)
    with app.app_context():
        today = local_today()
        rows = {row.provider.id: row for row in caseload.load_caseload(world.coach.id, today=today)}
    assert rows[ids.ana].last_contacted_on == today - timedelta(days=40)
    assert rows[ids.bea].last_contacted_on == today - timedelta(days=3)

    page = caseload_rows(home_page(client, auth, world))
    assert "40 days ago" in page[ids.ana] and "Due for a contact" in page[ids.ana]
    assert "3 days ago" in page[ids.bea] and "Due for a contact" not in page[ids.bea]


def test_days_since_is_highlighted_past_30_days_and_for_the_never_contacted_first(
    app, client, auth, world
):
    def make():
        ids = SimpleNamespace(
            today=add_provider(world, "Aaron Today", coach=world.coach),
            thirty=add_provider(world, "Beth Thirty", coach=world.coach),
            thirty_one=add_provider(world, "Cleo Thirtyone", coach=world.coach),
            never=add_provider(world, "Zoe Never", coach=world.coach),
        )
        log_contact(ids.today, 0, world.coach)
        log_contact(ids.thirty, 30, world.coach)
        log_contact(ids.thirty_one, 31, world.coach)
        return ids

    ids = build(app, make)
    page = home_page(client, auth, world)
    rows = caseload_rows(page)
    # Those who need a contact first: never contacted, then the longest ago.
    assert list(rows) == [ids.never, ids.thirty_one, ids.thirty, ids.today]
    assert "Never contacted" in rows[ids.never]
    assert "31 days ago" in rows[ids.thirty_one] and "Due for a contact" in rows[ids.thirty_one]
    assert "30 days ago" in rows[ids.thirty] and "Due for a contact" not in rows[ids.thirty]
    assert "(today)" in rows[ids.today] and "Due for a contact" not in rows[ids.today]
    assert "(2 due for a contact)" in page


def test_providers_in_a_closed_stage_come_last_and_are_not_due_for_a_contact(
    app, client, auth, world
):
    def make():
        withdrawn = add_provider(world, "Aaron Withdrawn", coach=world.coach)
        db.session.get(Provider, withdrawn).stage = db.session.scalar(
            select(Stage).where(Stage.is_closed.is_(True)).limit(1)
        )
        return withdrawn, add_provider(world, "Zoe Active", coach=world.coach)

    withdrawn, active = build(app, make)
    page = home_page(client, auth, world)
    rows = caseload_rows(page)
    assert list(rows) == [active, withdrawn]
    assert "Due for a contact" not in rows[withdrawn]
    assert "(1 due for a contact)" in page


def test_open_and_overdue_action_item_counts_and_the_list_overdue_first(app, client, auth, world):
    def make():
        ana = add_provider(world, "Ana Mine", coach=world.coach)
        bea = add_provider(world, "Bea Mine", coach=world.coach)
        olga = add_provider(world, "Olga Other", coach=world.other_coach)
        add_action_item(ana, "Undated task", world.coach, due_in=None)
        add_action_item(ana, "Tomorrow task", world.coach, due_in=1)
        add_action_item(ana, "Today task", world.coach, due_in=0)  # due today: not overdue
        add_action_item(ana, "Late task", world.coach, due_in=-1)
        done = add_action_item(ana, "Done task", world.coach, due_in=-7)
        services.close_action_item(done, ActionStatus.DONE, actor=world.coach.load())
        dropped = add_action_item(ana, "Dropped task", world.coach, due_in=-7)
        services.close_action_item(dropped, ActionStatus.DROPPED, actor=world.coach.load())
        add_action_item(olga, "Olga task", world.other_coach, due_in=-3)
        return SimpleNamespace(ana=ana, bea=bea)

    ids = build(app, make)
    with app.app_context():
        rows = {
            row.provider.id: (row.open_items, row.overdue_items)
            for row in caseload.load_caseload(world.coach.id, today=local_today())
        }
    assert rows == {ids.ana: (4, 1), ids.bea: (0, 0)}

    page = home_page(client, auth, world)
    table = caseload_rows(page)
    assert "4 open" in table[ids.ana] and "1 overdue" in table[ids.ana]
    assert "None open" in table[ids.bea] and "overdue" not in table[ids.bea]
    listed = section(page, "action-items-heading")
    assert re.findall(r"(\w+) task", listed) == ["Late", "Today", "Tomorrow", "Undated"]
    assert listed.count("Overdue") == 1
    assert "4 open action items" in page and "(1 overdue)" in page


def test_the_action_items_list_is_limited_and_counts_the_rest(app, client, auth, world):
    def make():
        ana = add_provider(world, "Ana Mine", coach=world.coach)
        for number in range(10):
            add_action_item(ana, f"Task number {number}", world.coach, due_in=number)

    build(app, make)
    page = home_page(client, auth, world)
    listed = section(page, "action-items-heading")
    assert re.findall(r"Task number (\d)", listed) == [str(n) for n in range(8)]
    assert "And 2 more open items." in listed
    assert "10 open action items" in page


# --- Compliance and trainings across the caseload ---------------------------------------


def test_compliance_items_of_the_caseload_overdue_or_due_within_30_days(app, client, auth, world):
    def make():
        today = local_today()
        ana = add_provider(world, "Ana Mine", coach=world.coach)
        olga = add_provider(world, "Olga Other", coach=world.other_coach)
        names = SimpleNamespace(
            overdue=set_checklist_item(ana, "references", due_on=today - timedelta(days=3)),
            soon=set_checklist_item(ana, "orientation", due_on=today + timedelta(days=30)),
            later=set_checklist_item(ana, "application", due_on=today + timedelta(days=31)),
            other=set_checklist_item(olga, "cpr", due_on=today + timedelta(days=5)),
        )
        return names

    names = build(app, make)
    with app.app_context():
        query = caseload.list_caseload_compliance(world.coach.id, today=local_today())
        assert [item.requirement.name_en for item in db.session.scalars(query)] == [
            names.overdue,
            names.soon,
        ]
    listed = section(home_page(client, auth, world), "compliance-heading")
    assert listed.index(names.overdue) < listed.index(names.soon)
    assert names.later not in listed and names.other not in listed
    assert "Overdue" in listed
    assert 'href="/compliance"' in listed


def test_upcoming_trainings_are_the_caseloads_registrations_in_sessions_to_come(
    app, client, auth, world
):
    def make():
        manager = world.manager.load()
        ana = db.session.get(Provider, add_provider(world, "Ana Mine", coach=world.coach))
        bea = db.session.get(Provider, add_provider(world, "Bea Mine", coach=world.coach))
        olga = db.session.get(Provider, add_provider(world, "Olga Other", coach=world.other_coach))

        def session(title, days, **fields):
            course = factories.create_course(manager, title_en=title)
            starts_at = utcnow().replace(microsecond=0) + timedelta(days=days)
            return factories.create_session(course, actor=manager, starts_at=starts_at, **fields)

        register(session("Registered course", 9), ana, actor=manager)
        full = session("Waitlisted course", 3, capacity=1)
        register(full, olga, actor=manager)  # takes the only seat; not on this caseload
        register(full, ana, actor=manager)  # waitlisted
        cancelled = register(session("Cancelled registration", 5), bea, actor=manager)
        cancel_registration(cancelled, actor=manager)
        dropped = session("Cancelled session", 6)
        register(dropped, bea, actor=manager)
        cancel_session(dropped, actor=manager)
        register(session("Olga only course", 4), olga, actor=manager)
        factories.attend(
            factories.create_cpr_session(manager, title_en="Past course"), bea, manager
        )

    build(app, make)
    listed = section(home_page(client, auth, world), "trainings-heading")
    assert re.findall(r">(\w+) course</a>", listed) == ["Waitlisted", "Registered"]
    assert listed.count("On the waitlist") == 1
    assert listed.index("On the waitlist") < listed.index("Registered course")
    assert "Ana Mine" in listed and "Olga" not in listed and "Bea Mine" not in listed
    for absent in ("Cancelled", "Past course"):
        assert absent not in listed


# --- Speed ------------------------------------------------------------------------------


def count_statements(app, client) -> int:
    with app.app_context():
        engine = db.engine
    statements = []

    def listener(conn, cursor, statement, *args):
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", listener)
    try:
        assert client.get("/").status_code == 200
    finally:
        event.remove(engine, "before_cursor_execute", listener)
    return len(statements)


def test_the_page_runs_as_many_queries_for_30_providers_as_for_3(app, client, auth, world):
    def make(count):
        manager = world.manager.load()
        course = factories.create_course(manager, title_en="Busy course")
        session = factories.create_session(course, actor=manager, capacity=40)
        # Every stage and town in turn, so a name loaded one by one would show in the count.
        stages = list(db.session.scalars(select(Stage.id).order_by(Stage.position)))
        towns = list(db.session.scalars(select(Town.id).order_by(Town.id)))
        for number in range(count):
            provider_id = add_provider(world, f"Provider {number:02}", coach=world.coach)
            provider = db.session.get(Provider, provider_id)
            provider.stage_id = stages[number % len(stages)]
            provider.town_id = towns[number % len(towns)]
            provider.neighborhood_id = None
            log_contact(provider_id, number, world.coach)
            add_action_item(provider_id, f"Late {number}", world.coach, due_in=-1)
            add_action_item(provider_id, f"Later {number}", world.coach, due_in=5)
            set_checklist_item(provider_id, "references", due_on=local_today())
            register(session, provider, actor=manager)

    build(app, lambda: make(3))
    auth.sign_in(world.coach)
    few = count_statements(app, client)
    build(app, lambda: make(27))
    assert len(caseload_rows(client.get("/").get_data(as_text=True))) == 30
    assert count_statements(app, client) == few
