"""Counts by town and by neighborhood, protected together for anything that leaves the
network (DOMAIN.md: counts under 5 never do): the data-partner export and the report card.

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

from flask_babel import gettext as _

from fccnet.reports.suppression import SuppressedTable, suppress
from fccnet.reports.tables import SUPPRESSED


@dataclass
class TownCounts:
    """One town's counts, one per column."""

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

    def neighborhood_towns(self) -> list[str]:
        """The towns with neighborhoods, in order."""
        return list(dict.fromkeys(town for town, _name, _line in self.neighborhoods))

    def labelled_neighborhoods(self) -> list[tuple[str, Line]]:
        """Each neighborhood line with its label, in the current language: the
        neighborhood ("Unknown neighborhood" for a town's providers without one), after
        its town's name when several towns have neighborhoods."""
        several_towns = len(self.neighborhood_towns()) > 1

        def label(town: str, neighborhood: str | None) -> str:
            name = neighborhood or _("Unknown neighborhood")
            if several_towns:
                return _("%(town)s: %(neighborhood)s", town=town, neighborhood=name)
            return name

        return [(label(town, name), line) for town, name, line in self.neighborhoods]


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


def shown(values: Sequence[int | None]) -> list:
    """Published counts as table values: SUPPRESSED where None."""
    return [SUPPRESSED if value is None else value for value in values]
