"""The report card the network publishes to the city and funders: for a half-year (or any
range) and the period before it, network-wide, new inquiries, newly licensed providers and
the slots they added, licensed providers at the end, training and coaching hours, each with
its change; then new inquiries, newly licensed and licensed providers by town and by
neighborhood (the North Hartford Promise Zone as one group). On one printable page and as
a one-page PDF.

The card leaves the network, so its breakdowns are protected as the data-partner export's
are (fccnet.reports.protection: counts from 1 to 4 suppressed, with complements, in blocks
that share no count). The card shows two things that export does not, and a reader could
use them to work a suppressed count out: the network totals, in full, in the summary, and
the Promise Zone row. `protected_breakdowns` makes sure neither gives anything away.

Two queries whatever the data size: the provider figures of both periods for the network,
each town's providers without a neighborhood, each neighborhood and the Promise Zone (one
pass over the providers, grouped several ways), and the hours of both periods.
Newly licensed, licensed at a moment and slots are the outcomes report's expressions.

The card keeps numbers only; its labels and tables are made when it is shown, so the PDF
comes out in the language it is asked for.
"""

import enum
from dataclasses import dataclass
from datetime import date

from flask import current_app
from flask_babel import force_locale, format_decimal, format_percent
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from fpdf import FontFace, XPos, YPos
from fpdf.enums import MethodReturnValue, TableBordersLayout
from sqlalchemy import ColumnElement, Row, false, func, literal, null, select, union_all

from fccnet.coaching.models import Contact
from fccnet.credits.services import Period
from fccnet.extensions import db
from fccnet.providers.models import Neighborhood, Provider, Town
from fccnet.reports.forms import half_label
from fccnet.reports.measures import contacts_dated_within, first_licensed
from fccnet.reports.outcomes import licensed_provider_ids, newly_licensed_figures
from fccnet.reports.periods import half_year, previous_period
from fccnet.reports.protection import Line, PublishedPlaces, TownCounts, protect_places, shown
from fccnet.reports.scope import ReportScope
from fccnet.reports.tables import Column, Kind, Table, minutes_as_hours, show
from fccnet.training.models import Credit, CreditStatus
from fccnet.training.pdf import (
    ACCENT,
    EN_DASH,
    HEADING_FILL,
    MUTED,
    _Document,
    clean,
    labelled,
    long_date,
)

# The provider figures, in the order of the queries' columns; the breakdowns show the
# counts of providers (inquiries, newly licensed, licensed at the end), not the slots.
PLACE_FIGURES = 5
COUNT_FIGURES = (0, 1, 4)
MEASURE_LABELS = [
    (_l("New inquiries"), Kind.COUNT),
    (_l("Newly licensed providers"), Kind.COUNT),
    (_l("Full-time slots added"), Kind.COUNT),
    (_l("School-age slots added"), Kind.COUNT),
    (_l("Licensed providers at the end of the period"), Kind.COUNT),
    (_l("Training hours"), Kind.HOURS),
    (_l("Coaching hours"), Kind.HOURS),
]


@dataclass(frozen=True)
class Measure:
    label: str  # lazy: shown in the reader's language
    kind: Kind  # COUNT, or HOURS given in minutes
    current: int
    previous: int

    @property
    def change(self):
        """The difference of the figures as shown (hours to one decimal)."""
        if self.kind is Kind.HOURS:
            return minutes_as_hours(self.current) - minutes_as_hours(self.previous)
        return self.current - self.previous

    @property
    def change_share(self) -> float | None:
        """The change as a share of the previous figure; None when that was zero."""
        if not self.previous:
            return None
        return (self.current - self.previous) / self.previous

    def shown_change(self) -> str:
        """+3, -2 or 0 (hours with one decimal), in the reader's language."""
        number = "#,##0.0" if self.kind is Kind.HOURS else "#,##0"
        return format_decimal(self.change, signed(number, self.change))

    def shown_change_share(self) -> str:
        """+50.0%, -33.3% or 0.0%; empty when there was nothing before."""
        share = self.change_share
        if share is None:
            return ""
        return format_percent(share, signed("#,##0.0%", share))


def signed(pattern: str, value) -> str:
    """A number pattern that shows the sign of a rise too (and none on zero)."""
    return f"+{pattern};-{pattern}" if value else pattern


@dataclass(frozen=True)
class ReportCard:
    period: Period
    previous: Period
    generated_on: date
    measures: list[Measure]
    # This period's new inquiries, newly licensed and licensed at the end, by town and by
    # neighborhood, as published (None where suppressed); the towns' totals row is the
    # network's.
    places: PublishedPlaces
    promise_zone: list[int | None]

    def period_label(self) -> str:
        return period_label(self.period)

    def previous_label(self) -> str:
        return period_label(self.previous)

    def notes(self) -> str:
        return " ".join(
            [
                _(
                    "New inquiries: first contact with the network in the period. Newly "
                    "licensed: first moved into a licensed stage in the period; slots are "
                    "their licensed capacity. Training hours: approved credit hours taken in "
                    "the period. Coaching hours: coaching contacts in the period."
                ),
                _(
                    "By town and neighborhood, every count from 1 to 4 is suppressed, and so "
                    "are enough other counts that none can be worked out from the rest of the "
                    "card; the summary's network totals, slots included, are shown in full."
                ),
            ]
        )

    def tables(self) -> list[Table]:
        """The breakdowns, labelled in the current language."""
        places = self.places
        neighborhood_rows = [
            (label, *shown(line.cells)) for label, line in places.labelled_neighborhoods()
        ]
        if neighborhood_rows:
            neighborhood_rows.append((_("North Hartford Promise Zone"), *shown(self.promise_zone)))
        neighborhoods_footer = places.neighborhoods_footer
        return [
            Table(
                key="card-by-town",
                title=_("By town"),
                columns=place_columns(_("Town")),
                rows=[(name, *shown(line.cells)) for name, line in places.towns],
                footer=[_("Network"), *places.towns_footer.cells] if places.towns else None,
                empty_message=_("No inquiry, new license or licensed provider in this period."),
            ),
            Table(
                key="card-by-neighborhood",
                title=_("By Hartford neighborhood"),
                description=_(
                    "The North Hartford Promise Zone row adds up its neighborhoods, in each "
                    "column only where all of them are shown; the total counts each provider "
                    "once."
                ),
                columns=place_columns(_("Neighborhood")),
                rows=neighborhood_rows,
                footer=[_("Total"), *shown(neighborhoods_footer.cells)]
                if neighborhoods_footer
                else None,
                empty_message=_("No inquiry, new license or licensed provider in this period."),
            ),
        ]


def period_label(period: Period) -> str:
    """ "January to June 2026" for a half-year; the first and last days otherwise."""
    if half_year(period.start) == period:
        return str(half_label(period))
    return f"{long_date(period.start)} {EN_DASH} {long_date(period.end)}"


def place_columns(place: str) -> list[Column]:
    return [
        Column(place),
        Column(_("New inquiries"), Kind.COUNT),
        Column(_("Newly licensed"), Kind.COUNT),
        Column(_("Licensed at the end"), Kind.COUNT),
    ]


# --- Building it ------------------------------------------------------------------------


def build_card(period: Period, *, today: date) -> ReportCard:
    network = ReportScope(period=period, today=today)
    earlier = network.with_period(previous_period(period))
    rows = place_figures(network, earlier)
    hours = hours_of(network, earlier)
    network_row = figures_of_rows(rows, Group.NETWORK)[0]
    figures = [
        *zip(network_row[:PLACE_FIGURES], network_row[PLACE_FIGURES:], strict=True),
        (hours.training_now, hours.training_before),
        (hours.coaching_now, hours.coaching_before),
    ]
    towns, zone = place_counts(rows)
    places, promise_zone = protected_breakdowns(
        towns,
        zone,
        network=counts_of(network_row),
        zone_counts=counts_of(figures_of_rows(rows, Group.PROMISE_ZONE)[0]),
    )
    return ReportCard(
        period=period,
        previous=earlier.period,
        generated_on=today,
        measures=[
            Measure(label, kind, int(current), int(before))
            for (label, kind), (current, before) in zip(MEASURE_LABELS, figures, strict=True)
        ],
        places=places,
        promise_zone=promise_zone,
    )


class Group(enum.IntEnum):
    """The groups of the place figures' query."""

    NETWORK = 0
    NO_NEIGHBORHOOD = 1  # a town's providers without a neighborhood
    NEIGHBORHOOD = 2
    PROMISE_ZONE = 3


# The place figures' query: group, town, neighborhood, Promise Zone, then the figures.
FIRST_FIGURE = 4


def figures_of_rows(rows: list[Row], group: Group) -> list[tuple[int, ...]]:
    """The group's figures (this period's, then the period before's) as whole numbers."""
    return [tuple(map(int, row[FIRST_FIGURE:])) for row in rows if row.grp == group]


def counts_of(figures: tuple[int, ...]) -> list[int]:
    """This period's counts of providers, as the breakdowns show them."""
    return [figures[k] for k in COUNT_FIGURES]


def place_counts(rows: list[Row]) -> tuple[list[TownCounts], set[tuple[str, str]]]:
    """Each town's counts this period (its providers without a neighborhood, and each of
    its neighborhoods'), in the query's order of towns, and the Promise Zone's
    neighborhoods as (town, neighborhood). Places with nothing this period are left out."""
    towns: dict[str, TownCounts] = {}
    zone = set()
    for row in rows:
        if row.grp not in (Group.NO_NEIGHBORHOOD, Group.NEIGHBORHOOD):
            continue
        counts = counts_of(tuple(map(int, row[FIRST_FIGURE:])))
        if not any(counts):
            continue
        town = towns.setdefault(row.town, TownCounts(row.town, [0] * len(counts)))
        if row.grp == Group.NO_NEIGHBORHOOD:
            town.counts = counts
        else:
            town.neighborhoods.append((row.neighborhood, counts))
            if row.promise_zone:
                zone.add((row.town, row.neighborhood))
    return list(towns.values()), zone


def provider_facts(network: ReportScope, earlier: ReportScope):
    """A row for each provider not deleted with something to count in either period: their
    town, neighborhood and Promise Zone, first contact, first licensed day (when in either
    period), capacities, and whether they were licensed at the end of each period."""
    both = network.with_period(Period(earlier.period.start, network.period.end))
    licensed = first_licensed(both)
    # Named once each: the list is made once, though the query asks twice.
    now_ids = licensed_provider_ids(network.moments()[1]).cte("licensed_now_ids")
    before_ids = licensed_provider_ids(earlier.moments()[1]).cte("licensed_before_ids")
    licensed_now = Provider.id.in_(select(now_ids.c.provider_id))
    licensed_before = Provider.id.in_(select(before_ids.c.provider_id))
    return (
        select(
            Provider.town_id,
            Provider.neighborhood_id,
            Neighborhood.promise_zone,
            Provider.first_contact_on,
            licensed.c.licensed_on,
            Provider.capacity_full_time,
            Provider.capacity_school_age,
            licensed_now.label("licensed_now"),
            licensed_before.label("licensed_before"),
        )
        .select_from(Provider)
        .outerjoin(licensed, licensed.c.provider_id == Provider.id)
        .outerjoin(Neighborhood, Neighborhood.id == Provider.neighborhood_id)
        .where(
            *network.provider_conditions(),
            # Only the providers with something to count.
            Provider.first_contact_on.between(both.period.start, both.period.end)
            | licensed.c.licensed_on.is_not(None)
            | licensed_now
            | licensed_before,
        )
        .cte("card_providers")
    )


def figures_of(facts, scope: ReportScope, licensed_at_end) -> list[ColumnElement[int]]:
    """New inquiries, newly licensed, their full-time and school-age slots, and licensed
    at the end, over `facts` rows, for the scope's period."""
    period = scope.period
    return [
        func.count().filter(facts.c.first_contact_on.between(period.start, period.end)),
        *newly_licensed_figures(
            period,
            facts.c.licensed_on,
            facts.c.capacity_full_time,
            facts.c.capacity_school_age,
        ),
        func.count().filter(licensed_at_end.is_(True)),
    ]


def place_figures(network: ReportScope, earlier: ReportScope) -> list[Row]:
    """(group, town, neighborhood, Promise Zone, five figures of this period, the same
    five of the period before) for the network, each town's providers without a
    neighborhood, each neighborhood (with its town) and the Promise Zone, in one query
    over the providers' facts, by town."""
    facts = provider_facts(network, earlier)
    figures = [
        *figures_of(facts, network, facts.c.licensed_now),
        *figures_of(facts, earlier, facts.c.licensed_before),
    ]

    def group(kind: Group, town=None, neighborhood=None, promise_zone=None):
        return select(
            literal(int(kind)).label("grp"),
            (null() if town is None else town).label("town"),
            (null() if neighborhood is None else neighborhood).label("neighborhood"),
            (false() if promise_zone is None else promise_zone).label("promise_zone"),
            *figures,
        ).select_from(facts)

    places = union_all(
        group(Group.NETWORK),
        group(Group.NO_NEIGHBORHOOD, Town.name)
        .join(Town, Town.id == facts.c.town_id)
        .where(facts.c.neighborhood_id.is_(None))
        .group_by(Town.id, Town.name),
        group(Group.NEIGHBORHOOD, Town.name, Neighborhood.name, Neighborhood.promise_zone)
        .join(Neighborhood, Neighborhood.id == facts.c.neighborhood_id)
        .join(Town, Town.id == Neighborhood.town_id)
        .group_by(Town.id, Town.name, Neighborhood.id, Neighborhood.name),
        group(Group.PROMISE_ZONE).where(facts.c.promise_zone.is_(True)),
    )
    columns = places.selected_columns
    return db.session.execute(
        places.order_by(columns.town, columns.grp, columns.neighborhood)
    ).all()


def minutes_within(period: Period, minutes, day, provider_id, *conditions):
    """The minutes of the period, of providers not deleted (a scalar subquery). A sum for
    each period, each over its own range of days, costs half of one pass over both periods
    that sorts each row into one with FILTER. The network has every provider: leaving out
    the few deleted ones is cheaper than looking each row's provider up among all the
    others."""
    deleted = select(Provider.id).where(Provider.deleted_at.is_not(None))
    return (
        select(func.coalesce(func.sum(minutes), 0))
        .where(day.between(period.start, period.end), provider_id.not_in(deleted), *conditions)
        .scalar_subquery()
    )


def hours_of(network: ReportScope, earlier: ReportScope) -> Row:
    """Approved training credits and coaching contacts not deleted, in minutes, of providers
    not deleted, for both periods."""

    def training(period: Period):
        approved = Credit.status == CreditStatus.APPROVED
        return minutes_within(period, Credit.minutes, Credit.taken_on, Credit.provider_id, approved)

    def coaching(period: Period):
        dated = contacts_dated_within(period)
        return minutes_within(
            period, Contact.minutes, Contact.contacted_on, Contact.provider_id, *dated
        )

    return db.session.execute(
        select(
            training(network.period).label("training_now"),
            training(earlier.period).label("training_before"),
            coaching(network.period).label("coaching_now"),
            coaching(earlier.period).label("coaching_before"),
        )
    ).one()


# --- Protecting the breakdowns ------------------------------------------------------------

# The counts never published as they are (`suppress`'s primary counts).
SMALL = range(1, 5)


def protected_breakdowns(
    towns: list[TownCounts],
    zone: set[tuple[str, str]],
    *,
    network: list[int],
    zone_counts: list[int],
) -> tuple[PublishedPlaces, list[int | None]]:
    """The breakdowns as the card publishes them, and the Promise Zone row: protected as
    the data-partner export's are, then, column by column, with more counts suppressed
    wherever the network total or the Promise Zone row would give one away (see
    ColumnCheck). The towns' totals row is the network's, in full, as in the summary. The
    card shows no row totals: its columns count different things."""
    published = protect_places(towns, len(network))
    true_counts = {(town.name, None): town.counts for town in towns} | {
        (town.name, name): counts for town in towns for name, counts in town.neighborhoods
    }
    town_lines = dict(published.towns)
    # Each town with neighborhoods: its row in the town table, its block's totals.
    blocks = {town.name: town_lines[town.name] for town in towns if town.neighborhoods}
    # The smallest places, which share no provider, as published: the towns without
    # neighborhoods, then the neighborhoods (and each town's "unknown neighborhood").
    places = [((town, None), line) for town, line in published.towns if town not in blocks]
    places += [((town, name), line) for town, name, line in published.neighborhoods]

    place_cells: list[list[int | None]] = [[] for _place in places]
    block_cells: list[list[int | None]] = [[] for _block in blocks]
    neighborhoods_total: list[int | None] = []
    zone_row: list[int | None] = []
    for column, zone_count in enumerate(zone_counts):
        check = ColumnCheck(
            counts=[true_counts[place][column] for place, _line in places],
            shown=[line.cells[column] is not None for _place, line in places],
            blocks=[
                [k for k, ((town, _name), _line) in enumerate(places) if town == block]
                for block in blocks
            ],
            block_shown=[line.cells[column] is not None for line in blocks.values()],
            zone=[k for k, (place, _line) in enumerate(places) if place in zone],
        )
        check.protect()
        for k, cells in enumerate(place_cells):
            cells.append(check.value([k], check.shown[k]))
        for cells, block, block_shown in zip(
            block_cells, check.blocks, check.block_shown, strict=True
        ):
            cells.append(check.value(block, block_shown))
        neighborhoods_total.append(check.value(check.neighborhoods(), all(check.block_shown)))
        zone_row.append(zone_count if check.is_shown(check.zone, check.zone_shown()) else None)

    place_lines = {
        place: Line(cells, None) for (place, _line), cells in zip(places, place_cells, strict=True)
    }
    block_lines = {town: Line(cells, None) for town, cells in zip(blocks, block_cells, strict=True)}
    return (
        PublishedPlaces(
            towns=[
                (town, block_lines[town] if town in blocks else place_lines[town, None])
                for town, _line in published.towns
            ],
            towns_footer=Line(network, None),
            neighborhoods=[
                (town, name, place_lines[town, name])
                for town, name, _line in published.neighborhoods
            ],
            neighborhoods_footer=Line(neighborhoods_total, None) if blocks else None,
        ),
        zone_row,
    )


@dataclass
class ColumnCheck:
    """One column of the breakdowns as a reader sees it: the count of each smallest place
    (a town without neighborhoods, a neighborhood, a town's providers without one), shown
    or suppressed; the row of each town with neighborhoods (its block's totals), shown or
    suppressed; the network total, always shown (it is in the summary). The neighborhoods'
    total and the Promise Zone are shown where all their parts are, and a line that adds
    up the whole network, or nothing, is shown: it tells nothing new.

    The card has no row totals, so a column is all a reader has about its counts, and
    the hidden places' counts fall into groups of which the reader knows the sum and
    nothing more: each town's whose row is shown (the row less its shown places), and all
    the others (the network total less everything else shown). Any split of a group's sum
    is possible, so a hidden line ranges exactly from what it shows plus the groups it
    holds whole, to that plus the groups it holds in part. The data-partner protection
    keeps each town's group safe; the rest of the network's group and the Promise Zone
    it never saw (Avon's only suppressed count, say, is the network total less the other
    towns), so more places are suppressed here where a line would give itself away."""

    counts: list[int]
    shown: list[bool]
    blocks: list[list[int]]  # the places of each town with neighborhoods
    block_shown: list[bool]
    zone: list[int]  # the Promise Zone's places

    def neighborhoods(self) -> list[int]:
        return [k for block in self.blocks for k in block]

    def zone_shown(self) -> bool:
        return all(self.shown[k] for k in self.zone)

    def is_shown(self, line: list[int], shown: bool) -> bool:
        return shown or len(line) in (0, len(self.counts))

    def value(self, line: list[int], shown: bool) -> int | None:
        return sum(self.counts[k] for k in line) if self.is_shown(line, shown) else None

    def hidden_lines(self) -> list[frozenset[int]]:
        lines = [([k], shown) for k, shown in enumerate(self.shown)]
        lines += zip(self.blocks, self.block_shown, strict=True)
        if self.blocks:
            lines += [
                (self.neighborhoods(), all(self.block_shown)),
                (self.zone, self.zone_shown()),
            ]
        return [frozenset(line) for line, shown in lines if not self.is_shown(line, shown)]

    def groups(self) -> list[frozenset[int]]:
        hidden = {k for k, shown in enumerate(self.shown) if not shown}
        by_town = [
            hidden.intersection(block)
            for block, shown in zip(self.blocks, self.block_shown, strict=True)
            if shown
        ]
        return [frozenset(group) for group in [*by_town, hidden.difference(*by_town)] if group]

    def exposed(self, line: frozenset[int]) -> bool:
        """Whether a reader can pin the line's count down, or tell that it is from 1 to 4."""
        low = sum(self.counts[k] for k in line if self.shown[k])
        spread = 0
        for group in self.groups():
            if group <= line:
                low += sum(self.counts[k] for k in group)
            elif group & line:
                spread += sum(self.counts[k] for k in group)
        return spread == 0 or (low in SMALL and low + spread in SMALL)

    def protect(self) -> None:
        """Suppresses more, the cheapest first, until no hidden line is exposed: one more
        place (not a zero, then the smallest, as `suppress` picks its complements), else
        one more place with its town's row; when neither will do, the whole column."""
        while exposed := next(filter(self.exposed, self.hidden_lines()), None):
            if not self.hide_one_more(exposed):
                self.hide_everything()
                return

    def moves(self) -> list[tuple[int, int | None]]:
        """What may be suppressed next: (a shown place, None or its town's block to go with
        it), the cheapest first."""
        block_of = {k: b for b, block in enumerate(self.blocks) for k in block}
        places = [k for k, shown in enumerate(self.shown) if shown]
        moves = [(k, None) for k in places]
        moves += [
            (k, block_of[k]) for k in places if k in block_of and self.block_shown[block_of[k]]
        ]
        return sorted(
            moves,
            key=lambda move: (
                move[1] is not None,
                self.counts[move[0]] == 0,
                self.counts[move[0]],
                move[0],
            ),
        )

    def hide_one_more(self, exposed: frozenset[int]) -> bool:
        for k, block in self.moves():
            before = self.shown[:], self.block_shown[:]
            self.shown[k] = False
            if block is not None:
                self.block_shown[block] = False
            if not self.exposed(exposed):
                return True
            self.shown, self.block_shown = before
        return False

    def hide_everything(self) -> None:
        # A column of nothing but zeros is known from its network total: show it.
        shown = not any(self.counts)
        self.shown = [shown] * len(self.shown)
        self.block_shown = [shown] * len(self.block_shown)


# --- The PDF ------------------------------------------------------------------------------

HEADINGS = FontFace(emphasis="BOLD", fill_color=HEADING_FILL)
SMALL_HEADING_PT = 6.5
# The height of a line of the notes; the smallest line a row of a breakdown may have, and
# below which its text is set smaller.
NOTE_LINE = 3.6
SMALLEST_LINE = 2.6
SMALL_TEXT_LINE = 3.2
CELL_PADDING = 0.6


def card_pdf(card: ReportCard, *, locale: str) -> bytes:
    """The card on one Letter page, in `locale`."""
    with force_locale(locale):
        network_name = clean(current_app.config["NETWORK_NAME"], 200)
        heading = _("Report card")
        label = card.period_label()
        pdf = _Document(
            orientation="portrait",
            title=f"{heading} {EN_DASH} {label}",
            author=network_name,
            subject=heading,
        )
        pdf.set_margins(14, 12, 14)
        # Everything is sized to fit: a long list of places shrinks its rows, never spills.
        pdf.set_auto_page_break(False, margin=12)
        pdf.add_page()

        pdf.use(10, "B", ACCENT)
        pdf.wrapped(network_name, 5)
        pdf.use(18, "B")
        pdf.line_of(heading, 9)
        pdf.use(14, "B")
        pdf.line_of(label, 7)
        pdf.use(9.5, color=MUTED)
        pdf.line_of(labelled(_("Previous period"), card.previous_label()), 5)
        pdf.line_of(_("Generated on %(date)s", date=long_date(card.generated_on)), 5)
        pdf.ln(2)
        pdf.rule(gap=3)

        tables = card.tables()
        notes = " ".join([card.notes(), *(t.description for t in tables if t.rows)])
        pdf.use(7.5, color=MUTED)
        lines = pdf.multi_cell(pdf.epw, NOTE_LINE, notes, dry_run=True, output="LINES")
        notes_top = pdf.h - pdf.b_margin - len(lines) * NOTE_LINE

        pdf.use(9.5)
        measures_table(pdf, card)
        pdf.ln(5)
        breakdowns(pdf, tables, bottom=notes_top - 2)

        pdf.set_y(notes_top)
        pdf.use(7.5, color=MUTED)
        # The lines measured above, each as one cell: wrapping the notes again with
        # multi_cell would draw the same lines, and fpdf2 breaking a long paragraph into
        # lines costs about 4 ms.
        for line in lines:
            pdf.line_of(line, NOTE_LINE)
        return pdf.to_bytes()


def measures_table(pdf: _Document, card: ReportCard) -> None:
    with pdf.table(
        col_widths=(64, 32, 32, 24, 24),
        text_align=("LEFT", "RIGHT", "RIGHT", "RIGHT", "RIGHT"),
        v_align="BOTTOM",
        align="LEFT",
        width=pdf.epw,
        line_height=4.6,
        padding=1.4,
        headings_style=HEADINGS,
        borders_layout=TableBordersLayout.HORIZONTAL_LINES,
    ) as table:
        heading = table.row()
        for text in (
            _("Measure"),
            card.period_label(),
            card.previous_label(),
            _("Change"),
            _("Percent change"),
        ):
            heading.cell(text)
        for measure in card.measures:
            row = table.row()
            row.cell(str(measure.label))
            row.cell(show(measure.current, measure.kind))
            row.cell(show(measure.previous, measure.kind))
            row.cell(measure.shown_change())
            row.cell(measure.shown_change_share())


def breakdowns(pdf: _Document, tables: list[Table], *, bottom: float) -> None:
    """The breakdown tables side by side, their rows as tall as the room above `bottom`
    allows."""
    gap = 6
    width = (pdf.epw - gap) / len(tables)
    top = pdf.y
    most_rows = max(len(table.rows) + (2 if table.footer else 1) for table in tables)
    # The headings take three lines; the title and its description about 12 mm.
    room = bottom - top - 12
    line = max(SMALLEST_LINE, min(4.2, room / (most_rows + 2) - 1.2))
    left = pdf.l_margin
    for index, table in enumerate(tables):
        pdf.set_left_margin(left + index * (width + gap))
        pdf.set_y(top)
        pdf.use(11, "B", ACCENT)
        pdf.cell(width, 6, clean(table.title), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        breakdown_table(pdf, table, width, line)
    pdf.set_left_margin(left)


def breakdown_table(pdf: _Document, table: Table, width: float, line: float) -> None:
    """A breakdown drawn cell by cell as fpdf2's table() would lay it out (headings on a
    fill, a rule under each row, figures right-aligned on a row's last line): table()
    measures every cell twice over, which took a fifth of the card's time."""
    if not table.rows:
        pdf.use(8.5, color=MUTED)
        pdf.multi_cell(width, 4.5, table.empty_message, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        return
    name_width = width * 0.34
    figure_width = (width - name_width) / (len(table.columns) - 1)
    widths = (name_width, *[figure_width] * (len(table.columns) - 1))
    pdf.set_font(size=SMALL_HEADING_PT, style="B")
    headings = [
        hyphen_breaks(pdf, column.label, column_width - 2 * CELL_PADDING)
        for column, column_width in zip(table.columns, widths, strict=True)
    ]
    breakdown_row(pdf, headings, widths, line, fill=True)
    pdf.use(7.5 if line >= SMALL_TEXT_LINE else 6.5)
    for values in [*table.rows, *([table.footer] if table.footer else [])]:
        if values is table.footer:
            pdf.set_font(style="B")
        cells = [clean(show(v, c.kind), 40) for v, c in zip(values, table.columns, strict=True)]
        breakdown_row(pdf, cells, widths, line)


def breakdown_row(
    pdf: _Document, cells: list[str], widths: tuple[float, ...], line: float, *, fill=False
) -> None:
    """One row from the left margin down: the first cell left-aligned, the others right,
    each wrapped to its width and set on the row's last lines; a rule under it."""
    lines = [
        pdf.multi_cell(
            width - 2 * CELL_PADDING, line, text, dry_run=True, output=MethodReturnValue.LINES
        )
        if "\n" in text or pdf.get_string_width(text) > width - 2 * CELL_PADDING
        else [text]
        for text, width in zip(cells, widths, strict=True)
    ]
    most = max(len(cell_lines) for cell_lines in lines)
    top, height = pdf.y, most * line + 2 * CELL_PADDING
    if fill:
        pdf.set_fill_color(*HEADING_FILL)
        pdf.rect(pdf.l_margin, top, sum(widths), height, style="F")
    x = pdf.l_margin
    for column, (cell_lines, width) in enumerate(zip(lines, widths, strict=True)):
        y = top + CELL_PADDING + (most - len(cell_lines)) * line
        for text in cell_lines:
            pdf.set_xy(x + CELL_PADDING, y)
            pdf.cell(width - 2 * CELL_PADDING, line, text, align="R" if column else "L")
            y += line
        x += width
    pdf.line(pdf.l_margin, top + height, pdf.l_margin + sum(widths), top + height)
    pdf.set_xy(pdf.l_margin, top + height)


def hyphen_breaks(pdf: _Document, text: str, width: float) -> str:
    """`text` with a line break after the hyphen of any word too wide for `width` in the
    current font ("School-age" over two lines, rather than cut anywhere)."""
    return " ".join(
        word.replace("-", "-\n") if pdf.get_string_width(word) > width else word
        for word in text.split(" ")
    )
