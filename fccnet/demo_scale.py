"""Made-up providers, reproducibly: the stories behind the demo and the scale data.

`StoryMaker` invents providers (names from Faker's en_US, es_MX and es_ES locales,
Hartford addresses by neighborhood and the nearby towns, households, a stage
history with realistic dates, what each checklist item's status would be).
`fccnet.demo` replays about sixty stories through the real services;
`generate_providers()` writes any number of them with bulk inserts, in the same
shape the services produce (search_text, E.164 phones, member_key, version=1,
the checklist items the real rules would create, stage changes, coach
assignments and the creation and stage-change audit rows).

Everything is drawn from seeded random generators, so the same seed on the same
day gives the same data. Nothing here commits: callers commit.
"""

import hashlib
import itertools
import random
import unicodedata
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from types import SimpleNamespace
from typing import TYPE_CHECKING

import phonenumbers
from sqlalchemy import func, insert, select

from fccnet.audit.models import AuditEvent
from fccnet.audit.services import jsonable  # the audit log's own value encoding
from fccnet.auth.models import Role, User
from fccnet.clock import local_today, network_zone
from fccnet.database import utcnow
from fccnet.defaults import ensure_defaults
from fccnet.extensions import db
from fccnet.licensing.models import (
    LICENSED_STAGE_KEY,
    ChecklistItem,
    Document,
    ItemStatus,
    Requirement,
    Stage,
    StageChange,
)
from fccnet.licensing.services import LicenseDetails, add_months, obligations
from fccnet.providers.models import (
    CoachAssignment,
    HouseholdMember,
    Neighborhood,
    Provider,
    ReferralSource,
    Town,
)
from fccnet.providers.services import search_text_for
from fccnet.settings.services import get_setting
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

if TYPE_CHECKING:
    from fccnet.coaching.demo import CoachingCounts

SEED = 2026
FAKER_LOCALES = ["en_US", "es_MX", "es_ES"]
HISTORY_DAYS = 730  # first contacts fall within the past two years

OPEN_STAGES = [
    "inquiry",
    "orientation",
    "preparing_application",
    "application_submitted",
    "awaiting_inspection",
    "licensed",
    "active_member",
]
STAGE_INDEX = {key: index for index, key in enumerate(OPEN_STAGES)}
ORIENTATION, PREPARING, SUBMITTED, AWAITING, LICENSED, ACTIVE = range(1, 7)

# Days spent in a stage before moving on, and (for the current stage) so far.
DAYS_BEFORE_MOVING_ON = {
    "inquiry": (3, 40),
    "orientation": (7, 45),
    "preparing_application": (21, 150),
    "application_submitted": (14, 60),
    "awaiting_inspection": (30, 120),  # fingerprint results can take 90 days or more
    "licensed": (20, 90),
}
DAYS_SO_FAR = {
    "inquiry": (0, 120),
    "orientation": (0, 90),
    "preparing_application": (0, 240),
    "application_submitted": (0, 90),
    "awaiting_inspection": (0, 150),
    "licensed": (0, 100),
    "active_member": (10, 450),
    "paused": (5, 300),
    "withdrawn": (5, 400),
    "not_eligible": (5, 300),
}
# The scale data's funnel: many prospects, a large licensed base, some closed.
SCALE_STAGE_WEIGHTS = {
    "inquiry": 24,
    "orientation": 14,
    "preparing_application": 14,
    "application_submitted": 6,
    "awaiting_inspection": 5,
    "licensed": 4,
    "active_member": 14,
    "paused": 5,
    "withdrawn": 10,
    "not_eligible": 4,
}
# Where a closed record was when it closed (index into OPEN_STAGES).
CLOSED_FROM = {
    "paused": (1, 2, 2, 3, 4, 5, 6, 6),
    "withdrawn": (0, 1, 1, 2, 2, 2, 3, 4),
    "not_eligible": (0, 0, 1, 1, 2),
}
CLOSED_REASONS = {
    "paused": [
        "Expecting a baby; plans to resume in the spring",
        "Caring for a sick parent for a few months",
        "Moving to a new apartment; the license is tied to the residence",
        "Renovating the home; will call when the work is done",
        "Pausa por motivos familiares; retomará en otoño",
    ],
    "withdrawn": [
        "Took a full-time job at a child care center",
        "Landlord will not allow child care in the apartment",
        "Decided family child care is not right for her family",
        "Moved out of the hub's towns",
        "No respondió después de varios intentos de contacto",
        "Could not reach her after several calls and texts",
    ],
    "not_eligible": [
        "Applicant is under 20 years old",
        "Home is not her primary residence",
        "Se muda fuera de Connecticut",
        "Household member cannot pass the background check",
    ],
}
STAGE_NOTES = {
    "orientation": [
        "Came to the evening orientation at the library.",
        "Asistió a la orientación en español.",
        "Orientation by video call.",
    ],
    "preparing_application": [
        "Starting the OEC online application together.",
        "Needs the landlord letter and three references.",
        "Empezando la solicitud; le falta la carta del dueño.",
    ],
    "application_submitted": [
        "Application and fee sent to OEC.",
        "Solicitud enviada con el pago.",
    ],
    "awaiting_inspection": [
        "Fingerprints done; waiting for the pre-license visit.",
        "Esperando la visita de inspección.",
    ],
    "licensed": ["License received.", "¡Licencia aprobada!"],
    "active_member": [
        "Joined the network's training calendar.",
        "Signed the network member agreement.",
    ],
}

# fmt: off
TOWN_WEIGHTS = {
    "Hartford": 55, "East Hartford": 8, "New Britain": 7, "Bloomfield": 5, "West Hartford": 5,
    "Windsor": 4, "Manchester": 4, "Wethersfield": 3, "Newington": 2, "Enfield": 2,
    "Windsor Locks": 1, "Vernon": 1, "Rocky Hill": 1, "Granby": 0.5, "Canton": 0.5,
    "Bolton": 0.5, "Suffield": 0.5,
}
WELL_TOWNS = {"Granby", "East Granby", "Canton", "Bolton", "Marlborough", "Suffield", "Avon"}
# (weight, streets): the Promise Zone (Clay-Arsenal, Northeast, Upper Albany) is well represented.
NEIGHBORHOOD_STREETS = {
    "Asylum Hill": (8, ["Asylum Avenue", "Sigourney Street", "Collins Street", "Huntington Street"]),
    "Barry Square": (8, ["Washington Street", "Broad Street", "New Britain Avenue", "Webster Street"]),
    "Behind the Rocks": (6, ["Hillside Avenue", "Zion Street", "Summit Street", "Brookfield Street"]),
    "Blue Hills": (8, ["Blue Hills Avenue", "Granby Street", "Cornwall Street", "Plainfield Street"]),
    "Clay-Arsenal": (8, ["Garden Street", "Mather Street", "Clark Street", "Brook Street"]),
    "Downtown": (1, ["Main Street", "Trumbull Street"]),
    "Frog Hollow": (9, ["Park Street", "Lawrence Street", "Babcock Street", "Putnam Street"]),
    "North Meadows": (1, ["Weston Street"]),
    "Northeast": (10, ["Barbour Street", "Enfield Street", "Capen Street", "Westland Street"]),
    "Parkville": (6, ["Bartholomew Avenue", "Francis Avenue", "New Park Avenue", "Park Street"]),
    "Sheldon/Charter Oak": (3, ["Charter Oak Avenue", "Wyllys Street", "Sheldon Street"]),
    "South End": (7, ["Franklin Avenue", "Wethersfield Avenue", "Goodrich Street", "Maple Avenue"]),
    "South Green": (4, ["Wethersfield Avenue", "Congress Street", "Main Street"]),
    "South Meadows": (1, ["Airport Road"]),
    "Southwest": (4, ["Newfield Avenue", "Fairfield Avenue", "Stanwood Street"]),
    "Upper Albany": (9, ["Albany Avenue", "Magnolia Street", "Irving Street", "Edgewood Street"]),
    "West End": (4, ["Farmington Avenue", "Prospect Avenue", "Kenyon Street", "Girard Avenue"]),
}
TOWN_STREETS = {
    "East Hartford": ["Burnside Avenue", "Main Street", "Forbes Street", "Silver Lane"],
    "West Hartford": ["Farmington Avenue", "New Britain Avenue", "Park Road", "Quaker Lane South"],
    "Windsor": ["Poquonock Avenue", "Palisado Avenue", "Broad Street", "Kennedy Road"],
    "Bloomfield": ["Park Avenue", "Blue Hills Avenue", "Tunxis Avenue", "Wintonbury Avenue"],
    "New Britain": ["Broad Street", "Arch Street", "Stanley Street", "Oak Street"],
    "Manchester": ["Main Street", "Center Street", "Spruce Street", "Oakland Street"],
    "Wethersfield": ["Silas Deane Highway", "Wolcott Hill Road", "Ridge Road"],
    "Newington": ["Main Street", "Willard Avenue", "Cedar Street"],
    "Enfield": ["Enfield Street", "Elm Street", "Hazard Avenue"],
}
OTHER_STREETS = ["Main Street", "Church Street", "Elm Street", "Maple Avenue", "Center Street",
                 "School Street", "Spring Street", "Pleasant Street", "Oak Street", "Hillside Road"]
REFERRAL_WEIGHTS = {
    "Word of mouth": 30, "Another provider": 20, "Community event": 10, "Social media": 12,
    "City website": 6, "2-1-1 or a social service agency": 8, "Care 4 Kids": 6,
    "Flyer or poster": 5, "Other": 3,
}
BUSINESS_EN = ["Little Stars", "Happy Hearts", "Bright Beginnings", "Sunshine Kids", "Tiny Steps",
               "Growing Minds", "Busy Bees", "Rainbow Kids", "Little Learners", "Cozy Corner"]
BUSINESS_ES = ["Pequeños Pasos", "Mis Angelitos", "Rayito de Sol", "Casita Feliz", "Estrellitas",
               "Semillitas", "Mundo Infantil", "Arcoíris", "Corazones Felices", "Mi Jardín"]
BUSINESS_KIND = ["Family Child Care", "Home Daycare", "Daycare", "Family Day Care"]
AGES_SERVED = ["Infants to school age", "Toddlers and preschool (18 months to 5 years)",
               "2 to 12 years", "6 weeks to 5 years"]
HOURS = ["Mon-Fri 6:30 am to 5:30 pm", "Mon-Fri 7:00 am to 6:00 pm",
         "Mon-Sat 6:00 am to 6:00 pm", "Mon-Fri 7:00 am to 5:00 pm; evenings by arrangement"]
STAFF_NOTES = [
    "Prefers calls after 3 pm.", "Needs help with the OEC online account.",
    "Interested in the Care 4 Kids provider orientation.", "Prefiere mensajes de texto por WhatsApp.",
    "Landlord letter still needed.", "Asked about the CACFP food program.",
    "Tiene preguntas sobre el seguro de responsabilidad.", "Works second shift; visits on Saturdays.",
    "Wants to take the First Aid class in Spanish.", "Daughter helps with email.",
]
# fmt: on
WAIVED_REASONS = {
    "medication_injectable": [
        "No child in care needs injectable medication",
        "Ningún niño necesita medicamentos inyectables",
    ],
    "references": ["Previously licensed; references on file with OEC"],
    "orientation": ["Attended the orientation with another network in 2023"],
}
LICENSE_ISSUED_KEYS = {"license"}


@dataclass
class MemberStory:
    name: str
    relationship_to_provider: str
    born_on: date
    moved_in_on: date | None = None
    moved_out_on: date | None = None
    added_at: datetime | None = None

    def data(self) -> dict:
        return {
            "name": self.name,
            "relationship_to_provider": self.relationship_to_provider,
            "born_on": self.born_on,
            "moved_in_on": self.moved_in_on,
            "moved_out_on": self.moved_out_on,
        }


@dataclass
class StageStep:
    key: str
    at: datetime
    reason: str | None = None
    note: str | None = None


@dataclass
class ItemState:
    """What a story says happened to one checklist item, and on which day."""

    status: ItemStatus
    on: date
    due_on: date | None = None
    submitted_on: date | None = None
    completed_on: date | None = None
    waived_reason: str | None = None


@dataclass
class ProviderStory:
    fields: dict  # fccnet.providers.services.PROVIDER_FIELDS, phone already E.164
    coach_index: int
    household: list[MemberStory]
    steps: list[StageStep]  # the first is the stage at first contact
    license: LicenseDetails | None = None
    # requirement key -> days from today its expiry should fall (demo: the 30/60/90 windows)
    expiry_targets: dict[str, int] = field(default_factory=dict)
    seed: int = 0

    def __post_init__(self) -> None:
        # Decides the checklist (called in a fixed order, so reproducible too).
        self.rng = seeded(self.seed + 1)

    @property
    def created_at(self) -> datetime:
        return self.steps[0].at

    @property
    def stage_key(self) -> str:
        return self.steps[-1].key

    @property
    def reached(self) -> int:
        """The furthest open stage reached (an index into OPEN_STAGES)."""
        return max(STAGE_INDEX[s.key] for s in self.steps if s.key in STAGE_INDEX)

    def licensed_on(self, day: date) -> bool:
        issued = self.license.issued_on if self.license else None
        return issued is not None and day >= issued


@dataclass
class Reference:
    """The ids and settings stories are built from (one read of the reference lists)."""

    stages: dict[str, Stage]
    towns: dict[str, int]
    hartford_id: int | None
    neighborhoods: dict[str, int]
    referral_sources: dict[str, int]
    requirements: list[Requirement]
    license_months: int

    @classmethod
    def load(cls) -> "Reference":
        stages = {s.key: s for s in db.session.scalars(select(Stage).where(Stage.active))}
        towns = dict(db.session.execute(select(Town.name, Town.id).where(Town.active)).all())
        hartford_id = towns.get("Hartford")
        hoods = dict(
            db.session.execute(
                select(Neighborhood.name, Neighborhood.id).where(
                    Neighborhood.town_id == hartford_id
                )
            ).all()
        )
        if not hoods:  # Hartford has no neighborhoods here: treat it like any other town
            hartford_id = None
        sources = dict(
            db.session.execute(
                select(ReferralSource.name_en, ReferralSource.id).where(ReferralSource.active)
            ).all()
        )
        requirements = list(
            db.session.scalars(
                select(Requirement)
                .where(Requirement.active.is_(True))
                .order_by(Requirement.position)
            )
        )
        return cls(
            stages=stages,
            towns=towns,
            hartford_id=hartford_id,
            neighborhoods=hoods,
            referral_sources=sources,
            requirements=requirements,
            license_months=get_setting("license_validity_months"),
        )


def seeded(seed: int | str) -> random.Random:
    """A reproducible generator for made-up data (never for anything secret)."""
    return random.Random(seed)  # noqa: S311


def _ascii(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in plain if ch.isascii() and (ch.isalnum() or ch in ".-"))


def fictional_phones(rng: random.Random) -> list[str]:
    """E.164 numbers in the 555-0100..0199 range reserved for fiction: Connecticut's area
    codes first (shuffled), then the other US area codes libphonenumber accepts."""
    local, other = [], []
    for area in range(201, 990):
        number = phonenumbers.parse(f"+1{area}5550100")
        if not phonenumbers.is_valid_number(number):
            continue
        if phonenumbers.region_code_for_number(number) != "US":
            continue
        block = [f"+1{area}55501{line:02d}" for line in range(100)]
        (local if area in (860, 959, 203, 475) else other).extend(block)
    rng.shuffle(local)
    rng.shuffle(other)
    return local + other


class NamePool:
    """First and last names drawn once from Faker (fast enough for any scale)."""

    def __init__(self, seed: int, size: int = 300):
        # Imported here: the app imports this module for its CLI, and serving needs no Faker.
        from faker import Faker

        fake = Faker(FAKER_LOCALES)
        fake.seed_instance(seed)
        self.en = SimpleNamespace(
            female=[fake["en_US"].first_name_female() for _ in range(size)],
            male=[fake["en_US"].first_name_male() for _ in range(size)],
            last=[fake["en_US"].last_name() for _ in range(size)],
        )
        es_locales = ("es_MX", "es_ES")
        self.es = SimpleNamespace(
            female=[fake[es_locales[i % 2]].first_name_female() for i in range(size)],
            male=[fake[es_locales[i % 2]].first_name_male() for i in range(size)],
            last=[fake[es_locales[i % 2]].last_name() for i in range(size)],
        )


class StoryMaker:
    def __init__(self, reference: Reference, *, seed: int = SEED, today: date | None = None):
        self.ref = reference
        self.seed = seed
        self.requirements = {r.key: r for r in reference.requirements}
        self.rng = seeded(seed)
        self.names = NamePool(seed)
        self.phones = iter(fictional_phones(seeded(seed + 1)))
        self.today = today or local_today()
        self.zone = network_zone()
        self.now = utcnow()
        self.emails = itertools.count(1)
        self.licenses = itertools.count(51000 + seeded(seed).randrange(1000))
        town_names = [name for name in TOWN_WEIGHTS if name in reference.towns]
        if not town_names:
            town_names = sorted(reference.towns)
        self.town_names = town_names
        self.town_weights = [TOWN_WEIGHTS.get(name, 1) for name in town_names]
        self.hoods = [name for name in NEIGHBORHOOD_STREETS if name in reference.neighborhoods]
        self.hood_weights = [NEIGHBORHOOD_STREETS[name][0] for name in self.hoods]
        if not self.hoods:  # a renamed list: equal weights
            self.hoods = sorted(reference.neighborhoods)
            self.hood_weights = [1] * len(self.hoods)
        self.sources = [name for name in REFERRAL_WEIGHTS if name in reference.referral_sources]
        self.source_weights = [REFERRAL_WEIGHTS[name] for name in self.sources]
        stages = [key for key in SCALE_STAGE_WEIGHTS if key in reference.stages]
        self.scale_stages = stages
        self.scale_weights = [SCALE_STAGE_WEIGHTS[key] for key in stages]

    # --- helpers -------------------------------------------------------------------------

    def random_stage(self) -> str:
        return self.rng.choices(self.scale_stages, self.scale_weights)[0]

    def moment(self, day: date, rng: random.Random) -> datetime:
        """A working-hours moment of a local day, in UTC, never in the future."""
        minutes = rng.randrange(8 * 60 + 30, 17 * 60 + 30)
        local = datetime.combine(day, time(minutes // 60, minutes % 60), self.zone)
        return min(local.astimezone(UTC), self.now - timedelta(minutes=rng.randrange(5, 60)))

    def birthday(self, age: int, rng: random.Random, extra_days: int | None = None) -> date:
        days = rng.randrange(0, 365) if extra_days is None else extra_days
        born = add_months(self.today, -12 * age) - timedelta(days=days)
        return born

    # --- one provider ----------------------------------------------------------------------

    def story(
        self,
        stage_key: str,
        *,
        spanish: bool | None = None,
        name: tuple[str, str] | None = None,
        email: str | None = None,
        town: str | None = None,
        neighborhood: str | None = None,
        coach_index: int | None = None,
        days_so_far: int | None = None,
    ) -> ProviderStory:
        seed = self.rng.getrandbits(48)
        rng = seeded(seed)
        spanish = rng.random() < 0.55 if spanish is None else spanish
        pool = self.names.es if spanish else self.names.en
        female = rng.random() < 0.94
        first = rng.choice(pool.female if female else pool.male)
        last = rng.choice(pool.last)
        legal_name = f"{first} {last}"
        preferred_name = None
        if name is not None:
            legal_name, preferred_name = name
            first, last = legal_name.split()[0], legal_name.split()[1]
        elif spanish and rng.random() < 0.5:
            legal_name = f"{first} {last} {rng.choice(pool.last)}"
            preferred_name = f"{first} {last}" if rng.random() < 0.5 else None
        elif rng.random() < 0.12:
            preferred_name = first[:3] if len(first) > 5 else None
        if spanish:
            languages = ["es"] if rng.random() < 0.45 else ["en", "es"]
        else:
            languages = ["en"] if rng.random() < 0.9 else ["en", "es"]
        preferred_language = languages[-1] if len(languages) == 1 or rng.random() < 0.6 else "en"
        if languages == ["en"]:
            preferred_language = "en"

        town = town or rng.choices(self.town_names, self.town_weights)[0]
        town_id = self.ref.towns[town]
        neighborhood_id, streets = None, TOWN_STREETS.get(town, OTHER_STREETS)
        if town_id == self.ref.hartford_id:
            neighborhood = neighborhood or rng.choices(self.hoods, self.hood_weights)[0]
            neighborhood_id = self.ref.neighborhoods[neighborhood]
            streets = NEIGHBORHOOD_STREETS.get(neighborhood, (1, OTHER_STREETS))[1]
        street = f"{rng.randrange(12, 1400)} {rng.choice(streets)}"
        if town_id == self.ref.hartford_id and rng.random() < 0.5:
            street += f", {rng.choice(['1st', '2nd', '3rd'])} floor"
        elif rng.random() < 0.2:
            street += f", Apt {rng.randrange(1, 40)}"

        phone = next(self.phones, None) if rng.random() < 0.97 else None
        if email is None and rng.random() < 0.8:
            email = f"{_ascii(first).lower()}.{_ascii(last).lower()}{next(self.emails)}"
            email += rng.choice(["@example.com", "@example.org", "@example.net"])

        steps = self.stage_steps(stage_key, rng, days_so_far)
        reached = max(STAGE_INDEX[s.key] for s in steps if s.key in STAGE_INDEX)
        license = None
        licensed_step = next((s for s in steps if s.key == LICENSED_STAGE_KEY), None)
        if licensed_step is not None:
            small = rng.random() < 0.15
            license = LicenseDetails(
                number=f"DCFH-{next(self.licenses)}",
                issued_on=licensed_step.at.date(),
                capacity_full_time=4 if small else 6,
                capacity_school_age=rng.choice([0, 2]) if small else 3,
            )
        business_name = None
        if reached >= LICENSED or (reached >= PREPARING and rng.random() < 0.35):
            brand = rng.choice(BUSINESS_ES if spanish else BUSINESS_EN)
            if rng.random() < 0.3:
                brand = f"{first}'s" if not spanish else f"Casita de {first}"
            business_name = f"{brand} {rng.choice(BUSINESS_KIND)}"
        source = rng.choices(self.sources, self.source_weights)[0] if self.sources else None
        fields = {
            "legal_name": legal_name,
            "preferred_name": preferred_name,
            "business_name": business_name,
            "phone": phone,
            "email": email,
            "street": street,
            "town_id": town_id,
            "neighborhood_id": neighborhood_id,
            "languages": languages,
            "preferred_language": preferred_language,
            "first_contact_on": steps[0].at.astimezone(self.zone).date(),
            "referral_source_id": self.ref.referral_sources.get(source) if source else None,
            "staff_notes": rng.choice(STAFF_NOTES) if rng.random() < 0.3 else None,
            "has_well": town in WELL_TOWNS and rng.random() < 0.6,
            "ages_served": rng.choice(AGES_SERVED) if license else None,
            "hours_of_operation": rng.choice(HOURS) if license else None,
            "accepts_care4kids": bool(license) and rng.random() < 0.75,
        }
        if coach_index is None:
            coach_index = 1 if preferred_language == "es" and rng.random() < 0.8 else 0
        story = ProviderStory(
            fields=fields,
            coach_index=coach_index,
            household=[],
            steps=steps,
            license=license,
            seed=seed,
        )
        story.household = self.household(story, last, spanish, rng)
        return story

    def stage_steps(
        self, stage_key: str, rng: random.Random, days_so_far: int | None
    ) -> list[StageStep]:
        closed = stage_key not in STAGE_INDEX
        if closed:
            path = OPEN_STAGES[: rng.choice(CLOSED_FROM.get(stage_key, (0, 1))) + 1]
        else:
            path = OPEN_STAGES[: STAGE_INDEX[stage_key] + 1]
        path = [key for key in path if key in self.ref.stages]
        if days_so_far is None:
            low, high = DAYS_SO_FAR[stage_key]
            days_so_far = rng.randint(low, high)
        spans = [rng.randint(*DAYS_BEFORE_MOVING_ON[key]) for key in path[:-1]]
        if closed:
            spans.append(rng.randint(*DAYS_SO_FAR.get(path[-1], (5, 60))))
        total = days_so_far + sum(spans)
        if total > HISTORY_DAYS - 2:  # squeeze into the past two years
            scale = (HISTORY_DAYS - 2) / total
            days_so_far = int(days_so_far * scale)
            spans = [max(1, int(span * scale)) for span in spans]
        day = self.today - timedelta(days=days_so_far + sum(spans))
        keys = [*path, stage_key] if closed else path
        steps = []
        for index, key in enumerate(keys):
            step = StageStep(key, self.moment(day, rng))
            if index and rng.random() < 0.35 and key in STAGE_NOTES:
                step.note = rng.choice(STAGE_NOTES[key])
            if key in CLOSED_REASONS:
                step.reason = rng.choice(CLOSED_REASONS[key])
            steps.append(step)
            if index < len(spans):
                day += timedelta(days=spans[index])
        return steps

    def household(
        self, story: ProviderStory, last: str, spanish: bool, rng: random.Random
    ) -> list[MemberStory]:
        pool = self.names.es if spanish else self.names.en
        members = []
        if rng.random() < 0.4:
            partner = "Husband" if rng.random() < 0.6 else "Partner"
            surname = last if rng.random() < 0.6 else rng.choice(pool.last)
            members.append(
                MemberStory(
                    f"{rng.choice(pool.male)} {surname}",
                    partner,
                    self.birthday(rng.randint(24, 62), rng),
                )
            )
        for _ in range(rng.choices([0, 1, 2, 3], [50, 25, 17, 8])[0]):
            female = rng.random() < 0.5
            first = rng.choice(pool.female if female else pool.male)
            members.append(
                MemberStory(
                    f"{first} {last}",
                    "Daughter" if female else "Son",
                    self.birthday(rng.randint(0, 24), rng),
                )
            )
        if rng.random() < 0.08:
            members.append(
                MemberStory(
                    f"{rng.choice(pool.female)} {rng.choice(pool.last)}",
                    "Mother",
                    self.birthday(rng.randint(55, 80), rng),
                )
            )
        if rng.random() < 0.04:
            relation = rng.choice(["Brother", "Sister", "Nephew", "Cousin"])
            members.append(
                MemberStory(
                    f"{rng.choice(pool.male if relation in ('Brother', 'Nephew') else pool.female)}"
                    f" {last}",
                    relation,
                    self.birthday(rng.randint(19, 40), rng),
                )
            )
        start = story.created_at
        for member in members:
            member.added_at = start + timedelta(days=rng.randint(0, 14), minutes=rng.randint(1, 90))
            member.added_at = min(member.added_at, self.now - timedelta(minutes=1))
            roll = rng.random()
            adult = member.born_on <= add_months(self.today, -12 * 19)
            if adult and roll < 0.06:  # moved in recently: their own checks come due
                member.moved_in_on = self.today - timedelta(days=rng.randint(5, 200))
                member.added_at = self.moment(member.moved_in_on, rng)
            elif adult and roll < 0.08:  # moving in soon
                member.moved_in_on = self.today + timedelta(days=rng.randint(10, 60))
                member.added_at = self.now - timedelta(days=rng.randint(1, 5))
            elif adult and roll < 0.11:  # an adult child moved out
                member.moved_out_on = self.today - timedelta(days=rng.randint(10, 300))
            member.added_at = max(member.added_at, start + timedelta(minutes=1))
        return members

    # --- checklist item statuses -------------------------------------------------------------

    def item_state(
        self, story: ProviderStory, key: str, member: MemberStory | None, due_on: date | None
    ) -> ItemState | None:
        """What happened to one item, or None when it was never touched (not started).

        Items of the license requirement follow the license itself (record_license).
        """
        rng = story.rng
        reached = story.reached
        today = self.today
        first = story.steps[0].at.date()
        entered = {s.key: s.at.date() for s in story.steps}

        def between(start: date, end: date) -> date:
            end = min(end, today)
            start = min(start, end)
            return start + timedelta(days=rng.randint(0, (end - start).days))

        def working(on: date) -> ItemState:
            """In progress, sometimes with a due date a coach agreed (some now past)."""
            due = due_on
            if due is None and rng.random() < 0.45:
                due = today + timedelta(days=rng.randint(-40, 45))
            return ItemState(ItemStatus.IN_PROGRESS, on=on, due_on=due)

        if key in LICENSE_ISSUED_KEYS:
            return None
        if due_on is not None:  # a member nearing the check age or moving in: not yet
            return None
        joined = member.moved_in_on if member and member.moved_in_on else None
        if joined and joined > entered.get("application_submitted", today):
            # Moved in after the application: their checks are being done now.
            start = max(joined, first)
            if rng.random() < 0.5:
                return working(between(start, today))
            on = between(start, today)
            return ItemState(ItemStatus.SUBMITTED, on=on, submitted_on=on)

        waive = 0.03
        if key == "medication_injectable":  # only once licensed, and often
            waive = 0.5 if reached >= LICENSED else 0
        if key in WAIVED_REASONS and rng.random() < waive:
            reason = rng.choice(WAIVED_REASONS[key])
            return ItemState(ItemStatus.WAIVED, on=between(first, today), waived_reason=reason)

        orientation_on = entered.get("orientation")
        submitted_on = entered.get("application_submitted")
        awaiting_on = entered.get("awaiting_inspection")
        license_on = story.license.issued_on if story.license else None

        if key == "orientation":
            if orientation_on:
                return self.done(story, key, orientation_on, rng)
            return working(between(first, today)) if rng.random() < 0.3 else None
        if key == "application":
            if awaiting_on:
                done = self.done(story, key, awaiting_on, rng)
                done.submitted_on = submitted_on
                return done
            if submitted_on:
                return ItemState(ItemStatus.SUBMITTED, on=submitted_on, submitted_on=submitted_on)
            if reached >= PREPARING:
                return working(between(entered["preparing_application"], today))
            return None
        if key == "home_visit":
            if license_on:
                return self.done(story, key, license_on - timedelta(days=rng.randint(3, 20)), rng)
            if reached >= AWAITING:
                return working(between(awaiting_on, today)) if rng.random() < 0.6 else None
            return None
        if key == "medication_injectable":
            if reached >= LICENSED and rng.random() < 0.6:
                return self.done(story, key, between(license_on or first, today), rng)
            return None
        if key == "background_check":
            if awaiting_on:
                return self.done(story, key, between(submitted_on or first, awaiting_on), rng)
            if submitted_on:
                on = between(entered.get("preparing_application", first), submitted_on)
                return ItemState(ItemStatus.SUBMITTED, on=on, submitted_on=on)
            if reached >= PREPARING:
                roll = rng.random()
                if roll < 0.4:
                    on = between(entered["preparing_application"], today)
                    return ItemState(ItemStatus.SUBMITTED, on=on, submitted_on=on)
                return (
                    working(between(entered["preparing_application"], today))
                    if roll < 0.8
                    else None
                )
            return None
        # First Aid, CPR, medication, health and safety, references, medical statement, well water.
        if reached >= SUBMITTED:
            return self.done(story, key, between(orientation_on or first, submitted_on), rng)
        if reached == PREPARING:
            roll = rng.random()
            if roll < 0.45:
                return self.done(story, key, between(entered["preparing_application"], today), rng)
            if roll < 0.8:
                return working(between(entered["preparing_application"], today))
            return None
        if key in ("first_aid", "cpr") and rng.random() < 0.1:  # certified before contact
            return self.done(story, key, first - timedelta(days=rng.randint(30, 400)), rng)
        if reached == ORIENTATION and rng.random() < 0.2:
            return working(between(orientation_on, today))
        return None

    def done(self, story: ProviderStory, key: str, on: date, rng: random.Random) -> ItemState:
        on = min(on, self.today)
        requirement = self.requirements.get(key)
        target = story.expiry_targets.get(key)
        if target is not None and requirement is not None and requirement.valid_months:
            on = add_months(self.today + timedelta(days=target), -requirement.valid_months)
        elif story.license and requirement is not None and requirement.valid_months:
            # Licensed providers renew most of what expired since.
            expires = expires_on(requirement, on, story.licensed_on(on))
            if expires and expires <= self.today and rng.random() < 0.75:
                renew_from = max(expires - timedelta(days=60), story.license.issued_on)
                on = renew_from + timedelta(
                    days=rng.randint(1, max(1, (self.today - renew_from).days))
                )
                on = min(on, self.today)
        return ItemState(ItemStatus.DONE, on=on, completed_on=on)


def expires_on(requirement: Requirement, completed_on: date, licensed: bool) -> date | None:
    """As fccnet.licensing.services.expiry_for (licensed: when the item was completed)."""
    months = requirement.valid_months
    if not licensed and requirement.valid_months_at_application:
        months = requirement.valid_months_at_application
    return add_months(completed_on, months) if months else None


# --- Bulk generation --------------------------------------------------------------------------


@dataclass
class GeneratedCounts:
    providers: int = 0
    household_members: int = 0
    stage_changes: int = 0
    checklist_items: int = 0
    coach_assignments: int = 0
    audit_events: int = 0
    provider_ids: list[int] = field(default_factory=list)
    training: "TrainingCounts | None" = None
    coaching: "CoachingCounts | None" = None


def active_coach_ids() -> list[int]:
    return list(
        db.session.scalars(
            select(User.id).where(User.role == Role.COACH, User.active.is_(True)).order_by(User.id)
        )
    )


def generate_providers(
    count: int,
    *,
    seed: int = SEED,
    coach_ids: Sequence[int] | None = None,
    today: date | None = None,
    chunk_size: int = 2000,
) -> GeneratedCounts:
    """Write `count` generated providers with bulk inserts (no per-object services).

    Fills empty reference lists first. Providers are shared round-robin-by-language
    among `coach_ids` (default: every active coach; none: unassigned). Flushes only;
    the caller commits.
    """
    ensure_defaults()
    ref = Reference.load()
    maker = StoryMaker(ref, seed=seed, today=today)
    if coach_ids is None:
        coach_ids = active_coach_ids()
    counts = GeneratedCounts()
    remaining = count
    while remaining > 0:
        size = min(chunk_size, remaining)
        stories = [maker.story(maker.random_stage()) for _ in range(size)]
        _insert_chunk(stories, maker, list(coach_ids), counts)
        remaining -= size
    _resync_sequences()
    return counts


def _coach_for(story: ProviderStory, coach_ids: list[int], rng: random.Random) -> int | None:
    if not coach_ids:
        return None
    if len(coach_ids) == 2:
        return coach_ids[story.coach_index]
    return coach_ids[rng.randrange(len(coach_ids))]


def reserve_ids(model, count: int) -> list[int]:
    """The next `count` ids of a table, given explicitly so one multi-row INSERT can
    write them (SQLite cannot return generated ids of a batch in order)."""
    start = (db.session.scalar(select(func.max(model.id))) or 0) + 1
    return list(range(start, start + count))


def _resync_sequences() -> None:
    resync_sequences_of(Provider, HouseholdMember)


def _obligations_by_provider(
    stories: list[ProviderStory],
    member_id: dict[int, int],
    requirements: list[Requirement],
    today: date,
) -> list[list]:
    """fccnet.licensing.services.obligations() for every story, in two calls.

    The rules treat each household member on their own, so all the households of
    providers with (and without) a well can go through one call each; provider-level
    obligations are the same for every provider of a call. (One call per provider
    would also read the check-age setting once per provider.)
    """
    owed: list[list] = [[] for _ in stories]
    for has_well in (False, True):
        group = [i for i, story in enumerate(stories) if story.fields["has_well"] is has_well]
        if not group:
            continue
        household = [
            SimpleNamespace(id=member_id[id(member)], story=member, index=i, **member.data())
            for i in group
            for member in stories[i].household
        ]
        everyone = SimpleNamespace(household=household, has_well=has_well)
        for obligation in obligations(everyone, requirements, today):
            if obligation.member is None:
                for i in group:
                    owed[i].append(obligation)
            else:
                owed[obligation.member.index].append(obligation)
    return owed


def _insert_chunk(
    stories: list[ProviderStory], maker: StoryMaker, coach_ids: list[int], counts: GeneratedCounts
) -> None:
    ref = maker.ref
    today = maker.today
    rng = seeded(stories[0].seed)
    coaches = [_coach_for(story, coach_ids, rng) for story in stories]
    provider_rows = []
    for story, coach_id in zip(stories, coaches, strict=True):
        values = dict(story.fields)
        last = story.steps[-1]
        stage = ref.stages[last.key]
        license = story.license
        values.update(
            coach_id=coach_id,
            user_id=None,
            stage_id=stage.id,
            stage_entered_at=last.at,
            closed_reason=last.reason if stage.is_closed else None,
            license_number=license.number if license else None,
            license_issued_on=license.issued_on if license else None,
            license_expires_on=(
                add_months(license.issued_on, ref.license_months) if license else None
            ),
            capacity_full_time=license.capacity_full_time if license else None,
            capacity_school_age=license.capacity_school_age if license else None,
            version=1,
            created_at=story.created_at,
            updated_at=last.at,
            deleted_at=None,
            deleted_reason=None,
        )
        values["search_text"] = search_text_for(SimpleNamespace(**values))
        provider_rows.append(values)
    provider_ids = reserve_ids(Provider, len(provider_rows))
    for row, provider_id in zip(provider_rows, provider_ids, strict=True):
        row["id"] = provider_id
    db.session.execute(insert(Provider.__table__), provider_rows)
    counts.providers += len(provider_ids)
    counts.provider_ids.extend(provider_ids)

    member_rows, member_owner = [], []
    for story, provider_id in zip(stories, provider_ids, strict=True):
        for member in story.household:
            member_rows.append({"provider_id": provider_id, "version": 1, **member.data()})
            member_owner.append(member)
    member_ids = reserve_ids(HouseholdMember, len(member_rows))
    for row, household_member_id in zip(member_rows, member_ids, strict=True):
        row["id"] = household_member_id
    if member_rows:
        db.session.execute(insert(HouseholdMember.__table__), member_rows)
    member_id = {id(member): mid for member, mid in zip(member_owner, member_ids, strict=True)}
    counts.household_members += len(member_ids)

    requirements = ref.requirements
    license_requirement = next((r for r in requirements if r.key == "license"), None)
    change_rows, assignment_rows, item_rows, audit_rows = [], [], [], []
    owed = _obligations_by_provider(stories, member_id, requirements, today)
    for index, (story, provider_id, coach_id, row) in enumerate(
        zip(stories, provider_ids, coaches, provider_rows, strict=True)
    ):
        previous = None
        for step in story.steps:
            stage = ref.stages[step.key]
            change_rows.append(
                {
                    "provider_id": provider_id,
                    "from_stage_id": previous.id if previous else None,
                    "to_stage_id": stage.id,
                    "changed_at": step.at,
                    "changed_by_id": coach_id,
                    "note": step.note,
                    "reason": step.reason,
                }
            )
            if previous is None:
                changes = {name: [None, jsonable(value)] for name, value in story.fields.items()}
                action = "provider.created"
            else:
                changes = {
                    "stage": [previous.key, stage.key],
                    "closed_reason": [None, step.reason],
                }
                action = "provider.stage_changed"
            audit_rows.append(
                {
                    "occurred_at": step.at,
                    "actor_id": coach_id,
                    "action": action,
                    "target_type": "providers",
                    "target_id": provider_id,
                    "changes": changes,
                    "details": None,
                    "ip_address": None,
                }
            )
            previous = stage
        if coach_id is not None:
            assignment_rows.append(
                {
                    "provider_id": provider_id,
                    "from_coach_id": None,
                    "to_coach_id": coach_id,
                    "assigned_at": story.created_at,
                    "assigned_by_id": coach_id,
                }
            )
        for obligation in owed[index]:
            requirement = obligation.requirement
            member = obligation.member
            item = {
                "provider_id": provider_id,
                "requirement_id": requirement.id,
                "household_member_id": member.id if member else None,
                "member_key": member.id if member else 0,
                "status": ItemStatus.NOT_STARTED,
                "due_on": obligation.due_on,
                "submitted_on": None,
                "completed_on": None,
                "expires_on": None,
                "waived_reason": None,
                "version": 1,
                "updated_at": story.created_at,
            }
            if requirement is license_requirement and story.license:
                item.update(
                    status=ItemStatus.DONE,
                    completed_on=story.license.issued_on,
                    expires_on=row["license_expires_on"],
                )
            else:
                state = maker.item_state(
                    story, requirement.key, member.story if member else None, obligation.due_on
                )
                if state is not None:
                    item.update(
                        status=state.status,
                        due_on=state.due_on,
                        submitted_on=state.submitted_on,
                        waived_reason=state.waived_reason,
                        updated_at=maker.moment(state.on, rng),
                    )
                    if state.status is ItemStatus.DONE:
                        item["completed_on"] = state.completed_on
                        item["expires_on"] = expires_on(
                            requirement, state.completed_on, story.licensed_on(state.completed_on)
                        )
            item_rows.append(item)

    for model, rows, attribute in (
        (StageChange, change_rows, "stage_changes"),
        (CoachAssignment, assignment_rows, "coach_assignments"),
        (ChecklistItem, item_rows, "checklist_items"),
        (AuditEvent, audit_rows, "audit_events"),
    ):
        if rows:
            db.session.execute(insert(model.__table__), rows)
        setattr(counts, attribute, getattr(counts, attribute) + len(rows))


# --- The training catalog -----------------------------------------------------------------------


@dataclass(frozen=True)
class CourseSpec:
    key: str
    title_en: str
    title_es: str
    description_en: str
    description_es: str
    area: str  # a CKC area's English name (fccnet.training.defaults)
    minutes: int
    delivery: Delivery
    credential: str | None = None  # a credential's English name
    weight: int = 3  # how often the network offers it


HEALTH = "Health, Safety and Nutrition"
BUSINESS = "Program Administration and Business Practices"
COURSES = [
    CourseSpec(
        "first_aid",
        "Pediatric First Aid",
        "Primeros auxilios pediátricos",
        "Hands-on First Aid for infants and children: bleeding, burns, choking, allergic "
        "reactions and when to call 911. The certificate is valid for two years.",
        "Primeros auxilios prácticos para bebés y niños: sangrado, quemaduras, atragantamiento, "
        "reacciones alérgicas y cuándo llamar al 911. El certificado es válido por dos años.",
        HEALTH,
        240,
        Delivery.IN_PERSON,
        "First Aid",
    ),
    CourseSpec(
        "cpr",
        "Infant and Child CPR",
        "RCP para bebés y niños",
        "Cardiopulmonary resuscitation for infants and children, with practice on manikins "
        "and an AED. The certificate is valid for two years.",
        "Reanimación cardiopulmonar para bebés y niños, con práctica en maniquíes y con un "
        "DEA. El certificado es válido por dos años.",
        HEALTH,
        180,
        Delivery.IN_PERSON,
        "CPR",
    ),
    CourseSpec(
        "medication",
        "Medication Administration: Oral, Topical and Inhalant",
        "Administración de medicamentos: oral, tópica e inhalada",
        "The state-approved training to give children oral, topical and inhalant medication: "
        "the five rights, permission forms, safe storage and the medication log. Ends with "
        "the skills test.",
        "La capacitación aprobada por el estado para dar a los niños medicamentos orales, "
        "tópicos e inhalados: los cinco correctos, formularios de permiso, almacenamiento "
        "seguro y el registro de medicamentos. Termina con la prueba de destrezas.",
        HEALTH,
        480,
        Delivery.IN_PERSON,
        "Medication administration (oral, topical, inhalant)",
        weight=2,
    ),
    CourseSpec(
        "medication_injectable",
        "Medication Administration: Injectable (Epinephrine Auto-Injectors)",
        "Administración de medicamentos: inyectables (autoinyectores de epinefrina)",
        "For providers caring for a child with a severe allergy: recognizing anaphylaxis and "
        "using an epinephrine auto-injector. Renewed every year.",
        "Para proveedores que cuidan a un niño con una alergia grave: reconocer la anafilaxia "
        "y usar un autoinyector de epinefrina. Se renueva cada año.",
        HEALTH,
        120,
        Delivery.IN_PERSON,
        "Medication administration (injectable)",
        weight=1,
    ),
    CourseSpec(
        "health_safety",
        "Health and Safety Orientation (5 hours)",
        "Orientación de salud y seguridad (5 horas)",
        "The health and safety training required before licensing: safe sleep, emergency "
        "preparedness, allergies, safe premises, transporting children, and recognizing and "
        "reporting child abuse.",
        "La capacitación de salud y seguridad exigida antes de la licencia: sueño seguro, "
        "preparación para emergencias, alergias, instalaciones seguras, transporte de niños, "
        "y cómo reconocer y denunciar el maltrato infantil.",
        HEALTH,
        300,
        Delivery.ONLINE_LIVE,
        "Health and safety orientation",
    ),
    CourseSpec(
        "care4kids",
        "Care 4 Kids Provider Orientation",
        "Orientación para proveedores de Care 4 Kids",
        "How the Care 4 Kids child care subsidy works for family child care: enrolling "
        "families, certificates, reporting attendance and getting paid on time.",
        "Cómo funciona el subsidio de cuidado infantil Care 4 Kids en el cuidado familiar: "
        "inscribir familias, certificados, reportar la asistencia y cobrar a tiempo.",
        BUSINESS,
        120,
        Delivery.ONLINE_LIVE,
        "Care 4 Kids provider orientation",
    ),
    CourseSpec(
        "business_plan",
        "Writing a Business Plan for Your Family Child Care",
        "Cómo escribir el plan de negocios de su cuidado infantil familiar",
        "Set your rates, estimate start-up costs and write a one-page business plan you can "
        "take to a lender or a grant program.",
        "Fije sus tarifas, calcule los gastos iniciales y escriba un plan de negocios de una "
        "página para presentar a un banco o a un programa de subvenciones.",
        BUSINESS,
        180,
        Delivery.ONLINE_LIVE,
    ),
    CourseSpec(
        "records_taxes",
        "Recordkeeping and Taxes for Family Child Care",
        "Registros e impuestos para el cuidado infantil familiar",
        "Contracts, receipts, attendance records and the time-space percentage: what to keep "
        "all year so tax season goes smoothly.",
        "Contratos, recibos, registros de asistencia y el porcentaje de tiempo y espacio: qué "
        "guardar todo el año para que la temporada de impuestos sea sencilla.",
        BUSINESS,
        150,
        Delivery.IN_PERSON,
    ),
    CourseSpec(
        "marketing",
        "Marketing and Enrollment: Filling Your Openings",
        "Mercadeo e inscripción: cómo llenar sus cupos",
        "Reach families looking for care: listing with 2-1-1, social media, a simple flyer, "
        "and giving tours that turn into enrollments.",
        "Llegue a las familias que buscan cuidado: inscribirse en el 2-1-1, redes sociales, un "
        "volante sencillo y visitas que terminan en inscripciones.",
        BUSINESS,
        120,
        Delivery.ONLINE_LIVE,
    ),
    CourseSpec(
        "play",
        "Learning Through Play with Infants and Toddlers",
        "Aprender jugando con bebés y niños pequeños",
        "How babies and toddlers learn through play, and setting up a home that invites "
        "exploring, moving and talking.",
        "Cómo aprenden los bebés y los niños pequeños jugando, y cómo preparar un hogar que "
        "invite a explorar, moverse y conversar.",
        "Child Development and Learning",
        120,
        Delivery.IN_PERSON,
        weight=4,
    ),
    CourseSpec(
        "guidance",
        "Positive Guidance and Challenging Behavior",
        "Orientación positiva y conductas desafiantes",
        "Prevent and respond to biting, tantrums and hitting with routines, clear limits and "
        "words children understand.",
        "Prevenir y responder a mordidas, berrinches y golpes con rutinas, límites claros y "
        "palabras que los niños entienden.",
        "Teaching Practices and Learning Environments",
        120,
        Delivery.ONLINE_LIVE,
        weight=4,
    ),
    CourseSpec(
        "observation",
        "Observing and Documenting Children's Learning",
        "Observar y documentar el aprendizaje de los niños",
        "Short observation notes, photos and portfolios that show each child's progress and "
        "help you talk with families.",
        "Notas breves de observación, fotos y portafolios que muestran el progreso de cada "
        "niño y ayudan a conversar con las familias.",
        "Observation, Documentation and Assessment",
        90,
        Delivery.SELF_PACED,
    ),
    CourseSpec(
        "families",
        "Partnering with Families",
        "Alianzas con las familias",
        "Daily conversations, handling concerns, and connecting families with community resources.",
        "Conversaciones diarias, cómo atender inquietudes y cómo conectar a las familias con "
        "los recursos de la comunidad.",
        "Family and Community Partnerships",
        90,
        Delivery.IN_PERSON,
    ),
    CourseSpec(
        "safe_sleep",
        "Safe Sleep and SIDS Risk Reduction",
        "Sueño seguro y reducción del riesgo de SMSL",
        "The ABCs of safe sleep for infants in care, and what the licensing inspector looks for.",
        "El ABC del sueño seguro para los bebés en cuidado, y lo que revisa el inspector de "
        "licencias.",
        HEALTH,
        60,
        Delivery.SELF_PACED,
    ),
    CourseSpec(
        "nutrition",
        "Healthy Meals and the CACFP Food Program",
        "Comidas saludables y el programa de alimentos CACFP",
        "Plan meals that meet the Child and Adult Care Food Program patterns, and keep the "
        "records that get you reimbursed.",
        "Planifique comidas que cumplan con el programa de alimentos CACFP y lleve los "
        "registros para recibir el reembolso.",
        HEALTH,
        120,
        Delivery.IN_PERSON,
    ),
    CourseSpec(
        "literacy",
        "Early Literacy: Reading and Talking with Young Children",
        "Alfabetización temprana: leer y conversar con niños pequeños",
        "Read-alouds, songs and everyday conversation in any home language to build vocabulary.",
        "Lectura en voz alta, canciones y conversación diaria, en el idioma del hogar, para "
        "ampliar el vocabulario.",
        "Child Development and Learning",
        120,
        Delivery.SELF_PACED,
    ),
    CourseSpec(
        "pd_plan",
        "Your Professional Development Plan",
        "Su plan de desarrollo profesional",
        "Set goals for the year, record your hours in the Connecticut Early Childhood "
        "Professional Registry, and plan toward a CDA.",
        "Fije sus metas del año, registre sus horas en el registro profesional de la primera "
        "infancia de Connecticut y planifique su camino hacia un CDA.",
        "Professionalism and Leadership",
        90,
        Delivery.ONLINE_LIVE,
        weight=2,
    ),
]
COURSE_WEIGHTS = {spec.title_en: spec.weight for spec in COURSES}

OUTSIDE_TRAINERS = [
    "Tanya Brooks (American Red Cross)",
    "Priya Shah, RN",
    "Carmen Delgado",
    "Robert Chen, CPA",
    "Gloria Méndez (Care 4 Kids)",
    "Angela Rossi, M.Ed.",
]
LOCATIONS = [
    "Network training room, Main Street, Hartford",
    "Albany Avenue Branch Library, Hartford",
    "Park Street Library, Hartford",
    "Parkville Community Center, Hartford",
    "Burnside Community Center, East Hartford",
    "Family Resource Center, New Britain",
]
MEETING_URL = "https://meet.example.org/fccnet/{key}-{n}"
SELF_PACED_URL = "https://learn.example.org/fccnet/{key}"
# (title, organisation, CKC area, minutes): training providers take elsewhere.
EXTERNAL_TRAININGS = [
    (
        "Supporting Dual Language Learners",
        "Connecticut Office of Early Childhood",
        "Teaching Practices and Learning Environments",
        120,
    ),
    (
        "Trauma-Informed Care in Early Childhood",
        "Connecticut Children's",
        "Child Development and Learning",
        180,
    ),
    (
        "CDA coursework: Child Growth and Development",
        "Capital Community College",
        "Child Development and Learning",
        600,
    ),
    (
        "Introducción al desarrollo infantil",
        "Centro de Recursos Familiares",
        "Child Development and Learning",
        120,
    ),
    ("Nutrition for Young Children (webinar)", "Child Care Aware of America", HEALTH, 60),
    (
        "Strengthening Families: Protective Factors",
        "Connecticut Office of Early Childhood",
        "Family and Community Partnerships",
        150,
    ),
    ("Taxes for Home-Based Child Care", "Women's Business Development Council", BUSINESS, 90),
    (
        "Música y movimiento para niños pequeños",
        "Biblioteca Pública de Hartford",
        "Teaching Practices and Learning Environments",
        90,
    ),
    (
        "Developmental Screening with the ASQ-3",
        "Help Me Grow Connecticut",
        "Observation, Documentation and Assessment",
        120,
    ),
    ("Leadership in Family Child Care", "All Our Kin", "Professionalism and Leadership", 240),
]
REJECTION_REASONS = [
    "The certificate does not show the date or the hours.",
    "This is a conference attendance letter, not a training certificate.",
    "Already on the record from the network's own session.",
]


def evidence_pdf(*lines: str) -> bytes:
    """A small one-page PDF certificate, as a provider would upload (latin-1 text)."""
    from fpdf import FPDF  # imported here: serving never needs it for demo data

    pdf = FPDF(format="letter")
    pdf.set_creator("fccnet demo data")
    pdf.add_page()
    pdf.set_font("Helvetica", size=16)
    for line in lines:
        pdf.cell(0, 12, line.encode("latin-1", "replace").decode("latin-1"))
        pdf.ln()
    return bytes(pdf.output())


# --- Training history, in bulk -----------------------------------------------------------------

TRAINING_HISTORY_DAYS = 3 * 365  # credits from elsewhere reach back three years
CREDITS_PER_PROVIDER = 15
SESSION_SIZE = 40  # a busy session's roster
SELF_PACED_DAYS = 14  # a self-paced course is open this long
# A record's first network session comes at least this long after first contact (so a
# self-paced window never opens before the record existed).
FIRST_SESSION_AFTER_DAYS = SELF_PACED_DAYS + 3
UPCOMING_WEEKS = 13
# How much network training each stage takes (relative weights per year on the record):
# prospects take little, members the most.
STAGE_TRAINING_RATE = {
    "inquiry": 3,
    "orientation": 6,
    "preparing_application": 8,
    "application_submitted": 9,
    "awaiting_inspection": 9,
    "licensed": 10,
    "active_member": 10,
    "paused": 8,
    "withdrawn": 4,
    "not_eligible": 2,
}
# Of those registered for a session without a credential: attended, partial, no-show.
ATTENDED_SHARE, PARTIAL_SHARE = 0.86, 0.05
CREDENTIAL_ORGANISATIONS = {
    "first_aid": ["American Red Cross", "American Heart Association"],
    "cpr": ["American Red Cross", "American Heart Association"],
    "medication": ["Connecticut Office of Early Childhood"],
    "medication_injectable": ["Connecticut Office of Early Childhood"],
    "health_safety": ["Connecticut Office of Early Childhood"],
}


@dataclass
class TrainingCounts:
    courses: int = 0
    sessions: int = 0
    upcoming_sessions: int = 0
    registrations: int = 0
    credits: int = 0
    pending_credits: int = 0
    documents: int = 0


@dataclass
class CatalogCourse:
    id: int
    title: str
    slug: str
    minutes: int
    delivery: Delivery
    area_id: int
    credential_id: int | None
    valid_months: int | None
    requirement_id: int | None
    weight: int

    def expiry(self, day: date) -> date | None:
        return add_months(day, self.valid_months) if self.valid_months else None


@dataclass
class Trainee:
    """What the generator needs of one provider record."""

    id: int
    created_at: datetime
    first_day: date  # earliest day of a network session
    last_day: date  # latest (before a closed record closed)
    coach_id: int | None
    language: str
    open: bool
    rate: int


def course_slug(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text.lower())
    words = "".join(ch if ch.isascii() and ch.isalnum() else " " for ch in plain).split()
    return "-".join(words[:4])


def ensure_catalog() -> list[CatalogCourse]:
    """The demo course catalog (when there is no course yet), and every active course."""
    if db.session.scalar(select(func.count()).select_from(Course)) == 0:
        areas = dict(db.session.execute(select(CkcArea.name_en, CkcArea.id)).all())
        fallback = db.session.scalar(select(CkcArea.id).order_by(CkcArea.position).limit(1))
        credentials = dict(db.session.execute(select(Credential.name_en, Credential.id)).all())
        created = utcnow() - timedelta(days=TRAINING_HISTORY_DAYS + 30)
        db.session.execute(
            insert(Course.__table__),
            [
                {
                    "title_en": spec.title_en,
                    "title_es": spec.title_es,
                    "description_en": spec.description_en,
                    "description_es": spec.description_es,
                    "ckc_area_id": areas.get(spec.area, fallback),
                    "credit_minutes": spec.minutes,
                    "delivery": spec.delivery,
                    "credential_id": credentials.get(spec.credential),
                    "active": True,
                    "created_at": created,
                }
                for spec in COURSES
            ],
        )
    rows = db.session.execute(
        select(Course, Credential)
        .outerjoin(Credential, Course.credential_id == Credential.id)
        .where(Course.active.is_(True))
        .order_by(Course.id)
    ).all()
    return [
        CatalogCourse(
            id=course.id,
            title=course.title_en,
            slug=course_slug(course.title_en),
            minutes=course.credit_minutes,
            delivery=course.delivery,
            area_id=course.ckc_area_id,
            credential_id=credential.id if credential else None,
            valid_months=credential.valid_months if credential else None,
            requirement_id=credential.requirement_id if credential else None,
            weight=COURSE_WEIGHTS.get(course.title_en, 2),
        )
        for course, credential in rows
    ]


def _load_trainees(today: date, zone) -> list[Trainee]:
    rows = db.session.execute(
        select(
            Provider.id,
            Provider.created_at,
            Provider.first_contact_on,
            Provider.stage_entered_at,
            Provider.coach_id,
            Provider.preferred_language,
            Stage.key,
            Stage.is_closed,
        )
        .join(Stage, Provider.stage_id == Stage.id)
        .where(Provider.deleted_at.is_(None))
        .order_by(Provider.id)
    ).all()
    trainees = []
    for pid, created_at, first_contact, entered, coach_id, language, key, closed in rows:
        # A closed record's sessions end a week before it closed (a session groups a week).
        last = entered.astimezone(zone).date() - timedelta(days=7) if closed else today
        trainees.append(
            Trainee(
                id=pid,
                created_at=created_at,
                first_day=first_contact + timedelta(days=FIRST_SESSION_AFTER_DAYS),
                last_day=min(last, today - timedelta(days=1)),
                coach_id=coach_id,
                language="es" if language == "es" else "en",
                open=not closed,
                rate=STAGE_TRAINING_RATE.get(key, 4),
            )
        )
    return trainees


class _TrainingWriter:
    """Collects rows with ids given up front, and writes them in bulk, parents first."""

    FLUSH_ROWS = 20000

    def __init__(self):
        self.next_id = {
            model: (db.session.scalar(select(func.max(model.id))) or 0) + 1
            for model in (TrainingSession, Registration, Document)
        }
        self.rows: dict = {model: [] for model in (TrainingSession, Registration, Document, Credit)}
        self.waiting = 0

    def add(self, model, **values) -> int | None:
        if model in self.next_id:
            values["id"] = self.next_id[model]
            self.next_id[model] += 1
        self.rows[model].append(values)
        self.waiting += 1
        if self.waiting >= self.FLUSH_ROWS:
            self.flush()
        return values.get("id")

    def flush(self) -> None:
        for model, rows in self.rows.items():
            if rows:
                db.session.execute(insert(model.__table__), rows)
                rows.clear()
        self.waiting = 0


class TrainingHistory:
    """Makes the network's training history for every provider record, in bulk.

    Network sessions over the records' time (about SESSION_SIZE registrations each,
    attendance marked and turned into credits as fccnet.attendance.services would),
    credits from elsewhere (approved over three years, a few pending or rejected, each
    with its evidence document), and the coming months' sessions with registrations
    and waitlists. A credit granting a credential that answers a checklist requirement
    is dated on or before that item's completion, so the checklist is what
    sync_credential_item would have left.
    """

    def __init__(
        self, *, seed: int, today: date, trainer_ids: Sequence[int], reviewer_id: int | None
    ):
        self.rng = seeded(seed + 4)
        self.today = today
        self.zone = network_zone()
        self.now = utcnow()
        self.trainer_ids = list(trainer_ids)
        self.reviewer_id = reviewer_id
        self.counts = TrainingCounts()
        self.writer = _TrainingWriter()
        self.pdf = evidence_pdf("Certificate of completion", "Sample evidence (demo data)")
        self.pdf_sha = hashlib.sha256(self.pdf).hexdigest()
        self.courses = ensure_catalog()
        self.trainees = _load_trainees(today, self.zone)
        self.by_requirement = {
            c.requirement_id: c for c in self.courses if c.requirement_id is not None
        }
        self.regular = [c for c in self.courses if c.requirement_id is None]
        self.requirement_keys = dict(
            db.session.execute(select(Requirement.id, Requirement.key)).all()
        )

    # --- one session -----------------------------------------------------------------

    def _moment(self, day: date, hour: int, minute: int = 0) -> datetime:
        return datetime.combine(day, time(hour, minute), self.zone).astimezone(UTC)

    def _times(self, course: CatalogCourse, day: date, *, past: bool) -> tuple[datetime, datetime]:
        if course.delivery is Delivery.SELF_PACED:  # open for two weeks (past: ending on `day`)
            opens = day - timedelta(days=SELF_PACED_DAYS - 1) if past else day
            return (
                self._moment(opens, 9),
                self._moment(opens + timedelta(days=SELF_PACED_DAYS - 1), 21),
            )
        weekend = day.weekday() >= 5
        if course.delivery is Delivery.IN_PERSON:
            starts = self._moment(day, 9) if weekend else self._moment(day, 18)
        else:
            starts = self._moment(day, 10) if weekend else self._moment(day, 18, 30)
        lunch = 30 if course.minutes >= 240 else 0
        return starts, starts + timedelta(minutes=course.minutes + lunch)

    def _add_session(
        self,
        course: CatalogCourse,
        day: date,
        language: str,
        *,
        seats: int,
        capacity: int,
        past: bool,
        status: SessionStatus,
    ) -> tuple[int, datetime, datetime, int | None]:
        rng = self.rng
        starts, ends = self._times(course, day, past=past)
        trainer_id = None
        trainer_name = None
        if self.trainer_ids and rng.random() < 0.55:
            trainer_id = rng.choice(self.trainer_ids)
        else:
            trainer_name = rng.choice(OUTSIDE_TRAINERS)
        location = meeting_url = None
        if course.delivery is Delivery.IN_PERSON:
            location = rng.choice(LOCATIONS)
        elif course.delivery is Delivery.ONLINE_LIVE:
            meeting_url = MEETING_URL.format(
                key=course.slug, n=self.writer.next_id[TrainingSession]
            )
        else:
            meeting_url = SELF_PACED_URL.format(key=course.slug)
        session_id = self.writer.add(
            TrainingSession,
            course_id=course.id,
            starts_at=starts,
            ends_at=ends,
            location=location,
            meeting_url=meeting_url,
            language=language,
            trainer_id=trainer_id,
            trainer_name=trainer_name,
            capacity=capacity,
            seats_taken=seats,
            status=status,
            # Before anyone registered (up to 30 days ahead; the coming ones, in 15 days).
            created_at=min(
                starts - timedelta(days=rng.randint(31, 60)), self.now - timedelta(days=16)
            ),
        )
        self.counts.sessions += 1
        return session_id, starts, ends, trainer_id

    def _registration(self, session_id, trainee, queued_at, **values) -> int:
        row = {
            "session_id": session_id,
            "provider_id": trainee.id,
            "status": RegistrationStatus.REGISTERED,
            "queued_at": queued_at,
            "walk_in": False,
            "registered_by_id": trainee.coach_id or self.reviewer_id,
            "cancelled_at": None,
            "attendance": None,
            "attended_minutes": None,
            "attendance_marked_at": None,
        }
        row.update(values)
        self.counts.registrations += 1
        return self.writer.add(Registration, **row)

    def _credit(self, trainee: Trainee, **values) -> None:
        row = {
            "provider_id": trainee.id,
            "source": CreditSource.SESSION,
            "registration_id": None,
            "organisation": None,
            "credential_id": None,
            "credential_expires_on": None,
            "status": CreditStatus.APPROVED,
            "document_id": None,
            "created_by_id": self.reviewer_id,
            "reviewed_at": None,
            "reviewed_by_id": self.reviewer_id,
            "rejection_reason": None,
        }
        row.update(values)
        self.counts.credits += 1
        self.counts.pending_credits += row["status"] is CreditStatus.PENDING
        self.writer.add(Credit, **row)

    def _eligible_other(self, day: date, taken: set[int]) -> Trainee | None:
        for _ in range(12):
            trainee = self.rng.choice(self.trainees)
            if trainee.first_day <= day <= trainee.last_day and trainee.id not in taken:
                return trainee
        return None

    def past_session(
        self, course: CatalogCourse, day: date, language: str, members: list[Trainee]
    ) -> None:
        """A session that took place, its attendance marked and turned into credits."""
        rng = self.rng
        session_id, starts, ends, trainer_id = self._add_session(
            course,
            day,
            language,
            seats=len(members),
            capacity=max(len(members), 100 if course.delivery is Delivery.SELF_PACED else 40),
            past=True,
            status=SessionStatus.COMPLETED,
        )
        marker = trainer_id or self.reviewer_id
        marked_at = min(ends + timedelta(minutes=rng.randint(20, 2880)), self.now)
        taken_on = starts.astimezone(self.zone).date()
        grants = course.requirement_id is not None  # everyone here earned it (see class doc)
        taken = {m.id for m in members}

        def attend(trainee: Trainee, attendance: Attendance, **values) -> None:
            minutes = None
            if attendance is Attendance.PARTIAL:
                minutes = rng.randrange(30, course.minutes, 15)
            registration_id = self._registration(
                session_id,
                trainee,
                attendance=attendance,
                attended_minutes=minutes,
                attendance_marked_at=marked_at,
                **values,
            )
            if attendance is Attendance.NO_SHOW:
                return
            full = attendance is Attendance.ATTENDED
            self._credit(
                trainee,
                registration_id=registration_id,
                title=course.title,
                taken_on=taken_on,
                minutes=course.minutes if full else minutes,
                ckc_area_id=course.area_id,
                credential_id=course.credential_id if full else None,
                credential_expires_on=course.expiry(taken_on) if full else None,
                created_at=marked_at,
                created_by_id=marker,
                reviewed_at=marked_at,
                reviewed_by_id=marker,
            )

        for trainee in members:
            queued = starts - timedelta(days=rng.randint(1, 30), minutes=rng.randint(0, 600))
            queued = max(queued, trainee.created_at + timedelta(minutes=5))
            roll = rng.random()
            if grants or roll < ATTENDED_SHARE:
                attendance = Attendance.ATTENDED
            elif (
                roll < ATTENDED_SHARE + PARTIAL_SHARE and course.delivery is not Delivery.SELF_PACED
            ):
                attendance = Attendance.PARTIAL
            else:
                attendance = Attendance.NO_SHOW
            attend(trainee, attendance, queued_at=queued)
        for _ in range(rng.choices([0, 1, 2], [60, 30, 10])[0]):  # changed their minds
            other = self._eligible_other(day, taken)
            if other is not None:
                taken.add(other.id)
                queued = max(starts - timedelta(days=rng.randint(5, 30)), other.created_at)
                self._registration(
                    session_id,
                    other,
                    queued_at=queued,
                    status=RegistrationStatus.CANCELLED,
                    cancelled_at=queued + (starts - queued) * rng.random(),
                )
        # Walk-ins (no seat taken): never where a credential is earned, since their
        # checklists were not drawn for it.
        if course.delivery is Delivery.IN_PERSON and not grants and rng.random() < 0.3:
            other = self._eligible_other(day, taken)
            if other is not None:
                attend(
                    other,
                    Attendance.ATTENDED,
                    queued_at=starts + timedelta(minutes=rng.randint(0, 20)),
                    walk_in=True,
                    registered_by_id=marker,
                )

    def upcoming_session(self, course: CatalogCourse, day: date, weeks_ahead: int) -> None:
        rng = self.rng
        language = "es" if rng.random() < 0.4 else "en"
        if weeks_ahead < 4:
            fill = rng.uniform(0.4, 1.25)
        elif weeks_ahead < 8:
            fill = rng.uniform(0.1, 0.7)
        else:
            fill = rng.uniform(0, 0.3)
        cancelled_session = rng.random() < 0.02
        capacity = rng.choice([12, 16, 20, 25, 30, 40])
        if course.delivery is Delivery.SELF_PACED:
            capacity = 100
        wanted = 0 if cancelled_session else round(capacity * fill)
        people = rng.sample(self.trainees, min(len(self.trainees), 2 * wanted + 4))
        people = [t for t in people if t.open][:wanted]
        queue = []
        for trainee in people:
            earliest = max(trainee.created_at, self.now - timedelta(days=15))
            queue.append((earliest + (self.now - earliest) * rng.random(), trainee))
        queue.sort(key=lambda entry: (entry[0], entry[1].id))
        statuses = []
        seats = 0
        for _entry in queue:
            if rng.random() < 0.05:
                statuses.append(RegistrationStatus.CANCELLED)
            elif seats < capacity:
                statuses.append(RegistrationStatus.REGISTERED)
                seats += 1
            else:
                statuses.append(RegistrationStatus.WAITLISTED)
        status = SessionStatus.CANCELLED if cancelled_session else SessionStatus.SCHEDULED
        session_id, *_ = self._add_session(
            course, day, language, seats=seats, capacity=capacity, past=False, status=status
        )
        self.counts.upcoming_sessions += 1
        for (queued_at, trainee), reg_status in zip(queue, statuses, strict=True):
            cancelled_at = None
            if reg_status is RegistrationStatus.CANCELLED:
                cancelled_at = queued_at + (self.now - queued_at) * rng.random()
            self._registration(
                session_id, trainee, queued_at, status=reg_status, cancelled_at=cancelled_at
            )

    # --- credits from elsewhere -------------------------------------------------------

    def external_credit(
        self,
        trainee: Trainee,
        *,
        title: str,
        organisation: str,
        taken_on: date,
        minutes: int,
        area_id: int,
        status: CreditStatus,
        created_at: datetime,
        course: CatalogCourse | None = None,
    ) -> None:
        rng = self.rng
        author = trainee.coach_id or self.reviewer_id
        document_id = self.writer.add(
            Document,
            provider_id=trainee.id,
            checklist_item_id=None,
            filename=f"{course_slug(title) or 'certificate'}-certificate.pdf",
            content_type="application/pdf",
            size=len(self.pdf),
            sha256=self.pdf_sha,
            content=self.pdf,
            uploaded_at=created_at,
            uploaded_by_id=author,
            deleted_at=None,
        )
        self.counts.documents += 1
        reviewed_at = None
        if status is not CreditStatus.PENDING:
            reviewed_at = min(created_at + timedelta(hours=rng.randint(2, 240)), self.now)
        credential_id = course.credential_id if course else None
        self._credit(
            trainee,
            source=CreditSource.EXTERNAL,
            title=title,
            organisation=organisation,
            taken_on=taken_on,
            minutes=minutes,
            ckc_area_id=area_id,
            credential_id=credential_id,
            credential_expires_on=(
                course.expiry(taken_on) if course and status is CreditStatus.APPROVED else None
            ),
            status=status,
            document_id=document_id,
            created_at=created_at,
            created_by_id=author,
            reviewed_at=reviewed_at,
            reviewed_by_id=self.reviewer_id if reviewed_at else None,
            rejection_reason=(
                rng.choice(REJECTION_REASONS) if status is CreditStatus.REJECTED else None
            ),
        )

    def _submitted_at(self, taken_on: date, trainee: Trainee) -> datetime:
        day = taken_on + timedelta(days=self.rng.randint(1, 20))
        moment = self._moment(min(day, self.today), self.rng.randint(8, 21))
        moment = min(moment, self.now - timedelta(minutes=self.rng.randint(5, 600)))
        return min(max(moment, trainee.created_at + timedelta(minutes=1)), self.now)

    # --- the whole history ------------------------------------------------------------

    def credential_demand(self) -> list[tuple[CatalogCourse, int, int]]:
        """(course, day ordinal, trainee index) of network credential sessions; the rest
        of the completed credential items become approved credits from elsewhere."""
        rng = self.rng
        start = self.today - timedelta(days=TRAINING_HISTORY_DAYS)
        index = {trainee.id: i for i, trainee in enumerate(self.trainees)}
        rows = db.session.execute(
            select(
                ChecklistItem.provider_id, ChecklistItem.requirement_id, ChecklistItem.completed_on
            )
            .where(
                ChecklistItem.status == ItemStatus.DONE,
                ChecklistItem.member_key == 0,
                ChecklistItem.requirement_id.in_(list(self.by_requirement)),
                ChecklistItem.completed_on >= start,
            )
            .order_by(ChecklistItem.id)
        ).all()
        demand = []
        for provider_id, requirement_id, completed_on in rows:
            i = index.get(provider_id)
            if i is None:
                continue
            trainee = self.trainees[i]
            course = self.by_requirement[requirement_id]
            day = completed_on - timedelta(days=rng.randint(1, 10))
            if day - timedelta(days=7) >= trainee.first_day and rng.random() < 0.75:
                demand.append((course, day.toordinal(), i))
                continue
            organisations = CREDENTIAL_ORGANISATIONS.get(
                self.requirement_keys.get(requirement_id), ["Connecticut Office of Early Childhood"]
            )
            self.external_credit(
                trainee,
                title=course.title,
                organisation=rng.choice(organisations),
                taken_on=completed_on,
                minutes=course.minutes,
                area_id=course.area_id,
                status=CreditStatus.APPROVED,
                created_at=self._submitted_at(completed_on, trainee),
                course=course,
            )
        return demand

    def run(self) -> TrainingCounts:
        rng = self.rng
        today = self.today
        trainees = self.trainees
        areas = dict(db.session.execute(select(CkcArea.name_en, CkcArea.id)).all())
        fallback_area = self.courses[0].area_id if self.courses else None
        if not trainees or not self.courses:
            return self.counts

        credential_demand = self.credential_demand()

        # Credits from elsewhere, approved (a few rejected), over three years.
        history_start = today - timedelta(days=TRAINING_HISTORY_DAYS)
        for trainee in trainees:
            for _ in range(rng.choices([0, 1, 2, 3], [55, 28, 12, 5])[0]):
                earliest = max(history_start, trainee.first_day - timedelta(days=365))
                latest = today - timedelta(days=2)
                taken_on = earliest + timedelta(
                    days=rng.randint(0, max(0, (latest - earliest).days))
                )
                title, organisation, area, minutes = rng.choice(EXTERNAL_TRAININGS)
                self.external_credit(
                    trainee,
                    title=title,
                    organisation=organisation,
                    taken_on=taken_on,
                    minutes=minutes,
                    area_id=areas.get(area, fallback_area),
                    status=CreditStatus.REJECTED if rng.random() < 0.02 else CreditStatus.APPROVED,
                    created_at=self._submitted_at(taken_on, trainee),
                )

        # Waiting for a manager: a few hundred at 20,000 records, submitted lately.
        open_trainees = [t for t in trainees if t.open]
        card_courses = [c for c in self.courses if c.valid_months]
        for _ in range(max(3, round(len(trainees) * 0.015)) if open_trainees else 0):
            trainee = rng.choice(open_trainees)
            submitted_day = today - timedelta(days=rng.randint(0, 40))
            taken_on = submitted_day - timedelta(days=rng.randint(1, 60))
            created_at = self._moment(submitted_day, rng.randint(7, 22), rng.randrange(0, 60, 5))
            created_at = min(max(created_at, trainee.created_at + timedelta(minutes=30)), self.now)
            if card_courses and rng.random() < 0.15:
                course = rng.choice(card_courses)
                title, organisation, minutes = course.title, "American Red Cross", course.minutes
                area_id = course.area_id
            else:
                course = None
                title, organisation, area, minutes = rng.choice(EXTERNAL_TRAININGS)
                area_id = areas.get(area, fallback_area)
            self.external_credit(
                trainee,
                title=title,
                organisation=organisation,
                taken_on=taken_on,
                minutes=minutes,
                area_id=area_id,
                status=CreditStatus.PENDING,
                created_at=created_at,
                course=course,
            )

        # Network sessions: each record's share of the rest (by stage and time on the
        # record), grouped by week and language into sessions of up to SESSION_SIZE.
        plans: list[tuple[date, int, CatalogCourse, str, list[Trainee]]] = []
        credential_buckets: dict[tuple[int, int], dict[int, int]] = defaultdict(dict)
        for course, day, i in credential_demand:
            credential_buckets[(course.id, day // 7)][i] = day
        course_by_id = {c.id: c for c in self.courses}
        for (course_id, _week), bucket in sorted(credential_buckets.items()):
            items = sorted((day, i) for i, day in bucket.items())
            for start in range(0, len(items), SESSION_SIZE):
                group = items[start : start + SESSION_SIZE]
                members = [trainees[i] for _day, i in group]
                spanish = sum(m.language == "es" for m in members) * 2 > len(members)
                day = date.fromordinal(group[0][0])
                plans.append(
                    (day, len(plans), course_by_id[course_id], "es" if spanish else "en", members)
                )

        wanted = CREDITS_PER_PROVIDER * len(trainees) - self.counts.credits - len(credential_demand)
        demand = max(0, wanted) / (ATTENDED_SHARE + PARTIAL_SHARE)
        weights = [t.rate * max(0, (t.last_day - t.first_day).days + 1) for t in trainees]
        total_weight = sum(weights) or 1
        buckets: dict[tuple[int, str], dict[int, int]] = defaultdict(dict)
        for i, (trainee, weight) in enumerate(zip(trainees, weights, strict=True)):
            if not weight:
                continue
            # At most one network session a week: that many different weeks.
            low, high = trainee.first_day.toordinal(), trainee.last_day.toordinal()
            weeks = range(low // 7, high // 7 + 1)
            sessions = int(demand * weight / total_weight + rng.random())
            for week in rng.sample(weeks, min(sessions, len(weeks))):
                day = min(max(7 * week + rng.randrange(7), low), high)
                buckets[(week, trainee.language)][i] = day
        regular_weights = [c.weight for c in self.regular]
        for (_week, language), bucket in sorted(buckets.items()):
            items = sorted((day, i) for i, day in bucket.items())
            for start in range(0, len(items), SESSION_SIZE):
                group = items[start : start + SESSION_SIZE]
                course = rng.choices(self.regular, regular_weights)[0]
                day = date.fromordinal(group[-1][0])
                plans.append((day, len(plans), course, language, [trainees[i] for _d, i in group]))

        # At least one full 40-person roster, a fortnight ago.
        if self.regular and max((len(p[4]) for p in plans), default=0) < SESSION_SIZE:
            day = today - timedelta(days=14)
            eligible = [t for t in trainees if t.first_day <= day <= t.last_day]
            if len(eligible) >= SESSION_SIZE:
                in_person = [c for c in self.regular if c.delivery is Delivery.IN_PERSON]
                course = (in_person or self.regular)[0]
                plans.append((day, len(plans), course, "en", rng.sample(eligible, SESSION_SIZE)))

        plans.sort(key=lambda plan: plan[:2])
        for day, _order, course, language, members in plans:
            self.past_session(course, day, language, members)

        # The coming months: as many sessions a week as lately, fewer scheduled further out.
        recent = sum(1 for plan in plans if plan[0] >= today - timedelta(days=28))
        per_week = max(2, round(recent / 4))
        all_weights = [c.weight for c in self.courses]
        upcoming = []
        for week in range(UPCOMING_WEEKS):
            share = 1 if week < 4 else 0.6 if week < 8 else 0.3
            for _ in range(round(per_week * share)):
                day = today + timedelta(days=7 * week + rng.randint(1, 7))
                upcoming.append(
                    (day, len(upcoming), week, rng.choices(self.courses, all_weights)[0])
                )
        for day, _order, week, course in sorted(upcoming, key=lambda entry: entry[:2]):
            self.upcoming_session(course, day, week)

        self.writer.flush()
        resync_sequences_of(TrainingSession, Registration, Document)
        return self.counts


def generate_training(
    *,
    seed: int = SEED,
    today: date | None = None,
    trainer_ids: Sequence[int] | None = None,
    reviewer_id: int | None = None,
) -> TrainingCounts:
    """The demo course catalog and every provider record's training history, in bulk.

    Trainers are drawn from `trainer_ids` (default: every active staff account) and
    outside trainers; credits are marked and reviewed by `reviewer_id` (default: the
    first active manager). Flushes only; the caller commits.
    """
    ensure_defaults()
    if trainer_ids is None:
        trainer_ids = db.session.scalars(
            select(User.id)
            .where(User.role.in_((Role.MANAGER, Role.COACH)), User.active.is_(True))
            .order_by(User.id)
        ).all()
    if reviewer_id is None:
        reviewer_id = db.session.scalar(
            select(User.id)
            .where(User.role == Role.MANAGER, User.active.is_(True))
            .order_by(User.id)
            .limit(1)
        )
    history = TrainingHistory(
        seed=seed, today=today or local_today(), trainer_ids=trainer_ids, reviewer_id=reviewer_id
    )
    return history.run()


def resync_sequences_of(*models) -> None:
    """PostgreSQL: move the id sequences past the ids given explicitly."""
    if db.session.get_bind().dialect.name != "postgresql":
        return
    for model in models:
        sequence = func.pg_get_serial_sequence(model.__tablename__, "id")
        last = select(func.max(model.id)).scalar_subquery()
        # An empty table: the next id is 1 (setval's third argument: not yet used).
        db.session.execute(select(func.setval(sequence, func.coalesce(last, 1), last.is_not(None))))
