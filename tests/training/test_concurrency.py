"""The last seat is claimed atomically: many people registering (or cancelling) at the
same moment, each in its own thread, app context, database session and connection.

Every thread waits at a barrier and then calls the service at once, as concurrent
requests would. The rows are committed first (the threads cannot see the test's
uncommitted work) and deleted by the `app` fixture afterwards like any test's rows.
"""

import threading
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from config import TestConfig
from fccnet.audit.models import AuditEvent
from fccnet.auth.models import Role, User
from fccnet.database import utcnow
from fccnet.extensions import db
from fccnet.providers.models import Provider
from fccnet.training import services
from fccnet.training.models import Registration, RegistrationStatus, TrainingSession
from tests import factories

CAPACITY = 5
PROVIDERS = 24
WAITING = 10
JOIN_TIMEOUT = 120


@pytest.fixture
def concurrent_app(app, make_app):
    """An app on the test database whose pool holds a connection for every thread, so
    that all of them are inside their transaction at the same time (the shared app's
    pool of 5 + 10 would make the last threads wait for a connection instead)."""
    options = {
        **TestConfig.SQLALCHEMY_ENGINE_OPTIONS,
        "pool_size": PROVIDERS + 2,
        "max_overflow": 0,
        "pool_timeout": JOIN_TIMEOUT,
    }
    return make_app(SQLALCHEMY_ENGINE_OPTIONS=options)


def build_world(app, providers: int) -> dict:
    """A future session with CAPACITY seats, a manager and `providers` providers, committed."""
    with app.app_context():
        factories.ensure_defaults()
        manager = factories.create_user(role=Role.MANAGER).load()
        course = factories.create_course(manager, title_en="CPR", title_es="RCP")
        session = factories.create_session(
            course,
            actor=manager,
            starts_at=utcnow() + timedelta(days=5),
            capacity=CAPACITY,
            location="Community room",
            trainer=manager,
        )
        provider_ids = [factories.create_provider(actor=manager).id for _ in range(providers)]
        db.session.commit()
        world = {"manager_id": manager.id, "session_id": session.id, "provider_ids": provider_ids}
        db.session.remove()
        return world


def run_at_once(app, jobs) -> tuple[list, list]:
    """Run each job (a function of no arguments, called inside its own app context) in
    its own thread, all released together; returns (results, errors)."""
    barrier = threading.Barrier(len(jobs))
    results: list = [None] * len(jobs)
    errors: list = []

    def worker(index, job):
        try:
            with app.app_context():
                try:
                    barrier.wait(timeout=JOIN_TIMEOUT)
                    results[index] = job()
                    db.session.commit()
                except BaseException:
                    db.session.rollback()
                    raise
        except BaseException as exc:  # reported by the test
            errors.append((index, repr(exc)))

    threads = [
        threading.Thread(target=worker, args=(index, job), daemon=True)
        for index, job in enumerate(jobs)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(JOIN_TIMEOUT)
    assert not any(thread.is_alive() for thread in threads), "a thread did not finish"
    return results, errors


def registration_statuses(session_id: int) -> dict[int, RegistrationStatus]:
    return dict(
        db.session.execute(
            select(Registration.provider_id, Registration.status).where(
                Registration.session_id == session_id
            )
        ).all()
    )


def seats_taken(session_id: int) -> int:
    return db.session.scalar(
        select(TrainingSession.seats_taken).where(TrainingSession.id == session_id)
    )


def test_concurrent_registrations_never_overbook(app, concurrent_app):
    world = build_world(app, PROVIDERS)
    session_id, manager_id = world["session_id"], world["manager_id"]

    def registering(provider_id):
        def job():
            session = db.session.get(TrainingSession, session_id)
            provider = db.session.get(Provider, provider_id)
            actor = db.session.get(User, manager_id)
            return services.register(session, provider, actor=actor).status

        return job

    jobs = [registering(provider_id) for provider_id in world["provider_ids"]]
    assert len(jobs) >= 20
    results, errors = run_at_once(concurrent_app, jobs)

    assert errors == []
    assert results.count(RegistrationStatus.REGISTERED) == CAPACITY
    assert results.count(RegistrationStatus.WAITLISTED) == PROVIDERS - CAPACITY
    with app.app_context():
        found = registration_statuses(session_id)
        assert set(found) == set(world["provider_ids"])  # one row each
        assert list(found.values()).count(RegistrationStatus.REGISTERED) == CAPACITY
        assert list(found.values()).count(RegistrationStatus.WAITLISTED) == PROVIDERS - CAPACITY
        assert seats_taken(session_id) == CAPACITY
        # Each thread saw what it got: the same people are registered in the database.
        winners = {
            provider_id
            for provider_id, status in zip(world["provider_ids"], results, strict=True)
            if status is RegistrationStatus.REGISTERED
        }
        assert winners == {
            provider_id
            for provider_id, status in found.items()
            if status is RegistrationStatus.REGISTERED
        }
        created = db.session.scalar(
            select(func.count())
            .select_from(AuditEvent)
            .where(AuditEvent.action == "registration.created")
        )
        assert created == PROVIDERS


def test_concurrent_cancellations_promote_each_waiting_person_once(app, concurrent_app):
    world = build_world(app, CAPACITY + WAITING)
    session_id, manager_id = world["session_id"], world["manager_id"]
    provider_ids = world["provider_ids"]
    with app.app_context():
        session = db.session.get(TrainingSession, session_id)
        actor = db.session.get(User, manager_id)
        start = utcnow()
        registration_ids = [
            services.register(
                session,
                db.session.get(Provider, provider_id),
                actor=actor,
                now=start + timedelta(seconds=index),
            ).id
            for index, provider_id in enumerate(provider_ids)
        ]
        db.session.commit()
        found = registration_statuses(session_id)
        assert [found[p] for p in provider_ids] == (
            [RegistrationStatus.REGISTERED] * CAPACITY + [RegistrationStatus.WAITLISTED] * WAITING
        )
        db.session.remove()

    def cancelling(registration_id):
        def job():
            registration = db.session.get(Registration, registration_id)
            actor = db.session.get(User, manager_id)
            return [r.provider_id for r in services.cancel_registration(registration, actor=actor)]

        return job

    jobs = [cancelling(registration_id) for registration_id in registration_ids[:CAPACITY]]
    results, errors = run_at_once(concurrent_app, jobs)

    assert errors == []
    promoted = [provider_id for moved in results for provider_id in moved]
    first_waiting = provider_ids[CAPACITY : 2 * CAPACITY]
    assert sorted(promoted) == sorted(first_waiting)  # each one exactly once
    with app.app_context():
        found = registration_statuses(session_id)
        assert [found[p] for p in provider_ids] == (
            [RegistrationStatus.CANCELLED] * CAPACITY
            + [RegistrationStatus.REGISTERED] * CAPACITY
            + [RegistrationStatus.WAITLISTED] * (WAITING - CAPACITY)
        )
        assert seats_taken(session_id) == CAPACITY
        events = db.session.scalars(
            select(AuditEvent).where(AuditEvent.action == "registration.promoted")
        ).all()
        assert sorted(event.details["provider_id"] for event in events) == sorted(first_waiting)


def test_the_same_registration_cancelled_twice_at_once_frees_one_seat(app, concurrent_app):
    """A double click on "Cancel" (or the provider and their coach at the same moment)."""
    world = build_world(app, CAPACITY + 3)
    session_id, manager_id = world["session_id"], world["manager_id"]
    with app.app_context():
        session = db.session.get(TrainingSession, session_id)
        actor = db.session.get(User, manager_id)
        start = utcnow()
        first = services.register(
            session, db.session.get(Provider, world["provider_ids"][0]), actor=actor, now=start
        ).id
        for index, provider_id in enumerate(world["provider_ids"][1:], start=1):
            services.register(
                session,
                db.session.get(Provider, provider_id),
                actor=actor,
                now=start + timedelta(seconds=index),
            )
        db.session.commit()
        db.session.remove()

    def cancelling():
        registration = db.session.get(Registration, first)
        actor = db.session.get(User, manager_id)
        return [r.provider_id for r in services.cancel_registration(registration, actor=actor)]

    results, errors = run_at_once(concurrent_app, [cancelling, cancelling])

    # One succeeds and promotes the first waiting; the other is told it was already done.
    assert len(errors) == 1 and "DomainError" in errors[0][1]
    assert [moved for moved in results if moved] == [[world["provider_ids"][CAPACITY]]]
    with app.app_context():
        found = registration_statuses(session_id)
        assert list(found.values()).count(RegistrationStatus.REGISTERED) == CAPACITY
        assert seats_taken(session_id) == CAPACITY


def test_registering_again_twice_at_once_claims_one_seat(app, concurrent_app):
    """A provider who cancelled double-clicks "Register"."""
    world = build_world(app, 1)
    session_id, manager_id = world["session_id"], world["manager_id"]
    provider_id = world["provider_ids"][0]
    with app.app_context():
        session = db.session.get(TrainingSession, session_id)
        actor = db.session.get(User, manager_id)
        registration = services.register(
            session, db.session.get(Provider, provider_id), actor=actor
        )
        services.cancel_registration(registration, actor=actor)
        db.session.commit()
        db.session.remove()

    def registering():
        session = db.session.get(TrainingSession, session_id)
        actor = db.session.get(User, manager_id)
        return services.register(session, db.session.get(Provider, provider_id), actor=actor).status

    results, errors = run_at_once(concurrent_app, [registering, registering])

    assert len(errors) == 1 and "DomainError" in errors[0][1]
    assert [status for status in results if status] == [RegistrationStatus.REGISTERED]
    with app.app_context():
        assert registration_statuses(session_id) == {provider_id: RegistrationStatus.REGISTERED}
        assert seats_taken(session_id) == 1
