"""The coaching report on a small network with hand-computed figures.

The network (period January to March 2026, today 10 March 2026, New York time):
- Rosa (coach Ana): 15 Jan home visit 60 min (topics 1, 2); 5 Mar phone 30 min (topic 1).
- Beatriz (coach Beto, deactivated since): 7 Feb video 45 min (topic 2); 31 Dec 2025 phone
  90 min (before the period); 1 Mar phone 15 min, deleted.
- Carmen (no coach): 20 Feb office visit 20 min (topic 3, retired since), logged by a
  coach whose account is gone (the contact has no coach).
- Dora (coach Ana): never contacted.
- Gaby (coach Ana): a 120-minute visit on 1 Feb, then her record was deleted.
- Wanda (coach Ana): withdrawn, never contacted.
Topic 12 is retired and unused.
"""

import csv
import io
from datetime import date, datetime
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
from flask import url_for
from flask_babel import force_locale
from sqlalchemy import select, update

from fccnet.auth.models import Role
from fccnet.coaching import services
from fccnet.coaching.models import ActionStatus, CoachingTopic, Contact, ContactMode, ItemOwner
from fccnet.coaching.services import ActionItemInput, ContactInput
from fccnet.credits.services import Period
from fccnet.extensions import db
from fccnet.licensing.models import Stage
from fccnet.providers.services import delete_provider
from fccnet.reports import coaching
from fccnet.reports.scope import ReportScope
from tests import factories
from tests.reports.conftest import counting_queries

NEW_YORK = ZoneInfo("America/New_York")
TODAY = date(2026, 3, 10)
FIRST_QUARTER = Period(date(2026, 1, 1), date(2026, 3, 31))
TOPIC_1 = "Business plan and start-up"
TOPIC_2 = "Budgeting and cash flow"
TOPIC_3 = "Recordkeeping and taxes"


def ny(year, month, day, hour=12, minute=0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=NEW_YORK)


def topics(*positions: int) -> list[CoachingTopic]:
    by_position = {
        topic.position: topic
        for topic in db.session.scalars(
            select(CoachingTopic).where(CoachingTopic.position.in_(positions))
        )
    }
    return [by_position[position] for position in positions]


def log(provider, coach, on: date, minutes: int, mode: ContactMode, topic_positions=()):
    return services.log_contact(
        provider,
        ContactInput(
            contacted_on=on,
            minutes=minutes,
            mode=mode,
            summary="Went through the month.",
            topics=topics(*topic_positions),
        ),
        actor=coach,
        today=TODAY,
    )


def item(world, provider, created_at: datetime, *, due_on=None, closed=None):
    """An action item created at `created_at`; `closed`: (status, day) it was closed."""
    action = services.create_action_item(
        provider,
        ActionItemInput("Send the lease", ItemOwner.PROVIDER, due_on=due_on),
        actor=world.ana,
    )
    action.created_at = created_at
    if closed:
        status, day = closed
        services.close_action_item(action, status, actor=world.ana, today=day)
    db.session.flush()
    return action


@pytest.fixture
def world(ctx):
    factories.ensure_defaults()
    signs_in = factories.create_user(role=Role.MANAGER, name="Mona Manager")
    manager = signs_in.load()
    ana = factories.create_user(role=Role.COACH, name="Ana Coach").load()
    beto = factories.create_user(role=Role.COACH, name="Beto Coach").load()
    gone_coach = factories.create_user(role=Role.COACH, name="Gone Coach").load()

    def provider(name, coach):
        return factories.create_provider(actor=manager, coach=coach, legal_name=name)

    w = SimpleNamespace(manager=manager, signs_in=signs_in, ana=ana, beto=beto)
    w.rosa = provider("Rosa Díaz", ana)
    w.beatriz = provider("Beatriz Núñez", beto)
    w.carmen = provider("Carmen Ortiz", None)
    w.dora = provider("Dora Pérez", ana)
    w.gaby = provider("Gaby Gone", ana)
    w.wanda = provider("Wanda Withdrawn", ana)
    w.wanda.stage = db.session.scalar(select(Stage).where(Stage.key == "withdrawn"))

    log(w.rosa, ana, date(2026, 1, 15), 60, ContactMode.HOME_VISIT, (1, 2))
    log(w.rosa, ana, date(2026, 3, 5), 30, ContactMode.PHONE, (1,))
    log(w.beatriz, beto, date(2026, 2, 7), 45, ContactMode.VIDEO, (2,))
    log(w.beatriz, beto, date(2025, 12, 31), 90, ContactMode.PHONE, (1,))
    deleted = log(w.beatriz, beto, date(2026, 3, 1), 15, ContactMode.PHONE, (1,))
    services.delete_contact(deleted, "Logged twice", actor=manager)
    orphan = log(w.carmen, gone_coach, date(2026, 2, 20), 20, ContactMode.OFFICE, (3,))
    db.session.execute(update(Contact).where(Contact.id == orphan.id).values(coach_id=None))
    log(w.gaby, ana, date(2026, 2, 1), 120, ContactMode.HOME_VISIT, (1,))

    # Action items: opened, done and overdue (see test_action_items for the arithmetic).
    done, dropped = ActionStatus.DONE, ActionStatus.DROPPED
    item(w, w.rosa, ny(2026, 1, 5), due_on=date(2026, 3, 1))
    item(w, w.rosa, ny(2025, 12, 20), closed=(done, date(2026, 2, 1)))
    item(w, w.beatriz, ny(2026, 2, 1), closed=(dropped, date(2026, 2, 15)))
    # Already 1 January in UTC (05:30), still 31 December in New York: before the period.
    item(w, w.carmen, ny(2025, 12, 31, 23, 30), due_on=date(2026, 2, 1))
    # 1 January at half past midnight in New York (05:30 UTC): in the period.
    item(w, w.beatriz, ny(2026, 1, 1, 0, 30), due_on=TODAY)
    item(w, w.beatriz, ny(2025, 12, 1), closed=(done, date(2025, 12, 15)))
    item(w, w.carmen, ny(2026, 3, 1), closed=(done, date(2026, 3, 5)))
    item(w, w.gaby, ny(2026, 2, 1), due_on=date(2026, 2, 10))

    delete_provider(w.gaby, actor=manager, reason="Duplicate record")
    beto.active = False
    for retired in topics(3, 12):
        retired.active = False
    db.session.commit()
    return w


def month_label(day: date) -> str:
    return f"{day:%B %Y}"


def report_scope(period=FIRST_QUARTER, today=TODAY, **filters) -> ReportScope:
    return ReportScope(period=period, today=today, **filters)


@pytest.fixture
def build(in_request):
    def run(scope=None, language="en"):
        # force_locale: the test's app context (and Flask-Babel's cached locale in g)
        # outlives each request context.
        with in_request(language), force_locale(language):
            return coaching.build(scope or report_scope())

    return run


def test_contacts_by_coach_count_the_author_with_deactivated_coaches_and_no_coach(world, build):
    by_coach = build().table("by_coach")

    # Ana: 60 + 30 = 90 minutes (Gaby's 120 left out: her record is deleted); Beto: 45
    # (the 90 of December is before the period, the 15 of March was deleted); no coach: 20.
    assert by_coach.rows == [("Ana Coach", 2, 90), ("Beto Coach", 1, 45), ("No coach", 1, 20)]
    # 2 + 1 + 1 = 4 contacts; 90 + 45 + 20 = 155 minutes.
    assert by_coach.footer == ["Total", 4, 155]
    assert by_coach.chart is not None


def test_contacts_by_month_list_every_month_of_the_period(world, build):
    by_month = build().table("by_month")

    # January: 60; February: 45 + 20 = 65; March: 30.
    assert by_month.rows == [
        ("January 2026", 1, 60),
        ("February 2026", 2, 65),
        ("March 2026", 1, 30),
    ]
    assert by_month.footer == ["Total", 4, 155]
    assert by_month.chart is not None
    assert build(language="es").table("by_month").rows[0] == ("enero de 2026", 1, 60)

    # A month without contacts is a zero, not a gap: December 2025 to February 2026.
    winter = build(report_scope(Period(date(2025, 12, 1), date(2026, 2, 28))))
    assert winter.table("by_month").rows == [
        ("December 2025", 1, 90),
        ("January 2026", 1, 60),
        ("February 2026", 2, 65),
    ]

    # A period running past today stops at today's month: the months to come have no
    # contacts yet, and a zero would read as a drop.
    year = build(report_scope(Period(date(2026, 1, 1), date(2026, 12, 31)), today=TODAY))
    assert [row[0] for row in year.table("by_month").rows][-1] == month_label(TODAY)


def test_contacts_by_mode_list_every_mode_in_the_readers_language(world, build):
    by_mode = build().table("by_mode")

    assert by_mode.rows == [
        ("Home visit", 1, 60),
        ("Phone call", 1, 30),
        ("Video call", 1, 45),
        ("Office visit", 1, 20),
        ("Text message", 0, 0),
        ("Email", 0, 0),
    ]
    assert by_mode.footer == ["Total", 4, 155]
    spanish = build(language="es").table("by_mode")
    assert spanish.rows[:2] == [("Visita al hogar", 1, 60), ("Llamada telefónica", 1, 30)]


def test_contacts_by_topic_count_a_contact_under_each_of_its_topics(world, build):
    by_topic = build().table("by_topic")
    rows = {name: figures for name, *figures in by_topic.rows}

    # Topic 1: Rosa's 60 and 30; topic 2: Rosa's 60 (the same contact) and Beatriz's 45.
    assert rows[TOPIC_1] == [2, 90]
    assert rows[TOPIC_2] == [2, 105]
    # Retired since, still shown: a contact used it.
    assert rows[TOPIC_3] == [1, 20]
    # Topics 4 to 11 offered and not covered; topic 12 retired and unused: not listed.
    assert len(by_topic.rows) == 11
    assert by_topic.rows[3][1:] == (0, 0)
    assert by_topic.footer is None
    assert "counts under each" in by_topic.description

    spanish = build(language="es").table("by_topic")
    assert spanish.rows[0] == ("Plan de negocios y puesta en marcha", 2, 90)


def test_providers_not_contacted_in_30_days_longest_first(world, build, in_request):
    table = build().table("no_contact")

    # Today 10 March: 30 days back is 8 February. Dora was never contacted (first);
    # Beatriz's last contact that counts is 7 February (the 1 March one was deleted), 31
    # days ago. Rosa (5 March) and Carmen (20 February) were contacted lately; Wanda is
    # withdrawn and Gaby deleted.
    assert table.rows == [
        ("Dora Pérez", "Inquiry", "Ana Coach", None, None),
        ("Beatriz Núñez", "Inquiry", "Beto Coach", date(2026, 2, 7), 31),
    ]
    with in_request():
        assert table.links == [
            url_for("providers.detail", provider_id=world.dora.id),
            url_for("providers.detail", provider_id=world.beatriz.id),
        ]

    # A day earlier, 7 February is exactly 30 days back: Beatriz is not due yet.
    day_before = build(report_scope(today=date(2026, 3, 9))).table("no_contact")
    assert [row[0] for row in day_before.rows] == ["Dora Pérez"]


def test_the_not_contacted_list_is_capped_and_says_how_many_there_are(world, build, monkeypatch):
    monkeypatch.setattr(coaching, "NOT_CONTACTED_LISTED", 1)

    table = build().table("no_contact")

    assert [row[0] for row in table.rows] == ["Dora Pérez"]
    assert "1 of 2 providers" in table.description


def test_action_items_opened_done_and_overdue(world, build):
    table = build().table("action_items")

    # Opened in the period: Rosa's of 5 January, Beatriz's of 1 February and of 1 January
    # 00:30 New York, Carmen's of 1 March = 4 (Carmen's of 31 December 23:30 New York is
    # before it, whatever UTC says; Gaby's record is deleted).
    # Done in the period: Rosa's (1 February) and Carmen's (5 March) = 2 (the dropped one
    # and the one done in December do not count).
    # Overdue today: open and due before 10 March: Rosa's (1 March), Carmen's (1 February)
    # = 2 (Beatriz's is due today, not before).
    assert table.rows == [(4, 2, 2)]
    # The columns count items ("tareas"): Spanish agrees with them.
    spanish = build(language="es").table("action_items")
    assert [column.label for column in spanish.columns] == [
        "Creadas",
        "Completadas",
        "Vencidas al día de hoy",
    ]


def test_filters_keep_to_the_providers_in_scope(world, build):
    anas = build(report_scope(coach_id=world.ana.id))

    # Ana's caseload: Rosa (two contacts, 90 minutes), Dora, Wanda (withdrawn).
    assert anas.table("by_coach").rows == [("Ana Coach", 2, 90)]
    # Rosa's 60 (topics 1 and 2) and 30 (topic 1); the retired topic 3 was not used here.
    anas_topics = {name: figures for name, *figures in anas.table("by_topic").rows}
    assert (anas_topics[TOPIC_1], anas_topics[TOPIC_2]) == ([2, 90], [1, 60])
    assert TOPIC_3 not in anas_topics
    assert [row[0] for row in anas.table("no_contact").rows] == ["Dora Pérez"]
    # Rosa's items: one opened (5 January, overdue), one done (1 February).
    assert anas.table("action_items").rows == [(1, 1, 1)]

    nobodys = build(report_scope(coach_id=0))
    assert nobodys.table("by_coach").rows == [("No coach", 1, 20)]
    nobodys_topics = {name: figures for name, *figures in nobodys.table("by_topic").rows}
    assert nobodys_topics[TOPIC_3] == [1, 20]
    # Carmen's items: opened 1 March and done 5 March; the one of 31 December is overdue.
    assert nobodys.table("action_items").rows == [(1, 1, 1)]


def test_a_period_without_contacts_shows_empty_tables(world, build):
    report = build(report_scope(Period(date(2024, 1, 1), date(2024, 1, 31))))

    for key in ("by_coach", "by_month", "by_mode", "by_topic"):
        table = report.table(key)
        assert table.rows == []
        assert table.footer is None
        assert table.chart is None
        assert table.empty_message
    assert report.table("action_items").rows == [(0, 0, 2)]


def test_the_report_runs_the_same_number_of_queries_whatever_the_data(world, build):
    with counting_queries() as small:
        build()

    # More coaches, providers, months, modes and topics.
    for number in range(5):
        coach = factories.create_user(role=Role.COACH, name=f"Extra Coach {number}").load()
        for month in (1, 2, 3):
            provider = factories.create_provider(actor=world.manager, coach=coach)
            log(provider, coach, date(2026, month, 2), 25, list(ContactMode)[number], (4, 5))
            item(world, provider, ny(2026, month, 3), due_on=date(2026, 3, 1))
    with counting_queries() as larger:
        report = build()

    assert report.table("by_coach").footer == ["Total", 4 + 15, 155 + 15 * 25]
    assert larger() == small()


def test_the_page_shows_every_table_and_a_table_downloads_as_csv(world, client, auth):
    auth.sign_in(world.signs_in)
    query = {"preset": "custom", "start": "2026-01-01", "end": "2026-03-31"}

    page = client.get("/reports/coaching", query_string=query)
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    for key in ("by_coach", "by_month", "by_mode", "by_topic", "no_contact", "action_items"):
        assert f"/reports/coaching/{key}.csv" in html
    assert f'href="/providers/{world.dora.id}"' in html

    by_coach = client.get("/reports/coaching/by_coach.csv", query_string=query)
    rows = list(csv.reader(io.StringIO(by_coach.data.decode("utf-8-sig"), newline="")))
    # Minutes as hours to one decimal: 90 -> 1.5, 45 -> 0.8 (0.75 rounded half up),
    # 20 -> 0.3, 155 -> 2.6.
    assert rows == [
        ["Coach", "Contacts", "Hours"],
        ["Ana Coach", "2", "1.5"],
        ["Beto Coach", "1", "0.8"],
        ["No coach", "1", "0.3"],
        ["Total", "4", "2.6"],
    ]
