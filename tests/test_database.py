"""Column types and query helpers behave the same on SQLite and PostgreSQL."""

import random
from datetime import UTC, date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import Date, literal, select, text

from fccnet.auth.models import User
from fccnet.auth.queries import list_users
from fccnet.database import _sqlite_local_day, days_between, month_start
from fccnet.extensions import db
from tests.factories import create_user


def names(search: str) -> list[str]:
    return list(db.session.scalars(list_users(search=search).with_only_columns(User.name)))


@pytest.mark.parametrize("search", ["ángela", "ÁNGELA", "núñez", "Ñ", "Angela"])
def test_search_is_case_insensitive_for_accented_letters(ctx, search):
    create_user(name="Ángela Núñez")
    create_user(name="Angela Smith")
    found = names(search)
    if search == "Angela":
        assert found == ["Angela Smith"]  # accents still matter
    else:
        assert "Ángela Núñez" in found


def test_like_wildcards_in_searches_are_literal(ctx):
    create_user(name="Ana 100% Real")
    create_user(name="Ana 1000 Real")
    create_user(name="Under_score")
    create_user(name="Underscore")
    assert names("100%") == ["Ana 100% Real"]
    assert names("r_s") == ["Under_score"]


def test_timestamps_come_back_in_utc(ctx):
    user = create_user().load()
    eastern = timezone(timedelta(hours=-5))
    user.last_sign_in_at = datetime(2026, 11, 22, 9, 30, tzinfo=eastern)
    db.session.commit()
    db.session.expire_all()
    stored = db.session.scalar(select(User.last_sign_in_at).where(User.id == user.id))
    assert stored == datetime(2026, 11, 22, 14, 30, tzinfo=UTC)
    assert stored.utcoffset() == timedelta(0)


def test_naive_timestamps_are_refused(ctx):
    user = create_user().load()
    user.last_sign_in_at = datetime(2026, 11, 22, 9, 30)
    with pytest.raises(Exception, match="naive"):
        db.session.flush()


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2026, 1, 1), date(2026, 1, 1)),
        (date(2026, 2, 28), date(2026, 2, 1)),
        (date(2024, 12, 31), date(2024, 12, 1)),
    ],
)
def test_month_start_is_the_first_of_the_month(ctx, day, expected):
    assert db.session.scalar(select(month_start(literal(day, Date())))) == expected


@pytest.mark.parametrize(
    ("later", "earlier", "days"),
    [
        (date(2026, 3, 1), date(2026, 2, 1), 28),
        (date(2024, 3, 1), date(2024, 2, 1), 29),
        (date(2026, 1, 1), date(2026, 1, 1), 0),
        (date(2025, 12, 31), date(2026, 1, 2), -2),
    ],
)
def test_days_between_counts_whole_days_across_months_and_leap_years(ctx, later, earlier, days):
    query = select(days_between(literal(later, Date()), literal(earlier, Date())))
    assert db.session.scalar(query) == days


def test_each_connection_is_configured_for_its_database(ctx):
    if db.engine.dialect.name == "postgresql":
        assert db.session.scalar(text("SHOW jit")) == "off"
    else:
        assert db.session.scalar(text("PRAGMA journal_mode")) == "wal"


@pytest.mark.parametrize(
    "zone_name", ["America/New_York", "Asia/Kolkata", "Australia/Lord_Howe", "UTC"]
)
def test_sqlite_local_day_agrees_with_the_zone_at_every_moment(zone_name):
    """The per-hour shortcut gives the exact local day, around midnights, daylight-saving
    changes and half-hour offsets included."""
    zone = ZoneInfo(zone_name)
    generator = random.Random(zone_name)
    start = datetime(2024, 1, 1, tzinfo=UTC)
    moments = [start + timedelta(seconds=generator.randrange(3 * 365 * 86400)) for _ in range(5000)]
    moments += [start + timedelta(minutes=15 * n) for n in range(4 * 24 * 400)]
    for moment in moments:
        stored = moment.strftime("%Y-%m-%d %H:%M:%S.%f")
        assert _sqlite_local_day(stored, zone_name) == moment.astimezone(zone).date().isoformat()
