"""The compliance report: items overdue and due in 30/60/90 days by requirement, and the
most overdue ones, for the selected providers."""

from datetime import date, timedelta

import pytest
from sqlalchemy import select, update

from fccnet.auth.models import Role
from fccnet.credits.services import Period
from fccnet.database import utcnow
from fccnet.extensions import db
from fccnet.licensing.models import ChecklistItem, ItemStatus, Requirement
from fccnet.reports import compliance
from fccnet.reports.scope import ReportScope
from tests import factories
from tests.reports.conftest import counting_queries

TODAY = date(2026, 5, 20)
ANY_PERIOD = Period(date(2026, 1, 1), date(2026, 6, 30))


def set_item(
    provider, requirement_key, *, due_on=None, status=ItemStatus.NOT_STARTED, expires_on=None
):
    requirement_id = db.session.scalar(
        select(Requirement.id).where(Requirement.key == requirement_key)
    )
    item = db.session.scalar(
        select(ChecklistItem).where(
            ChecklistItem.provider_id == provider.id,
            ChecklistItem.requirement_id == requirement_id,
            ChecklistItem.household_member_id.is_(None),
        )
    )
    item.status, item.due_on, item.expires_on = status, due_on, expires_on


@pytest.fixture
def network(ctx):
    """Two Hartford providers of one coach and one in Bloomfield of nobody; every item is
    first cleared (no due date), then a few are given dates around TODAY."""
    factories.ensure_defaults()
    coach = factories.create_user(role=Role.COACH, name="Carla Coach").load()
    manager = factories.create_user(role=Role.MANAGER).load()
    ana = factories.create_provider(actor=manager, coach=coach, legal_name="Ana Arroyo")
    bea = factories.create_provider(actor=manager, coach=coach, legal_name="Bea Blanco")
    cruz = factories.create_provider(
        actor=manager,
        legal_name="Cruz Cortés",
        town_id=factories.town("Bloomfield").id,
        neighborhood_id=None,
    )
    db.session.execute(update(ChecklistItem).values(due_on=None, status=ItemStatus.NOT_STARTED))
    day = lambda days: TODAY + timedelta(days=days)  # noqa: E731
    set_item(ana, "orientation", due_on=day(-1))  # overdue by 1
    set_item(ana, "application", due_on=day(0))  # due today: within 30 days
    set_item(bea, "orientation", due_on=day(-30))  # overdue by 30
    set_item(bea, "application", due_on=day(31))  # 31 to 60
    set_item(cruz, "orientation", due_on=day(-5))  # overdue by 5
    # A done item counts by its expiry: 61 to 90 days.
    set_item(cruz, "application", status=ItemStatus.DONE, expires_on=day(90))
    db.session.commit()
    return coach, ana, bea, cruz


def rows_by_name(table):
    return {row[0]: tuple(row[1:]) for row in table.rows}


def test_items_are_counted_by_requirement_and_window(network, in_request):
    with in_request():
        report = compliance.build(ReportScope(period=ANY_PERIOD, today=TODAY))
    table = report.table("by_requirement")
    # orientation: overdue ana, bea, cruz = 3; application: today (ana) = 1 within 30,
    # bea +31 = 1 in 31-60, cruz expiring +90 = 1 in 61-90.
    assert rows_by_name(table) == {
        "Network orientation": (3, 0, 0, 0),
        "Application and fee": (0, 1, 1, 1),
    }
    assert list(table.footer[1:]) == [3, 1, 1, 1]


def test_the_most_overdue_come_first_with_their_days(network, in_request):
    with in_request():
        table = compliance.build(ReportScope(period=ANY_PERIOD, today=TODAY)).table("overdue")
    assert [(row[0], row[4]) for row in table.rows] == [
        ("Bea Blanco", 30),
        ("Cruz Cortés", 5),
        ("Ana Arroyo", 1),
    ]
    assert all(link.startswith("/providers/") for link in table.links)


def test_filters_and_a_coach_caseload_narrow_the_providers(network, in_request):
    coach, _ana, _bea, _cruz = network
    with in_request():
        bloomfield = compliance.build(
            ReportScope(period=ANY_PERIOD, today=TODAY, town_id=factories.town("Bloomfield").id)
        )
        caseload = compliance.build(ReportScope(period=ANY_PERIOD, today=TODAY, coach_id=coach.id))
    assert rows_by_name(bloomfield.table("by_requirement")) == {
        "Network orientation": (1, 0, 0, 0),
        "Application and fee": (0, 0, 0, 1),
    }
    assert [row[0] for row in caseload.table("overdue").rows] == ["Bea Blanco", "Ana Arroyo"]


def test_deleted_providers_do_not_count(network, in_request):
    _coach, _ana, bea, _cruz = network
    bea.deleted_at = utcnow()
    db.session.commit()
    with in_request():
        table = compliance.build(ReportScope(period=ANY_PERIOD, today=TODAY)).table("overdue")
    assert "Bea Blanco" not in [row[0] for row in table.rows]


def test_requirements_read_in_spanish(network, in_request):
    with in_request("es"):
        table = compliance.build(ReportScope(period=ANY_PERIOD, today=TODAY)).table(
            "by_requirement"
        )
    assert "Orientación de la red" in rows_by_name(table)


def test_the_query_count_does_not_grow_with_the_network(network, in_request):
    def queries() -> int:
        with in_request(), counting_queries() as count:
            compliance.build(ReportScope(period=ANY_PERIOD, today=TODAY))
        return count()

    before = queries()
    manager = factories.create_user(role=Role.MANAGER).load()
    for _ in range(5):
        provider = factories.create_provider(actor=manager)
        set_item(provider, "orientation", due_on=TODAY - timedelta(days=3))
    db.session.commit()
    assert queries() == before
