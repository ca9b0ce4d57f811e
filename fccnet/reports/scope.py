"""What a report covers: a date range and the providers its filters select.

Every report takes one ReportScope. Its providers are the records not deleted that match
the filters (a coach's reports are fixed to their own caseload by the view). Date columns
compare with the period directly; timestamps compare with `moments()`, the UTC instants
where the period's first local day begins and the day after its last begins, so an
evening in New York counts on its own day on both databases.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from sqlalchemy import ColumnElement, Select, select

from fccnet.clock import network_zone
from fccnet.credits.services import Period
from fccnet.providers.models import Provider
from fccnet.providers.queries import who_and_where


@dataclass(frozen=True)
class ReportScope:
    period: Period
    today: date
    coach_id: int | None = None  # the provider's coach today; 0: nobody assigned
    town_id: int | None = None
    neighborhood_id: int | None = None
    promise_zone: bool = False
    language: str = ""
    # Report-specific settings (for example the pipeline's days before "stalled").
    options: dict = field(default_factory=dict, compare=False)

    @property
    def zone(self) -> str:
        return network_zone().key

    def filters(self) -> list[ColumnElement[bool]]:
        return who_and_where(
            coach_id=self.coach_id,
            town_id=self.town_id,
            neighborhood_id=self.neighborhood_id,
            promise_zone=self.promise_zone,
            language=self.language,
        )

    def provider_conditions(self) -> list[ColumnElement[bool]]:
        """Conditions on Provider (join it, or use `covers`)."""
        return [Provider.deleted_at.is_(None), *self.filters()]

    def provider_ids(self) -> Select:
        return select(Provider.id).where(*self.provider_conditions())

    def covers(self, provider_id_column) -> ColumnElement[bool]:
        """provider_id_column belongs to a provider in scope, without joining Provider.
        Unfiltered, that is every provider but the few deleted ones: leaving those out is
        much cheaper than matching every row against the whole network."""
        if not self.filters():
            deleted = select(Provider.id).where(Provider.deleted_at.is_not(None))
            return provider_id_column.not_in(deleted)
        return provider_id_column.in_(self.provider_ids())

    @property
    def last_day_so_far(self) -> date:
        """The period's last day, or today for a period still running."""
        return min(self.period.end, self.today)

    def moments(self) -> tuple[datetime, datetime]:
        """[start, end) in UTC-aware datetimes for timestamp columns."""
        zone = network_zone()
        start = datetime.combine(self.period.start, time(), zone)
        end = datetime.combine(self.period.end + timedelta(days=1), time(), zone)
        return start, end

    def during(self, timestamp_column) -> ColumnElement[bool]:
        start, end = self.moments()
        return (timestamp_column >= start) & (timestamp_column < end)

    def with_period(self, period: Period) -> "ReportScope":
        """The same filters over another range (the report card's previous period)."""
        return ReportScope(
            period=period,
            today=self.today,
            coach_id=self.coach_id,
            town_id=self.town_id,
            neighborhood_id=self.neighborhood_id,
            promise_zone=self.promise_zone,
            language=self.language,
            options=self.options,
        )
