"""Finding providers, and what their checklists have coming due."""

from dataclasses import dataclass
from datetime import date

from flask import current_app
from sqlalchemy import ColumnElement, Select, String, cast, func, or_, select
from sqlalchemy.orm import joinedload, load_only, selectinload

from fccnet.auth.models import Role, User
from fccnet.database import contains_pattern
from fccnet.extensions import db
from fccnet.licensing.queries import has_overdue_items
from fccnet.providers.models import Neighborhood, Provider
from fccnet.providers.services import phone_search_digits

SORTS = {
    "name": (Provider.legal_name, Provider.id),
    "stage": (Provider.stage_id, Provider.legal_name),
    "first_contact": (Provider.first_contact_on, Provider.id),
    "updated": (Provider.updated_at, Provider.id),
}


@dataclass
class ProviderFilters:
    q: str = ""
    stage_id: int | None = None
    coach_id: int | None = None  # 0: nobody assigned
    town_id: int | None = None
    neighborhood_id: int | None = None
    promise_zone: bool = False
    language: str = ""
    overdue: bool = False
    deleted: bool = False
    sort: str = "name"
    descending: bool = False


def who_and_where(
    *,
    coach_id: int | None = None,
    town_id: int | None = None,
    neighborhood_id: int | None = None,
    promise_zone: bool = False,
    language: str = "",
) -> list[ColumnElement[bool]]:
    """Conditions on Provider for the filters the providers list and the reports share.
    coach_id 0 means nobody assigned; None and empty values mean no condition."""
    conditions = []
    if coach_id is not None:
        conditions.append(
            Provider.coach_id.is_(None) if coach_id == 0 else Provider.coach_id == coach_id
        )
    if town_id:
        conditions.append(Provider.town_id == town_id)
    if neighborhood_id:
        conditions.append(Provider.neighborhood_id == neighborhood_id)
    if promise_zone:
        conditions.append(
            Provider.neighborhood_id.in_(select(Neighborhood.id).where(Neighborhood.promise_zone))
        )
    if language:
        # Languages are a JSON list; its text form is the same on SQLite and PostgreSQL.
        conditions.append(cast(Provider.languages, String).like(f'%"{language}"%'))
    return conditions


def list_providers(filters: ProviderFilters, *, today: date) -> Select:
    # Only the listed columns, and names looked up from the page's reference lists:
    # the query stays a plain ordered scan of one index, with no joins.
    query = select(Provider).options(
        load_only(
            Provider.legal_name,
            Provider.preferred_name,
            Provider.business_name,
            Provider.phone,
            Provider.stage_id,
            Provider.town_id,
            Provider.neighborhood_id,
            Provider.coach_id,
            Provider.version,
        )
    )
    query = query.where(
        Provider.deleted_at.is_not(None) if filters.deleted else Provider.deleted_at.is_(None)
    )
    if filters.q:
        matches = [Provider.search_text.like(contains_pattern(filters.q), escape="\\")]
        digits = phone_search_digits(filters.q)
        if digits:
            matches.append(Provider.phone.like(contains_pattern(digits), escape="\\"))
        query = query.where(or_(*matches))
    if filters.stage_id:
        query = query.where(Provider.stage_id == filters.stage_id)
    query = query.where(
        *who_and_where(
            coach_id=filters.coach_id,
            town_id=filters.town_id,
            neighborhood_id=filters.neighborhood_id,
            promise_zone=filters.promise_zone,
            language=filters.language,
        )
    )
    if filters.overdue:
        query = query.where(has_overdue_items(today))
    columns = SORTS.get(filters.sort, SORTS["name"])
    return query.order_by(*(c.desc() for c in columns) if filters.descending else columns)


def load_provider_page(provider_id: int) -> Select:
    """Everything the provider page shows about the record, in a fixed number of queries."""
    return (
        select(Provider)
        .where(Provider.id == provider_id)
        .options(
            joinedload(Provider.stage),
            joinedload(Provider.town),
            joinedload(Provider.neighborhood),
            joinedload(Provider.coach),
            joinedload(Provider.user),
            joinedload(Provider.referral_source),
            selectinload(Provider.household),
        )
    )


def count_caseloads() -> Select:
    """(coach id, providers) for every coach with a caseload."""
    return (
        select(Provider.coach_id, func.count())
        .where(Provider.deleted_at.is_(None), Provider.coach_id.is_not(None))
        .group_by(Provider.coach_id)
    )


def own_provider_id(user) -> int | None:
    """The provider record of a signed-in provider, for the navigation."""
    if not (user.is_authenticated and user.is_provider):
        return None
    return db.session.scalar(
        select(Provider.id).where(Provider.user_id == user.id, Provider.deleted_at.is_(None))
    )


def coach_names() -> Select:
    """(id, name) of every coach, deactivated ones too (they may still show in lists)."""
    return select(User.id, User.name).where(User.role == Role.COACH)


def provider_locale(provider: Provider) -> str:
    """The language documents and feeds made for the provider are written in."""
    language = provider.preferred_language
    return language if language in current_app.config["LANGUAGES"] else "en"
