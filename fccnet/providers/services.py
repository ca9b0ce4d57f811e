"""Creating and changing provider records, households and caseloads."""

import difflib
import unicodedata
from dataclasses import dataclass, field

import phonenumbers
from email_validator import EmailNotValidError, validate_email
from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update
from sqlalchemy.orm import joinedload

from fccnet.audit.services import diff_fields, record_event
from fccnet.auth import services as auth_services
from fccnet.auth.models import Role, User
from fccnet.clock import local_today
from fccnet.database import utcnow
from fccnet.errors import ConflictError, DomainError
from fccnet.extensions import db
from fccnet.licensing.models import StageChange
from fccnet.licensing.services import first_stage, sync_checklist
from fccnet.providers.models import CoachAssignment, HouseholdMember, Provider, Town
from fccnet.text import clean_text

PROVIDER_FIELDS = (
    "legal_name",
    "preferred_name",
    "business_name",
    "phone",
    "email",
    "street",
    "town_id",
    "neighborhood_id",
    "languages",
    "preferred_language",
    "first_contact_on",
    "referral_source_id",
    "staff_notes",
    "has_well",
    "ages_served",
    "hours_of_operation",
    "accepts_care4kids",
)
# Free-text fields: (most characters, required, may span lines); the forms check the same.
TEXT_RULES = {
    "legal_name": (120, True, False),
    "preferred_name": (120, False, False),
    "business_name": (120, False, False),
    "street": (200, False, False),
    "ages_served": (120, False, False),
    "hours_of_operation": (120, False, False),
    "staff_notes": (5000, False, True),
}
# What a provider may change on their own record.
SELF_SERVICE_FIELDS = ("phone", "email", "preferred_language")
HOUSEHOLD_FIELDS = ("name", "relationship_to_provider", "born_on", "moved_in_on", "moved_out_on")


def normalise_phone(raw: str | None) -> str | None:
    """E.164 (+18605550123), with the US as the default region; DomainError if invalid."""
    if not raw or not raw.strip():
        return None
    try:
        number = phonenumbers.parse(raw, "US")
    except phonenumbers.NumberParseException:
        number = None
    if number is None or not phonenumbers.is_valid_number(number):
        raise DomainError(_l("Enter a phone number such as 860-555-0123."), field="phone")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def format_phone(e164: str) -> str:
    """+18605550123 -> (860) 555-0123 for reading."""
    if len(e164) == 12 and e164.startswith("+1") and e164[2:].isdigit():
        # Fast path for the network's own (North American) numbers; lists show many.
        return f"({e164[2:5]}) {e164[5:8]}-{e164[8:]}"
    try:
        number = phonenumbers.parse(e164, "US")
    except phonenumbers.NumberParseException:
        return e164
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)


def normalise_email(raw: str | None) -> str | None:
    if not raw or not raw.strip():
        return None
    try:
        return validate_email(raw.strip(), check_deliverability=False).normalized.lower()
    except EmailNotValidError:
        raise DomainError(
            _l("Enter an email address such as name@example.org."), field="email"
        ) from None


def search_text_for(provider: Provider) -> str:
    parts = [provider.legal_name, provider.preferred_name, provider.business_name, provider.email]
    if provider.phone:
        digits = provider.phone.removeprefix("+1")
        parts += [digits, f"{digits[:3]}-{digits[3:6]}-{digits[6:]}"]
    return " | ".join(p for p in parts if p).lower()


def phone_search_digits(text: str) -> str | None:
    """A search that looks like (part of) a phone number, as stored digits."""
    digits = "".join(ch for ch in text if ch.isdigit())
    return digits if len(digits) >= 4 and len(digits) >= len(text.strip()) / 2 else None


def _fold(name: str) -> str:
    """Lower case, no accents, single spaces: for comparing names."""
    decomposed = unicodedata.normalize("NFKD", name)
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(plain.lower().split())


def _clean(data: dict) -> dict:
    values = dict(data)
    if "phone" in values:
        values["phone"] = normalise_phone(values["phone"])
    if "email" in values:
        values["email"] = normalise_email(values["email"])
    for name, (max_length, required, multiline) in TEXT_RULES.items():
        if name in values:
            text = clean_text(
                values[name],
                field=name,
                max_length=max_length,
                required=required,
                multiline=multiline,
            )
            values[name] = text or None
    if "town_id" in values or "neighborhood_id" in values:
        _check_neighborhood(values.get("town_id"), values.get("neighborhood_id"))
    return values


def _check_neighborhood(town_id: int | None, neighborhood_id: int | None) -> None:
    town = db.session.get(Town, town_id) if town_id else None
    if town is None:
        raise DomainError(_l("Choose a town."), field="town_id")
    hoods = {hood.id for hood in town.neighborhoods}
    if hoods and neighborhood_id not in hoods:
        raise DomainError(
            _l("Choose the neighborhood for an address in %(town)s.", town=town.name),
            field="neighborhood_id",
        )
    if not hoods and neighborhood_id:
        raise DomainError(_l("This town has no neighborhoods."), field="neighborhood_id")


NAME_SIMILARITY = 0.85


@dataclass
class PossibleDuplicate:
    provider: Provider
    reasons: list[str] = field(default_factory=list)


def find_duplicates(
    *,
    legal_name: str,
    town_id: int | None,
    phone: str | None,
    email: str | None,
    exclude_id: int | None = None,
) -> list[PossibleDuplicate]:
    """Records that look like the same person: same phone or email, or a very similar
    name in the same town (accents and case ignored). Phone and email as typed."""
    phone, email = normalise_phone(phone), normalise_email(email)
    live = Provider.deleted_at.is_(None)
    if exclude_id:
        live = live & (Provider.id != exclude_id)
    reasons: dict[int, list[str]] = {}
    for field_name, value in (("phone", phone), ("email", email)):
        if value:
            column = getattr(Provider, field_name)
            for provider_id in db.session.scalars(select(Provider.id).where(live, column == value)):
                reasons.setdefault(provider_id, []).append(field_name)
    folded = _fold(legal_name or "")
    if town_id and folded:
        # Every name in the town, cheaply: the quick upper bounds discard most at once.
        matcher = difflib.SequenceMatcher(None)
        matcher.set_seq2(folded)
        rows = db.session.execute(
            select(Provider.id, Provider.legal_name, Provider.preferred_name).where(
                live, Provider.town_id == town_id
            )
        )
        for provider_id, *names in rows:
            for name in filter(None, names):
                matcher.set_seq1(_fold(name))
                if (
                    matcher.real_quick_ratio() >= NAME_SIMILARITY
                    and matcher.quick_ratio() >= NAME_SIMILARITY
                    and matcher.ratio() >= NAME_SIMILARITY
                ):
                    reasons.setdefault(provider_id, []).append("name")
                    break
    ids = sorted(reasons)[:10]
    providers = db.session.scalars(
        select(Provider).where(Provider.id.in_(ids)).options(joinedload(Provider.town))
    )
    return [PossibleDuplicate(provider, reasons[provider.id]) for provider in providers]


def _check_version(record, expected_version: int | None) -> None:
    if expected_version is not None and expected_version != record.version:
        raise ConflictError(record)


def _check_coach(coach: User | None, field: str = "coach_id") -> None:
    if coach is not None and (coach.role is not Role.COACH or not coach.active):
        raise DomainError(_l("Choose an active coach."), field=field)


def create_provider(data: dict, *, actor: User, coach: User | None = None) -> Provider:
    _check_coach(coach)
    values = _clean({name: data.get(name) for name in PROVIDER_FIELDS if name in data})
    values.setdefault("first_contact_on", local_today())
    values.setdefault("languages", [])
    provider = Provider(**values, stage=first_stage(), coach=coach)
    provider.search_text = search_text_for(provider)
    db.session.add(provider)
    db.session.flush()
    db.session.add(
        StageChange(provider_id=provider.id, to_stage=provider.stage, changed_by_id=actor.id)
    )
    if coach is not None:
        db.session.add(
            CoachAssignment(provider_id=provider.id, to_coach_id=coach.id, assigned_by_id=actor.id)
        )
    record_event(
        "provider.created",
        actor=actor,
        target=provider,
        changes={name: (None, getattr(provider, name)) for name in values},
    )
    sync_checklist(provider)
    return provider


def update_provider(
    provider: Provider,
    data: dict,
    *,
    actor: User,
    expected_version: int | None,
    fields: tuple[str, ...] = PROVIDER_FIELDS,
) -> None:
    """Change the given fields (a provider editing themself passes SELF_SERVICE_FIELDS)."""
    _check_version(provider, expected_version)
    values = {name: data[name] for name in fields if name in data}
    if "town_id" in values and "neighborhood_id" not in values:
        values["neighborhood_id"] = provider.neighborhood_id
    values = _clean(values)
    changes = diff_fields(provider, values)
    if not changes:
        return
    for name, (_old, new) in changes.items():
        setattr(provider, name, new)
    provider.search_text = search_text_for(provider)
    record_event("provider.updated", actor=actor, target=provider, changes=changes)
    db.session.flush()
    if "has_well" in changes:
        sync_checklist(provider)


def assign_coach(provider: Provider, coach: User | None, *, actor: User) -> None:
    _check_coach(coach)
    if provider.coach_id == (coach.id if coach else None):
        return
    db.session.add(
        CoachAssignment(
            provider_id=provider.id,
            from_coach_id=provider.coach_id,
            to_coach_id=coach.id if coach else None,
            assigned_by_id=actor.id,
        )
    )
    record_event(
        "provider.coach_assigned",
        actor=actor,
        target=provider,
        changes={"coach_id": (provider.coach_id, coach.id if coach else None)},
    )
    provider.coach = coach
    db.session.flush()


def reassign_caseload(from_coach: User, to_coach: User, *, actor: User) -> int:
    """Move every provider of one coach to another; returns how many moved."""
    _check_coach(to_coach, field="to_coach_id")
    if from_coach.id == to_coach.id:
        raise DomainError(_l("Choose a different coach."), field="to_coach_id")
    provider_ids = list(
        db.session.scalars(
            select(Provider.id).where(
                Provider.coach_id == from_coach.id, Provider.deleted_at.is_(None)
            )
        )
    )
    if not provider_ids:
        return 0
    db.session.add_all(
        CoachAssignment(
            provider_id=provider_id,
            from_coach_id=from_coach.id,
            to_coach_id=to_coach.id,
            assigned_by_id=actor.id,
        )
        for provider_id in provider_ids
    )
    db.session.execute(
        update(Provider)
        .where(Provider.id.in_(provider_ids))
        .values(coach_id=to_coach.id, version=Provider.version + 1)
        .execution_options(synchronize_session="fetch")
    )
    record_event(
        "caseload.reassigned",
        actor=actor,
        target=to_coach,
        details={"from_coach_id": from_coach.id, "providers": len(provider_ids)},
    )
    db.session.flush()
    return len(provider_ids)


def delete_provider(provider: Provider, *, actor: User, reason: str) -> None:
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_l("Give the reason for deleting this record."), field="reason")
    provider.deleted_at = utcnow()
    provider.deleted_reason = reason
    record_event("provider.deleted", actor=actor, target=provider, details={"reason": reason})
    db.session.flush()


def restore_provider(provider: Provider, *, actor: User) -> None:
    if provider.deleted_at is None:
        return
    provider.deleted_at = None
    provider.deleted_reason = None
    record_event("provider.restored", actor=actor, target=provider)
    db.session.flush()


def create_provider_account(provider: Provider, *, actor: User) -> User:
    """A sign-in account (role provider) for the record, with the record's email."""
    if not provider.email:
        raise DomainError(_l("Add the provider's email before inviting them."), field="email")
    user = auth_services.create_user(
        email=provider.email,
        name=provider.display_name,
        role=Role.PROVIDER,
        language=provider.preferred_language,
        actor=actor,
    )
    provider.user = user
    record_event(
        "provider.updated", actor=actor, target=provider, changes={"user_id": (None, user.id)}
    )
    db.session.flush()
    return user


def record_view(provider: Provider, *, actor: User) -> None:
    """Who opened whose record, and when (QUALITY.md)."""
    record_event("provider.viewed", actor=actor, target=provider)


# --- Household -------------------------------------------------------------------------


def _clean_member(data: dict) -> dict:
    values = {name: data[name] for name in HOUSEHOLD_FIELDS if name in data}
    for name, max_length in (("name", 120), ("relationship_to_provider", 60)):
        if name in values:
            values[name] = clean_text(values[name], field=name, max_length=max_length)
    born_on = values.get("born_on")
    if born_on and born_on > local_today():
        raise DomainError(_l("The date of birth cannot be in the future."), field="born_on")
    moved_in, moved_out = values.get("moved_in_on"), values.get("moved_out_on")
    if moved_in and moved_out and moved_out < moved_in:
        raise DomainError(_l("Moving out must come after moving in."), field="moved_out_on")
    return values


def add_household_member(provider: Provider, data: dict, *, actor: User) -> HouseholdMember:
    member = HouseholdMember(provider=provider, **_clean_member(data))
    db.session.add(member)
    db.session.flush()
    record_event(
        "household_member.created",
        actor=actor,
        target=member,
        changes={name: (None, getattr(member, name)) for name in HOUSEHOLD_FIELDS},
        details={"provider_id": provider.id},
    )
    sync_checklist(provider)
    return member


def update_household_member(
    member: HouseholdMember, data: dict, *, actor: User, expected_version: int | None
) -> None:
    _check_version(member, expected_version)
    changes = diff_fields(member, _clean_member(data))
    if not changes:
        return
    for name, (_old, new) in changes.items():
        setattr(member, name, new)
    record_event(
        "household_member.updated",
        actor=actor,
        target=member,
        changes=changes,
        details={"provider_id": member.provider_id},
    )
    db.session.flush()
    sync_checklist(member.provider)
