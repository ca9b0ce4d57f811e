"""What the settings pages list, each in one query."""

from sqlalchemy import Select, func, select

from fccnet.coaching.models import CoachingTopic
from fccnet.licensing.models import Requirement, Stage
from fccnet.providers.models import Neighborhood, Provider, ReferralSource, Town


def list_towns() -> Select:
    """(town, neighborhood count, provider count) rows, by name."""
    neighborhoods = (
        select(Neighborhood.town_id, func.count().label("count"))
        .group_by(Neighborhood.town_id)
        .subquery()
    )
    providers = (
        select(Provider.town_id, func.count().label("count"))
        .where(Provider.deleted_at.is_(None))
        .group_by(Provider.town_id)
        .subquery()
    )
    return (
        select(
            Town,
            func.coalesce(neighborhoods.c.count, 0),
            func.coalesce(providers.c.count, 0),
        )
        .outerjoin(neighborhoods, neighborhoods.c.town_id == Town.id)
        .outerjoin(providers, providers.c.town_id == Town.id)
        .order_by(Town.name)
    )


def list_neighborhoods(town: Town) -> Select:
    return select(Neighborhood).where(Neighborhood.town_id == town.id).order_by(Neighborhood.name)


def list_referral_sources() -> Select:
    return select(ReferralSource).order_by(ReferralSource.name_en)


def list_stages() -> Select:
    return select(Stage).order_by(Stage.position, Stage.id)


def list_requirements() -> Select:
    return select(Requirement).order_by(Requirement.position, Requirement.id)


def list_coaching_topics() -> Select:
    """Every topic, deactivated ones too, in the order contacts offer them."""
    return select(CoachingTopic).order_by(CoachingTopic.position, CoachingTopic.id)
