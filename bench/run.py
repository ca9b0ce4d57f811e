"""Server time and SQL query count of every page built so far, at two data sizes.

For each size N, seeds a throwaway database (SQLite, or the PostgreSQL database
given with --database-url, whose tables it creates and drops) with N accounts,
two audit events each, and N generated providers (households, stage history,
checklists, training history: about 15 credits each, sessions of up to 40, the
coming months' sessions, pending credits; and coaching: about 10 contacts and 5
action items each, goals; as `flask seed-demo --providers N` makes them). The
benchmark coach's caseload is made exactly CASELOAD providers, and one provider
gets a timeline of about TIMELINE_EVENTS events. It then prints each page's median
server time over REQUESTS requests and the queries it ran.
The last line is one JSON object with the figures.

    make bench            # or: .venv/bin/python -m bench.run --sizes 200 20000
"""

import argparse
import json
import statistics
import tempfile
import time
from collections import Counter
from pathlib import Path

from sqlalchemy import event, func, insert, select, text, update

from config import TestConfig, normalise_database_url
from fccnet import create_app
from fccnet.audit.models import AuditEvent
from fccnet.auth.models import Role, User, new_session_token
from fccnet.auth.passwords import hash_password
from fccnet.clock import local_date
from fccnet.coaching.demo import generate_coaching
from fccnet.coaching.models import ActionItem, Contact
from fccnet.coaching.timeline import timeline_events
from fccnet.database import utcnow
from fccnet.demo_scale import generate_providers, generate_training
from fccnet.extensions import db
from fccnet.licensing.models import Stage
from fccnet.providers.models import CoachAssignment, Provider, Town
from fccnet.training.models import (
    Credit,
    CreditStatus,
    Registration,
    RegistrationStatus,
    TrainingSession,
)

REQUESTS = 30
CASELOAD = 60  # the benchmark coach's providers
TIMELINE_EVENTS = 500  # about this many on the benchmark provider's timeline
# Timeline events per contact: itself, about half an action item made and (mostly) closed.
EVENTS_PER_CONTACT = 2.0
PAGES = [
    # (name, who is signed in, path); {placeholders} are filled in after seeding
    ("sign-in page", None, "/sign-in"),
    ("home (manager)", Role.MANAGER, "/"),
    ("home (coach, caseload 60)", Role.COACH, "/"),
    ("home (provider)", Role.PROVIDER, "/"),
    ("accounts list", Role.MANAGER, "/users"),
    ("accounts search", Role.MANAGER, "/users?q=user1"),
    ("accounts filtered", Role.MANAGER, "/users?role=coach&status=active"),
    ("audit log", Role.MANAGER, "/audit"),
    ("audit log by action", Role.MANAGER, "/audit?action=auth.signed_in"),
    ("audit log by person", Role.MANAGER, "/audit?who=user123"),
    ("providers list", Role.MANAGER, "/providers"),
    ("providers filtered", Role.MANAGER, "/providers?stage={licensed}&town={hartford}&overdue=y"),
    ("providers searched", Role.MANAGER, "/providers?q=mar"),
    ("provider page", Role.COACH, "/providers/{coach_provider}"),
    ("provider timeline (~500)", Role.COACH, "/providers/{timeline_provider}/timeline"),
    ("log a contact form", Role.COACH, "/providers/{coach_provider}/contacts/new"),
    ("caseload compliance", Role.COACH, "/compliance"),
    ("training record", Role.MANAGER, "/providers/{record_provider}/training"),
    ("training calendar month", Role.MANAGER, "/training/?month={busy_month}"),
    ("roster of 40", Role.MANAGER, "/training/sessions/{roster_session}/roster"),
    ("pending credits queue", Role.MANAGER, "/training/credits"),
    ("pipeline report", Role.MANAGER, "/reports/pipeline?preset=this_pd_year"),
    ("pipeline report (coach)", Role.COACH, "/reports/pipeline?preset=this_pd_year"),
    ("outcomes report", Role.MANAGER, "/reports/outcomes?preset=this_pd_year"),
    ("outcomes by town", Role.MANAGER, "/reports/outcomes?preset=last_6_months&town={hartford}"),
    ("training report", Role.MANAGER, "/reports/training?preset=this_pd_year"),
    ("coaching report", Role.MANAGER, "/reports/coaching?preset=this_pd_year"),
    ("coaching report (coach)", Role.COACH, "/reports/coaching?preset=this_pd_year"),
    ("compliance report", Role.MANAGER, "/reports/compliance"),
    ("data-partner export", Role.MANAGER, "/reports/partner?preset=this_pd_year"),
    ("report card", Role.MANAGER, "/reports/card"),
    ("report card PDF", Role.MANAGER, "/reports/card.pdf"),
    ("pipeline funnel CSV", Role.MANAGER, "/reports/pipeline/funnel.csv?preset=this_pd_year"),
]


def seed(size: int) -> dict[Role, str]:
    """`size` accounts (mostly providers) and two audit events per account."""
    password_hash = hash_password("benchmark passphrase")
    now = utcnow()
    # One coach per 50 accounts: caseloads near the network's 30-60 providers.
    roles = [Role.MANAGER, Role.COACH] + [Role.PROVIDER] * 48
    db.session.execute(
        insert(User),
        [
            {
                "email": f"user{n}@example.org",
                "name": f"User {n}",
                "role": roles[n % len(roles)],
                "language": "es" if n % 3 == 0 else "en",
                "password_hash": password_hash,
                "active": n % 17 != 0,
                "session_token": new_session_token(),
                "created_at": now,
                "updated_at": now,
            }
            for n in range(size)
        ],
    )
    ids = list(db.session.scalars(select(User.id)))
    db.session.execute(
        insert(AuditEvent),
        [
            {
                "action": action,
                "actor_id": user_id,
                "target_type": "users",
                "target_id": user_id,
                "occurred_at": now,
            }
            for user_id in ids
            for action in ("user.created", "auth.signed_in")
        ],
    )
    coach_ids = list(
        db.session.scalars(
            select(User.id).where(User.role == Role.COACH, User.active.is_(True)).order_by(User.id)
        )
    )
    generate_providers(size, coach_ids=coach_ids)
    arrange_caseload(coach_ids[0], coach_ids[1:])
    manager_ids = list(
        db.session.scalars(
            select(User.id)
            .where(User.role == Role.MANAGER, User.active.is_(True))
            .order_by(User.id)
        )
    )
    generate_training(trainer_ids=coach_ids + manager_ids, reviewer_id=manager_ids[0])
    long_history = timeline_provider()
    before = timeline_size(long_history)  # stage changes, checklist, attendance
    contacts = round((TIMELINE_EVENTS - before) / EVENTS_PER_CONTACT)
    generate_coaching(author_ids=coach_ids, contacts_for={long_history: contacts})
    db.session.commit()
    # The benchmark coach is the one whose caseload was arranged.
    return {
        role: db.session.scalar(
            select(User.session_token)
            .where(User.role == role, User.active.is_(True))
            .order_by(User.id)
            .limit(1)
        )
        for role in Role
    }


def arrange_caseload(coach_id: int, other_coach_ids: list[int]) -> None:
    """Exactly CASELOAD providers for the coach: the extra ones go to the other coaches,
    or the missing ones come from them."""
    caseload = list(
        db.session.scalars(
            select(Provider.id).where(Provider.coach_id == coach_id).order_by(Provider.id)
        )
    )
    if len(caseload) > CASELOAD:
        extra = caseload[CASELOAD:]
        moves = [(pid, other_coach_ids[i % len(other_coach_ids)]) for i, pid in enumerate(extra)]
    else:
        wanted = db.session.scalars(
            select(Provider.id)
            .where(Provider.coach_id != coach_id)
            .order_by(Provider.id)
            .limit(CASELOAD - len(caseload))
        )
        moves = [(pid, coach_id) for pid in wanted]
    for provider_id, to_coach in moves:
        db.session.execute(
            update(Provider).where(Provider.id == provider_id).values(coach_id=to_coach)
        )
        db.session.execute(
            update(CoachAssignment)
            .where(CoachAssignment.provider_id == provider_id)
            .values(to_coach_id=to_coach, assigned_by_id=to_coach)
        )
    caseload_size = select(func.count()).where(Provider.coach_id == coach_id)
    assert db.session.scalar(caseload_size) == CASELOAD


def timeline_provider() -> int:
    """An active member with the longest history (room for a long timeline)."""
    return db.session.scalar(
        select(Provider.id)
        .join(Stage, Provider.stage_id == Stage.id)
        .where(Stage.key == "active_member")
        .order_by(Provider.first_contact_on, Provider.id)
        .limit(1)
    )


def timeline_size(provider_id: int) -> int:
    """Entries on the provider's timeline (as staff see it)."""
    events = timeline_events(provider_id, staff=True)
    return db.session.scalar(select(func.count()).select_from(events))


def placeholders(tokens: dict[Role, str]) -> dict[str, int | str]:
    coach_id = db.session.scalar(select(User.id).where(User.session_token == tokens[Role.COACH]))
    credits = func.count(Credit.id)
    roster = func.count(Registration.id)
    busy_months = Counter(
        local_date(starts_at).strftime("%Y-%m")
        for starts_at in db.session.scalars(select(TrainingSession.starts_at))
    )
    return {
        "timeline_provider": timeline_provider(),
        "licensed": db.session.scalar(select(Stage.id).where(Stage.key == "licensed")),
        "hartford": db.session.scalar(select(Town.id).where(Town.name == "Hartford")),
        "coach_provider": db.session.scalar(
            select(Provider.id).where(Provider.coach_id == coach_id).limit(1)
        ),
        # A provider with about 15 credits (the average), the busiest month of the
        # calendar, and the latest past session with 40 people on its roster (attendance
        # taken: the form, the credits and the walk-in search).
        "record_provider": db.session.scalar(
            select(Credit.provider_id)
            .group_by(Credit.provider_id)
            .order_by(func.abs(credits - 15), Credit.provider_id)
            .limit(1)
        ),
        "busy_month": max(busy_months, key=lambda month: (busy_months[month], month)),
        "roster_session": db.session.scalar(
            select(Registration.session_id)
            .join(Registration.session)
            .where(
                Registration.status == RegistrationStatus.REGISTERED,
                Registration.walk_in.is_(False),
                TrainingSession.starts_at < utcnow(),
            )
            .group_by(Registration.session_id, TrainingSession.starts_at)
            .having(roster == 40)
            .order_by(TrainingSession.starts_at.desc(), Registration.session_id.desc())
            .limit(1)
        ),
    }


def measure(
    app, engine, tokens: dict[Role, str], values: dict[str, int]
) -> dict[str, dict[str, float]]:
    queries = {"count": 0}

    @event.listens_for(engine, "before_cursor_execute")
    def count(*_args):
        queries["count"] += 1

    results = {}
    for name, role, path_template in PAGES:
        path = path_template.format(**values)
        client = app.test_client()
        if role is not None:
            with client.session_transaction() as session:
                session["_user_id"] = tokens[role]
                session["_fresh"] = True
        for _ in range(3):  # warm up
            assert client.get(path).status_code == 200, (name, path)
        timings = []
        for _ in range(REQUESTS):
            queries["count"] = 0
            start = time.perf_counter()
            client.get(path)
            timings.append((time.perf_counter() - start) * 1000)
        results[name] = {
            "median_ms": round(statistics.median(timings), 2),
            "queries": queries["count"],
        }
    event.remove(engine, "before_cursor_execute", count)
    return results


def training_data(values: dict[str, int | str]) -> dict[str, int | str]:
    """How much the training pages have to show."""

    def count(query) -> int:
        return db.session.scalar(select(func.count()).select_from(query.subquery()))

    month = values["busy_month"]
    return {
        "sessions": count(select(TrainingSession.id)),
        "registrations": count(select(Registration.id)),
        "credits": count(select(Credit.id)),
        "pending credits": count(select(Credit.id).where(Credit.status == CreditStatus.PENDING)),
        "record credits": count(
            select(Credit.id).where(Credit.provider_id == values["record_provider"])
        ),
        "calendar month": month,
        "month sessions": sum(
            local_date(starts_at).strftime("%Y-%m") == month
            for starts_at in db.session.scalars(select(TrainingSession.starts_at))
        ),
    }


def coaching_data(tokens: dict[Role, str], values: dict[str, int | str]) -> dict[str, int]:
    """How much the coaching pages have to show."""
    coach_id = db.session.scalar(select(User.id).where(User.session_token == tokens[Role.COACH]))

    def count(model, *where) -> int:
        return db.session.scalar(select(func.count()).select_from(model).where(*where))

    return {
        "contacts": count(Contact),
        "action items": count(ActionItem),
        "caseload": count(Provider, Provider.coach_id == coach_id),
        "timeline events": timeline_size(values["timeline_provider"]),
    }


def settle(engine) -> None:
    """PostgreSQL: VACUUM ANALYZE the fresh data, as autovacuum does on a live database, so
    that the planner knows the tables' sizes and index-only scans can skip the heap."""
    if engine.dialect.name != "postgresql":
        return
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.execute(text("VACUUM ANALYZE"))


def reset_peak_memory() -> None:
    """Linux: start the process's peak resident size over from now (seeding is not serving)."""
    with open("/proc/self/clear_refs", "w") as clear_refs:
        clear_refs.write("5")


def peak_memory_mb() -> int:
    with open("/proc/self/status") as status:
        peak_kb = next(int(line.split()[1]) for line in status if line.startswith("VmHWM:"))
    return round(peak_kb / 1024)


def run(size: int, database_url: str | None) -> tuple[dict[str, dict[str, float]], dict]:
    with tempfile.TemporaryDirectory() as folder:
        url = normalise_database_url(database_url or f"sqlite:///{Path(folder) / 'bench.sqlite'}")
        app = create_app(TestConfig, SQLALCHEMY_DATABASE_URI=url, ARGON2_TIME_COST=1)
        with app.app_context():
            db.drop_all()
            db.create_all()
            tokens = seed(size)
            settle(db.engine)
            values = placeholders(tokens)
            data = {"training": training_data(values), "coaching": coaching_data(tokens, values)}
            engine = db.engine
        try:
            # Requests run outside the seeding context, each in its own, as when serving.
            reset_peak_memory()
            figures = measure(app, engine, tokens, values)
            data["peak_serving_mb"] = peak_memory_mb()
            return figures, data
        finally:
            with app.app_context():
                db.drop_all()
                db.engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[200, 20000])
    parser.add_argument("--database-url", default=None, help="PostgreSQL URL (default: SQLite)")
    args = parser.parse_args()

    figures, data = {}, {}
    for size in args.sizes:
        figures[size], data[size] = run(size, args.database_url)
        print(f"\n{size} accounts ({2 * size} audit events) and {size} providers")
        for domain, figures_of_domain in data[size].items():
            if not isinstance(figures_of_domain, dict):
                continue
            print(f"  {domain}: " + ", ".join(f"{k} {v}" for k, v in figures_of_domain.items()))
        print(f"  {'page':<24} {'median ms':>10} {'queries':>8}")
        for name, result in figures[size].items():
            print(f"  {name:<24} {result['median_ms']:>10.2f} {result['queries']:>8}")
    counts = {
        size: {name: r["queries"] for name, r in pages.items()} for size, pages in figures.items()
    }
    same = len({json.dumps(c, sort_keys=True) for c in counts.values()}) == 1
    print(f"\nquery counts independent of data size: {'yes' if same else 'NO'}")
    peak_mb = {size: data[size]["peak_serving_mb"] for size in args.sizes}
    print(f"peak memory of the process while serving the pages: {peak_mb} MB")
    print(
        json.dumps(
            {
                "database": "postgresql" if args.database_url else "sqlite",
                "pages": figures,
                "training_data": {size: d["training"] for size, d in data.items()},
                "coaching_data": {size: d["coaching"] for size, d in data.items()},
                "query_counts_constant": same,
                "peak_memory_mb": peak_mb,
            }
        )
    )


if __name__ == "__main__":
    main()
