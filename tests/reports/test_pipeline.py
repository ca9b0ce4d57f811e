"""The pipeline report on small datasets with hand-computed figures.

Stage histories are written as StageChange rows at chosen New York times (the network's
zone); a time at 23:30 in New York is already the next day in UTC, so each such edge
would give another number if days were taken in UTC.
"""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from flask import current_app, url_for
from sqlalchemy import delete, event, select

from fccnet.auth.models import Role
from fccnet.clock import local_today
from fccnet.coaching.models import ContactMode
from fccnet.coaching.services import ContactInput, delete_contact, log_contact
from fccnet.credits.services import Period
from fccnet.extensions import db
from fccnet.licensing.models import Stage, StageChange
from fccnet.licensing.services import LicenseDetails, move_stage
from fccnet.providers.services import delete_provider
from fccnet.reports import pipeline
from fccnet.reports.scope import ReportScope
from tests import factories

NEW_YORK = ZoneInfo("America/New_York")
MARCH = Period(date(2026, 3, 1), date(2026, 3, 31))
OPEN_STAGES = [
    "Inquiry",
    "Orientation",
    "Preparing application",
    "Application submitted",
    "Awaiting inspection",
    "Licensed",
    "Active network member",
]
ALL_STAGES = [*OPEN_STAGES, "Paused", "Withdrawn", "Not eligible"]


def ny(year, month, day, hour=12, minute=0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=NEW_YORK)


@pytest.fixture
def world(ctx):
    factories.ensure_defaults()
    return {
        "manager": factories.create_user(role=Role.MANAGER, name="Mona Manager").load(),
        "coach": factories.create_user(role=Role.COACH, name="Carla Coach").load(),
        "other_coach": factories.create_user(role=Role.COACH, name="Otto Coach").load(),
    }


def stage(key: str) -> Stage:
    return db.session.scalar(select(Stage).where(Stage.key == key))


def make(world, first_contact_on=date(2026, 1, 5), *, coach="coach", **fields):
    return factories.create_provider(
        actor=world["manager"],
        coach=world[coach] if coach else None,
        first_contact_on=first_contact_on,
        **fields,
    )


def history(provider, *steps: tuple[str, datetime]):
    """Replace the provider's stage history with these (stage key, moment) steps; the
    last one is where they are now."""
    db.session.execute(delete(StageChange).where(StageChange.provider_id == provider.id))
    previous = None
    for key, moment in steps:
        to_stage = stage(key)
        db.session.add(
            StageChange(
                provider_id=provider.id,
                from_stage_id=previous.id if previous else None,
                to_stage_id=to_stage.id,
                changed_at=moment,
            )
        )
        previous = to_stage
    provider.stage = previous
    provider.stage_entered_at = steps[-1][1]
    db.session.flush()
    return provider


def scope(period=MARCH, today=date(2026, 6, 30), **filters) -> ReportScope:
    return ReportScope(period=period, today=today, **filters)


def table(key: str, report_scope: ReportScope, *, language: str = "en"):
    with current_app.test_request_context(headers={"Accept-Language": language}):
        return pipeline.build(report_scope).table(key)


def contact(world, provider, on: date):
    return log_contact(
        provider,
        ContactInput(contacted_on=on, minutes=30, mode=ContactMode.PHONE, summary="Call"),
        actor=world["coach"],
        today=on,
    )


# --- Providers in each stage today ----------------------------------------------------


def test_stages_today_counts_every_stage_in_order_with_zeros_and_a_total(world):
    for key in ["inquiry", "inquiry", "orientation", "licensed", "withdrawn"]:
        history(make(world), (key, ny(2026, 2, 1)))
    deleted = history(make(world), ("licensed", ny(2026, 2, 1)))
    delete_provider(deleted, actor=world["manager"], reason="Duplicate")

    today = table("stages_today", scope())

    # Inquiry 2, Orientation 1, Licensed 1, Withdrawn 1; the deleted one nowhere: 5.
    assert today.rows == list(zip(ALL_STAGES, [2, 1, 0, 0, 0, 1, 0, 0, 1, 0], strict=True))
    assert today.footer == ["Total", 5]
    assert today.chart is not None


def test_stages_today_follows_the_coach_filter_and_a_retired_stage_shows_while_used(world):
    history(make(world), ("inquiry", ny(2026, 2, 1)))
    history(make(world, coach="other_coach"), ("orientation", ny(2026, 2, 1)))
    history(make(world, coach=None), ("paused", ny(2026, 2, 1)))
    stage("orientation").active = False
    stage("preparing_application").active = False

    rows = dict(table("stages_today", scope(coach_id=world["coach"].id)).rows)
    assert rows["Inquiry"] == 1
    assert "Orientation" not in rows  # retired and empty for this coach
    assert "Preparing application" not in rows

    everyone = dict(table("stages_today", scope()).rows)
    assert everyone["Orientation"] == 1  # retired but someone is still in it
    assert dict(table("stages_today", scope(coach_id=0)).rows)["Paused"] == 1


def test_stage_names_are_in_the_readers_language(world):
    history(make(world), ("orientation", ny(2026, 2, 1)))
    spanish = table("stages_today", scope(), language="es")
    assert spanish.rows[1] == ("Orientación", 1)
    assert spanish.footer == ["Total", 1]


# --- The funnel -------------------------------------------------------------------------


def funnel_world(world):
    """Five providers first contacted in March (on its first and last days too), one the
    day before it and one deleted."""
    made = {
        # Still an inquiry: reached Inquiry only.
        "still_inquiry": history(make(world, date(2026, 3, 1)), ("inquiry", ny(2026, 3, 1))),
        # Reached Preparing application, then withdrew (a closed stage reaches nothing).
        "withdrew": history(
            make(world, date(2026, 3, 10)),
            ("inquiry", ny(2026, 3, 10)),
            ("orientation", ny(2026, 3, 12)),
            ("preparing_application", ny(2026, 3, 20)),
            ("withdrawn", ny(2026, 4, 2)),
        ),
        # Skipped straight to Application submitted: the stages before count as reached.
        "skipped": history(
            make(world, date(2026, 3, 31), coach="other_coach"),
            ("inquiry", ny(2026, 3, 31)),
            ("application_submitted", ny(2026, 4, 1)),
        ),
        # Licensed: reached every open stage up to Licensed.
        "licensed": history(
            make(world, date(2026, 3, 15)),
            ("inquiry", ny(2026, 3, 15)),
            ("orientation", ny(2026, 3, 16)),
            ("preparing_application", ny(2026, 3, 17)),
            ("application_submitted", ny(2026, 3, 18)),
            ("awaiting_inspection", ny(2026, 3, 19)),
            ("licensed", ny(2026, 3, 20)),
        ),
    }
    # Entered without a recorded history (an import): only the current stage tells.
    imported = make(world, date(2026, 3, 20))
    db.session.execute(delete(StageChange).where(StageChange.provider_id == imported.id))
    imported.stage = stage("orientation")
    made["imported"] = imported
    # Not in the group: first contacted the day before the period, or deleted.
    history(make(world, date(2026, 2, 28)), ("licensed", ny(2026, 3, 5)))
    deleted = history(make(world, date(2026, 3, 5)), ("licensed", ny(2026, 3, 6)))
    delete_provider(deleted, actor=world["manager"], reason="Duplicate")
    db.session.flush()
    return made


def test_the_funnel_counts_who_reached_each_open_stage_and_their_share(world):
    funnel_world(world)

    funnel = table("funnel", scope())

    # The group: still_inquiry, withdrew, skipped, licensed, imported = 5.
    # Inquiry: all 5. Orientation: withdrew, skipped, licensed, imported = 4.
    # Preparing: withdrew, skipped, licensed = 3. Submitted: skipped, licensed = 2.
    # Awaiting inspection and Licensed: licensed = 1. Active member: 0.
    assert [row[:2] for row in funnel.rows] == list(
        zip(OPEN_STAGES, [5, 4, 3, 2, 1, 1, 0], strict=True)
    )
    assert [row[2] for row in funnel.rows] == pytest.approx([1, 0.8, 0.6, 0.4, 0.2, 0.2, 0])
    assert "5 providers had their first contact from Mar 1, 2026 to Mar 31, 2026" in (
        funnel.description
    )
    assert funnel.chart is not None


def test_a_retired_stage_leaves_the_funnel_but_still_counts_as_passed(world):
    funnel_world(world)
    stage("application_submitted").active = False
    funnel = table("funnel", scope())
    # "skipped" stopped at the retired stage: still counted in the three stages before it.
    assert [row[:2] for row in funnel.rows] == [
        ("Inquiry", 5),
        ("Orientation", 4),
        ("Preparing application", 3),
        ("Awaiting inspection", 1),
        ("Licensed", 1),
        ("Active network member", 0),
    ]


def test_the_funnel_follows_the_coach_filter(world):
    funnel_world(world)
    # Only "skipped" is the other coach's: 1 reached Inquiry to Application submitted.
    funnel = table("funnel", scope(coach_id=world["other_coach"].id))
    assert [row[1] for row in funnel.rows] == [1, 1, 1, 1, 0, 0, 0]
    assert [row[2] for row in funnel.rows] == [1, 1, 1, 1, 0, 0, 0]


def test_an_empty_group_has_no_funnel(world):
    funnel_world(world)
    funnel = table("funnel", scope(Period(date(2025, 1, 1), date(2025, 12, 31))))
    assert funnel.rows == []
    assert funnel.chart is None
    assert "0 providers" in funnel.description


# --- Time in each stage -----------------------------------------------------------------


def time_rows(report_scope) -> dict[str, tuple]:
    return {row[0]: tuple(row[1:]) for row in table("time_in_stage", report_scope).rows}


def test_time_in_stage_takes_stays_that_ended_in_the_period_in_local_days(world):
    history(
        make(world),
        ("inquiry", ny(2026, 2, 20)),
        # 23:30 in New York is March 3 in UTC: Inquiry lasted Feb 20 -> Mar 2 = 10 days.
        ("orientation", ny(2026, 3, 2, 23, 30)),
        # March 31 at 23:30 (April 1 in UTC) still ends in March: Mar 2 -> Mar 31 = 29.
        ("preparing_application", ny(2026, 3, 31, 23, 30)),
        # Ends in April: not counted.
        ("application_submitted", ny(2026, 4, 5)),
    )
    history(
        make(world),
        # 00:30 on Feb 28 and on Mar 10 (after the change to summer time, Mar 8):
        # Feb 28 -> Mar 10 = 10 days (February 2026 has 28 days).
        ("inquiry", ny(2026, 2, 28, 0, 30)),
        ("orientation", ny(2026, 3, 10, 0, 30)),
        # Mar 10 -> Mar 20 = 10 days.
        ("withdrawn", ny(2026, 3, 20)),
    )
    history(
        make(world),
        # Mar 1 -> Mar 5 = 4 days; then a stay in Orientation still going on.
        ("inquiry", ny(2026, 3, 1, 0, 30)),
        ("orientation", ny(2026, 3, 5)),
    )
    history(
        make(world),
        # Jan 30 -> Mar 1 at 09:00 = 30 days (Jan 30 -> Feb 28 = 29, + 1).
        ("inquiry", ny(2026, 1, 30)),
        ("paused", ny(2026, 3, 1, 9)),
        # Paused Mar 1 -> Mar 1, later the same day: 0 days.
        ("inquiry", ny(2026, 3, 1, 17)),
    )
    history(
        make(world),
        # Ended Feb 28 at 23:30 (March 1 in UTC): February, not counted.
        ("inquiry", ny(2026, 2, 1)),
        ("orientation", ny(2026, 2, 28, 23, 30)),
    )
    deleted = history(make(world), ("inquiry", ny(2026, 2, 1)), ("paused", ny(2026, 3, 9)))
    delete_provider(deleted, actor=world["manager"], reason="Duplicate")

    rows = time_rows(scope())

    assert list(rows) == [*ALL_STAGES, "First contact to licensed"]
    # Inquiry: 10, 10, 4, 30 -> 4, 10, 10, 30. Median: position 1.5 -> 10 + 0.5 * 0 = 10.
    # 90th: position 0.9 * 3 = 2.7 -> 10 + 0.7 * (30 - 10) = 24.
    assert rows["Inquiry"] == (4, 10.0, pytest.approx(24.0))
    # Orientation: 29, 10 -> median 19.5; 90th 10 + 0.9 * 19 = 27.1.
    assert rows["Orientation"] == (2, 19.5, pytest.approx(27.1))
    # Paused: one stay of 0 days.
    assert rows["Paused"] == (1, 0.0, 0.0)
    assert rows["Preparing application"] == (0, None, None)
    assert rows["Withdrawn"] == (0, None, None)
    assert rows["First contact to licensed"] == (0, None, None)


def test_time_in_stage_follows_the_coach_filter(world):
    history(make(world), ("inquiry", ny(2026, 3, 1)), ("orientation", ny(2026, 3, 8)))
    history(
        make(world, coach="other_coach"),
        ("inquiry", ny(2026, 3, 1)),
        ("orientation", ny(2026, 3, 21)),
    )
    assert time_rows(scope(coach_id=world["coach"].id))["Inquiry"] == (1, 7.0, 7.0)
    # Both: 7 and 20 -> median 13.5, 90th 7 + 0.9 * 13 = 18.7.
    assert time_rows(scope())["Inquiry"] == (2, 13.5, pytest.approx(18.7))


def test_first_contact_to_licensed_counts_providers_first_licensed_in_the_period(world):
    # Dec 1 -> Mar 15 = 31 + 31 + 28 + 14 = 104 days; 23:30 on Mar 15 is Mar 16 in UTC.
    history(
        make(world, date(2025, 12, 1)),
        ("inquiry", ny(2025, 12, 1)),
        ("licensed", ny(2026, 3, 15, 23, 30)),
    )
    # Jan 10 -> Mar 31 = 21 + 28 + 31 = 80 days, licensed at 23:30 on Mar 31.
    history(
        make(world, date(2026, 1, 10)),
        ("inquiry", ny(2026, 1, 10)),
        ("licensed", ny(2026, 3, 31, 23, 30)),
    )
    # Licensed Feb 28 at 23:30 (March 1 in UTC): February.
    history(
        make(world, date(2026, 1, 10)),
        ("inquiry", ny(2026, 1, 10)),
        ("licensed", ny(2026, 2, 28, 23, 30)),
    )
    # First licensed in January; licensed again in March does not count.
    history(
        make(world, date(2025, 10, 1)),
        ("inquiry", ny(2025, 10, 1)),
        ("licensed", ny(2026, 1, 5)),
        ("paused", ny(2026, 2, 1)),
        ("licensed", ny(2026, 3, 20)),
    )
    # Went straight to Active network member (a licensed stage) on Mar 2:
    # Feb 20 -> Mar 2 = 10 days.
    history(
        make(world, date(2026, 2, 20), coach="other_coach"),
        ("inquiry", ny(2026, 2, 20)),
        ("active_member", ny(2026, 3, 2)),
    )

    # 10, 80, 104: median 80; 90th position 1.8 -> 80 + 0.8 * 24 = 99.2.
    assert time_rows(scope())["First contact to licensed"] == (3, 80.0, pytest.approx(99.2))
    # The first coach's: 80, 104 -> median 92, 90th 80 + 0.9 * 24 = 101.6.
    assert time_rows(scope(coach_id=world["coach"].id))["First contact to licensed"] == (
        2,
        92.0,
        pytest.approx(101.6),
    )


# --- Stalled providers ------------------------------------------------------------------


def stalled_world(world):
    """Today is 2026-06-30; 60 days before it is 2026-05-01."""
    made = {
        # 23:30 on Apr 30 (May 1 in UTC), never contacted: 61 days, stalled.
        "evening": history(
            make(world, legal_name="Eve Evening"), ("inquiry", ny(2026, 4, 30, 23, 30))
        ),
        # 00:30 on May 1: exactly 60 days, not stalled.
        "morning": history(
            make(world, legal_name="Mo Morning"), ("orientation", ny(2026, 5, 1, 0, 30))
        ),
        # Contacted 61 days ago: stalled.
        "old_contact": history(
            make(world, legal_name="Olga Old", coach="other_coach"),
            ("preparing_application", ny(2026, 1, 10)),
        ),
        # Contacted exactly 60 days ago: not stalled.
        "recent_contact": history(
            make(world, legal_name="Rita Recent"), ("preparing_application", ny(2026, 1, 10))
        ),
        # The only recent contact was deleted; the one before is Mar 1: stalled.
        "deleted_contact": history(
            make(world, legal_name="Dora Deleted", preferred_name="Dee"),
            ("preparing_application", ny(2026, 1, 10)),
        ),
        # Never contacted, no coach: stalled.
        "waiting": history(
            make(world, legal_name="Wanda Waiting", coach=None),
            ("awaiting_inspection", ny(2026, 2, 1)),
        ),
        # Licensed or closed: never stalled.
        "licensed": history(make(world, legal_name="Lena Licensed"), ("licensed", ny(2025, 1, 1))),
        "withdrawn": history(
            make(world, legal_name="Wes Withdrawn"), ("withdrawn", ny(2025, 1, 1))
        ),
    }
    contact(world, made["old_contact"], date(2026, 4, 30))
    contact(world, made["recent_contact"], date(2026, 5, 1))
    contact(world, made["deleted_contact"], date(2026, 3, 1))
    late = contact(world, made["deleted_contact"], date(2026, 5, 15))
    delete_contact(late, "Logged on the wrong record", actor=world["manager"])
    gone = history(make(world, legal_name="Gus Gone"), ("inquiry", ny(2025, 1, 1)))
    delete_provider(gone, actor=world["manager"], reason="Duplicate")
    return made


def test_stalled_lists_who_has_had_no_stage_change_and_no_contact_for_60_days(world):
    made = stalled_world(world)

    stalled = table("stalled", scope())

    # Longest without a stage change or a contact first (the later of the two):
    # waiting Feb 1; deleted_contact Mar 1; old_contact Apr 30 (stage Jan 10) before
    # evening Apr 30 (stage Apr 30). Days since the stage change to Jun 30:
    # Feb 1 -> 149 (28 + 31 + 30 + 31 + 29), Jan 10 -> 171 (21 + 28 + 31 + 30 + 31 + 30),
    # Apr 30 -> 61.
    assert stalled.rows == [
        ("Wanda Waiting", "Awaiting inspection", None, 149, None),
        ("Dee", "Preparing application", "Carla Coach", 171, date(2026, 3, 1)),
        ("Olga Old", "Preparing application", "Otto Coach", 171, date(2026, 4, 30)),
        ("Eve Evening", "Inquiry", "Carla Coach", 61, None),
    ]
    with current_app.test_request_context():
        assert stalled.links == [
            url_for("providers.detail", provider_id=made[name].id)
            for name in ["waiting", "deleted_contact", "old_contact", "evening"]
        ]
    assert "60 days" in stalled.description
    assert "whatever the period" in stalled.description


def test_stalled_takes_the_number_of_days_from_the_options_and_the_filters(world):
    stalled_world(world)
    # 30 days: quiet since May 31, so morning (May 1, 60 days) and recent_contact
    # (contacted May 1) join; morning's last sign is May 1 and recent's May 1 too, but
    # recent changed stage earlier (Jan 10) so comes first.
    names = [row[0] for row in table("stalled", scope(options={"stalled_days": 30})).rows]
    assert names == ["Wanda Waiting", "Dee", "Olga Old", "Eve Evening", "Rita Recent", "Mo Morning"]

    other = table("stalled", scope(coach_id=world["other_coach"].id))
    assert [row[0] for row in other.rows] == ["Olga Old"]


def test_the_stalled_list_is_capped_and_says_how_many_there_are(world, monkeypatch):
    stalled_world(world)
    monkeypatch.setattr(pipeline, "STALLED_LISTED", 2)
    stalled = table("stalled", scope())
    assert [row[0] for row in stalled.rows] == ["Wanda Waiting", "Dee"]
    assert "The 2 longest stalled of 4." in stalled.description


def test_nobody_stalled(world):
    history(make(world), ("inquiry", ny(2026, 6, 1)))
    stalled = table("stalled", scope())
    assert stalled.rows == []
    assert stalled.links == []


def test_the_town_filter_applies_to_every_table(world):
    bloomfield = {"town_id": factories.town("Bloomfield").id, "neighborhood_id": None}
    history(
        make(world, date(2026, 3, 2), legal_name="Bea Bloomfield", **bloomfield),
        ("inquiry", ny(2026, 3, 2)),
        ("orientation", ny(2026, 3, 9)),
    )
    history(
        make(world, date(2026, 3, 3), legal_name="Hal Hartford"),
        ("inquiry", ny(2026, 3, 3)),
        ("orientation", ny(2026, 3, 4)),
    )
    in_bloomfield = scope(town_id=bloomfield["town_id"])

    assert dict(table("stages_today", in_bloomfield).rows)["Orientation"] == 1
    assert dict(table("stages_today", scope()).rows)["Orientation"] == 2
    assert [row[1] for row in table("funnel", in_bloomfield).rows][:3] == [1, 1, 0]
    # Mar 2 -> Mar 9 = 7 days; the Hartford provider's 1-day inquiry is left out.
    assert time_rows(in_bloomfield)["Inquiry"] == (1, 7.0, 7.0)
    assert len(table("stalled", scope()).rows) == 2
    assert [row[0] for row in table("stalled", in_bloomfield).rows] == ["Bea Bloomfield"]


# --- The whole report -------------------------------------------------------------------


def count_queries(report_scope) -> int:
    executed = []

    def count(*_args):
        executed.append(1)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        with current_app.test_request_context():
            pipeline.build(report_scope)
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    return len(executed)


def add_providers(world, how_many: int):
    """Providers moved through the pipeline by the real services, each contacted."""
    steps = ["orientation", "preparing_application", "application_submitted"]
    for number in range(how_many):
        provider = make(world, local_today(), coach="coach" if number % 2 else "other_coach")
        for key in steps[: number % 4]:
            move_stage(provider, stage(key), actor=world["manager"])
        if number % 5 == 0:
            move_stage(
                provider,
                stage("licensed"),
                actor=world["manager"],
                license=LicenseDetails(f"L-{number}", local_today(), 6, 3),
            )
        contact(world, provider, local_today())
    db.session.flush()


def test_the_report_runs_the_same_number_of_queries_whatever_the_data(world):
    today = local_today()
    this_year = scope(Period(date(today.year, 1, 1), date(today.year, 12, 31)), today)
    add_providers(world, 3)
    few = count_queries(this_year)
    # One query per table, and one more for first contact to licensed.
    assert few == 5
    add_providers(world, 27)
    assert count_queries(this_year) == few
    with current_app.test_request_context():
        report = pipeline.build(this_year)
    # 30 providers all first contacted today; licensed: number 0 of the first three and
    # 0, 5, 10, 15, 20, 25 of the next 27 = 7.
    reached = {row[0]: row[1] for row in report.table("funnel").rows}
    assert reached["Inquiry"] == 30
    assert reached["Licensed"] == 7
    assert [t.key for t in report.tables] == ["stages_today", "funnel", "time_in_stage", "stalled"]


def test_the_page_shows_every_table_and_links_stalled_providers(app, client, auth, manager):
    with app.app_context():
        factories.ensure_defaults()
        actor = manager.load()
        provider = factories.create_provider(actor=actor, legal_name="Sally Stalled")
        history(provider, ("inquiry", ny(2025, 1, 2)), ("orientation", ny(2025, 2, 3)))
        db.session.commit()
        provider_id = provider.id
    auth.sign_in(manager)
    page = client.get("/reports/pipeline?preset=this_pd_year&stalled_days=30")
    assert page.status_code == 200
    body = page.get_data(as_text=True)
    for title in [
        "Providers in each stage today",
        "Funnel of providers first contacted in the period",
        "Time in each stage",
        "Stalled providers",
    ]:
        assert title in body
    assert f'href="/providers/{provider_id}"' in body
    assert "no contact in the last 30 days" in body
    csv = client.get("/reports/pipeline/stalled.csv?preset=this_pd_year")
    assert csv.status_code == 200
    assert "Sally Stalled" in csv.get_data(as_text=True)
