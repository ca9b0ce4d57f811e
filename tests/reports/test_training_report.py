"""The training report: sessions held, seats and attendance, credit hours by CKC area and
by month, licensed providers short of the annual requirement, credentials expiring.

One small network, every figure worked out by hand below. The period is the professional
development year July 2025 to June 2026 (the default July-June year) and "today" its last
day; the network's zone is New York, so 03:30 UTC on July 1 is still June 30 there."""

import csv
import io
from datetime import UTC, date, datetime, timedelta
from types import SimpleNamespace

import pytest
from sqlalchemy import select

from fccnet.attendance.services import AttendanceMark, record_attendance
from fccnet.auth.models import Role
from fccnet.credits.services import Period, approve_credit, reject_credit
from fccnet.database import utcnow
from fccnet.extensions import db
from fccnet.licensing.models import Stage
from fccnet.providers.services import delete_provider
from fccnet.reports import training
from fccnet.reports.scope import ReportScope
from fccnet.settings.services import change_setting
from fccnet.training.models import Attendance, Registration
from fccnet.training.services import cancel_registration, cancel_session
from tests import factories
from tests.reports.conftest import counting_queries

PD_YEAR = Period(date(2025, 7, 1), date(2026, 6, 30))
TODAY = date(2026, 6, 30)
FIRST_AREA = "Child Development and Learning"  # the first CKC area: the course's
HEALTH = factories.HEALTH


def at(year, month, day, hour, minute=0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


def in_days(days: int) -> date:
    return TODAY + timedelta(days=days)


def scope(**filters) -> ReportScope:
    return ReportScope(period=PD_YEAR, today=TODAY, **filters)


def set_stage(provider, key: str) -> None:
    provider.stage = db.session.scalar(select(Stage).where(Stage.key == key))


def approved_credit(provider, manager, **fields):
    credit = factories.submit_credit(provider, manager, **fields)
    approve_credit(credit, actor=manager)
    return credit


@pytest.fixture
def network(ctx):
    """Providers (coach Carla's unless said): Ana (licensed), Bea (active member), Dora
    (inquiry); Cruz (licensed, Bloomfield), Fay and Gil (licensed), Eva (licensed, deleted
    at the end) have no coach.

    Sessions of a 3-hour course in the first CKC area, unless said:
    S1 2025-09-10: Ana attended, Bea partly (1 h), Cruz no-show, Dora registered and never
       marked, Eva attended. 10 seats.
    S2 2025-07-01 03:30 UTC = June 30 in New York: before the period. Ana attended.
    S3 2026-03-05: cancelled (Bea had registered). 8 seats.
    S4 2026-01-15, CPR (3 hours, Health): Ana and Cruz attended, Dora cancelled. 6 seats.
    S5 2026-07-01 03:30 UTC = June 30 in New York: in the period, nobody came. 5 seats.

    Credits from elsewhere (Health): Bea 2 h on 2026-06-30 (approved), Gil 10 h on
    2025-07-01 (approved), Dora 4 h on 2026-07-01 (approved, after the period), Cruz 1.5 h
    pending and 1 h rejected. Credentials are added by the tests that need them."""
    factories.ensure_defaults()
    manager = factories.create_user(role=Role.MANAGER).load()
    carla = factories.create_user(role=Role.COACH, name="Carla Coach").load()

    def provider(name, stage, coach=None, **fields):
        made = factories.create_provider(actor=manager, coach=coach, legal_name=name, **fields)
        set_stage(made, stage)
        return made

    ana = provider("Ana Arroyo", "licensed", carla)
    bea = provider("Bea Blanco", "active_member", carla)
    dora = provider("Dora Díaz", "inquiry", carla)
    bloomfield = {"town_id": factories.town("Bloomfield").id, "neighborhood_id": None}
    cruz = provider("Cruz Cortés", "licensed", **bloomfield)
    fay = provider("Fay Flores", "licensed")
    gil = provider("Gil Gómez", "licensed")
    eva = provider("Eva Estrada", "licensed")

    course = factories.create_course(manager, ckc_area=factories.ckc_area(FIRST_AREA))

    def session(starts_at, capacity, hours=3):
        return factories.create_session(
            course, actor=manager, starts_at=starts_at, hours=hours, capacity=capacity
        )

    s1 = session(at(2025, 9, 10, 14), 10)
    factories.register_before_start(s1, dora, actor=manager)
    factories.attend(s1, ana, manager)
    factories.attend(s1, bea, manager, Attendance.PARTIAL, minutes=60)
    factories.attend(s1, cruz, manager, Attendance.NO_SHOW)
    factories.attend(s1, eva, manager)

    s2 = session(at(2025, 7, 1, 3, 30), 10)
    factories.attend(s2, ana, manager)

    s3 = session(at(2026, 3, 5, 15), 8)
    factories.register_before_start(s3, bea, actor=manager)
    cancel_session(s3, actor=manager)

    s4 = factories.create_cpr_session(manager, starts_at=at(2026, 1, 15, 15))
    s4.capacity = 6
    dora_s4 = factories.register_before_start(s4, dora, actor=manager)
    cancel_registration(dora_s4, actor=manager, now=s4.starts_at - timedelta(hours=2))
    factories.attend(s4, ana, manager)
    factories.attend(s4, cruz, manager)

    session(at(2026, 7, 1, 3, 30), 5, hours=1)

    approved_credit(bea, manager, taken_on=date(2026, 6, 30), minutes=120)
    approved_credit(gil, manager, taken_on=date(2025, 7, 1), minutes=600)
    approved_credit(dora, manager, taken_on=date(2026, 7, 1), minutes=240)
    factories.submit_credit(cruz, manager, taken_on=date(2025, 12, 2), minutes=90)
    rejected = factories.submit_credit(cruz, manager, taken_on=date(2026, 2, 10), minutes=60)
    reject_credit(rejected, "No certificate", actor=manager)

    delete_provider(eva, actor=manager, reason="Duplicate record")
    db.session.commit()
    return SimpleNamespace(
        manager=manager, carla=carla, ana=ana, bea=bea, cruz=cruz, dora=dora, fay=fay,
        gil=gil, eva=eva, s1=s1, bloomfield=bloomfield["town_id"],
    )  # fmt: skip


def build(in_request, report_scope=None, language="en"):
    with in_request(language):
        return training.build(report_scope or scope())


def test_sessions_and_seats_are_the_networks_while_attendance_follows_the_filters(
    network, in_request
):
    report = build(in_request)
    # Held: S1, S4, S5 (S2 began June 30 in New York, S3 was cancelled): 3 sessions,
    # 10 + 6 + 5 = 21 seats. Filled: S1 Ana, Bea, Cruz, Dora (Eva's record is deleted)
    # and S4 Ana, Cruz (Dora cancelled) = 6; attended or partly: S1 Ana, Bea and S4 Ana,
    # Cruz = 4 of 6. Trained in the period: Ana, Bea, Cruz, Gil = 4. Hours: Ana 3 + 3,
    # Bea 1 + 2, Cruz 3, Gil 10 = 22 h = 1320 minutes (Dora's are after the period,
    # Cruz's pending and rejected ones do not count).
    [row] = report.table("summary").rows
    assert row[:3] == (3, 21, 6)
    assert row[3] == pytest.approx(4 / 6)
    assert row[4:] == (4, 1320)

    carla = build(in_request, scope(coach_id=network.carla.id)).table("summary")
    # Carla's providers: S1 Ana, Bea, Dora and S4 Ana = 4 seats, attended by Ana twice
    # and Bea = 3 of 4; trained Ana and Bea; hours 6 + 3 = 9 h = 540 minutes. Sessions
    # and seats offered stay the network's.
    [row] = carla.rows
    assert row == (3, 21, 4, 0.75, 2, 540)
    assert "whatever the filters" in carla.description


def test_credit_hours_by_area_with_a_total_and_by_month(network, in_request):
    report = build(in_request)
    by_area = report.table("by_area")
    # First area: Ana 180 + Bea 60 = 240 minutes, 2 credits. Health: Ana 180 (CPR), Cruz
    # 180 (CPR), Bea 120, Gil 600 = 1080 minutes, 4 credits. Total 1320 minutes, 6.
    assert by_area.rows == [(FIRST_AREA, 240, 2), (HEALTH, 1080, 4)]
    assert list(by_area.footer[1:]) == [1320, 6]
    assert by_area.chart is not None

    by_month = report.table("by_month")
    # July 2025 to June 2026: Gil's 600 in July, S1's 240 in September, S4's 360 in
    # January, Bea's 120 on June 30; 0 in the other months.
    assert by_month.rows == [
        ("July 2025", 600),
        ("August 2025", 0),
        ("September 2025", 240),
        ("October 2025", 0),
        ("November 2025", 0),
        ("December 2025", 0),
        ("January 2026", 360),
        ("February 2026", 0),
        ("March 2026", 0),
        ("April 2026", 0),
        ("May 2026", 0),
        ("June 2026", 120),
    ]


def test_areas_and_months_read_in_spanish(network, in_request):
    report = build(in_request, language="es")
    assert [row[0] for row in report.table("by_area").rows] == [
        "Desarrollo y aprendizaje infantil",
        "Salud, seguridad y nutrición",
    ]
    assert report.table("by_month").rows[0] == ("julio de 2025", 600)


def test_months_stop_at_today_and_a_period_without_credits_is_empty(network, in_request):
    # A period running past today (July 20, 2025 here) shows its months up to today's.
    july_20 = date(2025, 7, 20)
    july = ReportScope(period=Period(date(2025, 7, 1), date(2025, 12, 31)), today=july_20)
    assert build(in_request, july).table("by_month").rows == [("July 2025", 600)]

    empty = build(
        in_request, ReportScope(period=Period(date(2024, 1, 1), date(2024, 1, 31)), today=TODAY)
    )
    assert empty.table("summary").rows == [(0, 0, 0, None, 0, 0)]
    assert empty.table("by_area").rows == [] and empty.table("by_area").footer is None
    assert empty.table("by_area").chart is None
    assert empty.table("by_month").rows == []


def test_licensed_providers_short_of_the_pd_year_most_missing_first(network, in_request):
    table = build(in_request).table("below_requirement")
    # 10 hours (600 minutes) in July 2025 - June 2026, licensed providers only (Dora is
    # at inquiry, Eva deleted): Fay 0 (600 missing); Bea 1 + 2 = 180 (420), counting
    # June 30; Cruz 180 (420); Ana 180 + 180 = 360 (240), not counting S2 on June 30,
    # 2025. Gil has exactly 600 from July 1, 2025: not short.
    assert table.rows == [
        ("Fay Flores", 0, 600),
        ("Bea Blanco", 180, 420),
        ("Cruz Cortés", 180, 420),
        ("Ana Arroyo", 360, 240),
    ]
    assert table.links == [
        f"/providers/{provider.id}"
        for provider in (network.fay, network.bea, network.cruz, network.ana)
    ]
    assert table.description.startswith("4 licensed providers have fewer than 10 approved")
    assert "Jul 1, 2025 to Jun 30, 2026" in table.description


def test_the_pd_year_and_the_hours_follow_the_settings(network, in_request):
    change_setting("pd_year_start_month", 1, actor=network.manager)
    change_setting("pd_annual_hours", 4, actor=network.manager)
    db.session.commit()
    table = build(in_request).table("below_requirement")
    # The year holding June 30, 2026 is now calendar 2026; 4 hours = 240 minutes. In it:
    # Ana 180 (S4), Bea 120 (June 30), Cruz 180 (S4), Fay 0, Gil 0 (his 600 are in 2025).
    assert table.rows == [
        ("Fay Flores", 0, 240),
        ("Gil Gómez", 0, 240),
        ("Bea Blanco", 120, 120),
        ("Ana Arroyo", 180, 60),
        ("Cruz Cortés", 180, 60),
    ]
    assert "Jan 1, 2026 to Dec 31, 2026" in table.description


def test_the_list_of_providers_short_of_hours_is_capped_with_the_full_count(
    network, in_request, monkeypatch
):
    monkeypatch.setattr(training, "BELOW_REQUIREMENT_LISTED", 2)
    table = build(in_request).table("below_requirement")
    assert [row[0] for row in table.rows] == ["Fay Flores", "Bea Blanco"]
    assert table.description.startswith("4 licensed providers")
    assert table.description.endswith("The first 2 are listed.")

    carla = build(in_request, scope(coach_id=network.carla.id)).table("below_requirement")
    assert [row[0] for row in carla.rows] == ["Bea Blanco", "Ana Arroyo"]
    assert carla.description.startswith("2 licensed providers")
    assert "listed" not in carla.description


def test_credentials_held_are_counted_by_when_they_expire(network, in_request):
    held = factories.add_held_credential
    held(network.ana, "First Aid", in_days(20), taken_on=date(2024, 7, 20))
    held(network.bea, "First Aid", in_days(30), taken_on=date(2024, 7, 30))
    held(network.gil, "First Aid", in_days(0), taken_on=date(2024, 6, 30))
    held(network.cruz, "First Aid", in_days(90), taken_on=date(2024, 9, 28))
    held(network.fay, "First Aid", in_days(91), taken_on=date(2024, 9, 29))
    held(network.eva, "First Aid", in_days(5), taken_on=date(2024, 7, 5))
    # Dora renewed her First Aid: the one expiring in 10 days is no longer held.
    held(network.dora, "First Aid", in_days(10), taken_on=date(2024, 7, 10))
    held(network.dora, "First Aid", date(2027, 6, 15), taken_on=date(2025, 6, 15))
    held(network.bea, "CPR", in_days(31), taken_on=date(2024, 7, 31))
    # A newer CPR still waiting for approval does not replace Bea's.
    factories.submit_credit(
        network.bea, network.manager, taken_on=date(2026, 6, 1), credential=factories.credential()
    )
    held(network.gil, "CPR", in_days(60), taken_on=date(2024, 8, 29))
    # Cruz's CPR was renewed at S4 (January 2026, valid until January 2028).
    held(network.cruz, "CPR", in_days(45), taken_on=date(2024, 8, 14))
    # Two CPR credits of one day: the later one, which never expires, is the one held.
    held(network.fay, "CPR", in_days(32), taken_on=date(2024, 8, 1))
    held(network.fay, "CPR", None, taken_on=date(2024, 8, 1))
    held(network.dora, "CPR", in_days(-1), taken_on=date(2024, 6, 29))
    db.session.commit()

    table = build(in_request).table("credentials_expiring")
    # First Aid within 30 days: Ana (20), Bea (30), Gil (today); in 61 to 90: Cruz (90).
    # Not Fay's (91 days), Eva's (deleted record) or Dora's (renewed). CPR in 31 to 60:
    # Bea (31), Gil (60). Not Cruz's (renewed), Fay's (her latest never expires), Dora's
    # (expired yesterday), nor Ana's from S4 (January 2028).
    assert table.rows == [("First Aid", 3, 0, 1), ("CPR", 0, 2, 0)]
    assert list(table.footer[1:]) == [3, 2, 1]

    bloomfield = scope(town_id=network.bloomfield)
    assert build(in_request, bloomfield).table("credentials_expiring").rows == [
        ("First Aid", 0, 0, 1)  # Cruz's
    ]


def test_a_session_not_over_yet_is_not_held(network, in_request):
    course = factories.create_course(network.manager)
    now = utcnow().replace(microsecond=0)
    under_way = factories.create_session(
        course, actor=network.manager, starts_at=now - timedelta(hours=1), capacity=4
    )
    factories.attend(under_way, network.ana, network.manager)
    ended = factories.create_session(
        course, actor=network.manager, starts_at=now - timedelta(hours=4), capacity=7
    )
    factories.attend(ended, network.bea, network.manager, Attendance.NO_SHOW)
    db.session.commit()
    around_now = ReportScope(
        period=Period(now.date() - timedelta(days=3), now.date() + timedelta(days=3)),
        today=now.date(),
    )
    # Only the session that ended counts: 1 held, 7 seats, Bea's seat, no attendance.
    [row] = build(in_request, around_now).table("summary").rows
    assert row[:4] == (1, 7, 1, 0.0)


def test_a_corrected_attendance_changes_the_figures(network, in_request):
    bea_at_s1 = db.session.scalar(
        select(Registration).where(
            Registration.session_id == network.s1.id, Registration.provider_id == network.bea.id
        )
    )
    record_attendance(
        network.s1, [AttendanceMark(bea_at_s1.id, Attendance.NO_SHOW)], actor=network.manager
    )
    db.session.commit()
    [row] = build(in_request).table("summary").rows
    # Bea's partial hour becomes a no-show: her seat stays (6), attended 3 of 6 (Ana
    # twice, Cruz); still 4 trained (Bea has her 2 hours of June 30); 1320 - 60 = 1260.
    assert row[2:] == (6, 0.5, 4, 1260)


def test_the_query_count_does_not_grow_with_the_data(network, in_request):
    def queries() -> int:
        with in_request(), counting_queries() as count:
            training.build(scope())
        return count()

    before = queries()
    course = factories.create_course(network.manager, ckc_area=factories.ckc_area(position=3))
    for number in range(3):
        newcomer = factories.create_provider(actor=network.manager)
        set_stage(newcomer, "licensed")
        extra = factories.create_session(
            course, actor=network.manager, starts_at=at(2025, 10, 1 + number, 14)
        )
        factories.attend(extra, newcomer, network.manager)
        factories.add_held_credential(newcomer, "CPR", in_days(40), taken_on=date(2024, 8, 9))
    db.session.commit()
    assert queries() == before


def test_the_page_shows_every_table_and_each_downloads_as_csv(client, auth, network):
    auth.sign_in(factories.create_user(role=Role.MANAGER))
    query = {"preset": "custom", "start": "2025-07-01", "end": "2026-06-30"}
    page = client.get("/reports/training", query_string=query)
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    for key in ("summary", "by_area", "by_month", "below_requirement", "credentials_expiring"):
        assert f"/reports/training/{key}.csv" in html
    assert f'href="/providers/{network.fay.id}"' in html

    response = client.get("/reports/training/by_area.csv", query_string=query)
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))
    # Hours with one decimal: 240 minutes = 4.0 h, 1080 = 18.0 h, 1320 = 22.0 h.
    assert rows == [
        ["CKC area", "Credit hours", "Credits"],
        [FIRST_AREA, "4.0", "2"],
        [HEALTH, "18.0", "4"],
        ["Total", "22.0", "6"],
    ]
