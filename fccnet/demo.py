"""Demo data for trying fccnet out. Never loaded under the production config.

`seed_demo()` creates the demo accounts and about sixty providers through the real
services (so the audit trail, stage history and checklists are what a coach's
clicks would leave), then back-dates the timestamps so "days in stage" and the
audit log read like two years of work. `seed_scale()` is the same accounts plus any
number of generated providers written in bulk (fccnet.demo_scale).
"""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta

from sqlalchemy import func, select, update
from sqlalchemy.orm import selectinload

from fccnet.audit.models import AuditEvent
from fccnet.audit.services import record_event
from fccnet.auth import services as auth_services
from fccnet.auth.models import Role, User
from fccnet.demo_scale import (
    SEED,
    GeneratedCounts,
    ItemState,
    MemberStory,
    ProviderStory,
    Reference,
    StoryMaker,
    generate_providers,
    seeded,
)
from fccnet.extensions import db
from fccnet.licensing.models import ChecklistItem, ItemStatus, StageChange
from fccnet.licensing.services import ItemUpdate, move_stage, update_item
from fccnet.providers.models import CoachAssignment, Provider
from fccnet.providers.services import add_household_member, create_provider

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
