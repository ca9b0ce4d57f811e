"""The outcomes report: providers newly licensed in the period and the child care slots they
added, by town and by neighborhood (the North Hartford Promise Zone also as one group);
licensed providers and their slots at the end of the period; licenses expiring soon.

"Newly licensed" and "licensed" come from fccnet.reports.measures. The stage a provider was
in at a moment is the stage of their last change before it, so a change at 23:30 in New
York on June 30 counts in June. Slots are the provider's licensed capacity as recorded now
(an empty capacity counts as none). The report card reuses the expressions defined here.
"""

from datetime import datetime, timedelta

from flask import url_for
from flask_babel import format_date
from flask_babel import gettext as _
from sqlalchemy import ColumnElement, Select, case, func, or_, select

from fccnet.credits.services import Period
from fccnet.database import days_between
from fccnet.extensions import db
from fccnet.licensing.models import StageChange
from fccnet.providers.models import Neighborhood, Provider, Town
from fccnet.reports.charts import bar_chart
from fccnet.reports.measures import first_licensed, licensed_stage_ids
from fccnet.reports.scope import ReportScope
from fccnet.reports.tables import Column, Kind, Report, Table, chart_format

EXPIRING_WITHIN_DAYS = 90
EXPIRING_LISTED = 100


# --- Definitions the report card shares --------------------------------------------------


def slots(capacity_column) -> ColumnElement[int]:
    return func.coalesce(capacity_column, 0)


def licensed_provider_ids(moment: datetime) -> Select:
    """Providers whose stage at `moment` is a licensed one: the change into it came before
    the moment, and they had not left it by then."""
    return select(StageChange.provider_id).where(
        StageChange.to_stage_id.in_(licensed_stage_ids()),
        StageChange.changed_at < moment,
        or_(StageChange.left_at.is_(None), StageChange.left_at >= moment),
    )


def licensed_at(moment: datetime) -> ColumnElement[bool]:
    """The Provider row was in a licensed stage at `moment`."""
    return Provider.id.in_(licensed_provider_ids(moment))


def newly_licensed_figures(
    period: Period,
    licensed_on,
    full_time=Provider.capacity_full_time,
    school_age=Provider.capacity_school_age,
) -> list[ColumnElement[int]]:
    """Aggregates over provider rows with their first licensed day and capacities: how many
    were first licensed in `period`, and the full-time and school-age slots they hold."""
    newly = licensed_on.between(period.start, period.end)
    return [
        func.count().filter(newly),
        func.coalesce(func.sum(slots(full_time)).filter(newly), 0),
        func.coalesce(func.sum(slots(school_age)).filter(newly), 0),
    ]


# --- The report ---------------------------------------------------------------------------


def build(scope: ReportScope) -> Report:
    return Report(
        title=_("Outcomes"),
        intro=_(
            "Providers first licensed in the period and the child care slots they added; "
            "licensed providers at the end of the period; licenses expiring in the next "
            "%(days)d days. Slots are the licensed capacity on record today.",
            days=EXPIRING_WITHIN_DAYS,
        ),
        tables=[
            newly_licensed_by_town(scope),
            newly_licensed_by_neighborhood(scope),
            licensed_at_end(scope),
            expiring(scope),
        ],
    )


def grand_totals(figures: list[ColumnElement]) -> list[ColumnElement]:
    """Each grouped figure summed over every group of the same query (a window)."""
    return [func.sum(figure).over() for figure in figures]


def promise_zone_totals(figures: list[ColumnElement]) -> list[ColumnElement]:
    """Each figure summed over the Promise Zone's neighborhoods (grouped by neighborhood)."""
    return [
        func.coalesce(func.sum(case((Neighborhood.promise_zone, figure))).over(), 0)
        for figure in figures
    ]


def totals_of(rows, first: int, count: int) -> list[int]:
    """The `count` window totals starting at column `first` (the same on every row)."""
    return [int(value) for value in rows[0][first : first + count]] if rows else [0] * count


def newly_licensed_columns(place: str) -> list[Column]:
    return [
        Column(place),
        Column(_("Newly licensed"), Kind.COUNT),
        Column(_("Full-time slots added"), Kind.COUNT),
        Column(_("School-age slots added"), Kind.COUNT),
    ]


def newly_licensed_query(scope: ReportScope, *extra_columns):
    licensed = first_licensed(scope)
    figures = newly_licensed_figures(scope.period, licensed.c.licensed_on)
    return (
        select(*extra_columns, *figures, *grand_totals(figures))
        .select_from(Provider)
        .join(licensed, licensed.c.provider_id == Provider.id)
        .where(
            *scope.provider_conditions(),
            licensed.c.licensed_on.between(scope.period.start, scope.period.end),
        )
    ), figures


def newly_licensed_chart(rows, title: str, id_prefix: str):
    return bar_chart(
        [(row[0], row[1]) for row in rows],
        title=title,
        description=_("Providers newly licensed in each place; the table has the figures."),
        value_format=chart_format(Kind.COUNT),
        id_prefix=id_prefix,
    )


def newly_licensed_by_town(scope: ReportScope) -> Table:
    query, _figures = newly_licensed_query(scope, Town.name)
    rows = db.session.execute(
        query.join(Town, Town.id == Provider.town_id)
        .group_by(Town.id, Town.name)
        .order_by(Town.name)
    ).all()
    table_rows = [tuple(row[:4]) for row in rows]
    return Table(
        key="by_town",
        title=_("Newly licensed by town"),
        columns=newly_licensed_columns(_("Town")),
        rows=table_rows,
        footer=[_("Total"), *totals_of(rows, 4, 3)] if rows else None,
        empty_message=_("No provider was newly licensed in this period."),
        chart=newly_licensed_chart(
            table_rows, _("Newly licensed providers by town"), "by-town-chart"
        ),
    )


def newly_licensed_by_neighborhood(scope: ReportScope) -> Table:
    query, figures = newly_licensed_query(scope, Neighborhood.name)
    rows = db.session.execute(
        query.add_columns(*promise_zone_totals(figures))
        .join(Neighborhood, Neighborhood.id == Provider.neighborhood_id)
        .group_by(Neighborhood.id, Neighborhood.name, Neighborhood.promise_zone)
        .order_by(Neighborhood.name)
    ).all()
    table_rows = [tuple(row[:4]) for row in rows]
    if rows:
        table_rows.append((_("North Hartford Promise Zone"), *totals_of(rows, 7, 3)))
    return Table(
        key="by_neighborhood",
        title=_("Newly licensed by neighborhood"),
        description=_(
            "Addresses with a neighborhood (Hartford's). The North Hartford Promise Zone "
            "row adds up its neighborhoods; the total counts each provider once."
        ),
        columns=newly_licensed_columns(_("Neighborhood")),
        rows=table_rows,
        footer=[_("Total"), *totals_of(rows, 4, 3)] if rows else None,
        empty_message=_("No provider with a neighborhood was newly licensed in this period."),
        # The neighborhoods alone: the Promise Zone row would count some of them twice.
        chart=newly_licensed_chart(
            table_rows[: len(rows)],
            _("Newly licensed providers by neighborhood"),
            "by-neighborhood-chart",
        ),
    )


def licensed_at_end(scope: ReportScope) -> Table:
    full_time = slots(Provider.capacity_full_time)
    school_age = slots(Provider.capacity_school_age)
    figures = [
        func.count(),
        func.sum(full_time),
        func.sum(school_age),
        func.sum(full_time + school_age),
    ]
    rows = db.session.execute(
        select(Town.name, *figures, *grand_totals(figures))
        .select_from(Provider)
        .join(Town, Town.id == Provider.town_id)
        .where(*scope.provider_conditions(), licensed_at(scope.moments()[1]))
        .group_by(Town.id, Town.name)
        .order_by(Town.name)
    ).all()
    return Table(
        key="licensed_at_end",
        title=_("Licensed providers at the end"),
        description=_(
            "Providers in a licensed stage on %(day)s, and their licensed slots.",
            day=format_date(scope.last_day_so_far, "medium"),
        ),
        columns=[
            Column(_("Town")),
            Column(_("Licensed providers"), Kind.COUNT),
            Column(_("Full-time slots"), Kind.COUNT),
            Column(_("School-age slots"), Kind.COUNT),
            Column(_("Total slots"), Kind.COUNT),
        ],
        rows=[(row[0], *map(int, row[1:5])) for row in rows],
        footer=[_("Total"), *totals_of(rows, 5, 4)] if rows else None,
        empty_message=_("No provider was licensed at the end of this period."),
    )


def expiring(scope: ReportScope) -> Table:
    today = scope.today
    expires_on = Provider.license_expires_on
    rows = db.session.execute(
        select(
            Provider.id,
            Provider.legal_name,
            Provider.preferred_name,
            Town.name.label("town"),
            Provider.license_number,
            expires_on,
            days_between(expires_on, today).label("days_left"),
            func.count().over().label("expiring"),
        )
        .join(Town, Town.id == Provider.town_id)
        .where(
            *scope.provider_conditions(),
            Provider.stage_id.in_(licensed_stage_ids()),
            expires_on.between(today, today + timedelta(days=EXPIRING_WITHIN_DAYS)),
        )
        .order_by(expires_on, Provider.id)
        .limit(EXPIRING_LISTED)
    ).all()
    total = rows[0].expiring if rows else 0
    return Table(
        key="expiring",
        title=_("Licenses expiring in the next %(days)d days", days=EXPIRING_WITHIN_DAYS),
        description=_(
            "The %(listed)d soonest of %(total)d licenses expiring.",
            listed=EXPIRING_LISTED,
            total=total,
        )
        if total > EXPIRING_LISTED
        else "",
        columns=[
            Column(_("Provider")),
            Column(_("Town")),
            Column(_("License number")),
            Column(_("Expires"), Kind.DATE),
            Column(_("Days left"), Kind.COUNT),
        ],
        rows=[
            (
                row.preferred_name or row.legal_name,
                row.town,
                row.license_number or "",
                row.license_expires_on,
                row.days_left,
            )
            for row in rows
        ],
        links=[url_for("providers.detail", provider_id=row.id) for row in rows],
        empty_message=_(
            "No licensed provider's license expires in the next %(days)d days.",
            days=EXPIRING_WITHIN_DAYS,
        ),
    )
