"""The training report: sessions held and their seats, attendance, credit hours (by CKC area
and by month), licensed providers short of the annual requirement, and credentials expiring.

Hours count as a provider's training record counts them: approved credits only, by the day
the training was taken. A credential held is the latest approved credit for it (the record's
held_credentials), whatever credit came before."""

from dataclasses import dataclass
from datetime import date, timedelta

from flask import url_for
from flask_babel import format_date, format_decimal, ngettext
from flask_babel import gettext as _
from sqlalchemy import (
    ColumnElement,
    Date,
    Float,
    and_,
    case,
    cast,
    func,
    null,
    select,
    true,
    tuple_,
    union_all,
)
from sqlalchemy.orm import aliased

from fccnet.credits.services import Period, pd_year, required_minutes
from fccnet.database import month_start, utcnow
from fccnet.extensions import db
from fccnet.licensing.queries import URGENCY_WINDOWS
from fccnet.providers.models import Provider
from fccnet.reports.charts import bar_chart, trend_chart
from fccnet.reports.measures import licensed_stage_ids
from fccnet.reports.periods import month_name, months_of
from fccnet.reports.scope import ReportScope
from fccnet.reports.tables import (
    Column,
    Kind,
    Report,
    Table,
    chart_format,
    in_reader_language,
    minutes_as_hours,
)
from fccnet.settings.services import all_settings
from fccnet.training.models import (
    Attendance,
    CkcArea,
    Credential,
    Credit,
    CreditStatus,
    Registration,
    RegistrationStatus,
    SessionStatus,
    TrainingSession,
)

BELOW_REQUIREMENT_LISTED = 100


def build(scope: ReportScope) -> Report:
    hours = credit_hours(scope)
    return Report(
        title=_("Training"),
        intro=_(
            "Network sessions held in the period and their seats, then the selected "
            "providers' approved credit hours, who is short of the annual requirement, and "
            "the credentials they hold that expire within 90 days of today."
        ),
        tables=[
            summary(scope, hours),
            by_area(hours),
            by_month(scope, hours),
            below_requirement(scope),
            credentials_expiring(scope),
        ],
    )


def approved_in(period: Period) -> ColumnElement[bool]:
    """Credits that count as hours (approved, as on the training record), taken in the period."""
    return and_(
        Credit.status == CreditStatus.APPROVED, Credit.taken_on.between(period.start, period.end)
    )


def counted_credits(scope: ReportScope) -> ColumnElement[bool]:
    """The scope's providers' credits that count as hours in its period."""
    return and_(approved_in(scope.period), scope.covers(Credit.provider_id))


def held_sessions(scope: ReportScope) -> list[ColumnElement[bool]]:
    """Conditions on TrainingSession: not cancelled, begun in the period and over by now."""
    return [
        TrainingSession.status != SessionStatus.CANCELLED,
        scope.during(TrainingSession.starts_at),
        TrainingSession.ends_at <= utcnow(),
    ]


@dataclass(frozen=True)
class AreaHours:
    name_en: str
    name_es: str
    minutes: int
    credits: int


@dataclass(frozen=True)
class CreditHours:
    areas: list[AreaHours]  # in the areas' order
    total_minutes: int
    total_credits: int
    months: dict[date, int]  # the first day of a month: its minutes


def credit_hours(scope: ReportScope) -> CreditHours:
    """The period's credit hours by CKC area and by month, in one pass over the credits:
    summed by day and area first (which an index on the day can hand over in order), then
    those sums by area and by month."""
    daily = (
        select(
            Credit.taken_on,
            Credit.ckc_area_id,
            func.sum(Credit.minutes).label("minutes"),
            func.count().label("credits"),
        )
        .where(counted_credits(scope))
        .group_by(Credit.taken_on, Credit.ckc_area_id)
        .cte("daily")
    )
    minutes, credits = func.sum(daily.c.minutes), func.sum(daily.c.credits)
    month = month_start(daily.c.taken_on)
    per_area = (
        select(
            CkcArea.id.label("area_id"),
            CkcArea.position,
            CkcArea.name_en,
            CkcArea.name_es,
            cast(null(), Date).label("month"),
            minutes.label("minutes"),
            credits.label("credits"),
            func.sum(minutes).over().label("total_minutes"),
            func.sum(credits).over().label("total_credits"),
        )
        .join(CkcArea, CkcArea.id == daily.c.ckc_area_id)
        .group_by(CkcArea.id, CkcArea.position, CkcArea.name_en, CkcArea.name_es)
    )
    # A month's row has no area.
    per_month = select(
        null(), null(), null(), null(), month, minutes, credits, null(), null()
    ).group_by(month)
    both = union_all(per_area, per_month).subquery()
    rows = db.session.execute(
        select(both).order_by(both.c.position, both.c.area_id, both.c.month)
    ).all()
    areas = [row for row in rows if row.area_id is not None]
    return CreditHours(
        areas=[AreaHours(r.name_en, r.name_es, int(r.minutes), int(r.credits)) for r in areas],
        total_minutes=int(areas[0].total_minutes) if areas else 0,
        total_credits=int(areas[0].total_credits) if areas else 0,
        months={row.month: int(row.minutes) for row in rows if row.area_id is None},
    )


def summary(scope: ReportScope, hours: CreditHours) -> Table:
    sessions = (
        select(
            func.count().label("held"),
            func.coalesce(func.sum(TrainingSession.capacity), 0).label("offered"),
        )
        .where(*held_sessions(scope))
        .subquery()
    )
    seats = (
        select(
            func.count().label("filled"),
            func.count()
            .filter(Registration.attendance.in_([Attendance.ATTENDED, Attendance.PARTIAL]))
            .label("attended"),
        )
        .where(
            # IN rather than a join: SQLite then starts from the period's sessions, not
            # from every registration of the providers in scope.
            Registration.session_id.in_(select(TrainingSession.id).where(*held_sessions(scope))),
            Registration.status == RegistrationStatus.REGISTERED,
            scope.covers(Registration.provider_id),
        )
        .subquery()
    )
    trained = (
        select(func.count(Credit.provider_id.distinct()))
        .where(counted_credits(scope))
        .scalar_subquery()
    )
    row = db.session.execute(
        select(
            sessions.c.held,
            sessions.c.offered,
            seats.c.filled,
            cast(seats.c.attended, Float) / func.nullif(seats.c.filled, 0),
            trained,
        )
        .select_from(sessions)
        .join(seats, true())
    ).one()
    return Table(
        key="summary",
        title=_("Summary"),
        description=_(
            "Sessions held and seats offered count every network session that began in the "
            "period and has ended, whatever the filters. Seats filled, the attendance rate "
            "(attended or partly attended, of the seats filled), providers trained and "
            "credit hours (approved credits taken in the period) count the selected "
            "providers only."
        ),
        columns=[
            Column(_("Sessions held"), Kind.COUNT),
            Column(_("Seats offered"), Kind.COUNT),
            Column(_("Seats filled"), Kind.COUNT),
            Column(_("Attendance rate"), Kind.PERCENT),
            Column(_("Providers trained"), Kind.COUNT),
            Column(_("Credit hours"), Kind.HOURS),
        ],
        rows=[(*row, hours.total_minutes)],
    )


def by_area(hours: CreditHours) -> Table:
    rows = [
        (in_reader_language(area.name_en, area.name_es), area.minutes, area.credits)
        for area in hours.areas
    ]
    return Table(
        key="by_area",
        title=_("Credit hours by CKC area"),
        description=_(
            "Approved credits taken in the period, by Core Knowledge and Competencies area."
        ),
        columns=[
            Column(_("CKC area")),
            Column(_("Credit hours"), Kind.HOURS),
            Column(_("Credits"), Kind.COUNT),
        ],
        rows=rows,
        footer=[_("Total"), hours.total_minutes, hours.total_credits] if rows else None,
        empty_message=_("No approved credit hours in this period."),
        chart=bar_chart(
            [(name, minutes) for name, minutes, _credits in rows],
            title=_("Credit hours by CKC area"),
            description=_("The credit hours of each CKC area; the table has the figures."),
            value_format=chart_format(Kind.HOURS),
            id_prefix="area-hours-chart",
        ),
    )


def by_month(scope: ReportScope, hours: CreditHours) -> Table:
    # Every month of the period up to today (no credit is dated later), so that a month
    # without credits shows as 0 rather than as a gap in the trend.
    months = months_of(scope.period.start, scope.last_day_so_far)
    rows = [(first, hours.months.get(first, 0)) for first in months] if hours.months else []
    return Table(
        key="by_month",
        title=_("Credit hours by month"),
        description=_("Approved credits taken in the period, by the month they were taken."),
        columns=[Column(_("Month")), Column(_("Credit hours"), Kind.HOURS)],
        rows=[(month_name(first), minutes) for first, minutes in rows],
        empty_message=_("No approved credit hours in this period."),
        # In hours rather than minutes, so that the axis has round ticks.
        chart=trend_chart(
            [(month_name(first, "yMMM"), minutes_as_hours(minutes)) for first, minutes in rows],
            title=_("Credit hours by month"),
            description=_("The credit hours of each month; the table has the figures."),
            value_format=lambda hours: format_decimal(hours, "#,##0.#"),
            id_prefix="month-hours-chart",
        ),
    )


def below_requirement(scope: ReportScope) -> Table:
    year = pd_year(scope.period.end, all_settings()["pd_year_start_month"])
    required = required_minutes()
    done_in_year = (
        select(func.coalesce(func.sum(Credit.minutes), 0))
        .where(Credit.provider_id == Provider.id, approved_in(year))
        .scalar_subquery()
    )
    licensed = (
        select(
            Provider.id, Provider.legal_name, Provider.preferred_name, done_in_year.label("done")
        )
        .where(*scope.provider_conditions(), Provider.stage_id.in_(licensed_stage_ids()))
        .subquery()
    )
    rows = db.session.execute(
        select(
            licensed,
            (required - licensed.c.done).label("missing"),
            func.count().over().label("below"),
        )
        .where(licensed.c.done < required)
        .order_by(licensed.c.done, licensed.c.legal_name, licensed.c.id)
        .limit(BELOW_REQUIREMENT_LISTED)
    ).all()
    total = rows[0].below if rows else 0
    description = ngettext(
        "%(num)d licensed provider has fewer than %(hours)s approved hours in the "
        "professional development year %(start)s to %(end)s (the one holding the period's "
        "last day).",
        "%(num)d licensed providers have fewer than %(hours)s approved hours in the "
        "professional development year %(start)s to %(end)s (the one holding the period's "
        "last day).",
        total,
        hours=format_decimal(minutes_as_hours(required), "#,##0.#"),
        start=format_date(year.start, "medium"),
        end=format_date(year.end, "medium"),
    )
    if total > BELOW_REQUIREMENT_LISTED:
        description += " " + _("The first %(listed)d are listed.", listed=BELOW_REQUIREMENT_LISTED)
    return Table(
        key="below_requirement",
        title=_("Providers below the annual requirement"),
        description=description,
        columns=[
            Column(_("Provider")),
            Column(_("Hours so far"), Kind.HOURS),
            Column(_("Hours missing"), Kind.HOURS),
        ],
        rows=[(row.preferred_name or row.legal_name, row.done, row.missing) for row in rows],
        links=[url_for("providers.detail", provider_id=row.id) for row in rows],
        empty_message=_("No licensed provider is short of the required hours in that year."),
    )


def credentials_expiring(scope: ReportScope) -> Table:
    today = scope.today
    limits = [today + timedelta(days=days) for days in URGENCY_WINDOWS]
    # A credential is held by its latest approved credit (as on the training record): the
    # one that no later approved credit for it replaced.
    later = aliased(Credit)
    replaced = (
        select(later.id)
        .where(
            later.provider_id == Credit.provider_id,
            later.credential_id == Credit.credential_id,
            later.status == CreditStatus.APPROVED,
            tuple_(later.taken_on, later.id) > tuple_(Credit.taken_on, Credit.id),
        )
        .exists()
    )
    expires = Credit.credential_expires_on
    window = case((expires <= limits[0], 0), (expires <= limits[1], 1), else_=2)
    counts = [func.count().filter(window == index) for index in range(len(limits))]
    totals = [func.sum(count).over() for count in counts]
    rows = db.session.execute(
        select(Credential.name_en, Credential.name_es, *counts, *totals)
        .join(Credit, Credit.credential_id == Credential.id)
        .where(
            Credit.status == CreditStatus.APPROVED,
            Credit.credential_id.is_not(None),
            expires.between(today, limits[-1]),
            scope.covers(Credit.provider_id),
            ~replaced,
        )
        .group_by(Credential.id, Credential.name_en, Credential.name_es, Credential.position)
        .order_by(Credential.position, Credential.id)
    ).all()
    table_rows = [(in_reader_language(en, es), *numbers[:3]) for en, es, *numbers in rows]
    footer = [_("Total"), *(int(total) for total in rows[0][5:])] if rows else None
    return Table(
        key="credentials_expiring",
        title=_("Credentials expiring"),
        description=_(
            "Credentials the selected providers hold (their latest approved credit for each) "
            "that expire within 90 days of today, whatever the period; those already expired "
            "are not counted."
        ),
        columns=[
            Column(_("Credential")),
            Column(_("Within 30 days"), Kind.COUNT),
            Column(_("In 31 to 60 days"), Kind.COUNT),
            Column(_("In 61 to 90 days"), Kind.COUNT),
        ],
        rows=table_rows,
        footer=footer,
        empty_message=_("No credential expires within 90 days."),
    )
