"""Demo data for trying fccnet out. Never loaded under the production config.

`seed_demo()` creates the demo accounts and about sixty providers through the real
services (so the audit trail, stage history and checklists are what a coach's
clicks would leave), then back-dates the timestamps so "days in stage" and the
audit log read like two years of work. It then adds the training catalog, a year of
sessions with registrations and attendance (so credits and credentials come from
the real services), the coming two months' sessions, and credits from elsewhere
(approved, rejected and waiting for review), and coaching contacts, action items and
goals (fccnet.coaching.demo). `seed_scale()` is the same accounts plus any number of
generated providers and their training and coaching history, written in bulk
(fccnet.demo_scale).
"""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import func, select, update
from sqlalchemy.orm import selectinload

from fccnet.attendance.services import AttendanceMark, add_walk_in, record_attendance
from fccnet.audit.models import AuditEvent
from fccnet.audit.services import record_event
from fccnet.auth import services as auth_services
from fccnet.auth.models import Role, User
from fccnet.clock import local_today, network_zone
from fccnet.coaching.demo import generate_coaching, seed_coaching_demo
from fccnet.credits.services import (
    ExternalCreditInput,
    approve_credit,
    reject_credit,
    submit_external_credit,
)
from fccnet.database import utcnow
from fccnet.demo_scale import (
    COURSES,
    HEALTH,
    LOCATIONS,
    MEETING_URL,
    OUTSIDE_TRAINERS,
    REJECTION_REASONS,
    SEED,
    SELF_PACED_URL,
    GeneratedCounts,
    ItemState,
    MemberStory,
    ProviderStory,
    Reference,
    StoryMaker,
    course_slug,
    evidence_pdf,
    generate_providers,
    generate_training,
    seeded,
)
from fccnet.extensions import db
from fccnet.licensing.models import ChecklistItem, Document, ItemStatus, Requirement, StageChange
from fccnet.licensing.services import ItemUpdate, move_stage, update_item
from fccnet.providers.models import CoachAssignment, Provider
from fccnet.providers.services import add_household_member, create_provider
from fccnet.training.models import (
    Attendance,
    CkcArea,
    Course,
    Credential,
    Credit,
    Delivery,
    Registration,
    RegistrationStatus,
    TrainingSession,
)
from fccnet.training.services import (
    CourseInput,
    SessionInput,
    cancel_registration,
    cancel_session,
    create_course,
    create_session,
    register,
)

DEMO_PASSWORD = "hartford-demo-2026"  # noqa: S105 - printed for people trying the demo
DEMO_ACCOUNTS = [
    ("manager@demo.fccnet.org", "Marisol Rivera", Role.MANAGER, "en"),
    ("coach1@demo.fccnet.org", "Denise Carter", Role.COACH, "en"),
    ("coach2@demo.fccnet.org", "Luis Ortega", Role.COACH, "es"),
    ("provider1@demo.fccnet.org", "Keisha Williams", Role.PROVIDER, "en"),
    ("provider2@demo.fccnet.org", "Ana Pérez Núñez", Role.PROVIDER, "es"),
]
DEMO_COACHES = ("coach1@demo.fccnet.org", "coach2@demo.fccnet.org")

# How many of the ~60 demo providers are at each stage (every stage has some).
DEMO_STAGES = {
    "inquiry": 7,
    "orientation": 6,
    "preparing_application": 8,
    "application_submitted": 6,
    "awaiting_inspection": 6,
    "licensed": 6,
    "active_member": 13,
    "paused": 3,
    "withdrawn": 3,
    "not_eligible": 2,
}
# Days from today when a licensed provider's First Aid or CPR expires: a few already
# expired, the rest inside the compliance view's 30, 60 and 90 day windows.
EXPIRY_TARGETS = [-35, -6, 12, 25, 44, 58, 73, 86]


def create_accounts() -> dict[str, User]:
    users = {}
    for email, name, role, language in DEMO_ACCOUNTS:
        user = auth_services.create_user(
            email=email, name=name, role=role, language=language, actor=None
        )
        auth_services.set_password(user, DEMO_PASSWORD, actor=None)
        users[email] = user
    return users


def seed_demo(*, seed: int = SEED) -> list[Provider]:
    """The demo accounts and ~60 providers made through the services. Flushes only."""
    users = create_accounts()
    coaches = [users[email] for email in DEMO_COACHES]
    maker = StoryMaker(Reference.load(), seed=seed)
    stories = demo_stories(maker)
    providers = [replay(story, maker, coaches) for story in stories]
    link_account(providers[0], users["provider1@demo.fccnet.org"], coaches[0])
    link_account(providers[1], users["provider2@demo.fccnet.org"], coaches[1])
    TrainingDemo(users, providers, stories, seed=seed).run()
    seed_coaching_demo(providers, featured=providers[:2], seed=seed)
    return providers


def seed_scale(count: int, *, seed: int = SEED) -> GeneratedCounts:
    """The demo accounts and `count` generated providers, written in bulk. Flushes only."""
    users = create_accounts()
    coaches = [users[email] for email in DEMO_COACHES]
    counts = generate_providers(count, seed=seed, coach_ids=[c.id for c in coaches])
    for email, provider_id in zip(
        ("provider1@demo.fccnet.org", "provider2@demo.fccnet.org"),
        counts.provider_ids,
        strict=False,
    ):
        provider = db.session.get(Provider, provider_id)
        link_account(provider, users[email], provider.coach or coaches[0])
    manager = users["manager@demo.fccnet.org"]
    counts.training = generate_training(
        seed=seed, trainer_ids=[manager.id, *(c.id for c in coaches)], reviewer_id=manager.id
    )
    counts.coaching = generate_coaching(
        seed=seed, author_ids=[c.id for c in coaches], featured=counts.provider_ids[:2]
    )
    return counts


def demo_stories(maker: StoryMaker) -> list[ProviderStory]:
    """The two providers behind the demo sign-ins first, then the rest, by stage."""
    keisha = maker.story(
        "active_member",
        spanish=False,
        name=("Keisha Williams", None),
        email="provider1@demo.fccnet.org",
        town="Hartford",
        neighborhood="Blue Hills",
        coach_index=0,
        days_so_far=260,
    )
    keisha.expiry_targets["cpr"] = 25
    ana = maker.story(
        "preparing_application",
        spanish=True,
        name=("Ana Pérez Núñez", "Ana Pérez"),
        email="provider2@demo.fccnet.org",
        town="Hartford",
        neighborhood="Frog Hollow",
        coach_index=1,
        days_so_far=95,
    )
    ana.fields["languages"], ana.fields["preferred_language"] = ["es"], "es"
    ana.household = [
        _member(maker, ana, "Rafael Pérez", "Husband", age=41),
        _member(maker, ana, "Mateo Pérez", "Son", age=17, turns_in_days=40),  # aging in
        _member(maker, ana, "Sofía Pérez", "Daughter", age=9),
    ]
    stories = [keisha, ana]
    remaining = dict(DEMO_STAGES)
    remaining["active_member"] -= 1
    remaining["preparing_application"] -= 1
    for stage, count in remaining.items():
        stories.extend(maker.story(stage) for _ in range(count))

    licensed = [s for s in stories[2:] if s.license is not None]
    for story, days in zip(licensed, EXPIRY_TARGETS, strict=False):
        story.expiry_targets["first_aid" if days % 2 else "cpr"] = days
    # Another teenager nearing the check age, and an adult about to move in.
    growing = next(s for s in stories[2:] if s.stage_key == "awaiting_inspection")
    growing.household.append(
        _member(
            maker,
            growing,
            "Jayden " + growing.fields["legal_name"].split()[-1],
            "Son",
            age=17,
            turns_in_days=70,
        )
    )
    moving = next(s for s in stories[2:] if s.stage_key == "licensed")
    newcomer = _member(maker, moving, "Marcus Johnson", "Partner", age=35)
    newcomer.moved_in_on = maker.today + timedelta(days=21)
    newcomer.added_at = maker.now - timedelta(days=2)
    moving.household.append(newcomer)
    return stories


def _member(
    maker: StoryMaker,
    story: ProviderStory,
    name: str,
    relationship: str,
    *,
    age: int,
    turns_in_days: int | None = None,
) -> MemberStory:
    rng = seeded(name)
    if turns_in_days is None:
        born = maker.birthday(age, rng)
    else:  # turns age + 1 in `turns_in_days`
        born = maker.birthday(age + 1, rng, extra_days=0) + timedelta(days=turns_in_days)
    return MemberStory(name, relationship, born, added_at=story.created_at)


@contextmanager
def happened_at(when: datetime) -> Iterator[None]:
    """Audit events written inside the block are dated `when` (the story's time)."""
    before = db.session.scalar(select(func.max(AuditEvent.id))) or 0
    yield
    db.session.flush()
    db.session.execute(
        update(AuditEvent).where(AuditEvent.id > before).values(occurred_at=when),
        execution_options={"synchronize_session": False},
    )


def replay(story: ProviderStory, maker: StoryMaker, coaches: list[User]) -> Provider:
    """Create one provider as a coach would have, step by step, then back-date it."""
    coach = coaches[story.coach_index]
    with happened_at(story.created_at):
        provider = create_provider(dict(story.fields), actor=coach, coach=coach)
    members = {}
    for member_story in story.household:
        with happened_at(member_story.added_at):
            member = add_household_member(provider, member_story.data(), actor=coach)
        members[member.id] = member_story

    rng = seeded(story.seed)
    items = db.session.scalars(
        select(ChecklistItem)
        .where(ChecklistItem.provider_id == provider.id)
        .options(selectinload(ChecklistItem.requirement))
        .order_by(ChecklistItem.id)
    ).all()
    timeline: list[tuple[datetime, int, object]] = []
    for index, item in enumerate(items):
        state = maker.item_state(
            story, item.requirement.key, members.get(item.member_key), item.due_on
        )
        if state is not None:
            timeline.append((maker.moment(state.on, rng), 1000 + index, (item, state)))
    for index, step in enumerate(story.steps[1:]):
        timeline.append((step.at, index, step))
    timeline.sort(key=lambda entry: entry[:2])

    changes = {}
    touched = {}
    for when, _order, entry in timeline:
        if isinstance(entry, tuple):
            item, state = entry
            with happened_at(when):
                _apply(item, state, coach)
            touched[item.id] = when
        else:
            stage = maker.ref.stages[entry.key]
            license = story.license if entry.key == "licensed" else None
            with happened_at(when):
                change = move_stage(
                    provider,
                    stage,
                    actor=coach,
                    note=entry.note,
                    reason=entry.reason,
                    license=license,
                )
            changes[change.id] = when

    # Back-date what the services stamped with the real clock.
    first_change = db.session.scalar(
        select(StageChange.id).where(
            StageChange.provider_id == provider.id, StageChange.from_stage_id.is_(None)
        )
    )
    changes[first_change] = story.created_at
    for change_id, when in changes.items():
        _set(StageChange, change_id, changed_at=when)
    for item_id, when in touched.items():
        _set(ChecklistItem, item_id, updated_at=when)
    db.session.execute(
        update(CoachAssignment)
        .where(CoachAssignment.provider_id == provider.id)
        .values(assigned_at=story.created_at),
        execution_options={"synchronize_session": False},
    )
    last = max([story.steps[-1].at, *touched.values()])
    _set(
        Provider,
        provider.id,
        created_at=story.created_at,
        stage_entered_at=story.steps[-1].at,
        updated_at=last,
    )
    return provider


def _set(model, row_id: int, **values) -> None:
    """A plain UPDATE: no version bump, no onupdate stamp; the loaded object follows."""
    db.session.execute(
        update(model).where(model.id == row_id).values(**values),
        execution_options={"synchronize_session": "evaluate"},
    )


def _apply(item: ChecklistItem, state: ItemState, coach: User) -> None:
    due_on = state.due_on if state.due_on is not None else item.due_on
    update_item(
        item,
        ItemUpdate(
            state.status,
            due_on=due_on,
            submitted_on=state.submitted_on,
            completed_on=state.completed_on if state.status is ItemStatus.DONE else None,
            waived_reason=state.waived_reason,
        ),
        actor=coach,
    )


def link_account(provider: Provider, user: User, actor: User) -> None:
    """Give a provider record its sign-in account (the demo's provider1 and provider2)."""
    record_event(
        "provider.updated",
        actor=actor,
        target=provider,
        changes={"user_id": (provider.user_id, user.id)},
    )
    provider.user_id = user.id
    db.session.flush()


def print_sign_ins(echo: Callable[[str], None]) -> None:
    existing = [a for a in DEMO_ACCOUNTS if auth_services.find_user_by_email(a[0]) is not None]
    if not existing:
        return
    echo(f"Demo sign-ins (password for all: {DEMO_PASSWORD}):")
    for email, name, role, _language in existing:
        echo(f"  {role.value:<9} {email:<28} {name}")


# --- Training: the catalog, sessions with attendance, credits -----------------------------------


@dataclass(frozen=True)
class SessionPlan:
    days: int  # from today (negative: already held)
    course: str  # a CourseSpec key
    language: str = "en"
    trainer: str | None = None  # a demo account's email, else an outside trainer's name
    capacity: int = 15
    seats: int = 0  # how many demo providers register
    with_account: str | None = None  # "keisha" or "ana": that sign-in registers itself
    cancelled: bool = False


COACH1, COACH2 = DEMO_COACHES
# Keisha (provider1) has 8.5 of her 10 hours this PD year (July to June: three network
# sessions and an approved credit from elsewhere), her CPR card expires in 25 days and
# she has a seat in the CPR class before then. Ana (provider2) took the health and
# safety orientation in Spanish and has a seat in the Spanish business plan class.
PAST_SESSIONS = [
    SessionPlan(-330, "first_aid", trainer=OUTSIDE_TRAINERS[0], capacity=12, seats=9),
    SessionPlan(-300, "care4kids", "es", COACH2, 25, 10),
    SessionPlan(-280, "health_safety", trainer=COACH1, capacity=25, seats=11),
    SessionPlan(-250, "business_plan", trainer=COACH1, capacity=20, seats=8),
    SessionPlan(-220, "cpr", "es", OUTSIDE_TRAINERS[2], 10, 8),
    SessionPlan(-190, "guidance", trainer=COACH1, capacity=20, seats=10),
    SessionPlan(-160, "medication", trainer=OUTSIDE_TRAINERS[1], capacity=8, seats=7),
    SessionPlan(-140, "play", "es", COACH2, 15, 9),
    SessionPlan(-120, "records_taxes", trainer=OUTSIDE_TRAINERS[3], capacity=16, seats=10),
    SessionPlan(-100, "first_aid", "es", OUTSIDE_TRAINERS[2], 12, 10),
    SessionPlan(-75, "nutrition", trainer=COACH1, capacity=15, seats=9, with_account="keisha"),
    SessionPlan(-60, "marketing", "es", COACH2, 20, 8),
    SessionPlan(-52, "safe_sleep", trainer=COACH1, capacity=30, cancelled=True),
    SessionPlan(-45, "business_plan", trainer=COACH1, capacity=20, seats=9, with_account="keisha"),
    SessionPlan(-30, "health_safety", "es", COACH2, 25, 10, with_account="ana"),
    SessionPlan(-20, "guidance", trainer=COACH1, capacity=20, seats=11, with_account="keisha"),
    SessionPlan(-12, "families", trainer=COACH1, capacity=15, seats=8),
    SessionPlan(-9, "observation", trainer=COACH1, capacity=40, seats=6),
    SessionPlan(-5, "cpr", trainer=OUTSIDE_TRAINERS[0], capacity=10, seats=8),
]
UPCOMING_SESSIONS = [
    SessionPlan(4, "guidance", "es", COACH2, 20, 9),
    SessionPlan(6, "first_aid", trainer=OUTSIDE_TRAINERS[0], capacity=12, seats=11),  # nearly full
    SessionPlan(9, "cpr", trainer=OUTSIDE_TRAINERS[0], capacity=10, seats=6, with_account="keisha"),
    SessionPlan(11, "health_safety", "es", COACH2, 25, 7),
    # Full, with a waitlist (one cancels; the first in line moves up).
    SessionPlan(13, "medication", trainer=OUTSIDE_TRAINERS[1], capacity=8, seats=12),
    SessionPlan(16, "business_plan", "es", COACH2, 30, 5, with_account="ana"),
    SessionPlan(18, "marketing", trainer=COACH1, capacity=20, cancelled=True),
    SessionPlan(20, "play", trainer=COACH1, capacity=15, seats=6, with_account="keisha"),
    SessionPlan(23, "safe_sleep", trainer=COACH1, capacity=50, seats=3),
    SessionPlan(27, "care4kids", trainer=COACH1, capacity=30, seats=4),
    SessionPlan(30, "first_aid", "es", OUTSIDE_TRAINERS[2], 12, 4),
    SessionPlan(34, "nutrition", trainer=COACH1, capacity=15, seats=2),
    SessionPlan(38, "families", "es", COACH2, 15, 1),
    SessionPlan(45, "medication_injectable", trainer=OUTSIDE_TRAINERS[1], capacity=10),
    SessionPlan(52, "pd_plan", trainer=COACH1, capacity=25),
    SessionPlan(57, "literacy", "es", COACH2, 40),
]
# Stages whose providers come to training (not prospects, nor paused or closed records).
TRAINING_STAGES = {
    "orientation",
    "preparing_application",
    "application_submitted",
    "awaiting_inspection",
    "licensed",
    "active_member",
}


class TrainingDemo:
    """The demo's catalog, sessions, registrations, attendance and credits, all made
    through the training, attendance and credits services (audit trail, seat counter,
    waitlist, credits and checklist items), then back-dated like the providers."""

    def __init__(
        self,
        users: dict[str, User],
        providers: list[Provider],
        stories: list[ProviderStory],
        *,
        seed: int,
    ):
        self.rng = seeded(seed + 11)
        self.users = users
        self.manager = users["manager@demo.fccnet.org"]
        self.today = local_today()
        self.zone = network_zone()
        self.now = utcnow()
        self.keisha, self.ana = providers[0], providers[1]
        self.accounts = {
            "keisha": (self.keisha, users["provider1@demo.fccnet.org"]),
            "ana": (self.ana, users["provider2@demo.fccnet.org"]),
        }
        self.protected = {
            p.id: set(s.expiry_targets) for p, s in zip(providers, stories, strict=True)
        }
        self.trainees = [p for p in providers[2:] if p.stage.key in TRAINING_STAGES]
        self.started = utcnow()

    # --- helpers --------------------------------------------------------------------

    def moment(self, day: date, hour: int, minute: int = 0) -> datetime:
        return datetime.combine(day, time(hour, minute), self.zone).astimezone(UTC)

    def trainer(self, plan: SessionPlan) -> tuple[User | None, str | None]:
        if plan.trainer in self.users:
            return self.users[plan.trainer], None
        return None, plan.trainer or OUTSIDE_TRAINERS[0]

    def speaks(self, provider: Provider, language: str) -> bool:
        return language in (provider.languages or ["en"])

    # --- the catalog ----------------------------------------------------------------

    def create_courses(self) -> dict[str, Course]:
        areas = {a.name_en: a for a in db.session.scalars(select(CkcArea))}
        fallback = db.session.scalar(select(CkcArea).order_by(CkcArea.position).limit(1))
        credentials = {c.name_en: c for c in db.session.scalars(select(Credential))}
        created = self.now - timedelta(days=420)
        courses = {}
        for spec in COURSES:
            with happened_at(created):
                course = create_course(
                    CourseInput(
                        title_en=spec.title_en,
                        title_es=spec.title_es,
                        description_en=spec.description_en,
                        description_es=spec.description_es,
                        ckc_area=areas.get(spec.area, fallback),
                        credit_minutes=spec.minutes,
                        delivery=spec.delivery,
                        credential=credentials.get(spec.credential) if spec.credential else None,
                    ),
                    actor=self.manager,
                )
            _set(Course, course.id, created_at=created)
            courses[spec.key] = course
        return courses

    def create_session(self, plan: SessionPlan, course: Course) -> TrainingSession:
        day = self.today + timedelta(days=plan.days)
        weekend = day.weekday() >= 5
        if course.delivery is Delivery.SELF_PACED:  # open for two weeks
            opens = day - timedelta(days=13) if plan.days < 0 else day
            starts, ends = self.moment(opens, 9), self.moment(opens + timedelta(days=13), 21)
        else:
            if course.delivery is Delivery.IN_PERSON:
                starts = self.moment(day, 9) if weekend else self.moment(day, 18)
            else:
                starts = self.moment(day, 10) if weekend else self.moment(day, 18, 30)
            lunch = 30 if course.credit_minutes >= 240 else 0
            ends = starts + timedelta(minutes=course.credit_minutes + lunch)
        slug = course_slug(course.title_en)
        location = meeting_url = None
        if course.delivery is Delivery.IN_PERSON:
            location = LOCATIONS[plan.days % len(LOCATIONS)]  # varied, the same every run
        elif course.delivery is Delivery.ONLINE_LIVE:
            meeting_url = MEETING_URL.format(key=slug, n=abs(plan.days))
        else:
            meeting_url = SELF_PACED_URL.format(key=slug)
        trainer, trainer_name = self.trainer(plan)
        created = min(starts - timedelta(days=30), self.now - timedelta(days=25))
        with happened_at(created):
            session = create_session(
                SessionInput(
                    course=course,
                    starts_at=starts,
                    ends_at=ends,
                    capacity=plan.capacity,
                    language=plan.language,
                    location=location,
                    meeting_url=meeting_url,
                    trainer=trainer,
                    trainer_name=trainer_name,
                ),
                actor=self.manager,
            )
        _set(TrainingSession, session.id, created_at=created)
        return session

    def registrants(
        self, plan: SessionPlan, course: Course, session: TrainingSession
    ) -> list[tuple[Provider, User]]:
        """Who registers (and who registers them), in the order they did."""
        people: list[tuple[Provider, User]] = []
        if plan.with_account:
            provider, account = self.accounts[plan.with_account]
            people.append((provider, account))
        requirement = course.credential.requirement if course.credential else None
        candidates = [
            p
            for p in self.trainees
            if self.speaks(p, plan.language)
            and p.created_at < session.starts_at - timedelta(days=40)
            and not (requirement and requirement.key in self.protected.get(p.id, ()))
        ]
        self.rng.shuffle(candidates)
        for provider in candidates[: max(0, plan.seats - len(people))]:
            people.append((provider, provider.coach or self.manager))
        return people

    # --- sessions ---------------------------------------------------------------------

    def hold(self, plan: SessionPlan, course: Course) -> TrainingSession:
        """A session in the past: registrations before it, attendance marked after it."""
        rng = self.rng
        session = self.create_session(plan, course)
        if plan.cancelled:
            with happened_at(session.starts_at - timedelta(days=3)):
                cancel_session(session, actor=self.manager)
            return session
        people = self.registrants(plan, course, session)
        times = sorted(
            session.starts_at - timedelta(days=rng.randint(2, 28), minutes=rng.randint(0, 600))
            for _ in people
        )
        for (provider, actor), when in zip(people, times, strict=True):
            with happened_at(when):
                register(session, provider, actor=actor, now=when)
        trainer = session.trainer or self.manager
        marked = min(session.ends_at + timedelta(minutes=rng.randint(30, 900)), self.now)
        registrations = db.session.scalars(
            select(Registration)
            .where(
                Registration.session_id == session.id,
                Registration.status == RegistrationStatus.REGISTERED,
            )
            .order_by(Registration.id)
        ).all()
        marks = []
        for registration in registrations:
            roll = rng.random()
            if registration.provider_id in (self.keisha.id, self.ana.id) or roll < 0.8:
                marks.append(AttendanceMark(registration.id, Attendance.ATTENDED))
            elif roll < 0.9 and course.delivery is not Delivery.SELF_PACED:
                half = max(15, course.credit_minutes // 2 // 15 * 15)
                marks.append(AttendanceMark(registration.id, Attendance.PARTIAL, half))
            else:
                marks.append(AttendanceMark(registration.id, Attendance.NO_SHOW))
        with happened_at(marked):
            record_attendance(session, marks, actor=trainer, now=marked)
            if course.delivery is Delivery.IN_PERSON and plan.days in (-120, -12):
                registered = {r.provider_id for r in registrations}
                walk_in = next(
                    (p for p in self.trainees if p.id not in registered and self.speaks(p, "en")),
                    None,
                )
                if walk_in is not None:
                    add_walk_in(session, walk_in, actor=trainer, now=marked)
        self.backdate_marks(session, marked, course)
        return session

    def backdate_marks(self, session: TrainingSession, marked: datetime, course: Course) -> None:
        """What the services stamped with the real clock, at the time it happened."""
        db.session.execute(
            update(Registration)
            .where(Registration.session_id == session.id, Registration.attendance.is_not(None))
            .values(attendance_marked_at=marked),
            execution_options={"synchronize_session": False},
        )
        registration_ids = select(Registration.id).where(Registration.session_id == session.id)
        db.session.execute(
            update(Credit)
            .where(Credit.registration_id.in_(registration_ids))
            .values(created_at=marked, reviewed_at=marked),
            execution_options={"synchronize_session": False},
        )
        requirement_id = course.credential.requirement_id if course.credential else None
        if requirement_id is not None:
            provider_ids = select(Registration.provider_id).where(
                Registration.session_id == session.id
            )
            db.session.execute(
                update(ChecklistItem)
                .where(
                    ChecklistItem.provider_id.in_(provider_ids),
                    ChecklistItem.requirement_id == requirement_id,
                    ChecklistItem.updated_at >= self.started,
                )
                .values(updated_at=marked),
                execution_options={"synchronize_session": False},
            )
        db.session.expire_all()

    def schedule(self, plan: SessionPlan, course: Course) -> TrainingSession:
        """A coming session with its registrations (and waitlist)."""
        rng = self.rng
        session = self.create_session(plan, course)
        if plan.cancelled:
            with happened_at(self.now - timedelta(days=2)):
                cancel_session(session, actor=self.manager)
            return session
        people = self.registrants(plan, course, session)
        times = sorted(
            self.now - timedelta(days=rng.randint(1, 20), minutes=rng.randint(0, 600))
            for _ in people
        )
        registrations = []
        for (provider, actor), when in zip(people, times, strict=True):
            with happened_at(when):
                registrations.append(register(session, provider, actor=actor, now=when))
        waitlisted = [r for r in registrations if r.status is RegistrationStatus.WAITLISTED]
        if waitlisted:  # someone with a seat cancels; the first in line moves up
            leaving = next(
                r
                for r in registrations
                if r.status is RegistrationStatus.REGISTERED
                and r.provider_id not in (self.keisha.id, self.ana.id)
            )
            with happened_at(self.now - timedelta(hours=6)):
                cancel_registration(leaving, actor=leaving.provider.coach or self.manager)
        return session

    # --- credits from elsewhere ---------------------------------------------------------

    def submit(
        self,
        provider: Provider,
        actor: User,
        *,
        title: str,
        organisation: str,
        taken_on: date,
        minutes: int,
        area: str,
        credential: str | None = None,
        submitted_days_ago: int,
    ) -> Credit:
        area_row = db.session.scalar(select(CkcArea).where(CkcArea.name_en == area))
        area_row = area_row or db.session.scalar(select(CkcArea).order_by(CkcArea.position))
        credential_row = None
        if credential:
            credential_row = db.session.scalar(
                select(Credential).where(Credential.name_en == credential)
            )
        when = min(
            self.moment(self.today - timedelta(days=submitted_days_ago), 19, 15),
            self.now - timedelta(minutes=30),
        )
        evidence = evidence_pdf(
            "Certificate of completion",
            provider.legal_name,
            title,
            organisation,
            taken_on.isoformat(),
        )
        with happened_at(when):
            credit = submit_external_credit(
                provider,
                ExternalCreditInput(
                    title=title,
                    organisation=organisation,
                    taken_on=taken_on,
                    minutes=minutes,
                    ckc_area=area_row,
                    evidence=evidence,
                    evidence_filename=f"{course_slug(title)}-certificate.pdf",
                    credential=credential_row,
                ),
                actor=actor,
                today=self.today,
            )
        _set(Credit, credit.id, created_at=when)
        _set(Document, credit.document_id, uploaded_at=when)
        return credit

    def review(self, credit: Credit, *, days_later: int, reason: str | None = None) -> None:
        when = min(credit.created_at + timedelta(days=days_later), self.now - timedelta(minutes=5))
        with happened_at(when):
            if reason is None:
                approve_credit(credit, actor=self.manager)
            else:
                reject_credit(credit, reason, actor=self.manager)
        _set(Credit, credit.id, reviewed_at=when)

    def external_credits(self) -> None:
        keisha, keisha_user = self.accounts["keisha"]
        ana, ana_user = self.accounts["ana"]
        # Keisha's CPR card from the Red Cross: the checklist's date, expiring in 25 days.
        cpr_item = db.session.scalar(
            select(ChecklistItem)
            .join(ChecklistItem.requirement)
            .where(
                ChecklistItem.provider_id == keisha.id,
                ChecklistItem.member_key == 0,
                Requirement.key == "cpr",
            )
        )
        if cpr_item is not None and cpr_item.completed_on is not None:
            credit = self.submit(
                keisha,
                keisha_user,
                title="Pediatric CPR and AED",
                organisation="American Red Cross",
                taken_on=cpr_item.completed_on,
                minutes=180,
                area=HEALTH,
                credential="CPR",
                submitted_days_ago=(self.today - cpr_item.completed_on).days - 2,
            )
            self.review(credit, days_later=2)
        credit = self.submit(
            keisha,
            keisha_user,
            title="Supporting Dual Language Learners",
            organisation="Connecticut Office of Early Childhood",
            taken_on=self.today - timedelta(days=96),
            minutes=90,
            area="Teaching Practices and Learning Environments",
            submitted_days_ago=94,
        )
        self.review(credit, days_later=3)
        others = self.trainees
        rejected = self.submit(
            others[3],
            others[3].coach or self.manager,
            title="Family child care conference (attendance letter)",
            organisation="Connecticut Family Child Care Alliance",
            taken_on=self.today - timedelta(days=70),
            minutes=360,
            area="Professionalism and Leadership",
            submitted_days_ago=66,
        )
        self.review(rejected, days_later=4, reason=REJECTION_REASONS[1])
        # Waiting for a manager.
        self.submit(
            ana,
            ana_user,
            title="Introducción al desarrollo infantil",
            organisation="Centro de Recursos Familiares",
            taken_on=self.today - timedelta(days=12),
            minutes=120,
            area="Child Development and Learning",
            submitted_days_ago=5,
        )
        for index, (title, organisation, area, minutes, credential, days) in enumerate(
            [
                (
                    "Trauma-Informed Care in Early Childhood",
                    "Connecticut Children's",
                    "Child Development and Learning",
                    180,
                    None,
                    2,
                ),
                (
                    "Pediatric First Aid/CPR/AED",
                    "American Heart Association",
                    HEALTH,
                    240,
                    "First Aid",
                    8,
                ),
                (
                    "Developmental Screening with the ASQ-3",
                    "Help Me Grow Connecticut",
                    "Observation, Documentation and Assessment",
                    120,
                    None,
                    1,
                ),
            ]
        ):
            provider = others[7 + 5 * index]
            self.submit(
                provider,
                provider.coach or self.manager,
                title=title,
                organisation=organisation,
                taken_on=self.today - timedelta(days=days + 10),
                minutes=minutes,
                area=area,
                credential=credential,
                submitted_days_ago=days,
            )

    def run(self) -> None:
        courses = self.create_courses()
        for plan in PAST_SESSIONS:
            self.hold(plan, courses[plan.course])
        for plan in UPCOMING_SESSIONS:
            self.schedule(plan, courses[plan.course])
        self.external_credits()
        db.session.flush()
