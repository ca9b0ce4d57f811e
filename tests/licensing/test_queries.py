"""The compliance calendar and the overdue filter."""

from datetime import date, timedelta

from sqlalchemy import select

from fccnet.auth.models import Role
from fccnet.extensions import db
from fccnet.licensing import queries
from fccnet.licensing.models import ChecklistItem, ItemStatus
from fccnet.providers.queries import ProviderFilters, list_providers
from tests import factories

TODAY = date(2026, 11, 22)


def set_item(provider, key, **values):
    item = db.session.scalar(
        select(ChecklistItem)
        .join(ChecklistItem.requirement)
        .where(ChecklistItem.provider_id == provider.id)
        .where(ChecklistItem.requirement.has(key=key))
    )
    for name, value in values.items():
        setattr(item, name, value)
    db.session.flush()
    return item


def test_compliance_lists_overdue_and_coming_due_most_urgent_first(ctx):
    factories.ensure_defaults()
    coach = factories.create_user(role=Role.COACH).load()
    other = factories.create_user(role=Role.COACH).load()
    mine = factories.create_provider(actor=coach, coach=coach)
    theirs = factories.create_provider(actor=coach, coach=other)
    set_item(
        mine,
        "cpr",
        status=ItemStatus.DONE,
        completed_on=TODAY - timedelta(days=700),
        expires_on=TODAY + timedelta(days=20),
    )
    set_item(mine, "references", due_on=TODAY - timedelta(days=3))
    set_item(mine, "first_aid", status=ItemStatus.DONE, expires_on=TODAY + timedelta(days=200))
    set_item(
        mine,
        "application",
        status=ItemStatus.WAIVED,
        waived_reason="x",
        due_on=TODAY - timedelta(days=9),
    )
    set_item(theirs, "orientation", due_on=TODAY + timedelta(days=45))

    def keys(**kwargs):
        return [
            i.requirement.key
            for i in db.session.scalars(queries.list_compliance(today=TODAY, **kwargs))
        ]

    assert keys(coach_id=coach.id) == ["references", "cpr"]
    assert keys(coach_id=other.id) == ["orientation"]
    assert keys() == ["references", "cpr", "orientation"]
    assert keys(provider_id=theirs.id, days=30) == []

    overdue = list(db.session.scalars(list_providers(ProviderFilters(overdue=True), today=TODAY)))
    assert overdue == [mine]


def test_managers_choose_a_caseload_on_the_compliance_page(app, client, auth, manager):
    with app.app_context():
        factories.ensure_defaults()
        coach = factories.create_user(role=Role.COACH, name="Cora Coach")
        other = factories.create_user(role=Role.COACH, name="Otto Coach")
        mine = factories.create_provider(
            actor=coach.load(), coach=coach.load(), legal_name="Mine Person"
        )
        theirs = factories.create_provider(
            actor=coach.load(), coach=other.load(), legal_name="Theirs Person"
        )
        for provider in (mine, theirs):
            set_item(provider, "references", due_on=date.today() - timedelta(days=1))
        db.session.commit()
    auth.sign_in(manager)
    everyone = client.get("/compliance").get_data(as_text=True)
    assert "Mine Person" in everyone and "Theirs Person" in everyone
    one = client.get("/compliance", query_string={"coach": coach.id}).get_data(as_text=True)
    assert "Mine Person" in one and "Theirs Person" not in one
    auth.sign_out()
    auth.sign_in(other)
    own = client.get("/compliance", query_string={"coach": coach.id}).get_data(as_text=True)
    assert "Theirs Person" in own and "Mine Person" not in own
