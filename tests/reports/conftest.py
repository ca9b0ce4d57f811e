"""Helpers the report tests share: building a report as a reader would, and counting the
queries it runs."""

from contextlib import contextmanager

import pytest
from sqlalchemy import event

from fccnet.extensions import db


@pytest.fixture
def in_request(app):
    """A request context in the given language, for calling a report's build() directly."""

    @contextmanager
    def context(language: str = "en"):
        with app.test_request_context(headers={"Accept-Language": language}):
            yield

    return context


@contextmanager
def counting_queries():
    """Counts the SQL statements run inside the block: `with counting_queries() as count:`,
    then `count()`."""
    executed = []

    def record(*_args):
        executed.append(1)

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        yield lambda: len(executed)
    finally:
        event.remove(db.engine, "before_cursor_execute", record)
