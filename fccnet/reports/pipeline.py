"""The pipeline report: where providers are today, how far everyone first contacted in
the period got, how long stays in each stage last, and who has stalled.

Days are network-local: a stage change at 23:30 in New York counts on its own day."""

from datetime import datetime, time, timedelta

from flask import url_for
from flask_babel import format_date, format_number
from flask_babel import gettext as _
from sqlalchemy import Float, Integer, and_, case, cast, func, or_, select, union_all

from fccnet.auth.models import User
from fccnet.clock import network_zone
from fccnet.coaching.models import Contact
from fccnet.database import days_between, local_day
from fccnet.extensions import db
from fccnet.licensing.models import Stage, StageChange
from fccnet.providers.models import Provider
from fccnet.reports.charts import bar_chart, funnel_chart
from fccnet.reports.forms import STALLED_DAYS_DEFAULT
from fccnet.reports.measures import first_licensed, licensed_position
from fccnet.reports.scope import ReportScope
from fccnet.reports.statistics import percentiles
from fccnet.reports.tables import Column, Kind, Report, Table, chart_format, in_reader_language

STALLED_LISTED = 100
MEDIAN_AND_P90 = {"median": 0.5, "p90": 0.9}


def build(scope: ReportScope) -> Report:
    return Report(
        title=_("Pipeline"),
        intro=_(
            "Providers in each stage today; how far the providers first contacted in the "
            "period have come; how long providers spent in each stage; and who has stalled."
        ),
        tables=[stages_today(scope), funnel(scope), time_in_stage(scope), stalled(scope)],
    )


def stage_name(row) -> str:
    return in_reader_language(row.name_en, row.name_es)


def stages_today(scope: ReportScope) -> Table:
    providers = func.count(Provider.id)
    rows = db.session.execute(
        select(
            Stage.name_en,
            Stage.name_es,
            providers.label("providers"),
            func.sum(providers).over().label("total"),
        )
        .outerjoin(Provider, and_(Provider.stage_id == Stage.id, *scope.provider_conditions()))
        .group_by(Stage.id, Stage.name_en, Stage.name_es, Stage.is_closed, Stage.position)
        # A retired stage still shows while someone is in it.
        .having(or_(Stage.active.is_(True), providers > 0))
        .order_by(Stage.is_closed, Stage.position)
    ).all()
    table_rows = [(stage_name(row), row.providers) for row in rows]
    return Table(
        key="stages_today",
        title=_("Providers in each stage today"),
        description=_("Where the selected providers are today, whatever the period."),
        columns=[Column(_("Stage")), Column(_("Providers"), Kind.COUNT)],
        rows=table_rows,
        footer=[_("Total"), int(rows[0].total)] if rows else None,
        chart=bar_chart(
            table_rows,
            title=_("Providers in each stage today"),
            description=_("The number of providers in each stage; the table has the figures."),
            value_format=chart_format(Kind.COUNT),
            id_prefix="stages-chart",
        ),
    )


def funnel(scope: ReportScope) -> Table:
    period = scope.period
    cohort = (
        select(Provider.id, Provider.stage_id)
        .where(
            *scope.provider_conditions(),
            Provider.first_contact_on.between(period.start, period.end),
        )
        .cte("cohort")
    )
    # Every stage each of them has been in: their stage history and where they are now.
    entered = union_all(
        select(StageChange.provider_id, StageChange.to_stage_id.label("stage_id")).where(
            StageChange.provider_id.in_(select(cohort.c.id))
        ),
        select(cohort.c.id, cohort.c.stage_id),
    ).subquery()
    furthest = (
        select(entered.c.provider_id, func.max(Stage.position).label("position"))
        .join(Stage, Stage.id == entered.c.stage_id)
        .where(Stage.is_closed.is_(False))
        .group_by(entered.c.provider_id)
        .subquery()
    )
    # How many stopped furthest at each stage. Reaching a later open stage means having
    # passed this one (a skipped stage counts): a stage's figure sums it and those after.
    stopped = (
        select(furthest.c.position, func.count().label("providers"))
        .group_by(furthest.c.position)
        .subquery()
    )
    open_stages = (
        select(
            Stage.name_en,
            Stage.name_es,
            Stage.position,
            Stage.active,
            func.sum(func.coalesce(stopped.c.providers, 0))
            .over(order_by=Stage.position.desc(), rows=(None, 0))
            .label("reached"),
        )
        .outerjoin(stopped, stopped.c.position == Stage.position)
        .where(Stage.is_closed.is_(False))
        .subquery()
    )
    group_size = select(func.count()).select_from(cohort).scalar_subquery()
    rows = db.session.execute(
        select(
            open_stages.c.name_en,
            open_stages.c.name_es,
            cast(open_stages.c.reached, Integer).label("reached"),
            (cast(open_stages.c.reached, Float) / func.nullif(group_size, 0)).label("share"),
            group_size.label("group_size"),
        )
        .where(open_stages.c.active.is_(True))
        .order_by(open_stages.c.position)
    ).all()
    size = rows[0].group_size if rows else 0
    table_rows = [(stage_name(row), row.reached, row.share) for row in rows] if size else []
    return Table(
        key="funnel",
        title=_("Funnel of providers first contacted in the period"),
        description=_(
            "%(count)s providers had their first contact from %(start)s to %(end)s. For each "
            "stage: how many of them have reached it (or a later stage) by today, and their "
            "share of the group.",
            count=format_number(size),
            start=format_date(period.start, "medium"),
            end=format_date(period.end, "medium"),
        ),
        columns=[
            Column(_("Stage")),
            Column(_("Providers who reached it"), Kind.COUNT),
            Column(_("Share of the group"), Kind.PERCENT),
        ],
        rows=table_rows,
        empty_message=_("No provider had a first contact in this period."),
        chart=funnel_chart(
            [(label, count) for label, count, _share in table_rows],
            title=_("Funnel of providers first contacted in the period"),
            description=_(
                "How many of the providers first contacted in the period reached each stage, "
                "with their share; the table has the figures."
            ),
            value_format=chart_format(Kind.COUNT),
            share_format=chart_format(Kind.PERCENT),
            id_prefix="funnel-chart",
        ),
    )


def time_in_stage(scope: ReportScope) -> Table:
    zone = scope.zone
    # A stay in a stage runs from the change into it to the provider's next change; the
    # stays counted are those that ended in the period.
    stays = select(
        StageChange.to_stage_id.label("stage_id"),
        days_between(
            local_day(StageChange.left_at, zone), local_day(StageChange.changed_at, zone)
        ).label("value"),
    ).where(scope.during(StageChange.left_at), scope.covers(StageChange.provider_id))
    by_stage = percentiles(stays, MEDIAN_AND_P90, by=("stage_id",)).subquery()
    stage_rows = db.session.execute(
        select(
            Stage.name_en,
            Stage.name_es,
            func.coalesce(by_stage.c.count, 0).label("count"),
            by_stage.c.median,
            by_stage.c.p90,
        )
        .outerjoin(by_stage, by_stage.c.stage_id == Stage.id)
        .where(or_(Stage.active.is_(True), by_stage.c.count > 0))
        .order_by(Stage.is_closed, Stage.position)
    ).all()

    licensed = first_licensed(scope)
    to_licensed = (
        select(days_between(licensed.c.licensed_on, Provider.first_contact_on).label("value"))
        .select_from(licensed)
        .join(Provider, Provider.id == licensed.c.provider_id)
        .where(
            *scope.provider_conditions(),
            licensed.c.licensed_on.between(scope.period.start, scope.period.end),
        )
    )
    licensing = db.session.execute(percentiles(to_licensed, MEDIAN_AND_P90)).one()

    return Table(
        key="time_in_stage",
        title=_("Time in each stage"),
        description=_(
            "Stays in a stage that ended in the period (the provider moved on), in days from "
            "the day they entered the stage to the day they left it. The last row is the days "
            "from first contact to the day first licensed, for providers first licensed in "
            "the period."
        ),
        columns=[
            Column(_("Stage")),
            Column(_("Stays"), Kind.COUNT),
            Column(_("Median days"), Kind.DAYS),
            Column(_("90th percentile (days)"), Kind.DAYS),
        ],
        rows=[
            *((stage_name(row), row.count, row.median, row.p90) for row in stage_rows),
            (_("First contact to licensed"), licensing.count, licensing.median, licensing.p90),
        ],
    )


def stalled(scope: ReportScope) -> Table:
    days = int(scope.options.get("stalled_days", STALLED_DAYS_DEFAULT))
    zone = scope.zone
    # A stage change or a contact on this day or later means the provider is moving.
    quiet_since = scope.today - timedelta(days=days)
    quiet_since_moment = datetime.combine(quiet_since, time(), network_zone())
    contacts = (Contact.provider_id == Provider.id, Contact.deleted_at.is_(None))
    last_contact = select(func.max(Contact.contacted_on)).where(*contacts).scalar_subquery()
    contacted_lately = select(Contact.id).where(*contacts, Contact.contacted_on >= quiet_since)
    stage_day = local_day(Provider.stage_entered_at, zone)
    candidates = (
        select(
            Provider.id,
            Provider.legal_name,
            Provider.preferred_name,
            Stage.name_en,
            Stage.name_es,
            User.name.label("coach"),
            stage_day.label("stage_day"),
            last_contact.label("last_contact"),
        )
        .join(Stage, Stage.id == Provider.stage_id)
        .outerjoin(User, User.id == Provider.coach_id)
        .where(
            *scope.provider_conditions(),
            Stage.is_closed.is_(False),
            Stage.position < licensed_position(),
            Provider.stage_entered_at < quiet_since_moment,
            ~contacted_lately.exists(),
        )
        .subquery()
    )
    last_sign = case(
        (candidates.c.last_contact > candidates.c.stage_day, candidates.c.last_contact),
        else_=candidates.c.stage_day,
    )
    rows = db.session.execute(
        select(
            candidates,
            days_between(scope.today, candidates.c.stage_day).label("days_in_stage"),
            func.count().over().label("stalled"),
        )
        .order_by(last_sign, candidates.c.stage_day, candidates.c.id)
        .limit(STALLED_LISTED)
    ).all()
    total = rows[0].stalled if rows else 0
    description = _(
        "As of today, whatever the period: providers in a stage before licensed with no stage "
        "change and no contact in the last %(days)d days, longest without either first.",
        days=days,
    )
    if total > STALLED_LISTED:
        description += " " + _(
            "The %(listed)d longest stalled of %(total)d.", listed=STALLED_LISTED, total=total
        )
    return Table(
        key="stalled",
        title=_("Stalled providers"),
        description=description,
        columns=[
            Column(_("Provider")),
            Column(_("Stage")),
            Column(_("Coach")),
            Column(_("Days since stage change"), Kind.COUNT),
            Column(_("Last contact"), Kind.DATE),
        ],
        rows=[
            (
                row.preferred_name or row.legal_name,
                stage_name(row),
                row.coach,
                row.days_in_stage,
                row.last_contact,
            )
            for row in rows
        ],
        links=[url_for("providers.detail", provider_id=row.id) for row in rows],
        empty_message=_("No provider has stalled."),
    )
