"""The training report (being built)."""

from fccnet.reports.scope import ReportScope
from fccnet.reports.tables import Report


def build(scope: ReportScope) -> Report:
    raise NotImplementedError
