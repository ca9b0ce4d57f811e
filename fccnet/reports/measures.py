"""Definitions several reports share, as SQL: when a provider was first licensed, which
stages count as licensed, and which contacts a period holds. One definition each, so the
pipeline, outcomes, coaching, the report card and the partner export agree."""

from sqlalchemy import ColumnElement, Select, Subquery, func, select

from fccnet.coaching.models import Contact
from fccnet.credits.services import Period
from fccnet.database import local_day, month_start
from fccnet.licensing.models import LICENSED_STAGE_KEY, Stage, StageChange
from fccnet.reports.scope import ReportScope


def licensed_position():
    """The licensed stage's place in the pipeline (a scalar subquery)."""
    return select(Stage.position).where(Stage.key == LICENSED_STAGE_KEY).scalar_subquery()


def licensed_stage_ids() -> Select:
    """Stages of a licensed provider: the licensed stage and the open stages after it
    (an active network member is licensed too). Closed stages never count."""
    return select(Stage.id).where(Stage.is_closed.is_(False), Stage.position >= licensed_position())


def first_licensed_days(zone: str) -> Select:
    """(provider_id, licensed_on): the network-local day each provider first moved into a
    licensed stage. Group it into a subquery: .subquery() then join on provider_id."""
    return (
        select(
            StageChange.provider_id,
            # The day of the earliest moment: the same as the earliest day, one conversion.
            local_day(func.min(StageChange.changed_at), zone).label("licensed_on"),
        )
        .where(StageChange.to_stage_id.in_(licensed_stage_ids()))
        .group_by(StageChange.provider_id)
    )


def first_licensed(scope: ReportScope) -> Subquery:
    """(provider_id, licensed_on) of the providers who moved into a licensed stage during
    the scope's period (the only ones who can have been first licensed in it), to join on
    Provider.id. Their licensed_on still comes from all their changes."""
    licensed_during = select(StageChange.provider_id).where(
        StageChange.to_stage_id.in_(licensed_stage_ids()), scope.during(StageChange.changed_at)
    )
    return (
        first_licensed_days(scope.zone)
        .where(StageChange.provider_id.in_(licensed_during))
        .subquery("first_licensed")
    )


def contacts_dated_within(period: Period) -> list[ColumnElement[bool]]:
    """Conditions on Contact: not deleted and dated within the period. The months are
    named too, so that the databases read ix_contacts_month_coach_id_mode from the
    period's first month to its last rather than all of it."""
    return [
        Contact.deleted_at.is_(None),
        month_start(Contact.contacted_on) >= period.start.replace(day=1),
        month_start(Contact.contacted_on) <= period.end,
        Contact.contacted_on >= period.start,
        Contact.contacted_on <= period.end,
    ]
