"""The provider timeline: stage changes, contacts, action items, checklist completions and
training attendance merged newest first, paged in SQL, and its page."""

import re
from datetime import UTC, date, datetime, time, timedelta
from types import SimpleNamespace

import pytest
from sqlalchemy import delete, event, select

from fccnet.attendance.services import add_walk_in
from fccnet.auth.models import Role
from fccnet.clock import network_zone
from fccnet.coaching import services
from fccnet.coaching.models import ActionItem, ActionStatus, Contact, ContactMode, ItemOwner
from fccnet.coaching.services import ActionItemInput, ContactInput
from fccnet.coaching.timeline import EntryKind, latest_entries, timeline_page
from fccnet.extensions import db
from fccnet.licensing.models import ChecklistItem, ItemStatus, Stage, StageChange
from fccnet.licensing.services import ItemUpdate, move_stage, update_item
from fccnet.providers.models import Provider
from fccnet.providers.services import add_household_member
from fccnet.training.models import Attendance, Registration, RegistrationStatus, TrainingSession
from tests import factories

SENTINEL = "SENTINEL-internal-5b1e"
# Every record below is dated around this day (no test depends on the clock).
DAY = date(2026, 3, 10)


@pytest.fixture
def people(app):
    """A manager, a coach, the provider (signed in as `provider`, with an adult household
    member) and another provider with their own account. Each record's first stage change
    is moved back to 2020, so that it is the oldest entry."""
    with app.app_context():
        factories.ensure_defaults()
        manager = factories.create_user(role=Role.MANAGER, name="Mona Manager")
        coach = factories.create_user(role=Role.COACH, name="Carl Coach")
        provider_user = factories.create_user(role=Role.PROVIDER, name="Paula Provider")
        other_user = factories.create_user(role=Role.PROVIDER, name="Olga Other")
        actor = coach.load()
        own = factories.create_provider(actor=actor, coach=actor, legal_name="Paula Provider")
        own.user_id = provider_user.id
        add_household_member(
            own,
            {
                "name": "Hugo Household",
                "relationship_to_provider": "Son",
                "born_on": date(1990, 1, 1),
            },
            actor=actor,
        )
        other = factories.create_provider(actor=actor, legal_name="Olga Other")
        other.user_id = other_user.id
        for change in db.session.scalars(select(StageChange)):
            change.changed_at = datetime(2020, 1, 1, 12, tzinfo=UTC)
        db.session.commit()
        return SimpleNamespace(
            manager=manager,
            coach=coach,
            provider=provider_user,
            other_user=other_user,
            own=own.id,
            other=other.id,
        )


def local(day: date, hour: int, minute: int = 0) -> datetime:
    """That moment on the network's clock, as the UTC timestamp the database keeps."""
    return datetime.combine(day, time(hour, minute), network_zone()).astimezone(UTC)


# --- Records with chosen dates (built directly: the services stamp "now") ----------------


class Build:
    """Adds records to one provider's history, flushed; the caller commits."""

    def __init__(self, provider_id: int, coach_id: int):
        self.provider_id = provider_id
        self.coach_id = coach_id
        self.course = None

    def add(self, record):
        db.session.add(record)
        db.session.flush()
        return record

    def stage_change(self, at: datetime, key: str = "orientation", **fields) -> StageChange:
        stage = db.session.scalar(select(Stage).where(Stage.key == key))
        return self.add(
            StageChange(
                provider_id=self.provider_id,
                to_stage_id=stage.id,
                changed_at=at,
                changed_by_id=self.coach_id,
                **fields,
            )
        )

    def contact(self, on: date, **fields) -> Contact:
        values = {
            "minutes": 30,
            "mode": ContactMode.PHONE,
            "summary": f"Summary of {on}",
            "internal_notes": SENTINEL,
            "next_steps": f"Next steps of {on}",
            "created_at": local(on, 18),
            **fields,
        }
        return self.add(
            Contact(provider_id=self.provider_id, coach_id=self.coach_id, contacted_on=on, **values)
        )

    def action_item(self, created_at: datetime, **fields) -> ActionItem:
        values = {
            "description": f"Do it ({created_at:%Y-%m-%d})",
            "owner": ItemOwner.PROVIDER,
            "updated_at": created_at,
            **fields,
        }
        return self.add(ActionItem(provider_id=self.provider_id, created_at=created_at, **values))

    def closed_action_item(self, created_at: datetime, closed_on: date, **fields) -> ActionItem:
        values = {
            "status": ActionStatus.DONE,
            "closed_on": closed_on,
            "closing_comment": "All done",
            "updated_at": local(closed_on, 17) if closed_on else created_at,
            **fields,
        }
        return self.action_item(created_at, **values)

    def checklist_done(self, on: date, *, household: bool = False) -> ChecklistItem:
        """Marks the provider's (or the household member's) next open item done."""
        member = ChecklistItem.household_member_id
        item = db.session.scalar(
            select(ChecklistItem)
            .where(
                ChecklistItem.provider_id == self.provider_id,
                ChecklistItem.status != ItemStatus.DONE,
                member.is_not(None) if household else member.is_(None),
            )
            .order_by(ChecklistItem.id)
            .limit(1)
        )
        item.status = ItemStatus.DONE
        item.completed_on = on
        item.updated_at = local(on, 16)
        db.session.flush()
        return item

    def training(self, starts_at: datetime, attendance=Attendance.ATTENDED) -> Registration:
        if self.course is None:
            self.course = factories.create_course(
                db.session.get(Provider, self.provider_id).coach,
                title_en="Safe sleep",
                title_es="Sueño seguro",
            )
        session = self.add(
            TrainingSession(
                course_id=self.course.id,
                starts_at=starts_at,
                ends_at=starts_at + timedelta(hours=3),
                capacity=10,
                trainer_name="Ana Ruiz",
            )
        )
        return self.add(
            Registration(
                session_id=session.id,
                provider_id=self.provider_id,
                status=RegistrationStatus.REGISTERED,
                attendance=attendance,
            )
        )


@pytest.fixture
def build(app, people):
    """A builder for tests that read the timeline directly, in their own app context."""
    with app.app_context():
        yield Build(people.own, people.coach.id)
        db.session.rollback()


def record(app, people, make) -> None:
    """Build and commit records for tests that make requests (outside any app context)."""
    with app.app_context():
        make(Build(people.own, people.coach.id))
        db.session.commit()


def keys(entries) -> list[tuple[EntryKind, int]]:
    return [(entry.kind, entry.record.id) for entry in entries]


def one_of_each_kind(build: Build) -> dict[EntryKind, int]:
    """One entry of each kind on its own day, 1 to 6 days before DAY; their ids."""
    item = build.closed_action_item(local(DAY - timedelta(days=6), 10), DAY - timedelta(days=1))
    return {
        EntryKind.ACTION_ITEM_CLOSED: item.id,
        EntryKind.CONTACT: build.contact(DAY - timedelta(days=2)).id,
        EntryKind.TRAINING_ATTENDED: build.training(local(DAY - timedelta(days=3), 9)).id,
        EntryKind.CHECKLIST_ITEM_DONE: build.checklist_done(DAY - timedelta(days=4)).id,
        EntryKind.STAGE_CHANGE: build.stage_change(local(DAY - timedelta(days=5), 11)).id,
        EntryKind.ACTION_ITEM_CREATED: item.id,
    }


# --- Merging and ordering ---------------------------------------------------------------


def test_entries_of_every_kind_merge_newest_first(build, people):
    ids = one_of_each_kind(build)
    first_stage = db.session.scalar(
        select(StageChange.id).where(StageChange.provider_id == people.own).order_by(StageChange.id)
    )
    page = timeline_page(people.own, staff=True)
    assert keys(page.items) == [*ids.items(), (EntryKind.STAGE_CHANGE, first_stage)]
    assert [entry.day for entry in page.items] == [
        *(DAY - timedelta(days=days) for days in range(1, 7)),
        date(2020, 1, 1),
    ]
    assert page.total == 7 and page.pages == 1
    assert not page.has_prev and not page.has_next


def test_a_timestamp_sorts_on_its_local_day_not_its_utc_day(build, people):
    # 23:30 in Hartford on the 9th is 03:30 UTC on the 10th: the stage change and the
    # training (23:00) show on the 9th, so they sort under the contact and the closed item
    # of the 10th, and over an action item added at 00:30 on the 9th (04:30 UTC).
    evening = local(DAY - timedelta(days=1), 23, 30)
    assert evening.date() == DAY
    contact = build.contact(DAY, created_at=local(DAY, 8))
    closed = build.closed_action_item(local(DAY - timedelta(days=20), 9), DAY)
    change = build.stage_change(evening)
    training = build.training(evening - timedelta(minutes=30))
    morning = build.action_item(local(DAY - timedelta(days=1), 0, 30))
    entries = latest_entries(people.own, staff=True, limit=5)
    assert keys(entries) == [
        (EntryKind.ACTION_ITEM_CLOSED, closed.id),
        (EntryKind.CONTACT, contact.id),
        (EntryKind.STAGE_CHANGE, change.id),
        (EntryKind.TRAINING_ATTENDED, training.id),
        (EntryKind.ACTION_ITEM_CREATED, morning.id),
    ]
    assert [entry.day for entry in entries] == [DAY, DAY] + [DAY - timedelta(days=1)] * 3


def test_ties_on_one_day_are_broken_the_same_way_every_time(build, people):
    contacts = [build.contact(DAY, created_at=local(DAY, 9)) for _ in range(3)]
    items = [build.action_item(local(DAY, 9)) for _ in range(3)]
    entries = latest_entries(people.own, staff=True, limit=6)
    # Same day and moment: by kind, then the newest record first.
    assert keys(entries) == [(EntryKind.ACTION_ITEM_CREATED, item.id) for item in items[::-1]] + [
        (EntryKind.CONTACT, contact.id) for contact in contacts[::-1]
    ]
    assert keys(latest_entries(people.own, staff=True, limit=6)) == keys(entries)


def test_what_is_not_an_event_stays_out(build, people):
    build.action_item(local(DAY, 9))  # open: only its creation
    build.training(local(DAY, 9), attendance=Attendance.NO_SHOW)
    build.training(local(DAY, 10), attendance=None)  # not marked yet
    partial = build.training(local(DAY, 11), attendance=Attendance.PARTIAL)
    waived = build.checklist_done(DAY)
    waived.status = ItemStatus.WAIVED
    db.session.flush()
    kinds = [entry.kind for entry in latest_entries(people.own, staff=True, limit=20)]
    assert sorted(kinds) == sorted(
        [EntryKind.ACTION_ITEM_CREATED, EntryKind.TRAINING_ATTENDED, EntryKind.STAGE_CHANGE]
    )
    assert (EntryKind.TRAINING_ATTENDED, partial.id) in keys(latest_entries(people.own, staff=True))


def test_events_recorded_through_the_services_appear(build, people):
    coach = people.coach.load()
    provider = db.session.get(Provider, people.own)
    contact = services.log_contact(
        provider,
        ContactInput(contacted_on=DAY, minutes=20, mode=ContactMode.VIDEO, summary="Hello"),
        actor=coach,
        today=DAY,
    )
    item = services.create_action_item(
        provider, ActionItemInput("Call the inspector", ItemOwner.COACH), actor=coach
    )
    services.close_action_item(item, ActionStatus.DROPPED, actor=coach, today=DAY)
    checklist_item = db.session.scalar(
        select(ChecklistItem).where(ChecklistItem.provider_id == people.own).limit(1)
    )
    update_item(checklist_item, ItemUpdate(status=ItemStatus.DONE), actor=coach, today=DAY)
    stage = db.session.scalar(select(Stage).where(Stage.key == "orientation"))
    change = move_stage(provider, stage, actor=coach)
    session = factories.create_session(
        factories.create_course(coach),
        actor=coach,
        starts_at=datetime.now(UTC) - timedelta(hours=1),
    )
    registration = add_walk_in(
        session, provider, actor=coach, attendance=Attendance.PARTIAL, minutes=60
    )
    found = set(keys(latest_entries(people.own, staff=True, limit=50)))
    assert {
        (EntryKind.CONTACT, contact.id),
        (EntryKind.ACTION_ITEM_CREATED, item.id),
        (EntryKind.ACTION_ITEM_CLOSED, item.id),
        (EntryKind.CHECKLIST_ITEM_DONE, checklist_item.id),
        (EntryKind.STAGE_CHANGE, change.id),
        (EntryKind.TRAINING_ATTENDED, registration.id),
    } <= found


def test_deleted_contacts_are_left_out(build, people):
    kept = build.contact(DAY)
    gone = build.contact(DAY - timedelta(days=1))
    services.delete_contact(gone, "Logged on the wrong record", actor=people.manager.load())
    for staff in (True, False):
        page = timeline_page(people.own, staff=staff)
        contacts = [entry.record.id for entry in page.items if entry.kind is EntryKind.CONTACT]
        assert contacts == [kept.id]
        assert page.total == 2  # and the first stage change


def test_household_members_items_are_for_staff_only(build, people):
    own_item = build.checklist_done(DAY)
    member_item = build.checklist_done(DAY, household=True)
    done = EntryKind.CHECKLIST_ITEM_DONE
    staff_page = timeline_page(people.own, staff=True)
    provider_page = timeline_page(people.own, staff=False)
    assert {(done, own_item.id), (done, member_item.id)} <= set(keys(staff_page.items))
    assert (done, own_item.id) in keys(provider_page.items)
    assert (done, member_item.id) not in keys(provider_page.items)
    assert provider_page.total == staff_page.total - 1
    assert (done, member_item.id) not in keys(latest_entries(people.own, staff=False))


def test_another_providers_history_stays_out(build, people):
    one_of_each_kind(build)
    page = timeline_page(people.other, staff=True)
    assert page.total == 1 and page.items[0].kind is EntryKind.STAGE_CHANGE


# --- Pagination -------------------------------------------------------------------------


def many_events(build: Build, count: int, *, newest: date) -> None:
    """`count` events of five kinds (an action item makes two), a day apart and ending at
    `newest`; the first checklist completions among them (a record has only so many)."""
    checklist_left = 3
    for number in range(count):
        day = newest - timedelta(days=number)
        match number % 5:
            case 0:
                build.contact(day)
            case 1:
                build.stage_change(local(day, 10))
            case 2:
                build.training(local(day, 9))
            case 3 if checklist_left:
                build.checklist_done(day)
                checklist_left -= 1
            case _:
                build.action_item(local(day, 12))


def test_pages_continue_where_the_last_one_stopped(build, people):
    many_events(build, 40, newest=DAY)
    # Ties on a day too: several records of one kind on the same day and moment.
    for _ in range(12):
        build.contact(DAY - timedelta(days=20), created_at=local(DAY - timedelta(days=20), 9))
    everything = keys(timeline_page(people.own, staff=True, per_page=100).items)
    assert len(everything) == 53  # and the first stage change

    pages = [timeline_page(people.own, staff=True, page=number) for number in (1, 2, 3)]
    assert [len(page.items) for page in pages] == [25, 25, 3]
    assert [key for page in pages for key in keys(page.items)] == everything
    assert [(page.page, page.pages, page.total) for page in pages] == [
        (1, 3, 53),
        (2, 3, 53),
        (3, 3, 53),
    ]
    assert (pages[0].has_prev, pages[0].prev_num, pages[0].has_next, pages[0].next_num) == (
        False,
        None,
        True,
        2,
    )
    assert (pages[2].has_prev, pages[2].prev_num, pages[2].has_next, pages[2].next_num) == (
        True,
        2,
        False,
        None,
    )
    assert keys(latest_entries(people.own, staff=True, limit=10)) == everything[:10]


@pytest.mark.parametrize("number", [0, -3, 10**7, 2**63])
def test_an_impossible_page_number_means_page_one(build, people, number):
    many_events(build, 30, newest=DAY)
    page = timeline_page(people.own, staff=True, page=number)
    assert page.page == 1
    assert keys(page.items) == keys(timeline_page(people.own, staff=True).items)


def test_a_page_past_the_end_is_empty(build, people):
    page = timeline_page(people.own, staff=True, page=5)
    assert page.items == [] and page.total == 1 and page.pages == 1


# --- The page ---------------------------------------------------------------------------


def timeline_url(provider_id: int, page: int | None = None) -> str:
    return f"/providers/{provider_id}/timeline" + (f"?page={page}" if page else "")


@pytest.fixture
def history(app, people):
    """One of each kind, a household member's completed item, and an explained stage change."""

    def make(build: Build) -> None:
        one_of_each_kind(build)
        build.checklist_done(DAY - timedelta(days=4), household=True)
        build.stage_change(
            local(DAY - timedelta(days=7), 10),
            key="paused",
            reason="Family move",
            note="Will call back in May",
        )

    record(app, people, make)


@pytest.mark.parametrize("who", ["coach", "manager"])
def test_staff_see_every_entry_but_never_the_internal_notes(
    app, client, auth, people, history, who
):
    auth.sign_in(getattr(people, who))
    response = client.get(timeline_url(people.own))
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "<h1" in page and "Timeline" in page and "Paula Provider" in page
    assert f'href="/providers/{people.own}"' in page
    assert f"Summary of {DAY - timedelta(days=2)}" in page
    assert f"Next steps of {DAY - timedelta(days=2)}" in page
    assert "Phone call · 30 minutes" in page
    with app.app_context():
        contact_id = db.session.scalar(select(Contact.id))
    assert f'href="/providers/{people.own}/contacts/{contact_id}"' in page
    assert "Safe sleep" in page
    assert "All done" in page  # the closing comment
    assert "Stage: Paused" in page and "Family move" in page and "Will call back in May" in page
    assert "By Carl Coach" in page
    assert "Hugo Household" in page
    assert SENTINEL not in page


def test_a_provider_opens_their_own_timeline_without_staff_details(
    app, client, auth, people, history
):
    auth.sign_in(people.provider)
    response = client.get(timeline_url(people.own))
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert f"Summary of {DAY - timedelta(days=2)}" in page
    assert "Stage: Paused" in page and "Safe sleep" in page
    assert SENTINEL not in page
    for staff_only in ("Hugo Household", "Family move", "Will call back in May", "Carl Coach"):
        assert staff_only not in page


def test_another_provider_gets_the_same_404_as_a_missing_record(app, client, auth, people, history):
    auth.sign_in(people.other_user)
    refused, missing = (
        client.get(url)
        for url in (timeline_url(people.own), timeline_url(people.own + people.other + 1000))
    )
    assert refused.status_code == missing.status_code == 404
    # The same page but for its own address (the language switcher returns to it).
    assert refused.get_data(as_text=True).replace(timeline_url(people.own), "URL") == (
        missing.get_data(as_text=True).replace(
            timeline_url(people.own + people.other + 1000), "URL"
        )
    )
    assert client.get(timeline_url(people.other)).status_code == 200


def test_signed_out_visitors_are_sent_to_sign_in(client, people):
    response = client.get(timeline_url(people.own))
    assert response.status_code == 302
    assert "/sign-in" in response.headers["Location"]


def test_pages_link_to_each_other_on_the_same_record(app, client, auth, people):
    record(app, people, lambda build: many_events(build, 30, newest=DAY))
    auth.sign_in(people.coach)
    first = client.get(timeline_url(people.own)).get_data(as_text=True)
    assert "Page 1 of 2" in first
    assert f'href="/providers/{people.own}/timeline?page=2"' in first
    second = client.get(timeline_url(people.own, page=2)).get_data(as_text=True)
    assert "Page 2 of 2" in second
    assert f'href="/providers/{people.own}/timeline?page=1"' in second
    assert client.get(timeline_url(people.own, page=10**30)).status_code == 200


def test_an_empty_timeline_says_so(app, client, auth, people):
    with app.app_context():
        db.session.execute(delete(StageChange).where(StageChange.provider_id == people.own))
        db.session.commit()
    auth.sign_in(people.coach)
    page = client.get(timeline_url(people.own)).get_data(as_text=True)
    assert "Nothing on the timeline yet" in page
    assert 'class="list-unstyled timeline' not in page
    past_the_end = client.get(timeline_url(people.other, page=3)).get_data(as_text=True)
    assert "There is nothing on this page." in past_the_end


def test_names_follow_the_readers_language(app, client, auth, people):
    def make(build: Build) -> None:
        build.training(local(DAY, 9))
        build.stage_change(local(DAY, 10), key="orientation")

    record(app, people, make)
    with app.app_context():
        reader = factories.create_user(role=Role.COACH, language="es")
    auth.sign_in(reader)
    page = client.get(timeline_url(people.own)).get_data(as_text=True)
    assert "Sueño seguro" in page and "Orientación" in page
    assert "Safe sleep" not in page


def test_the_page_takes_the_same_number_of_queries_whatever_the_history(app, client, auth, people):
    def count_queries() -> int:
        with app.app_context():
            engine = db.engine
        statements = []

        def listener(*_args):
            statements.append(1)

        event.listen(engine, "before_cursor_execute", listener)
        try:
            page = client.get(timeline_url(people.own)).get_data(as_text=True)
        finally:
            event.remove(engine, "before_cursor_execute", listener)
        # Every kind is on the first page both times: each costs its own load.
        assert set(re.findall(r"timeline-(\w+)", page)) == set(EntryKind)
        return len(statements)

    def few_events(build: Build) -> None:
        # All newer than the many added next: the first page holds every kind both times.
        many_events(build, 9, newest=DAY)
        build.closed_action_item(local(DAY, 8), DAY)

    record(app, people, few_events)
    auth.sign_in(people.coach)
    few = count_queries()
    record(app, people, lambda build: many_events(build, 200, newest=DAY - timedelta(days=30)))
    assert count_queries() == few
