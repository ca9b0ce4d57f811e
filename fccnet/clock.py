"""The network's own time zone: dates people see and type are local to it."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

from flask import current_app


def network_zone() -> ZoneInfo:
    return ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])


def local_today() -> date:
    return datetime.now(network_zone()).date()


def local_date(moment: datetime) -> date:
    return moment.astimezone(network_zone()).date()
