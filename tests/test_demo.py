"""`flask seed-demo`: the hand-made demo providers and the bulk scale data."""

import itertools
from collections import Counter
from datetime import timedelta

import phonenumbers
import pytest
from sqlalchemy import func, select, text
from sqlalchemy.orm import selectinload

from fccnet.audit.models import AuditEvent
from fccnet.auth.models import Role, User
from fccnet.clock import local_date, local_today
from fccnet.coaching import defaults as coaching_defaults
from fccnet.coaching import demo as coaching_demo
from fccnet.coaching import services as coaching_services
from fccnet.coaching.models import (
    ActionItem,
    ActionStatus,
    Contact,
    ContactMode,
    Goal,
    GoalProgress,
    GoalStatus,
    ItemOwner,
)
from fccnet.credits.queries import (
    counted_minutes_by_area,
    held_credentials,
    list_credits,
    list_pending_credits,
)
from fccnet.credits.services import (
    credential_expiry,
    credit_minutes_for,
    current_pd_year,
    sync_credential_item,
)
from fccnet.database import utcnow
from fccnet.demo import DEMO_ACCOUNTS, DEMO_COACHES
from fccnet.demo_scale import COURSES, generate_providers, generate_training
from fccnet.extensions import db
from fccnet.licensing.models import ChecklistItem, Document, ItemStatus, Stage, StageChange
from fccnet.licensing.services import add_months, sync_checklist
from fccnet.providers import services as provider_services
from fccnet.providers.models import CoachAssignment, HouseholdMember, Provider, Town
from fccnet.training import services as training_services
from fccnet.training.models import (
    Attendance,
    CkcArea,
    Course,
    Credential,
    Credit,
    CreditSource,
    CreditStatus,
    Delivery,
    Registration,
    RegistrationStatus,
    SessionStatus,
    TrainingSession,
)
from fccnet.training.queries import list_upcoming_registrations
from tests.conftest import delete_all_rows


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def user_id(email: str) -> int:
    return db.session.scalar(select(User.id).where(User.email == email))


def history(provider: Provider) -> list[StageChange]:
    return list(
        db.session.scalars(
            select(StageChange)
            .where(StageChange.provider_id == provider.id)
            .order_by(StageChange.changed_at, StageChange.id)
        )
    )


def check_common_shape(providers: list[Provider]) -> None:
    """What every provider looks like, whichever way it was made."""
    today = local_today()
    now = utcnow()
    for provider in providers:
        assert provider.search_text == provider_services.search_text_for(provider)
        if provider.phone:
            assert provider_services.normalise_phone(provider.phone) == provider.phone
            assert phonenumbers.is_valid_number(phonenumbers.parse(provider.phone))
        if provider.email:
            assert provider_services.normalise_email(provider.email) == provider.email
        assert today - timedelta(days=731) <= provider.first_contact_on <= today
        if provider.town.name == "Hartford":
            assert provider.neighborhood is not None
        else:
            assert provider.neighborhood is None
        changes = history(provider)
        assert changes[0].from_stage_id is None
        assert all(a.to_stage_id == b.from_stage_id for a, b in itertools.pairwise(changes))
        assert changes[-1].to_stage_id == provider.stage_id
        assert provider.stage_entered_at == changes[-1].changed_at <= now
        if provider.stage.is_closed:
            assert provider.closed_reason and changes[-1].reason == provider.closed_reason
        if any(c.to_stage.key == "licensed" for c in changes):
            assert provider.license_number and provider.capacity_full_time >= 1
            assert provider.license_expires_on == add_months(provider.license_issued_on, 48)
        for item in db.session.scalars(
            select(ChecklistItem).where(ChecklistItem.provider_id == provider.id)
        ):
            assert item.member_key == (item.household_member_id or 0)
            if item.status is ItemStatus.WAIVED:
                assert item.waived_reason
            if item.status is ItemStatus.DONE:
                assert item.completed_on <= today
                assert item.expires_on is None or item.expires_on > item.completed_on
            else:
                assert item.completed_on is None and item.expires_on is None
        # Nothing the rules require is missing.
        assert sync_checklist(provider) == []


def test_seed_demo_makes_realistic_providers_through_the_services(app, runner):
    result = runner.invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    assert "60 providers" in result.output
    with app.app_context():
        providers = list(db.session.scalars(select(Provider).order_by(Provider.id)))
        assert 55 <= len(providers) <= 65
        stage_keys = set(db.session.scalars(select(Stage.key)))
        assert {p.stage.key for p in providers} == stage_keys
        check_common_shape(providers)

        # The demo provider accounts are linked to their own records.
        keisha = db.session.scalar(select(Provider).where(Provider.legal_name == "Keisha Williams"))
        ana = db.session.scalar(select(Provider).where(Provider.legal_name == "Ana Pérez Núñez"))
        assert keisha.user_id == user_id("provider1@demo.fccnet.org")
        assert ana.user_id == user_id("provider2@demo.fccnet.org")
        assert ana.languages == ["es"] and ana.neighborhood.name == "Frog Hollow"

        coach_ids = {user_id(email) for email in DEMO_COACHES}
        assert {p.coach_id for p in providers} == coach_ids
        assert {tuple(p.languages) for p in providers} == {("en",), ("es",), ("en", "es")}
        assert any(p.in_promise_zone for p in providers)
        assert len({p.town_id for p in providers}) >= 5
        assert len({p.referral_source_id for p in providers}) >= 4
        assert all(p.version >= 1 for p in providers)

        # Checklists: every status, expiries in each window, some overdue, aging in.
        today = local_today()
        items = list(db.session.scalars(select(ChecklistItem)))
        assert {item.status for item in items} == set(ItemStatus)
        left = Counter()
        for item in items:
            if item.expires_on is not None:
                days = (item.expires_on - today).days
                left["expired" if days < 0 else min(90, 30 * -(-days // 30))] += 1
        assert left["expired"] and left[30] and left[60] and left[90], left
        open_statuses = {ItemStatus.NOT_STARTED, ItemStatus.IN_PROGRESS, ItemStatus.SUBMITTED}
        overdue = [i for i in items if i.due_on and i.due_on < today and i.status in open_statuses]
        assert len(overdue) >= 3
        aging_in = [
            i
            for i in items
            if i.household_member is not None
            and i.due_on is not None
            and i.household_member.age_on(today) == 17
        ]
        assert aging_in

        # Households: adults, teenagers.
        members = list(db.session.scalars(select(HouseholdMember)))
        ages = [m.age_on(today) for m in members]
        assert any(age >= 18 for age in ages) and any(13 <= age < 18 for age in ages)

        # Stage history and the audit trail are back-dated to read like real work.
        days_in_stage = [(today - p.stage_entered_at.date()).days for p in providers]
        assert max(days_in_stage) > 60 and min(days_in_stage) < 30
        assert count(StageChange) > 2 * len(providers)
        created = list(
            db.session.scalars(select(AuditEvent).where(AuditEvent.action == "provider.created"))
        )
        assert len(created) == len(providers)
        assert min(e.occurred_at for e in created).date() < today - timedelta(days=300)
        assert db.session.scalar(
            select(func.count())
            .select_from(AuditEvent)
            .where(AuditEvent.action == "checklist_item.updated")
        )


def test_seed_demo_is_reproducible(app, runner):
    def snapshot():
        with app.app_context():
            return [
                (p.legal_name, p.phone, p.street, p.stage.key, p.first_contact_on)
                for p in db.session.scalars(select(Provider).order_by(Provider.id))
            ]

    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    first = snapshot()
    with app.app_context():
        delete_all_rows()
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    assert snapshot() == first


def test_seed_demo_refuses_a_second_run(app, runner):
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    with app.app_context():
        providers = count(Provider)
    for args in (["seed-demo"], ["seed-demo", "--providers", "10"]):
        again = runner.invoke(args=args)
        assert again.exit_code != 0
        assert "already has accounts" in again.output
    with app.app_context():
        assert count(Provider) == providers
        assert count(User) == len(DEMO_ACCOUNTS)


def test_seed_demo_providers_needs_a_positive_number(app, runner):
    result = runner.invoke(args=["seed-demo", "--providers", "0"])
    assert result.exit_code != 0
    with app.app_context():
        assert count(User) == 0


def same_household_through_the_services(provider: Provider, actor: User) -> Provider:
    """A new provider made by the services with the bulk-made one's household."""
    fields = {name: getattr(provider, name) for name in provider_services.PROVIDER_FIELDS}
    fields["phone"] = fields["email"] = None
    twin = provider_services.create_provider(fields, actor=actor, coach=None)
    for member in provider.household:
        data = {name: getattr(member, name) for name in provider_services.HOUSEHOLD_FIELDS}
        provider_services.add_household_member(twin, data, actor=actor)
    return twin


def checklist_shape(provider: Provider) -> Counter:
    return Counter(
        (
            item.requirement.key,
            item.household_member.name if item.household_member else None,
            item.due_on,
        )
        for item in db.session.scalars(
            select(ChecklistItem).where(ChecklistItem.provider_id == provider.id)
        )
    )


def test_seed_demo_providers_generates_scale_data_in_the_services_shape(app, runner):
    result = runner.invoke(args=["seed-demo", "--providers", "300"])
    assert result.exit_code == 0, result.output
    assert "300 providers" in result.output
    with app.app_context():
        providers = list(db.session.scalars(select(Provider).order_by(Provider.id)))
        assert len(providers) == 300
        # version 1 as created; the two linked to a sign-in account were updated once.
        assert Counter(p.version for p in providers) == {1: 298, 2: 2}
        assert count(User) == len(DEMO_ACCOUNTS)
        assert 1.0 <= count(HouseholdMember) / 300 <= 1.7
        assert 2.5 <= count(StageChange) / 300 <= 4.5
        assert count(CoachAssignment) == 300
        assert (
            db.session.scalar(
                select(func.count())
                .select_from(AuditEvent)
                .where(AuditEvent.action == "provider.created")
            )
            == 300
        )
        assert {p.stage.key for p in providers} == set(db.session.scalars(select(Stage.key)))
        assert {p.coach_id for p in providers} == {user_id(email) for email in DEMO_COACHES}
        linked = {p.user_id for p in providers} - {None}
        assert linked == {
            user_id("provider1@demo.fccnet.org"),
            user_id("provider2@demo.fccnet.org"),
        }
        assert {i.status for i in db.session.scalars(select(ChecklistItem))} == set(ItemStatus)
        assert {m.version for m in db.session.scalars(select(HouseholdMember))} == {1}
        check_common_shape(providers)

        # The checklist the bulk path wrote is the one the services would create for
        # the same household: the largest households, one with a well, one with a
        # member nearing the check age, and a few more.
        future_due = db.session.scalar(
            select(ChecklistItem.provider_id).where(ChecklistItem.due_on > local_today()).limit(1)
        )
        assert future_due is not None and any(p.has_well for p in providers)
        sample = sorted(providers, key=lambda p: -len(p.household))[:4]
        sample += [p for p in providers if p.has_well][:1]
        sample += [p for p in providers if p.id == future_due]
        sample += providers[::50]
        actor = db.session.get(User, user_id(DEMO_COACHES[0]))
        for provider in sample:
            twin = same_household_through_the_services(provider, actor)
            # Items due when a member turns the check age or moves in: same dates.
            rule_dates = {key for key in checklist_shape(twin) if key[2] is not None}
            assert rule_dates <= checklist_shape(provider).keys()
            bulk_keys = Counter((key, name) for key, name, _due in checklist_shape(provider))
            service_keys = Counter((key, name) for key, name, _due in checklist_shape(twin))
            assert bulk_keys == service_keys, provider.legal_name
        db.session.rollback()


@pytest.mark.parametrize("coaches", [0, 3])
def test_generate_providers_for_a_benchmark_database(app, make_user, coaches):
    """bench/run.py seeds its own accounts, then calls the generator directly."""
    coach_ids = [make_user(role="coach").id for _ in range(coaches)]
    with app.app_context():
        counts = generate_providers(40)
        db.session.commit()
        assert counts.providers == count(Provider) == 40
        assigned = set(db.session.scalars(select(Provider.coach_id)))
        assert assigned == (set(coach_ids) if coach_ids else {None})
        # The id sequences carry on after the explicit ids of the bulk insert.
        actor = db.session.get(User, coach_ids[0]) if coach_ids else None
        if actor is not None:
            windsor = db.session.scalar(select(Town.id).where(Town.name == "Windsor"))
            provider = provider_services.create_provider(
                {"legal_name": "After Bulk", "town_id": windsor}, actor=actor
            )
            member = provider_services.add_household_member(
                provider,
                {
                    "name": "Adult",
                    "relationship_to_provider": "Partner",
                    "born_on": add_months(local_today(), -12 * 40),
                },
                actor=actor,
            )
            db.session.commit()
            assert provider.id > max(counts.provider_ids)
            assert member.id > db.session.scalar(
                select(func.max(HouseholdMember.id)).where(HouseholdMember.id != member.id)
            )


# --- Training ---------------------------------------------------------------------------------


def check_training_shape() -> None:
    """What the training data looks like however it was made: seats, credits and
    attendance agree, credentials expire by their validity, evidence is a PDF of the
    credit's own provider, and the checklists are what the credits would leave."""
    for session in db.session.scalars(select(TrainingSession)):
        seats = db.session.scalar(
            select(func.count()).where(
                Registration.session_id == session.id,
                Registration.status == RegistrationStatus.REGISTERED,
                Registration.walk_in.is_(False),
            )
        )
        assert session.seats_taken == seats <= session.capacity, session.id
        assert session.ends_at > session.starts_at
        if session.meeting_url:
            assert session.meeting_url.startswith("https://")
        else:
            assert session.location
    registrations = list(db.session.scalars(select(Registration)))
    credited = {
        credit.registration_id: credit
        for credit in db.session.scalars(select(Credit).where(Credit.registration_id.is_not(None)))
    }
    for registration in registrations:
        credit = credited.get(registration.id)
        if registration.attendance in (Attendance.ATTENDED, Attendance.PARTIAL):
            assert registration.status is RegistrationStatus.REGISTERED
            assert credit is not None and credit.provider_id == registration.provider_id
            assert credit.minutes == credit_minutes_for(registration)
            assert credit.taken_on == local_date(registration.session.starts_at)
            assert registration.session.starts_at < utcnow()
        else:
            assert credit is None
        if registration.session.starts_at > utcnow():
            assert registration.attendance is None
    for credit in db.session.scalars(select(Credit)):
        if credit.status is CreditStatus.APPROVED:
            assert credit.credential_expires_on == credential_expiry(
                credit.credential, credit.taken_on
            )
        if credit.source is CreditSource.EXTERNAL:
            assert credit.document.provider_id == credit.provider_id
            assert credit.document.content.startswith(b"%PDF-")
        else:
            assert credit.status is CreditStatus.APPROVED and credit.document_id is None
    # Syncing every credential onto the checklist changes nothing.
    credentials = list(db.session.scalars(select(Credential)))
    before = db.session.scalar(select(func.count()).select_from(AuditEvent))
    actor = db.session.scalar(select(User).where(User.email == DEMO_ACCOUNTS[0][0]))
    holders = set(
        db.session.execute(
            select(Credit.provider_id, Credit.credential_id).where(
                Credit.credential_id.is_not(None)
            )
        ).all()
    )
    for provider_id, credential_id in holders:
        provider = db.session.get(Provider, provider_id)
        credential = next(c for c in credentials if c.id == credential_id)
        sync_credential_item(provider, credential, actor=actor)
    db.session.flush()
    assert db.session.scalar(select(func.count()).select_from(AuditEvent)) == before
    db.session.rollback()


def test_seed_demo_adds_a_training_catalog_sessions_and_credits(app, runner):
    result = runner.invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        now = utcnow()
        courses = list(db.session.scalars(select(Course)))
        assert len(courses) >= 12
        assert len({c.ckc_area_id for c in courses}) == count(CkcArea)
        assert {c.delivery for c in courses} == set(Delivery)
        assert all(c.title_es != c.title_en and c.description_es for c in courses)
        granted = {c.credential.name_en for c in courses if c.credential}
        assert granted == set(db.session.scalars(select(Credential.name_en)))
        assert any(
            c.credential.requirement.key == "health_safety" and c.credit_minutes == 300
            for c in courses
            if c.credential and c.credential.requirement
        )

        sessions = list(db.session.scalars(select(TrainingSession)))
        past = [s for s in sessions if s.starts_at < now]
        upcoming = [s for s in sessions if s.starts_at > now]
        assert sum(s.status is SessionStatus.COMPLETED for s in past) >= 10
        assert len(upcoming) >= 10
        assert max(s.starts_at for s in upcoming) > now + timedelta(days=45)
        assert max(s.starts_at for s in upcoming) < now + timedelta(days=62)
        assert any(s.language == "es" for s in upcoming)
        scheduled = [s for s in upcoming if s.status is SessionStatus.SCHEDULED]
        assert any(s.seats_left == 1 for s in scheduled)  # nearly full
        waitlisted = db.session.scalars(
            select(Registration.session_id).where(
                Registration.status == RegistrationStatus.WAITLISTED
            )
        ).all()
        full = [s for s in scheduled if s.seats_left == 0 and s.id in waitlisted]
        assert full
        coach = db.session.scalar(select(User).where(User.email == DEMO_COACHES[0]))
        assert any(s.trainer_id == coach.id for s in past)
        assert any(s.trainer_id == coach.id for s in upcoming)
        assert any(s.trainer_id is None and s.trainer_name for s in sessions)
        attendance = set(db.session.scalars(select(Registration.attendance)))
        assert {Attendance.ATTENDED, Attendance.PARTIAL, Attendance.NO_SHOW} <= attendance
        assert db.session.scalar(select(func.count()).where(Registration.walk_in.is_(True)))

        statuses = Counter(db.session.execute(select(Credit.source, Credit.status)).tuples().all())
        assert statuses[(CreditSource.SESSION, CreditStatus.APPROVED)] >= 50
        assert statuses[(CreditSource.EXTERNAL, CreditStatus.APPROVED)] >= 1
        assert statuses[(CreditSource.EXTERNAL, CreditStatus.REJECTED)] >= 1
        pending = db.session.scalars(list_pending_credits()).unique().all()
        assert len(pending) >= 3
        # Made through the services: the audit trail has it all.
        actions = set(db.session.scalars(select(AuditEvent.action)))
        assert {
            "course.created",
            "training_session.created",
            "registration.created",
            "registration.cancelled",
            "registration.promoted",
            "attendance.recorded",
            "credit.created",
            "credit.submitted",
            "credit.approved",
            "credit.rejected",
        } <= actions
        # A credential from a session completed the provider's checklist item.
        item_events = db.session.scalars(
            select(AuditEvent).where(AuditEvent.action == "checklist_item.updated")
        )
        assert any((e.details or {}).get("from_training") for e in item_events)

        # The demo provider's sign-in shows a seat coming up, hours this year and a
        # credential expiring within 90 days.
        keisha = db.session.scalar(
            select(Provider).where(Provider.user_id == user_id("provider1@demo.fccnet.org"))
        )
        upcoming_seats = db.session.scalars(list_upcoming_registrations(keisha.id)).all()
        assert any(r.status is RegistrationStatus.REGISTERED for r in upcoming_seats)
        year_minutes = sum(m for _area, m in counted_minutes_by_area(keisha.id, current_pd_year()))
        assert 0 < year_minutes < 10 * 60
        credits = db.session.scalars(list_credits(keisha.id)).unique().all()
        states = {h.credential.name_en: h.state(local_today()) for h in held_credentials(credits)}
        assert states.get("CPR") == "expiring"
        ana = db.session.scalar(
            select(Provider).where(Provider.user_id == user_id("provider2@demo.fccnet.org"))
        )
        assert db.session.scalars(list_upcoming_registrations(ana.id)).all()
        assert any(c.provider_id == ana.id for c in pending)

        check_training_shape()


def test_seed_demo_providers_adds_proportionate_training_history(app, runner):
    result = runner.invoke(args=["seed-demo", "--providers", "300"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        now = utcnow()
        providers = count(Provider)
        assert 12 <= count(Credit) / providers <= 18
        assert count(Course) >= 12
        sessions = list(db.session.scalars(select(TrainingSession)))
        past = [s for s in sessions if s.starts_at < now]
        assert len([s for s in sessions if s.starts_at > now]) >= 10
        assert min(s.starts_at for s in past) < now - timedelta(days=365)
        oldest = db.session.scalar(select(func.min(Credit.taken_on)))
        assert oldest < local_today() - timedelta(days=2 * 365)
        # Mostly from network sessions; some from elsewhere, a few waiting for review.
        statuses = Counter(db.session.execute(select(Credit.source, Credit.status)).tuples().all())
        assert statuses[(CreditSource.SESSION, CreditStatus.APPROVED)] > 0.8 * count(Credit)
        assert statuses[(CreditSource.EXTERNAL, CreditStatus.APPROVED)] > 0
        assert statuses[(CreditSource.EXTERNAL, CreditStatus.PENDING)] >= 3
        assert count(Document) == statuses[(CreditSource.EXTERNAL, CreditStatus.APPROVED)] + sum(
            n
            for (source, status), n in statuses.items()
            if source is CreditSource.EXTERNAL and status is not CreditStatus.APPROVED
        )
        assert db.session.scalar(
            select(func.count()).where(Credit.credential_expires_on.is_not(None))
        )
        # A full 40-person roster for the benchmark.
        rosters = (
            db.session.execute(
                select(func.count())
                .where(Registration.status == RegistrationStatus.REGISTERED)
                .group_by(Registration.session_id)
            )
            .scalars()
            .all()
        )
        assert max(rosters) >= 40
        assert db.session.scalar(
            select(func.count()).where(Registration.status == RegistrationStatus.WAITLISTED)
        )
        check_training_shape()

        # The id sequences carry on after the explicit ids of the bulk insert.
        manager = db.session.scalar(select(User).where(User.email == DEMO_ACCOUNTS[0][0]))
        course = db.session.scalar(select(Course).limit(1))
        starts = now + timedelta(days=3)
        session = training_services.create_session(
            training_services.SessionInput(
                course=course,
                starts_at=starts,
                ends_at=starts + timedelta(hours=2),
                capacity=5,
                location="Library",
                trainer=manager,
            ),
            actor=manager,
        )
        provider = db.session.scalar(select(Provider).limit(1))
        registration = training_services.register(session, provider, actor=manager)
        db.session.commit()
        assert session.id > max(s.id for s in sessions)
        assert registration.id == db.session.scalar(select(func.max(Registration.id)))


def test_generate_training_without_staff_accounts(app):
    """Outside trainers only, and nobody to name as reviewer: still a whole history."""
    with app.app_context():
        generate_providers(60)
        counts = generate_training()
        db.session.commit()
        assert counts.credits == count(Credit) > 0
        assert counts.sessions == count(TrainingSession)
        assert set(db.session.scalars(select(TrainingSession.trainer_id))) == {None}
        assert count(Course) == len(COURSES)
        check_training_shape()


# --- Coaching ---------------------------------------------------------------------------------


def phrases(language: str) -> dict[str, set[str]]:
    """Everything the coaching demo writes in one language, by what it is used for."""
    texts = [*coaching_demo.TOPIC_TEXT[language].values(), coaching_demo.GENERAL_TEXT[language]]
    goals = coaching_demo.GOALS[language]
    return {
        "summary": {s for t in texts for s in t.summaries} | {t.message for t in texts},
        "next_steps": {s for t in texts for s in t.next_steps},
        "internal_notes": set(coaching_demo.INTERNAL_NOTES[language]),
        "action": {a for t in texts for a in (*t.provider_actions, *t.coach_actions)},
        "comment": {
            *(
                c
                for (lang, _owner), cs in coaching_demo.DONE_COMMENTS.items()
                if lang == language
                for c in cs
            ),
            *coaching_demo.DROPPED_COMMENTS[language],
        },
        "goal": {g.description for g in goals},
        "progress": {n for g in goals for n in (*g.progress, g.reached)},
    }


def written_in(language: str, kind: str, text: str) -> bool:
    """A summary may join two topics' summaries: each part is one of the language's."""
    known = phrases(language)[kind]
    rest = text
    while rest:
        part = next((p for p in known if rest.startswith(p)), None)
        if part is None:
            return False
        rest = rest[len(part) :].lstrip()
    return True


def check_coaching_shape() -> None:
    """What the coaching records look like however they were made: dated from the first
    contact to today, in the provider's language, closed items closed after they were
    agreed, goals' progress after the goal, enums and minutes the forms would accept."""
    today = local_today()
    now = utcnow()
    staff = set(
        db.session.scalars(select(User.id).where(User.role.in_((Role.COACH, Role.MANAGER))))
    )
    # Raw values: anything not in the enums would fail to load as a model.
    modes = set(db.session.scalars(text("SELECT DISTINCT mode FROM contacts")))
    assert modes == {m.value for m in ContactMode}
    owners = set(db.session.scalars(text("SELECT DISTINCT owner FROM action_items")))
    assert owners == {o.value for o in ItemOwner}
    statuses = set(db.session.scalars(text("SELECT DISTINCT status FROM action_items")))
    assert statuses == {s.value for s in ActionStatus}
    goal_statuses = set(db.session.scalars(text("SELECT DISTINCT status FROM goals")))
    assert goal_statuses <= {s.value for s in GoalStatus}

    contacts = db.session.scalars(
        select(Contact).options(selectinload(Contact.topics), selectinload(Contact.provider))
    ).all()
    for contact in contacts:
        provider = contact.provider
        language = provider.preferred_language
        assert provider.first_contact_on <= contact.contacted_on <= today
        assert contact.created_at <= now and contact.version == 1
        assert 1 <= contact.minutes <= 1440
        assert contact.coach_id in staff
        assert contact.topics and all(t.active for t in contact.topics)
        assert written_in(language, "summary", contact.summary), contact.summary
        for kind in ("internal_notes", "next_steps"):
            value = getattr(contact, kind)
            assert not value or value in phrases(language)[kind], value
    assert sum(bool(c.internal_notes) for c in contacts) > 0.4 * len(contacts)

    items = db.session.scalars(select(ActionItem).options(selectinload(ActionItem.contact))).all()
    for item in items:
        language = item.contact.provider.preferred_language
        assert item.provider_id == item.contact.provider_id
        assert item.created_by_id == item.contact.coach_id
        assert item.description in phrases(language)["action"]
        assert item.due_on is None or item.due_on > item.contact.contacted_on
        if item.status is ActionStatus.OPEN:
            assert item.closed_on is item.closing_comment is item.closed_by_id is None
        else:
            assert item.contact.contacted_on <= item.closed_on <= today
            assert item.closed_by_id is not None
            assert (
                item.closing_comment is None or item.closing_comment in phrases(language)["comment"]
            )
        if item.status is ActionStatus.DONE:
            assert item.closing_comment
    by_status = Counter((i.status, i.owner) for i in items)
    assert (
        by_status[(ActionStatus.OPEN, ItemOwner.PROVIDER)]
        > by_status[(ActionStatus.OPEN, ItemOwner.COACH)]
        > 0
    )
    assert by_status[(ActionStatus.DROPPED, ItemOwner.PROVIDER)]
    assert any(i.status is ActionStatus.OPEN and i.due_on and i.due_on < today for i in items)

    goals = db.session.scalars(select(Goal).options(selectinload(Goal.progress))).all()
    providers = {p.id: p for p in db.session.scalars(select(Provider))}
    for goal in goals:
        language = providers[goal.provider_id].preferred_language
        assert goal.description in phrases(language)["goal"]
        assert goal.progress, goal.description
        started = local_date(goal.created_at)
        assert goal.target_on > started
        for note in goal.progress:
            assert started <= note.noted_on <= today
            assert note.note in phrases(language)["progress"]
            assert note.created_at >= goal.created_at
    assert {g.status for g in goals} >= {GoalStatus.ACTIVE, GoalStatus.ACHIEVED}


def check_featured(provider: Provider, *, overdue: bool = True) -> None:
    """A demo sign-in's record: what a person trying the app sees on signing in."""
    today = local_today()
    contacts = db.session.scalars(
        select(Contact).where(Contact.provider_id == provider.id).order_by(Contact.contacted_on)
    ).all()
    latest = contacts[-1]
    assert latest.summary and latest.next_steps
    assert today - timedelta(days=7) <= latest.contacted_on <= today
    assert latest.coach_id == provider.coach_id
    items = db.session.scalars(select(ActionItem).where(ActionItem.provider_id == provider.id))
    open_items = [i for i in items if i.status is ActionStatus.OPEN]
    mine = [i for i in open_items if i.owner is ItemOwner.PROVIDER and i.due_on]
    assert any(i.due_on >= today for i in mine)
    assert not overdue or any(i.due_on < today for i in mine)
    goals = db.session.scalars(
        select(Goal).where(Goal.provider_id == provider.id).options(selectinload(Goal.progress))
    ).all()
    assert any(g.status is GoalStatus.ACTIVE and g.progress for g in goals)


def test_the_coaching_text_covers_every_seeded_topic_in_both_languages():
    for language in ("en", "es"):
        assert set(coaching_demo.TOPIC_TEXT[language]) == {
            coaching_demo.INTAKE,
            *(name_en for name_en, _name_es in coaching_defaults.TOPICS),
        }
    english, spanish = phrases("en"), phrases("es")
    for kind in english:
        assert not english[kind] & spanish[kind], kind
    assert all(len(a) <= 300 for a in english["action"] | spanish["action"])


def test_seed_demo_adds_coaching_through_the_services(app, runner):
    result = runner.invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        today = local_today()
        providers = db.session.scalars(select(Provider)).all()
        contacts = db.session.scalars(select(Contact)).all()
        assert {c.provider_id for c in contacts} == {p.id for p in providers}
        assert 6 * len(providers) <= len(contacts) <= 14 * len(providers)
        assert {c.mode for c in contacts} == set(ContactMode)
        # Both coaches log, for their own caseloads and now and then a colleague's.
        coach_of = {p.id: p.coach_id for p in providers}
        authors = Counter(c.coach_id == coach_of[c.provider_id] for c in contacts)
        assert authors[True] > 5 * authors[False] > 0
        assert {c.coach_id for c in contacts} == {user_id(email) for email in DEMO_COACHES}
        # Spanish for those who prefer it.
        spanish = {p.id for p in providers if p.preferred_language == "es"}
        assert spanish and len(spanish) < len(providers)
        assert any(c.provider_id in spanish and c.internal_notes for c in contacts)
        check_coaching_shape()

        # Every coach's caseload has recent contacts and open items.
        for email in DEMO_COACHES:
            caseload = {p.id for p in providers if p.coach_id == user_id(email)}
            recent = {c.provider_id for c in contacts if c.contacted_on > today - timedelta(30)}
            assert caseload & recent
            assert db.session.scalar(
                select(func.count()).where(
                    ActionItem.provider_id.in_(caseload), ActionItem.status == ActionStatus.OPEN
                )
            )
        keisha = db.session.scalar(
            select(Provider).where(Provider.user_id == user_id("provider1@demo.fccnet.org"))
        )
        ana = db.session.scalar(
            select(Provider).where(Provider.user_id == user_id("provider2@demo.fccnet.org"))
        )
        check_featured(keisha)
        check_featured(ana)
        assert ana.preferred_language == "es"
        # Keisha marked some of her own items done from her sign-in.
        assert db.session.scalar(
            select(func.count()).where(
                ActionItem.provider_id == keisha.id,
                ActionItem.closed_by_id == keisha.user_id,
            )
        )
        # The coach may still correct the latest visit (the edit window is open).
        latest = db.session.scalar(
            select(Contact)
            .where(Contact.provider_id == keisha.id)
            .order_by(Contact.contacted_on.desc())
            .limit(1)
        )
        assert not coaching_services.is_locked(latest)

        # Made through the services: the audit trail has it all, back-dated.
        logged = db.session.scalars(
            select(AuditEvent).where(AuditEvent.action == "contact.logged")
        ).all()
        assert len(logged) == len(contacts)
        assert min(e.occurred_at for e in logged).date() < today - timedelta(days=300)
        created = {c.id: c.created_at for c in contacts}
        assert all(e.occurred_at == created[e.target_id] for e in logged)
        actions = set(db.session.scalars(select(AuditEvent.action)))
        assert {
            "action_item.created",
            "action_item.closed",
            "goal.created",
            "goal.progress_noted",
            "goal.updated",
        } <= actions


def test_seed_demo_providers_adds_coaching_in_bulk(app, runner):
    result = runner.invoke(args=["seed-demo", "--providers", "300"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        providers = count(Provider)
        assert 9 <= count(Contact) / providers <= 11
        assert 4 <= count(ActionItem) / providers <= 6
        with_goals = db.session.scalar(select(func.count(func.distinct(Goal.provider_id))))
        assert 0.15 * providers <= with_goals <= 0.6 * providers
        assert count(GoalProgress) >= count(Goal)
        # Every record has its first contact on the day of the first contact.
        first = db.session.execute(
            select(Provider.first_contact_on, func.min(Contact.contacted_on))
            .join(Contact, Contact.provider_id == Provider.id)
            .group_by(Provider.id, Provider.first_contact_on)
        ).all()
        assert len(first) == providers
        assert all(first_contact == earliest for first_contact, earliest in first)
        # Closed records were coached until they closed, and their items closed with them.
        closed_open_items = db.session.scalar(
            select(func.count())
            .select_from(ActionItem)
            .join(Provider, ActionItem.provider_id == Provider.id)
            .join(Stage, Provider.stage_id == Stage.id)
            .where(Stage.is_closed.is_(True), ActionItem.status == ActionStatus.OPEN)
        )
        assert closed_open_items == 0
        check_coaching_shape()
        for email in ("provider1@demo.fccnet.org", "provider2@demo.fccnet.org"):
            provider = db.session.scalar(select(Provider).where(Provider.user_id == user_id(email)))
            check_featured(provider, overdue=False)

        # The id sequences carry on after the explicit ids of the bulk insert.
        coach = db.session.scalar(select(User).where(User.email == DEMO_COACHES[0]))
        provider = db.session.scalar(select(Provider).limit(1))
        contact = coaching_services.log_contact(
            provider,
            coaching_services.ContactInput(
                contacted_on=local_today(), minutes=30, mode=ContactMode.PHONE, summary="Call."
            ),
            actor=coach,
        )
        goal = coaching_services.create_goal(
            provider, coaching_services.GoalInput("Enroll four children"), actor=coach
        )
        db.session.commit()
        assert contact.id == db.session.scalar(select(func.max(Contact.id)))
        assert goal.id == db.session.scalar(select(func.max(Goal.id)))


def test_generate_coaching_for_a_benchmark_database(app, make_user):
    """bench/run.py gives one provider a long history (contacts_for); without staff
    accounts the contacts have no author rather than failing."""
    with app.app_context():
        generate_providers(30)
        provider_ids = db.session.scalars(
            select(Provider.id).order_by(Provider.first_contact_on).limit(2)
        ).all()
        counts = coaching_demo.generate_coaching(contacts_for={provider_ids[0]: 90})
        db.session.commit()
        assert counts.contacts == count(Contact)
        assert counts.action_items == count(ActionItem)
        per_provider = Counter(db.session.scalars(select(Contact.provider_id)))
        assert per_provider[provider_ids[0]] == 90
        assert set(db.session.scalars(select(Contact.coach_id))) == {None}
        # The rest share about ten each.
        others = [n for pid, n in per_provider.items() if pid != provider_ids[0]]
        assert len(others) == 29 and 8 <= sum(others) / len(others) <= 12
