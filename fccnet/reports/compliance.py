"""The compliance report: checklist items overdue or coming due across the network, by
requirement, and the most overdue ones to act on. It is about today: an open item is due
on its due date, a done item that expires on its expiry (the licensing checklist's rule)."""

from datetime import timedelta

from flask import url_for
from flask_babel import gettext as _
from sqlalchemy import case, func, select

from fccnet.database import days_between
from fccnet.extensions import db
from fccnet.licensing.models import ChecklistItem, Requirement
from fccnet.licensing.queries import URGENCY_WINDOWS, due_by, item_due_date
from fccnet.providers.models import HouseholdMember, Provider
from fccnet.reports.charts import bar_chart
from fccnet.reports.scope import ReportScope
from fccnet.reports.tables import Column, Kind, Report, Table, chart_format, in_reader_language

OVERDUE_LISTED = 100


def build(scope: ReportScope) -> Report:
    return Report(
        title=_("Compliance"),
        intro=_(
            "Checklist items of the selected providers (and their household members) as of "
            "today, whatever the period: overdue, or due within 30, 60 or 90 days."
        ),
        tables=[by_requirement(scope), most_overdue(scope)],
    )


def by_requirement(scope: ReportScope) -> Table:
    today = scope.today
    due = item_due_date()
    limits = [today + timedelta(days=days) for days in URGENCY_WINDOWS]
    bucket = case(
        (due < today, 0),
        (due <= limits[0], 1),
        (due <= limits[1], 2),
        else_=3,
    )
    # Grouped by requirement first: only the items the due-date indexes find are read.
    counted = (
        select(
            ChecklistItem.requirement_id,
            *(func.count().filter(bucket == index).label(f"bucket_{index}") for index in range(4)),
        )
        .where(scope.covers(ChecklistItem.provider_id), due_by(limits[-1]))
        .group_by(ChecklistItem.requirement_id)
        .subquery()
    )
    counts = [counted.c[f"bucket_{index}"] for index in range(4)]
    # The totals row: the same counts summed over every group, in the same query.
    totals = [func.sum(count).over() for count in counts]
    rows = db.session.execute(
        select(Requirement.name_en, Requirement.name_es, *counts, *totals)
        .join(counted, counted.c.requirement_id == Requirement.id)
        .order_by(Requirement.position, Requirement.id)
    ).all()
    table_rows = [(in_reader_language(en, es), *numbers[:4]) for en, es, *numbers in rows]
    footer = [_("Total"), *(int(total) for total in rows[0][6:])] if rows else None
    title = _("Items by requirement")
    return Table(
        key="by_requirement",
        title=title,
        columns=[
            Column(_("Requirement")),
            Column(_("Overdue"), Kind.COUNT),
            Column(_("Due within 30 days"), Kind.COUNT),
            Column(_("Due in 31 to 60 days"), Kind.COUNT),
            Column(_("Due in 61 to 90 days"), Kind.COUNT),
        ],
        rows=table_rows,
        footer=footer,
        empty_message=_("Nothing is overdue or due within 90 days."),
        chart=bar_chart(
            [(row[0], row[1]) for row in table_rows if row[1]],
            title=_("Overdue items by requirement"),
            description=_(
                "The number of overdue items for each requirement; the table has the figures."
            ),
            value_format=chart_format(Kind.COUNT),
            id_prefix="overdue-chart",
        ),
    )


def most_overdue(scope: ReportScope) -> Table:
    # The overdue items first (the due-date indexes find them), then their names: read
    # the other way, every provider's checklist would be searched.
    items = (
        select(
            ChecklistItem.id,
            ChecklistItem.provider_id,
            ChecklistItem.requirement_id,
            ChecklistItem.household_member_id,
            item_due_date().label("due_on"),
        )
        .where(scope.covers(ChecklistItem.provider_id), due_by(scope.today - timedelta(days=1)))
        .cte("overdue_items")
        .prefix_with("MATERIALIZED")
    )
    overdue = (
        select(
            Provider.id,
            Provider.legal_name,
            Provider.preferred_name,
            HouseholdMember.name,
            Requirement.name_en,
            Requirement.name_es,
            items.c.due_on,
            days_between(scope.today, items.c.due_on).label("days_overdue"),
            func.count().over().label("overdue_items"),
        )
        .select_from(items)
        .join(Provider, Provider.id == items.c.provider_id)
        .join(Requirement, Requirement.id == items.c.requirement_id)
        .outerjoin(HouseholdMember, HouseholdMember.id == items.c.household_member_id)
        .order_by(items.c.due_on, items.c.id)
        .limit(OVERDUE_LISTED)
    )
    rows = db.session.execute(overdue).all()
    total = rows[0].overdue_items if rows else 0
    return Table(
        key="overdue",
        title=_("Most overdue items"),
        description=_(
            "The %(listed)d most overdue of %(total)d overdue items.",
            listed=OVERDUE_LISTED,
            total=total,
        )
        if total > OVERDUE_LISTED
        else "",
        columns=[
            Column(_("Provider")),
            Column(_("Household member")),
            Column(_("Requirement")),
            Column(_("Due"), Kind.DATE),
            Column(_("Days overdue"), Kind.COUNT),
        ],
        rows=[
            (
                row.preferred_name or row.legal_name,
                row.name or "",
                in_reader_language(row.name_en, row.name_es),
                row.due_on,
                row.days_overdue,
            )
            for row in rows
        ],
        links=[url_for("providers.detail", provider_id=row.id) for row in rows],
        empty_message=_("No item is overdue."),
    )
