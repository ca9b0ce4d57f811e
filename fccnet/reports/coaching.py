"""The coaching report: contacts and coaching hours by coach, month, mode and topic in the
period; the providers nobody has contacted lately; action items opened, done and overdue.

A contact counts when it is dated within the period, is not deleted, and its provider is
in scope. Hours are the contacts' minutes (shown as hours)."""

import enum
from dataclasses import dataclass
from datetime import date

from flask import url_for
from flask_babel import gettext as _
from flask_babel import pgettext
from sqlalchemy import (
    ColumnElement,
    Date,
    Integer,
    cast,
    func,
    literal,
    null,
    or_,
    select,
    union_all,
)

from fccnet.auth.models import User
from fccnet.coaching.caseload import CONTACT_DUE_AFTER
from fccnet.coaching.forms import MODE_LABELS
from fccnet.coaching.models import (
    ActionItem,
    ActionStatus,
    CoachingTopic,
    Contact,
    ContactMode,
    contact_topics,
)
from fccnet.database import days_between, month_start
from fccnet.extensions import db
from fccnet.licensing.models import Stage
from fccnet.providers.models import Provider
from fccnet.reports.charts import bar_chart, trend_chart
from fccnet.reports.measures import contacts_dated_within
from fccnet.reports.periods import month_name, months_of
from fccnet.reports.scope import ReportScope
from fccnet.reports.tables import Column, Kind, Report, Table, chart_format, in_reader_language

NOT_CONTACTED_LISTED = 100


def build(scope: ReportScope) -> Report:
    counted = count_contacts(scope)
    return Report(
        title=_("Coaching"),
        intro=_(
            "Contacts dated within the period with the selected providers (deleted contacts "
            "left out), and their coaching hours; the providers not contacted in the last "
            "%(days)d days; and action items.",
            days=CONTACT_DUE_AFTER.days,
        ),
        tables=[
            by_coach(counted[Part.COACH]),
            by_month(scope, counted[Part.MONTH]),
            by_mode(counted[Part.MODE]),
            by_topic(scope),
            not_contacted(scope),
            action_items(scope),
        ],
    )


class Part(enum.IntEnum):
    """Which grouping a row of count_contacts belongs to."""

    COACH = 1
    MONTH = 2
    MODE = 3


@dataclass(frozen=True)
class Counted:
    """Contacts and minutes of one coach, month or mode, and of all of them."""

    key: int | date | str | None
    coach_name: str | None
    contacts: int
    minutes: int
    total_contacts: int
    total_minutes: int


def count_contacts(scope: ReportScope) -> dict[Part, list[Counted]]:
    """Contacts and minutes by coach, by month and by mode, in one pass over the period's
    contacts: they are grouped by all three once, then that small result by each."""
    groups = (
        select(
            Contact.coach_id,
            month_start(Contact.contacted_on).label("month"),
            Contact.mode,
            func.count().label("contacts"),
            func.sum(Contact.minutes).label("minutes"),
        )
        .where(*contacts_dated_within(scope.period), scope.covers(Contact.provider_id))
        .group_by(month_start(Contact.contacted_on), Contact.coach_id, Contact.mode)
        .cte("contact_groups")
    )
    # The union takes its column names and types from its first select.
    no_coach = cast(null(), Integer)
    no_month = cast(null(), Date).label("month")
    no_mode = cast(null(), Contact.mode.type).label("mode")
    sums = (
        func.sum(groups.c.contacts).label("contacts"),
        func.sum(groups.c.minutes).label("minutes"),
    )
    parts = union_all(
        select(
            literal(Part.COACH.value).label("part"), groups.c.coach_id, no_month, no_mode, *sums
        ).group_by(groups.c.coach_id),
        select(literal(Part.MONTH.value), no_coach, groups.c.month, no_mode, *sums).group_by(
            groups.c.month
        ),
        select(literal(Part.MODE.value), no_coach, no_month, groups.c.mode, *sums).group_by(
            groups.c.mode
        ),
    ).subquery()
    rows = db.session.execute(
        select(
            parts,
            User.name,
            func.sum(parts.c.contacts).over(partition_by=parts.c.part).label("total_contacts"),
            func.sum(parts.c.minutes).over(partition_by=parts.c.part).label("total_minutes"),
        )
        .outerjoin(User, User.id == parts.c.coach_id)
        .order_by(
            parts.c.part,
            parts.c.coach_id.is_(None),
            User.name,
            parts.c.coach_id,
            parts.c.month,
        )
    ).all()
    counted = {part: [] for part in Part}
    for row in rows:
        part = Part(row.part)
        key = {Part.COACH: row.coach_id, Part.MONTH: row.month, Part.MODE: row.mode}[part]
        counted[part].append(
            Counted(key, row.name, row.contacts, row.minutes, row.total_contacts, row.total_minutes)
        )
    return counted


def _contacts_and_hours_columns(first: str) -> list[Column]:
    return [Column(first), Column(_("Contacts"), Kind.COUNT), Column(_("Hours"), Kind.HOURS)]


def _footer(counted: list[Counted]) -> list | None:
    if not counted:
        return None
    return [_("Total"), int(counted[0].total_contacts), int(counted[0].total_minutes)]


def by_coach(counted: list[Counted]) -> Table:
    table_rows = [
        (row.coach_name if row.key is not None else _("No coach"), row.contacts, row.minutes)
        for row in counted
    ]
    return Table(
        key="by_coach",
        title=_("Contacts by coach"),
        description=_(
            "Each contact counts for the coach who logged it, who may not be the provider's "
            "coach today; deactivated coaches are still listed."
        ),
        columns=_contacts_and_hours_columns(_("Coach")),
        rows=table_rows,
        footer=_footer(counted),
        empty_message=_("No contact was logged in this period."),
        chart=bar_chart(
            [(name, minutes) for name, _contacts, minutes in table_rows],
            title=_("Coaching hours by coach"),
            description=_("The hours of contacts each coach logged; the table has the figures."),
            value_format=chart_format(Kind.HOURS),
            id_prefix="coaching-coach-chart",
        ),
    )


def by_month(scope: ReportScope, counted: list[Counted]) -> Table:
    by_first_day = {row.key: (row.contacts, row.minutes) for row in counted}
    # Months without a contact are shown too (as zeros), so the trend has no gaps; none
    # after this one, which has not happened yet.
    months = months_of(scope.period.start, scope.last_day_so_far) if counted else []
    figures = [by_first_day.get(first_day, (0, 0)) for first_day in months]
    table_rows = [
        (month_name(first_day), *numbers)
        for first_day, numbers in zip(months, figures, strict=True)
    ]
    return Table(
        key="by_month",
        title=_("Contacts by month"),
        columns=_contacts_and_hours_columns(_("Month")),
        rows=table_rows,
        footer=_footer(counted),
        empty_message=_("No contact was logged in this period."),
        chart=trend_chart(
            [
                (month_name(first_day, "yMMM"), minutes)
                for first_day, (_contacts, minutes) in zip(months, figures, strict=True)
            ],
            title=_("Coaching hours by month"),
            description=_("The hours of contacts in each month; the table has the figures."),
            value_format=chart_format(Kind.HOURS),
            id_prefix="coaching-month-chart",
        ),
    )


def by_mode(counted: list[Counted]) -> Table:
    by_mode = {ContactMode(row.key): (row.contacts, row.minutes) for row in counted}
    table_rows = (
        [(str(MODE_LABELS[mode]), *by_mode.get(mode, (0, 0))) for mode in ContactMode]
        if counted
        else []
    )
    return Table(
        key="by_mode",
        title=_("Contacts by mode"),
        columns=_contacts_and_hours_columns(_("Mode")),
        rows=table_rows,
        footer=_footer(counted),
        empty_message=_("No contact was logged in this period."),
    )


def by_topic(scope: ReportScope) -> Table:
    # The contacts counted, read from the copies of their columns on the topic rows. The
    # whole network is read topic by topic (a range of ix_contact_topics_topic_id_contacted_on
    # each, in the index's order); a selection of providers, provider by provider (naming
    # the topics too would have SQLite read the network's and sort out the selection's).
    topic_rows = contact_topics.c
    by_topic = [topic_rows.topic_id.in_(select(CoachingTopic.id))] if not scope.filters() else []
    covered = (
        select(
            topic_rows.topic_id,
            func.count().label("contacts"),
            func.sum(topic_rows.minutes).label("minutes"),
        )
        .where(
            *by_topic,
            topic_rows.contacted_on >= scope.period.start,
            topic_rows.contacted_on <= scope.period.end,
            topic_rows.deleted_at.is_(None),
            scope.covers(topic_rows.provider_id),
        )
        .group_by(topic_rows.topic_id)
        .subquery()
    )
    # Every topic still offered (a zero says what nobody covered), and retired ones in use.
    rows = db.session.execute(
        select(
            CoachingTopic.name_en,
            CoachingTopic.name_es,
            func.coalesce(covered.c.contacts, 0).label("contacts"),
            func.coalesce(covered.c.minutes, 0).label("minutes"),
        )
        .outerjoin(covered, covered.c.topic_id == CoachingTopic.id)
        .where(or_(CoachingTopic.active.is_(True), covered.c.contacts.is_not(None)))
        .order_by(CoachingTopic.position, CoachingTopic.id)
    ).all()
    table_rows = (
        [(in_reader_language(row.name_en, row.name_es), row.contacts, row.minutes) for row in rows]
        if any(row.contacts for row in rows)
        else []
    )
    return Table(
        key="by_topic",
        title=_("Contacts by topic"),
        description=_(
            "A contact that covered several topics counts under each of them, with all its "
            "hours, so the rows add up to more than the contacts and hours logged."
        ),
        columns=_contacts_and_hours_columns(_("Topic")),
        rows=table_rows,
        empty_message=_("No contact was logged in this period."),
        chart=bar_chart(
            [(name, contacts) for name, contacts, _minutes in table_rows if contacts],
            title=_("Contacts by topic"),
            description=_(
                "The number of contacts that covered each topic; the table has the figures."
            ),
            value_format=chart_format(Kind.COUNT),
            id_prefix="coaching-topic-chart",
        ),
    )


def not_contacted(scope: ReportScope) -> Table:
    """Providers in an open stage whose last contact (up to today) is older than
    CONTACT_DUE_AFTER, or who were never contacted: the coach's home page's rule."""

    def contacts_up_to_today(since: date | None = None) -> list[ColumnElement[bool]]:
        return [
            Contact.provider_id == Provider.id,
            Contact.deleted_at.is_(None),
            Contact.contacted_on <= scope.today,
            *([Contact.contacted_on >= since] if since else []),
        ]

    # The recent-contact test is an index probe per provider; the last contact is then
    # looked up only for the providers that fail it.
    contacted_lately = (
        select(Contact.id)
        .where(*contacts_up_to_today(since=scope.today - CONTACT_DUE_AFTER))
        .exists()
    )
    not_contacted = (
        select(
            Provider.id,
            Provider.legal_name,
            Provider.preferred_name,
            Stage.name_en.label("stage_en"),
            Stage.name_es.label("stage_es"),
            User.name.label("coach"),
            select(func.max(Contact.contacted_on))
            .where(*contacts_up_to_today())
            .scalar_subquery()
            .label("last_contacted_on"),
        )
        .join(Stage, Stage.id == Provider.stage_id)
        .outerjoin(User, User.id == Provider.coach_id)
        .where(*scope.provider_conditions(), Stage.is_closed.is_(False), ~contacted_lately)
        .subquery()
    )
    last = not_contacted.c.last_contacted_on
    rows = db.session.execute(
        select(
            not_contacted,
            days_between(scope.today, last).label("days_since"),
            func.count().over().label("not_contacted"),
        )
        .order_by(last.is_not(None), last, not_contacted.c.legal_name, not_contacted.c.id)
        .limit(NOT_CONTACTED_LISTED)
    ).all()
    total = rows[0].not_contacted if rows else 0
    return Table(
        key="no_contact",
        title=_("Not contacted in %(days)d days", days=CONTACT_DUE_AFTER.days),
        description=_(
            "The %(listed)d of %(total)d providers longest without a contact, those never "
            "contacted first; providers in a closed stage are left out.",
            listed=NOT_CONTACTED_LISTED,
            total=total,
        )
        if total > NOT_CONTACTED_LISTED
        else _(
            "Longest without a contact first, those never contacted at the top; providers "
            "in a closed stage are left out."
        ),
        columns=[
            Column(_("Provider")),
            Column(_("Stage")),
            Column(_("Coach")),
            Column(_("Last contact"), Kind.DATE),
            Column(_("Days since"), Kind.COUNT),
        ],
        rows=[
            (
                row.preferred_name or row.legal_name,
                in_reader_language(row.stage_en, row.stage_es),
                row.coach or _("No coach"),
                row.last_contacted_on,
                row.days_since,
            )
            for row in rows
        ],
        links=[url_for("providers.detail", provider_id=row.id) for row in rows],
        empty_message=_(
            "Every provider was contacted in the last %(days)d days.",
            days=CONTACT_DUE_AFTER.days,
        ),
    )


def action_items(scope: ReportScope) -> Table:
    def count(*conditions: ColumnElement[bool]):
        covered = scope.covers(ActionItem.provider_id)
        return select(func.count()).where(*conditions, covered).scalar_subquery()

    row = db.session.execute(
        select(
            count(scope.during(ActionItem.created_at)),
            count(
                ActionItem.status == ActionStatus.DONE,
                ActionItem.closed_on >= scope.period.start,
                ActionItem.closed_on <= scope.period.end,
            ),
            count(ActionItem.status == ActionStatus.OPEN, ActionItem.due_on < scope.today),
        )
    ).one()
    return Table(
        key="action_items",
        title=_("Action items"),
        description=_(
            "Opened and done within the period; overdue: still open today after their due date."
        ),
        columns=[
            Column(_("Opened"), Kind.COUNT),
            # Items counted, not an item's status: the Spanish agrees with "tareas".
            Column(pgettext("counted action items", "Done"), Kind.COUNT),
            Column(_("Overdue today"), Kind.COUNT),
        ],
        rows=[tuple(row)],
    )
