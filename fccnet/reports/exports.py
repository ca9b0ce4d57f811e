"""Lists with names as CSV rows, for managers (being built)."""

from datetime import date

from fccnet.providers.queries import ProviderFilters
from fccnet.reports.scope import ReportScope


def providers(filters: ProviderFilters, *, today: date) -> tuple[list[str], list[list]]:
    raise NotImplementedError


def contacts(scope: ReportScope) -> tuple[list[str], list[list]]:
    raise NotImplementedError


def credits(scope: ReportScope) -> tuple[list[str], list[list]]:
    raise NotImplementedError
