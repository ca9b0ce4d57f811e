"""The data-partner export: providers by town, by neighborhood and by stage, and new
inquiries and newly licensed providers by town, with no names or identifiers and every
count from 1 to 4 suppressed (DOMAIN.md: counts under 5 never leave the network).

The town and neighborhood tables share counts, so they are protected together, in
blocks that share no count (fccnet.reports.protection explains how).
"""

from itertools import groupby

from flask_babel import gettext as _
from sqlalchemy import Integer, String, and_, cast, func, null, or_, select, true, union_all

from fccnet.extensions import db
from fccnet.licensing.models import Stage, StageChange
from fccnet.providers.models import Neighborhood, Provider, Town
from fccnet.reports.measures import first_licensed_days
from fccnet.reports.protection import (
    Line,
    PublishedPlaces,
    TownCounts,
    protect,
    protect_places,
    shown,
)
from fccnet.reports.scope import ReportScope
from fccnet.reports.tables import Column, Kind, Report, Table, in_reader_language


def build(scope: ReportScope) -> Report:
    stage_names, towns = counts_by_place(scope)
    published = protect_places(towns, len(stage_names))
    return Report(
        title=_("Data-partner export"),
        intro=_(
            "Counts to share outside the network: no names, no identifiers. Every count "
            "from 1 to 4 is suppressed, and so are enough other counts in the same rows "
            "and columns that no suppressed count can be worked out from the totals, nor "
            "from the town and neighborhood tables read together. Zeros are shown. A "
            "provider's stage is the one they were in at the end of the period; providers "
            "first contacted after it are not counted."
        ),
        tables=[
            towns_by_stage(stage_names, published),
            neighborhoods_by_stage(stage_names, published),
            newly_licensed_by_town(scope),
        ],
    )


# --- Queries ------------------------------------------------------------------------------


def counts_by_place(scope: ReportScope) -> tuple[list[str], list[TownCounts]]:
    """(stage names, each town's counts): the providers in scope in each stage at the end
    of the period, by town and neighborhood. Every active town and stage, and any other
    one someone is counted in; each town's neighborhoods, by name."""
    stage_at_end = (
        select(StageChange.to_stage_id)
        .where(StageChange.provider_id == Provider.id, StageChange.changed_at < scope.moments()[1])
        .order_by(StageChange.changed_at.desc(), StageChange.id.desc())
        .limit(1)
        .correlate(Provider)
        .scalar_subquery()
    )
    # Materialized, so that each provider's stage is looked up once, not once more for
    # each use of it in the grouping.
    providers = (
        select(Provider.town_id, Provider.neighborhood_id, stage_at_end.label("stage_id"))
        .where(*scope.provider_conditions())
        .cte("providers_at_end")
        .prefix_with("MATERIALIZED")
    )
    counts = (
        select(
            providers.c.town_id,
            providers.c.neighborhood_id,
            providers.c.stage_id,
            func.count().label("providers"),
        )
        .where(providers.c.stage_id.is_not(None))
        .group_by(providers.c.town_id, providers.c.neighborhood_id, providers.c.stage_id)
        .cte("counts")
        .prefix_with("MATERIALIZED")
    )
    shown_town = or_(Town.active.is_(True), Town.id.in_(select(counts.c.town_id)))
    places = union_all(
        select(
            Town.id.label("town_id"),
            Town.name.label("town"),
            cast(null(), Integer).label("neighborhood_id"),
            cast(null(), String).label("neighborhood"),
        ).where(shown_town),
        select(Town.id, Town.name, Neighborhood.id, Neighborhood.name)
        .join(Neighborhood.town)
        .where(shown_town),
    ).subquery("places")
    stages = (
        select(Stage)
        .where(or_(Stage.active.is_(True), Stage.id.in_(select(counts.c.stage_id))))
        .subquery("shown_stages")
    )
    rows = db.session.execute(
        select(
            places.c.town_id,
            places.c.town,
            places.c.neighborhood_id,
            places.c.neighborhood,
            stages.c.name_en,
            stages.c.name_es,
            func.coalesce(counts.c.providers, 0).label("providers"),
        )
        .select_from(places)
        .join(stages, true())
        .outerjoin(
            counts,
            and_(
                counts.c.town_id == places.c.town_id,
                func.coalesce(counts.c.neighborhood_id, 0)
                == func.coalesce(places.c.neighborhood_id, 0),
                counts.c.stage_id == stages.c.id,
            ),
        )
        .order_by(
            places.c.town,
            places.c.town_id,
            places.c.neighborhood_id.is_(None),
            places.c.neighborhood,
            stages.c.is_closed,
            stages.c.position,
            stages.c.id,
        )
    ).all()
    stage_names: list[str] = []
    towns = []
    for (_town_id, town_name), town_rows in groupby(rows, lambda row: (row.town_id, row.town)):
        town = TownCounts(town_name, [])
        for (neighborhood_id, name), place_rows in groupby(
            town_rows, lambda row: (row.neighborhood_id, row.neighborhood)
        ):
            place_rows = list(place_rows)
            stage_names = stage_names or [
                in_reader_language(row.name_en, row.name_es) for row in place_rows
            ]
            counts_of_place = [row.providers for row in place_rows]
            if neighborhood_id is None:
                town.counts = counts_of_place
            else:
                town.neighborhoods.append((name, counts_of_place))
        towns.append(town)
    return stage_names, towns


def newly_licensed_counts(scope: ReportScope) -> list:
    """(town, inquiries, licensed) rows: providers in scope first contacted in the period,
    and first licensed in it, for every active town and any other with a count."""
    period = scope.period
    licensed = first_licensed_days(scope.zone).subquery()
    inquiries = func.count(Provider.id).filter(
        Provider.first_contact_on.between(period.start, period.end)
    )
    newly_licensed = func.count(licensed.c.provider_id).filter(
        licensed.c.licensed_on.between(period.start, period.end)
    )
    return db.session.execute(
        select(Town.name, inquiries.label("inquiries"), newly_licensed.label("licensed"))
        .outerjoin(Provider, and_(Provider.town_id == Town.id, *scope.provider_conditions()))
        .outerjoin(licensed, licensed.c.provider_id == Provider.id)
        .group_by(Town.id, Town.name, Town.active)
        .having(or_(Town.active.is_(True), inquiries > 0, newly_licensed > 0))
        .order_by(Town.name, Town.id)
    ).all()


# --- Tables -------------------------------------------------------------------------------


def stage_table(
    *,
    key: str,
    title: str,
    description: str,
    place: str,
    stage_names: list[str],
    lines: list[tuple[str, Line]],
    footer: Line | None,
    empty_message: str,
) -> Table:
    return Table(
        key=key,
        title=title,
        description=description,
        columns=[
            Column(place),
            *(Column(name, Kind.COUNT) for name in stage_names),
            Column(_("Total"), Kind.COUNT),
        ],
        rows=[(label, *shown([*line.cells, line.total])) for label, line in lines],
        footer=[_("Total"), *shown([*footer.cells, footer.total])] if lines and footer else None,
        empty_message=empty_message,
    )


def towns_by_stage(stage_names: list[str], published: PublishedPlaces) -> Table:
    return stage_table(
        key="towns_by_stage",
        title=_("Providers by town and stage"),
        description=_("Providers in each stage at the end of the period, by town."),
        place=_("Town"),
        stage_names=stage_names,
        lines=published.towns,
        footer=published.towns_footer,
        empty_message=_("No town to show."),
    )


def neighborhoods_by_stage(stage_names: list[str], published: PublishedPlaces) -> Table:
    towns = published.neighborhood_towns()
    return stage_table(
        key="neighborhoods_by_stage",
        title=_("Providers by neighborhood and stage"),
        description=_(
            "Providers in each stage at the end of the period, by neighborhood of %(towns)s.",
            towns=", ".join(towns),
        )
        if towns
        else "",
        place=_("Neighborhood"),
        stage_names=stage_names,
        lines=published.labelled_neighborhoods(),
        footer=published.neighborhoods_footer,
        empty_message=_("No town has neighborhoods."),
    )


def newly_licensed_by_town(scope: ReportScope) -> Table:
    """New inquiries and newly licensed providers by town. The two counts are of different
    things, so no row total is shown (leaving out what `suppress` allowed for only hides
    more)."""
    rows = newly_licensed_counts(scope)
    published = protect([[row.inquiries, row.licensed] for row in rows], 2)
    return Table(
        key="newly_licensed_by_town",
        title=_("New inquiries and newly licensed providers by town"),
        description=_(
            "Providers first contacted in the period, and providers first licensed in it."
        ),
        columns=[
            Column(_("Town")),
            Column(_("New inquiries"), Kind.COUNT),
            Column(_("Newly licensed"), Kind.COUNT),
        ],
        rows=[(row.name, *shown(cells)) for row, cells in zip(rows, published.cells, strict=True)],
        footer=[_("Total"), *shown(published.column_totals)] if rows else None,
        empty_message=_("No town to show."),
    )
