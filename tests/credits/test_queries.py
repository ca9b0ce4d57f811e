"""Reading the training record: counted hours, the PD year, credentials held."""

from datetime import date, datetime, timedelta

import pytest

from fccnet.auth.models import Role
from fccnet.credits import queries
from fccnet.credits.queries import HeldCredential, held_credentials
from fccnet.credits.services import current_pd_year, pd_year
from fccnet.extensions import db
from fccnet.training.models import Credit, CreditSource, CreditStatus
from tests import factories
from tests.factories import HEALTH, attend, ckc_area, create_cpr_session, credential

pytestmark = pytest.mark.filterwarnings("error")

DEVELOPMENT = "Child Development and Learning"


@pytest.fixture
def setup(ctx):
    factories.ensure_defaults()
    coach = factories.create_user(role=Role.COACH).load()
    provider = factories.create_provider(actor=coach, coach=coach)
    other = factories.create_provider(actor=coach, coach=coach)
    return coach, provider, other


def add_credit(provider, taken_on, minutes=60, status=CreditStatus.APPROVED, **values) -> Credit:
    credit = Credit(
        provider_id=provider.id,
        source=CreditSource.EXTERNAL,
        title=values.pop("title", "Elsewhere"),
        organisation="College",
        taken_on=taken_on,
        minutes=minutes,
        ckc_area_id=values.pop("ckc_area", None) or ckc_area(HEALTH).id,
        status=status,
        **values,
    )
    db.session.add(credit)
    db.session.flush()
    return credit


def test_a_pd_year_runs_from_july_1_to_june_30():
    assert pd_year(date(2026, 6, 30), 7) == pd_year(date(2025, 7, 1), 7)
    assert pd_year(date(2025, 7, 1), 7).start == date(2025, 7, 1)
    assert pd_year(date(2025, 7, 1), 7).end == date(2026, 6, 30)
    assert pd_year(date(2026, 7, 1), 7).start == date(2026, 7, 1)


def test_current_pd_year_follows_the_setting(setup):
    assert current_pd_year(date(2026, 6, 30)).start == date(2025, 7, 1)
    assert current_pd_year(date(2026, 7, 1)).start == date(2026, 7, 1)


def test_only_approved_credits_inside_the_pd_year_count(setup):
    _coach, provider, other = setup
    development = ckc_area(DEVELOPMENT).id
    add_credit(provider, date(2025, 6, 30), minutes=600)  # the previous PD year
    add_credit(provider, date(2025, 7, 1), minutes=90)  # first day of this one
    add_credit(provider, date(2026, 6, 30), minutes=30, ckc_area=development)  # its last day
    add_credit(provider, date(2026, 7, 1), minutes=500)  # the next PD year
    add_credit(provider, date(2025, 8, 1), minutes=120, status=CreditStatus.PENDING)
    add_credit(
        provider,
        date(2025, 9, 1),
        minutes=240,
        status=CreditStatus.REJECTED,
        rejection_reason="Unreadable",
    )
    add_credit(other, date(2025, 10, 1), minutes=45)  # someone else's

    this_year = pd_year(date(2025, 12, 1), 7)
    by_area = queries.counted_minutes_by_area(provider.id, this_year)
    # In the areas' order (Child Development comes first).
    assert [(a.name_en, minutes) for a, minutes in by_area] == [(DEVELOPMENT, 30), (HEALTH, 90)]
    assert sum(minutes for _a, minutes in by_area) == 120

    last_year = pd_year(date(2025, 6, 30), 7)
    assert [m for _a, m in queries.counted_minutes_by_area(provider.id, last_year)] == [600]
    assert queries.counted_minutes_by_area(provider.id, pd_year(date(2030, 1, 1), 7)) == []


def test_a_session_on_june_30_belongs_to_the_previous_pd_year(setup):
    coach, provider, _other = setup
    # Local evening of June 30 is already July 1 in UTC: the network's date decides.
    june_30_evening = datetime.fromisoformat("2025-06-30T20:00:00-04:00")
    july_1_morning = datetime.fromisoformat("2025-07-01T09:00:00-04:00")
    for starts_at, title in ((june_30_evening, "June session"), (july_1_morning, "July session")):
        session = create_cpr_session(coach, starts_at=starts_at, title_en=title, minutes=60)
        attend(session, provider, coach)
    new_year = pd_year(date(2025, 7, 1), 7)
    old_year = pd_year(date(2025, 6, 30), 7)
    assert [m for _a, m in queries.counted_minutes_by_area(provider.id, new_year)] == [60]
    assert [m for _a, m in queries.counted_minutes_by_area(provider.id, old_year)] == [60]
    in_new = db.session.scalars(queries.list_credits(provider.id, new_year)).all()
    assert [c.registration.session.course.title_en for c in in_new] == ["July session"]


def test_list_credits_in_a_period_keeps_pending_and_rejected_newest_first(setup):
    _coach, provider, other = setup
    first = add_credit(provider, date(2025, 7, 1))
    pending = add_credit(provider, date(2025, 8, 1), status=CreditStatus.PENDING)
    rejected = add_credit(provider, date(2025, 9, 1), status=CreditStatus.REJECTED)
    add_credit(provider, date(2025, 6, 30))
    add_credit(other, date(2025, 8, 1))
    period = pd_year(date(2025, 7, 1), 7)
    found = db.session.scalars(queries.list_credits(provider.id, period)).all()
    assert [c.id for c in found] == [rejected.id, pending.id, first.id]
    assert len(db.session.scalars(queries.list_credits(provider.id)).all()) == 4


def test_held_credentials_take_the_latest_approved_credit_of_each(setup):
    _coach, provider, _other = setup
    cpr, first_aid = credential("CPR"), credential("First Aid")
    add_credit(
        provider, date(2022, 3, 1), credential_id=cpr.id, credential_expires_on=date(2024, 3, 1)
    )
    latest = add_credit(
        provider, date(2024, 2, 1), credential_id=cpr.id, credential_expires_on=date(2026, 2, 1)
    )
    # Newer, but not approved: it does not replace the approved one.
    add_credit(
        provider,
        date(2025, 1, 1),
        status=CreditStatus.PENDING,
        credential_id=cpr.id,
        credential_expires_on=date(2027, 1, 1),
    )
    add_credit(provider, date(2023, 5, 5), credential_id=first_aid.id, credential_expires_on=None)
    add_credit(provider, date(2025, 1, 1))  # no credential

    credits = db.session.scalars(queries.list_credits(provider.id)).all()
    held = held_credentials(credits)
    assert [(h.credential.name_en, h.earned_on, h.expires_on) for h in held] == [
        ("First Aid", date(2023, 5, 5), None),
        ("CPR", latest.taken_on, date(2026, 2, 1)),
    ]
    # The narrower query for the home page gives the same answer.
    narrow = db.session.scalars(queries.list_credential_credits(provider.id)).all()
    assert held_credentials(narrow) == held


@pytest.mark.parametrize(
    ("expires_in_days", "state"),
    [(-1, "expired"), (0, "expiring"), (1, "expiring"), (90, "expiring"), (91, "valid")],
)
def test_a_credential_is_expired_expiring_or_valid(setup, expires_in_days, state):
    today = date(2026, 3, 15)
    held = HeldCredential(credential("CPR"), date(2024, 3, 15), today + timedelta(expires_in_days))
    assert held.state(today) == state


def test_a_credential_that_never_expires_is_valid(setup):
    held = HeldCredential(credential("Care 4 Kids provider orientation"), date(2020, 1, 1), None)
    assert held.state(date(2040, 1, 1)) == "valid"


def test_pending_credits_are_listed_oldest_first(setup):
    _coach, provider, other = setup
    newer = add_credit(provider, date(2025, 7, 1), status=CreditStatus.PENDING)
    older = add_credit(other, date(2025, 9, 1), status=CreditStatus.PENDING)
    newer.created_at = datetime.fromisoformat("2025-10-02T12:00:00+00:00")
    older.created_at = datetime.fromisoformat("2025-10-01T12:00:00+00:00")
    add_credit(provider, date(2025, 7, 2))  # approved: not waiting
    db.session.flush()
    assert [c.id for c in db.session.scalars(queries.list_pending_credits())] == [
        older.id,
        newer.id,
    ]


def test_a_certificate_registration_is_found_only_under_its_own_provider(setup):
    coach, provider, other = setup
    session = create_cpr_session(coach)
    mine = attend(session, provider, coach)
    assert db.session.scalar(queries.load_certificate_registration(provider.id, mine.id)) is mine
    assert db.session.scalar(queries.load_certificate_registration(other.id, mine.id)) is None
    credit = db.session.scalar(queries.registration_credit(mine.id))
    assert credit.minutes == 180 and credit.credential.name_en == "CPR"
