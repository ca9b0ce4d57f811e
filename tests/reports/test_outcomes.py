"""The outcomes report: providers newly licensed in the period and their slots by town and by
neighborhood (with the Promise Zone group), licensed providers at the end of the period,
licenses expiring in the next 90 days. The network's zone is New York: a change at 23:30 on
June 30 is 03:30 UTC on July 1 and still counts in June."""

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select

from fccnet.auth.models import Role
from fccnet.credits.services import Period
from fccnet.database import utcnow
from fccnet.extensions import db
from fccnet.licensing.models import Stage, StageChange
from fccnet.reports import outcomes
from fccnet.reports.scope import ReportScope
from tests import factories
from tests.reports.conftest import counting_queries

FIRST_HALF = Period(date(2026, 1, 1), date(2026, 6, 30))
# Licenses expiring from this day to 90 days after it (September 29) are listed.
TODAY = date(2026, 7, 1)


def at(*parts) -> datetime:
    return datetime(*parts, tzinfo=UTC)


def history(provider, *changes: tuple[str, datetime]) -> None:
    """Stage changes (stage key, when) before the one the provider was created with (made
    now, after every period here); the provider ends in the last stage given."""
    stages = {stage.key: stage for stage in db.session.scalars(select(Stage))}
    for key, moment in changes:
        db.session.add(
            StageChange(provider_id=provider.id, to_stage_id=stages[key].id, changed_at=moment)
        )
    provider.stage_id = stages[changes[-1][0]].id


def licensed_provider(
    manager, name, town="Hartford", neighborhood=None, coach=None, **license_fields
):
    """A provider of `town` (and `neighborhood`) with these capacity and license fields."""
    provider = factories.create_provider(
        actor=manager,
        coach=coach,
        legal_name=name,
        town_id=factories.town(town).id,
        neighborhood_id=factories.neighborhood(neighborhood).id if neighborhood else None,
    )
    for field, value in license_fields.items():
        setattr(provider, field, value)
    return provider


@pytest.fixture
def network(ctx):
    factories.ensure_defaults()
    coach = factories.create_user(role=Role.COACH).load()
    manager = factories.create_user(role=Role.MANAGER).load()
    make = lambda *args, **kwargs: licensed_provider(manager, *args, **kwargs)  # noqa: E731
    ana = make(
        "Ana",
        neighborhood="Frog Hollow",
        capacity_full_time=6,
        capacity_school_age=3,
        license_expires_on=date(2026, 7, 1),  # today: listed
        coach=coach,
    )
    history(ana, ("licensed", at(2026, 3, 10, 15)))
    # 23:30 on June 30 in New York: licensed in the first half, and at its end.
    bea = make("Bea", neighborhood="Clay-Arsenal", capacity_full_time=4)
    history(bea, ("licensed", at(2026, 7, 1, 3, 30)))
    # 00:30 on July 1 in New York: the second half.
    cruz = make("Cruz", neighborhood="Northeast", capacity_full_time=6, capacity_school_age=3)
    history(cruz, ("licensed", at(2026, 7, 1, 4, 30)))
    # Licensed in December; becoming an active member in February is not a new license.
    dora = make(
        "Dora",
        town="Avon",
        capacity_full_time=5,
        capacity_school_age=2,
        license_expires_on=date(2026, 9, 29),  # today + 90: listed
    )
    history(dora, ("licensed", at(2025, 12, 15, 15)), ("active_member", at(2026, 2, 1, 15)))
    # Newly licensed in the half, withdrawn before its end.
    eva = make("Eva", town="Avon", capacity_full_time=6, license_expires_on=date(2026, 8, 1))
    history(eva, ("licensed", at(2026, 1, 20, 15)), ("withdrawn", at(2026, 5, 1, 15)))
    # Deleted: never counts.
    fay = make(
        "Fay",
        neighborhood="Frog Hollow",
        capacity_full_time=6,
        license_expires_on=date(2026, 8, 1),
    )
    history(fay, ("licensed", at(2026, 4, 1, 15)))
    fay.deleted_at = utcnow()
    # First licensed in 2025, paused, licensed again in April: licensed at the end, not new.
    gil = make(
        "Gil",
        town="Berlin",
        capacity_full_time=3,
        capacity_school_age=3,
        license_expires_on=date(2026, 9, 30),  # today + 91: not listed
    )
    history(
        gil,
        ("licensed", at(2025, 6, 1, 15)),
        ("paused", at(2025, 9, 1, 15)),
        ("licensed", at(2026, 4, 15, 15)),
    )
    # No capacity recorded: a new license with no slots.
    hal = make("Hal", neighborhood="Clay-Arsenal", license_expires_on=date(2026, 6, 30))
    history(hal, ("licensed", at(2026, 5, 5, 15)))
    db.session.commit()
    return {"coach": coach, "ana": ana, "dora": dora}


def build(**filters):
    return outcomes.build(ReportScope(period=FIRST_HALF, today=TODAY, **filters))


def rows_by_name(table):
    return {row[0]: tuple(row[1:]) for row in table.rows}


def test_newly_licensed_by_town_counts_first_licenses_in_the_period(network, in_request):
    with in_request():
        table = build().table("by_town")
    # Hartford: Ana (6 + 3), Bea (4 + none), Hal (none): 3, 10, 3. Avon: Eva (6 + none).
    # Not: Cruz (July 1 in New York), Dora and Gil (first licensed in 2025), Fay (deleted).
    assert rows_by_name(table) == {"Avon": (1, 6, 0), "Hartford": (3, 10, 3)}
    assert list(table.footer) == ["Total", 4, 16, 3]
    assert table.chart is not None


def test_newly_licensed_by_neighborhood_with_the_promise_zone_group(network, in_request):
    with in_request():
        table = build().table("by_neighborhood")
    # Clay-Arsenal: Bea (4 + 0) and Hal (0 + 0); Frog Hollow: Ana (6 + 3). The Promise Zone
    # (Clay-Arsenal, Northeast, Upper Albany) has Clay-Arsenal's only: Cruz is July's.
    assert [row[0] for row in table.rows] == [
        "Clay-Arsenal",
        "Frog Hollow",
        "North Hartford Promise Zone",
    ]
    assert rows_by_name(table) == {
        "Clay-Arsenal": (2, 4, 0),
        "Frog Hollow": (1, 6, 3),
        "North Hartford Promise Zone": (2, 4, 0),
    }
    # Each provider once: 2 + 1.
    assert list(table.footer) == ["Total", 3, 10, 3]


def test_licensed_at_the_end_is_the_stage_each_provider_was_in_then(network, in_request):
    with in_request():
        table = build().table("licensed_at_end")
    # At midnight ending June 30 in New York: Ana, Bea (licensed 23:30), Hal in Hartford;
    # Dora (active member) in Avon; Gil (licensed again) in Berlin. Not Cruz (00:30 July 1),
    # Eva (withdrawn), Fay (deleted).
    # Hartford slots: Ana 6 + 3, Bea 4 + 0, Hal 0 + 0 = 10 + 3 = 13.
    assert rows_by_name(table) == {
        "Avon": (1, 5, 2, 7),
        "Berlin": (1, 3, 3, 6),
        "Hartford": (3, 10, 3, 13),
    }
    assert list(table.footer) == ["Total", 5, 18, 8, 26]


def test_a_day_earlier_the_late_license_is_not_yet_counted(network, in_request):
    with in_request():
        report = outcomes.build(
            ReportScope(period=Period(date(2026, 1, 1), date(2026, 6, 29)), today=TODAY)
        )
    # Bea's license (June 30 in New York) falls out of both tables.
    assert rows_by_name(report.table("by_town"))["Hartford"] == (2, 6, 3)
    assert rows_by_name(report.table("licensed_at_end"))["Hartford"] == (2, 6, 3, 9)


def test_of_two_changes_at_the_same_moment_the_later_recorded_one_counts(network, in_request):
    manager = factories.create_user(role=Role.MANAGER).load()
    ivy = licensed_provider(manager, "Ivy", town="Bolton", capacity_full_time=2)
    same_moment = at(2026, 2, 1, 15)
    history(ivy, ("licensed", same_moment), ("withdrawn", same_moment))
    db.session.commit()
    with in_request():
        report = build()
    # First licensed on February 1 all the same; withdrawn at the end.
    assert rows_by_name(report.table("by_town"))["Bolton"] == (1, 2, 0)
    assert "Bolton" not in rows_by_name(report.table("licensed_at_end"))


def test_licenses_expiring_in_90_days_link_to_each_record(network, in_request):
    with in_request():
        table = build().table("expiring")
    # Ana today (0 days) and Dora on day 90. Not Gil (day 91), Hal (yesterday), Eva
    # (withdrawn, not licensed now), Fay (deleted).
    assert [row[0] for row in table.rows] == ["Ana", "Dora"]
    assert [row[3] for row in table.rows] == [date(2026, 7, 1), date(2026, 9, 29)]
    assert [row[4] for row in table.rows] == [0, 90]
    assert table.links == [
        f"/providers/{network['ana'].id}",
        f"/providers/{network['dora'].id}",
    ]
    assert table.description == ""


def test_a_long_expiring_list_is_cut_and_says_how_many_there_are(network, in_request, monkeypatch):
    monkeypatch.setattr(outcomes, "EXPIRING_LISTED", 1)
    with in_request():
        table = build().table("expiring")
    assert [row[0] for row in table.rows] == ["Ana"]
    assert table.description == "The 1 soonest of 2 licenses expiring."


def test_filters_narrow_every_table(network, in_request):
    with in_request():
        avon = build(town_id=factories.town("Avon").id)
        coached = build(coach_id=network["coach"].id)
    assert rows_by_name(avon.table("by_town")) == {"Avon": (1, 6, 0)}
    assert avon.table("by_neighborhood").rows == []
    assert rows_by_name(avon.table("licensed_at_end")) == {"Avon": (1, 5, 2, 7)}
    assert [row[0] for row in avon.table("expiring").rows] == ["Dora"]
    # The coach has Ana only.
    assert rows_by_name(coached.table("by_neighborhood")) == {
        "Frog Hollow": (1, 6, 3),
        "North Hartford Promise Zone": (0, 0, 0),
    }
    assert rows_by_name(coached.table("licensed_at_end")) == {"Hartford": (1, 6, 3, 9)}


def test_an_empty_period_says_so(network, in_request):
    with in_request():
        report = outcomes.build(
            ReportScope(period=Period(date(2024, 1, 1), date(2024, 6, 30)), today=TODAY)
        )
    for key in ("by_town", "by_neighborhood", "licensed_at_end"):
        table = report.table(key)
        assert table.rows == [] and table.footer is None and table.empty_message


def test_the_query_count_does_not_grow_with_the_network(network, in_request):
    with in_request(), counting_queries() as count:
        build()
    assert count() == 4


def test_the_report_page_shows_the_tables(app, client, auth, manager, network):
    auth.sign_in(manager)
    html = client.get(
        "/reports/outcomes",
        query_string={"preset": "custom", "start": "2026-01-01", "end": "2026-06-30"},
    ).get_data(as_text=True)
    assert "Newly licensed by town" in html
    assert "North Hartford Promise Zone" in html
    assert "/reports/outcomes/licensed_at_end.csv" in html
