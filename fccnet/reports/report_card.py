"""The report card the network publishes to the city and funders: for a half-year (or any
range) and the period before it, network-wide, new inquiries, newly licensed providers and
the slots they added, licensed providers at the end, training and coaching hours, each with
its change; then the same by town and by Hartford neighborhood (the Promise Zone as one
group). On one printable page and as a one-page PDF.

Two queries whatever the data size: the provider figures of both periods for the network,
each town, each neighborhood and the Promise Zone (one pass over the providers, grouped
several ways), and the hours of both periods.
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
from fpdf.enums import TableBordersLayout
from sqlalchemy import ColumnElement, Row, func, literal, null, select, true, union_all

from fccnet.coaching.models import Contact
from fccnet.credits.services import Period
from fccnet.extensions import db
from fccnet.providers.models import Neighborhood, Provider, Town
from fccnet.reports.forms import half_label
from fccnet.reports.outcomes import first_licensed, licensed_provider_ids, newly_licensed_figures
from fccnet.reports.periods import half_year, previous_period
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

# The provider figures, in the order of the queries' columns and the breakdown tables.
PLACE_FIGURES = 5
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
    # (place, new inquiries, newly licensed, full-time slots, school-age slots, licensed at
    # the end) for this period; the Promise Zone and the totals in the same shape.
    towns: list[tuple]
    town_totals: tuple
    neighborhoods: list[tuple]
    promise_zone: tuple
    neighborhood_totals: tuple

    def period_label(self) -> str:
        return period_label(self.period)

    def previous_label(self) -> str:
        return period_label(self.previous)

    def notes(self) -> str:
        return _(
            "New inquiries: first contact with the network in the period. Newly licensed: "
            "first moved into a licensed stage in the period; slots are their licensed "
            "capacity. Training hours: approved credit hours taken in the period. Coaching "
            "hours: coaching contacts in the period."
        )

    def tables(self) -> list[Table]:
        """The breakdowns, labelled in the current language."""
        neighborhood_rows = [*self.neighborhoods]
        if self.neighborhoods:
            neighborhood_rows.append((_("North Hartford Promise Zone"), *self.promise_zone))
        return [
            Table(
                key="card-by-town",
                title=_("By town"),
                columns=place_columns(_("Town")),
                rows=self.towns,
                footer=[_("Network"), *self.town_totals] if self.towns else None,
                empty_message=_("No inquiry, new license or licensed provider in this period."),
            ),
            Table(
                key="card-by-neighborhood",
                title=_("By Hartford neighborhood"),
                description=_(
                    "The North Hartford Promise Zone row adds up its neighborhoods; the total "
                    "counts each provider once."
                ),
                columns=place_columns(_("Neighborhood")),
                rows=neighborhood_rows,
                footer=[_("Total"), *self.neighborhood_totals] if self.neighborhoods else None,
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
        Column(_("Full-time slots added"), Kind.COUNT),
        Column(_("School-age slots added"), Kind.COUNT),
        Column(_("Licensed at the end"), Kind.COUNT),
    ]


# --- Building it ------------------------------------------------------------------------


def build_card(period: Period, *, today: date) -> ReportCard:
    network = ReportScope(period=period, today=today)
    earlier = network.with_period(previous_period(period))
    rows = place_figures(network, earlier)
    hours = hours_of(network, earlier)
    network_row = rows_of(rows, Group.NETWORK)[0]
    figures = [
        *zip(network_row[:PLACE_FIGURES], network_row[PLACE_FIGURES:], strict=True),
        (hours.training_now, hours.training_before),
        (hours.coaching_now, hours.coaching_before),
    ]
    return ReportCard(
        period=period,
        previous=earlier.period,
        generated_on=today,
        measures=[
            Measure(label, kind, int(current), int(before))
            for (label, kind), (current, before) in zip(MEASURE_LABELS, figures, strict=True)
        ],
        towns=shown_places(rows, Group.TOWN),
        town_totals=network_row[:PLACE_FIGURES],
        neighborhoods=shown_places(rows, Group.NEIGHBORHOOD),
        promise_zone=rows_of(rows, Group.PROMISE_ZONE)[0][:PLACE_FIGURES],
        neighborhood_totals=rows_of(rows, Group.NEIGHBORHOOD_TOTAL)[0][:PLACE_FIGURES],
    )


class Group(enum.IntEnum):
    """The groups of the place figures' query, in the order its rows come back."""

    NETWORK = 0
    TOWN = 1
    NEIGHBORHOOD = 2
    NEIGHBORHOOD_TOTAL = 3
    PROMISE_ZONE = 4


def rows_of(rows: list[Row], group: Group) -> list[tuple]:
    """The group's figures (this period's, then the period before's) as whole numbers."""
    return [tuple(map(int, row[2:])) for row in rows if row.grp == group]


def shown_places(rows: list[Row], group: Group) -> list[tuple]:
    """(place, this period's figures) of the places with something this period."""
    return [
        (row.place, *map(int, row[2 : 2 + PLACE_FIGURES]))
        for row in rows
        if row.grp == group and any(row[2 : 2 + PLACE_FIGURES])
    ]


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
    """(group, place, five figures of this period, the same five of the period before)
    for the network, each town, each neighborhood, all neighborhoods and the Promise Zone,
    in one query over the providers' facts."""
    facts = provider_facts(network, earlier)
    figures = [
        *figures_of(facts, network, facts.c.licensed_now),
        *figures_of(facts, earlier, facts.c.licensed_before),
    ]

    def group(kind: Group, place=None):
        return select(
            literal(int(kind)).label("grp"),
            (place if place is not None else null()).label("place"),
            *figures,
        ).select_from(facts)

    places = union_all(
        group(Group.NETWORK),
        group(Group.TOWN, Town.name)
        .join(Town, Town.id == facts.c.town_id)
        .group_by(Town.id, Town.name),
        group(Group.NEIGHBORHOOD, Neighborhood.name)
        .join(Neighborhood, Neighborhood.id == facts.c.neighborhood_id)
        .group_by(Neighborhood.id, Neighborhood.name),
        group(Group.NEIGHBORHOOD_TOTAL).where(facts.c.neighborhood_id.is_not(None)),
        group(Group.PROMISE_ZONE).where(facts.c.promise_zone.is_(True)),
    )
    return db.session.execute(
        places.order_by(places.selected_columns.grp, places.selected_columns.place)
    ).all()


def minutes_in(minutes, day, provider_id, network: ReportScope, earlier: ReportScope, *conditions):
    """One row: the minutes of each period, of providers not deleted (a subquery). The
    network has every provider: leaving out the few deleted ones is cheaper than looking
    each row's provider up among all the others."""
    deleted = select(Provider.id).where(Provider.deleted_at.is_not(None))

    def within(period: Period) -> ColumnElement[bool]:
        return day.between(period.start, period.end)

    return (
        select(
            func.coalesce(func.sum(minutes).filter(within(network.period)), 0).label("now"),
            func.coalesce(func.sum(minutes).filter(within(earlier.period)), 0).label("before"),
        )
        .where(
            day.between(earlier.period.start, network.period.end),
            provider_id.not_in(deleted),
            *conditions,
        )
        .subquery()
    )


def hours_of(network: ReportScope, earlier: ReportScope) -> Row:
    """Approved training credits and coaching contacts not deleted, in minutes, of providers
    not deleted, for both periods."""
    training = minutes_in(
        Credit.minutes,
        Credit.taken_on,
        Credit.provider_id,
        network,
        earlier,
        Credit.status == CreditStatus.APPROVED,
    )
    coaching = minutes_in(
        Contact.minutes,
        Contact.contacted_on,
        Contact.provider_id,
        network,
        earlier,
        Contact.deleted_at.is_(None),
    )
    return db.session.execute(
        select(
            training.c.now.label("training_now"),
            training.c.before.label("training_before"),
            coaching.c.now.label("coaching_now"),
            coaching.c.before.label("coaching_before"),
        ).select_from(training.join(coaching, true()))
    ).one()


# --- The PDF ------------------------------------------------------------------------------

HEADINGS = FontFace(emphasis="BOLD", fill_color=HEADING_FILL)
SMALL_HEADINGS = FontFace(emphasis="BOLD", fill_color=HEADING_FILL, size_pt=6.5)
# Room under the breakdowns for the notes, and the smallest line a row may have.
NOTES_ROOM = 16
SMALLEST_LINE = 3.2


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
        pdf.set_auto_page_break(False)
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

        pdf.use(9.5)
        measures_table(pdf, card)
        pdf.ln(5)
        tables = card.tables()
        breakdowns(pdf, tables)

        pdf.set_y(pdf.h - pdf.b_margin - NOTES_ROOM + 2)
        pdf.use(7.5, color=MUTED)
        pdf.wrapped(" ".join([card.notes(), *(t.description for t in tables if t.rows)]), 3.6)
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


def breakdowns(pdf: _Document, tables: list[Table]) -> None:
    """The breakdown tables side by side, their rows as tall as the page allows."""
    gap = 6
    width = (pdf.epw - gap) / len(tables)
    top = pdf.y
    most_rows = max(len(table.rows) + (2 if table.footer else 1) for table in tables)
    # The headings take three lines; the title and its description about 12 mm.
    room = pdf.h - pdf.b_margin - NOTES_ROOM - top - 12
    line = max(SMALLEST_LINE, min(4.2, room / (most_rows + 2) - 1.2))
    left = pdf.l_margin
    for index, table in enumerate(tables):
        pdf.set_left_margin(left + index * (width + gap))
        pdf.set_y(top)
        pdf.use(11, "B", ACCENT)
        pdf.cell(width, 6, clean(table.title), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.use(7.5)
        breakdown_table(pdf, table, width, line)
    pdf.set_left_margin(left)


def breakdown_table(pdf: _Document, table: Table, width: float, line: float) -> None:
    if not table.rows:
        pdf.use(8.5, color=MUTED)
        pdf.multi_cell(width, 4.5, table.empty_message, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        return
    name_width = width * 0.28
    figure_width = (width - name_width) / (len(table.columns) - 1)
    widths = (name_width, *[figure_width] * (len(table.columns) - 1))
    with pdf.table(
        col_widths=widths,
        text_align=("LEFT", *["RIGHT"] * (len(table.columns) - 1)),
        v_align="BOTTOM",
        align="LEFT",
        width=width,
        line_height=line,
        padding=0.6,
        headings_style=SMALL_HEADINGS,
        borders_layout=TableBordersLayout.HORIZONTAL_LINES,
    ) as pdf_table:
        heading = pdf_table.row()
        pdf.set_font(size=SMALL_HEADINGS.size_pt, style="B")
        for column, column_width in zip(table.columns, widths, strict=True):
            heading.cell(hyphen_breaks(pdf, column.label, column_width - 1.2))
        pdf.use(7.5)
        for values in [*table.rows, *([table.footer] if table.footer else [])]:
            row = pdf_table.row(style=FontFace(emphasis="BOLD") if values is table.footer else None)
            for value, column in zip(values, table.columns, strict=True):
                row.cell(clean(show(value, column.kind), 40))


def hyphen_breaks(pdf: _Document, text: str, width: float) -> str:
    """`text` with a line break after the hyphen of any word too wide for `width` in the
    current font ("School-age" over two lines, rather than cut anywhere)."""
    return " ".join(
        word.replace("-", "-\n") if pdf.get_string_width(word) > width else word
        for word in text.split(" ")
    )
