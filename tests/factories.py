"""Small factories that build exactly what a test needs.

Users come back as `Principal` snapshots (plain values), so a test can use them across
requests without holding a database session open.
"""

import itertools
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from sqlalchemy import select

from fccnet.auth import services as auth_services
from fccnet.auth.models import Role, User
from fccnet.extensions import db

DEFAULT_PASSWORD = "a long test passphrase"
_sequence = itertools.count(1)


@dataclass(frozen=True)
class Principal:
    id: int
    email: str
    name: str
    role: Role
    password: str | None

    def load(self) -> User:
        """The live model object (needs an app context)."""
        return db.session.get(User, self.id)


def create_user(
    *,
    role: Role | str = Role.COACH,
    email: str | None = None,
    name: str | None = None,
    password: str | None = DEFAULT_PASSWORD,
    language: str = "en",
    active: bool = True,
) -> Principal:
    """Create and commit a user. Needs an app context."""
    role = Role(role)
    number = next(_sequence)
    user = auth_services.create_user(
        email=email or f"{role.value}{number}@example.org",
        name=name or f"Test {role.value.title()} {number}",
        role=role,
        language=language,
        actor=None,
    )
    if password is not None:
        auth_services.set_password(user, password, actor=None)
    user.active = active
    db.session.commit()
    return Principal(user.id, user.email, user.name, user.role, password)


def ensure_defaults() -> None:
    """The seeded stages, requirements, towns and referral sources (an app context)."""
    from fccnet.defaults import ensure_defaults as seed

    seed()
    db.session.commit()


def town(name: str = "Hartford"):
    from fccnet.providers.models import Town

    return db.session.scalar(select(Town).where(Town.name == name))


def neighborhood(name: str = "Frog Hollow"):
    from fccnet.providers.models import Neighborhood

    return db.session.scalar(select(Neighborhood).where(Neighborhood.name == name))


def create_provider(*, actor: User, coach: User | None = None, **overrides):
    """A provider in Hartford (Frog Hollow) unless told otherwise. Needs the defaults."""
    from fccnet.providers import services as provider_services

    number = next(_sequence)
    data = {
        "legal_name": f"Provider {number}",
        "town_id": town().id,
        "neighborhood_id": neighborhood().id,
        "phone": None,
        "email": None,
        "languages": ["en"],
        "preferred_language": "en",
    }
    data.update(overrides)
    provider = provider_services.create_provider(data, actor=actor, coach=coach)
    db.session.commit()
    return provider


# --- Training ---------------------------------------------------------------------------
# Built through the services and flushed like them, not committed: a test that needs the
# rows outside its own session (a request, a thread) commits them. They need the defaults
# and an app context.

# The smallest file the evidence store takes for a PDF.
PDF = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\n%%EOF\n"
# The CKC area of CPR, of credits from elsewhere and of credentials held, unless told.
HEALTH = "Health, Safety and Nutrition"


def ckc_area(name_en: str | None = None, *, position: int | None = None):
    """A seeded CKC area by its English name or its position; the first one otherwise."""
    from fccnet.training.models import CkcArea

    query = select(CkcArea).order_by(CkcArea.position).limit(1)
    if name_en is not None:
        query = query.where(CkcArea.name_en == name_en)
    if position is not None:
        query = query.where(CkcArea.position == position)
    return db.session.scalar(query)


def credential(name_en: str = "CPR"):
    """A seeded credential by its English name."""
    from fccnet.training.models import Credential

    return db.session.scalar(select(Credential).where(Credential.name_en == name_en))


def course_input(**fields):
    """A CourseInput: "Safe sleep", three credit hours, in person, in the first CKC area,
    no credential; `fields` (CourseInput's names) replace any of these."""
    from fccnet.training.models import Delivery
    from fccnet.training.services import CourseInput

    values = {
        "title_en": "Safe sleep",
        "title_es": "Sueño seguro",
        "description_en": "",
        "description_es": "",
        "credit_minutes": 180,
        "delivery": Delivery.IN_PERSON,
        "credential": None,
        **fields,
    }
    if "ckc_area" not in values:
        values["ckc_area"] = ckc_area()
    return CourseInput(**values)


def create_course(actor, **fields):
    """A course through the service (see course_input for what `fields` change)."""
    from fccnet.training import services

    return services.create_course(course_input(**fields), actor=actor)


def session_input(course, *, hours: float = 3, **fields):
    """A SessionInput of `course`: a week from now (whole seconds), `hours` long unless
    `ends_at` is given, 10 seats, in English, at Hartford Public Library, taught by the
    outside trainer "Ana Ruiz"; `fields` (SessionInput's names) replace any of these.
    A staff `trainer` replaces the outside name."""
    from fccnet.database import utcnow
    from fccnet.training.services import SessionInput

    starts_at = fields.pop("starts_at", None) or utcnow().replace(microsecond=0) + timedelta(days=7)
    values = {
        "course": course,
        "starts_at": starts_at,
        "ends_at": starts_at + timedelta(hours=hours),
        "capacity": 10,
        "language": "en",
        "location": "Hartford Public Library",
        "meeting_url": None,
        "trainer": None,
        "trainer_name": "Ana Ruiz",
        **fields,
    }
    return SessionInput(**values)


def create_session(course, *, actor, hours: float = 3, **fields):
    """A session through the service (see session_input for what `fields` change)."""
    from fccnet.training import services

    return services.create_session(session_input(course, hours=hours, **fields), actor=actor)


def this_pd_year_start() -> datetime:
    """A moment that has passed and falls in the current PD year (an hour ago, or the
    first minute of the year when it began less than an hour ago)."""
    from fccnet.clock import network_zone
    from fccnet.credits.services import current_pd_year
    from fccnet.database import utcnow

    first = datetime.combine(current_pd_year().start, time.min, tzinfo=network_zone())
    return max(utcnow() - timedelta(hours=1), first)


def create_cpr_session(
    actor,
    *,
    starts_at: datetime | None = None,
    minutes: int = 180,
    title_en: str = "CPR for caregivers",
    title_es: str = "RCP para cuidadoras",
):
    """A course granting the CPR credential (in HEALTH, `minutes` of credit) and one
    session of it as long as its credit, taught by the outside trainer "Rosa Trainer" at
    Park Street Library; by default it began this PD year."""
    course = create_course(
        actor,
        title_en=title_en,
        title_es=title_es,
        ckc_area=ckc_area(HEALTH),
        credit_minutes=minutes,
        credential=credential("CPR"),
    )
    return create_session(
        course,
        actor=actor,
        starts_at=starts_at or this_pd_year_start(),
        hours=minutes / 60,
        capacity=20,
        location="Park Street Library",
        trainer_name="Rosa Trainer",
    )


def register_before_start(session, provider, *, actor):
    """The provider registered a day before the session starts (sessions that have started
    take no registration)."""
    from fccnet.training import services

    return services.register(
        session, provider, actor=actor, now=session.starts_at - timedelta(days=1)
    )


def attend(session, provider, actor, attendance=None, minutes=None):
    """The provider on the session's roster as a walk-in with this attendance (attended
    unless told); the session must have started."""
    from fccnet.attendance.services import add_walk_in
    from fccnet.training.models import Attendance

    return add_walk_in(
        session,
        provider,
        actor=actor,
        attendance=attendance or Attendance.ATTENDED,
        minutes=minutes,
    )


def submit_credit(provider, actor, **fields):
    """A pending credit from elsewhere (two hours today, in HEALTH), with a PDF as
    evidence; `fields` (ExternalCreditInput's names) replace any of these."""
    from fccnet.clock import local_today
    from fccnet.credits.services import ExternalCreditInput, submit_external_credit

    values = {
        "title": "Infant sleep safety",
        "organisation": "Capital Community College",
        "taken_on": local_today(),
        "minutes": 120,
        "evidence": PDF,
        "evidence_filename": "certificate.pdf",
        "credential": None,
        **fields,
    }
    if "ckc_area" not in values:
        values["ckc_area"] = ckc_area(HEALTH)
    return submit_external_credit(provider, ExternalCreditInput(**values), actor=actor)


def add_held_credential(provider, name_en: str, expires_on, *, taken_on):
    """An approved hour from elsewhere (the Red Cross, in HEALTH) that granted this
    credential, expiring on `expires_on` (None: it never does)."""
    from fccnet.training.models import Credit, CreditSource, CreditStatus

    credit = Credit(
        provider_id=provider.id,
        source=CreditSource.EXTERNAL,
        title=f"{name_en} course",
        organisation="Red Cross",
        taken_on=taken_on,
        minutes=60,
        ckc_area_id=ckc_area(HEALTH).id,
        credential_id=credential(name_en).id,
        credential_expires_on=expires_on,
        status=CreditStatus.APPROVED,
    )
    db.session.add(credit)
    return credit
