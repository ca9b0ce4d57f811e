"""The data-partner export: providers by town, by neighborhood and by stage, and new
inquiries and newly licensed providers by town, with no names or identifiers and every
count from 1 to 4 suppressed (DOMAIN.md: counts under 5 never leave the network).

`suppress` protects one table with its totals. The town and neighborhood tables share
counts: a town with neighborhoods has, in the town table, the totals row of its
neighborhoods, and the town table's totals row adds up every town. Suppressed table by
table, one could give away what the other hides (a town's count suppressed in one,
shown in the other). So the counts are protected in blocks that share no count (the
towns without neighborhoods; each town's neighborhoods) and both tables are put
together from the blocks:

- a town with neighborhoods gets, in the town table, its neighborhoods' totals row
  exactly as their block published it;
- a total adding up several blocks (the town table's totals row; the neighborhood
  table's when several towns have neighborhoods) is shown only where each of its parts
  is, so it tells nothing its parts do not.

Everything shown is then what the blocks publish, and blocks have no count in common,
so each block's own protection holds for the two tables read together.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import groupby

from flask_babel import get_locale
from flask_babel import gettext as _
from sqlalchemy import Integer, String, and_, cast, func, null, or_, select, true, union_all

from fccnet.extensions import db
from fccnet.licensing.models import Stage, StageChange
from fccnet.providers.models import Neighborhood, Provider, Town
from fccnet.reports.measures import first_licensed_days
from fccnet.reports.scope import ReportScope
from fccnet.reports.suppression import SuppressedTable, suppress
from fccnet.reports.tables import SUPPRESSED, Column, Kind, Report, Table


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


# --- Protecting the counts ----------------------------------------------------------------


@dataclass
class TownCounts:
    """One town's counts, one per stage."""

    name: str
    # Its providers with no neighborhood: everyone, in a town without neighborhoods.
    counts: list[int]
    neighborhoods: list[tuple[str, list[int]]] = field(default_factory=list)


@dataclass(frozen=True)
class Line:
    """A published row: its counts and its total, None where suppressed."""

    cells: list[int | None]
    total: int | None


@dataclass(frozen=True)
class PublishedPlaces:
    towns: list[tuple[str, Line]]
    towns_footer: Line
    # (town, neighborhood or None for its providers without one, counts)
    neighborhoods: list[tuple[str, str | None, Line]]
    neighborhoods_footer: Line | None  # None: no town has neighborhoods


def protect_places(towns: Sequence[TownCounts], columns: int) -> PublishedPlaces:
    """The town and neighborhood tables, protected together (see the module docstring).
    A town's providers without a neighborhood get a row of their own among its
    neighborhoods when there are any."""
    plain = protect([town.counts for town in towns if not town.neighborhoods], columns)
    plain_rows = iter(zip(plain.cells, plain.row_totals, strict=True))
    town_lines: list[tuple[str, Line]] = []
    neighborhood_lines: list[tuple[str, str | None, Line]] = []
    neighborhood_totals: list[Line] = []
    for town in towns:
        if not town.neighborhoods:
            town_lines.append((town.name, Line(*next(plain_rows))))
            continue
        places = [*town.neighborhoods, *([(None, town.counts)] if any(town.counts) else [])]
        block = protect([counts for _name, counts in places], columns)
        for (name, _counts), cells, total in zip(
            places, block.cells, block.row_totals, strict=True
        ):
            neighborhood_lines.append((town.name, name, Line(cells, total)))
        neighborhood_totals.append(Line(block.column_totals, block.total))
        town_lines.append((town.name, neighborhood_totals[-1]))
    return PublishedPlaces(
        towns=town_lines,
        towns_footer=added_up([Line(plain.column_totals, plain.total), *neighborhood_totals]),
        neighborhoods=neighborhood_lines,
        neighborhoods_footer=added_up(neighborhood_totals) if neighborhood_totals else None,
    )


def protect(rows: list[list[int]], columns: int) -> SuppressedTable:
    if rows:
        return suppress(rows)
    return SuppressedTable(cells=[], row_totals=[], column_totals=[0] * columns, total=0)


def added_up(lines: list[Line]) -> Line:
    """The totals of several blocks added up, each shown only when all its parts are."""

    def add(parts: list[int | None]) -> int | None:
        return None if None in parts else sum(parts)

    return Line(
        cells=[add(list(parts)) for parts in zip(*(line.cells for line in lines), strict=True)],
        total=add([line.total for line in lines]),
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
    spanish = str(get_locale()) == "es"
    stage_names: list[str] = []
    towns = []
    for (_town_id, town_name), town_rows in groupby(rows, lambda row: (row.town_id, row.town)):
        town = TownCounts(town_name, [])
        for (neighborhood_id, name), place_rows in groupby(
            town_rows, lambda row: (row.neighborhood_id, row.neighborhood)
        ):
            place_rows = list(place_rows)
            stage_names = stage_names or [
                row.name_es if spanish else row.name_en for row in place_rows
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


def shown(values: Sequence[int | None]) -> list:
    return [SUPPRESSED if value is None else value for value in values]


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
    towns = list(dict.fromkeys(town for town, _name, _line in published.neighborhoods))

    def label(town: str, neighborhood: str | None) -> str:
        name = neighborhood or _("Unknown neighborhood")
        return (
            _("%(town)s: %(neighborhood)s", town=town, neighborhood=name)
            if len(towns) > 1
            else name
        )

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
        lines=[(label(town, name), line) for town, name, line in published.neighborhoods],
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
