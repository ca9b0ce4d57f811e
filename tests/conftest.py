"""Fixtures shared by the whole suite.

The app and its schema are created once per session; every test starts from
empty tables (rows are deleted after each test), so tests never share data.
SQLite by default; PostgreSQL when TEST_DATABASE_URL is set.
"""

import os
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

import pytest
from babel.messages.frontend import CommandLineInterface
from sqlalchemy import create_engine, make_url, text

from config import TestConfig, normalise_database_url
from fccnet import create_app
from fccnet.auth.models import Role
from fccnet.extensions import db, limiter
from fccnet.training import pdf
from tests import factories

TRANSLATIONS = Path(__file__).resolve().parent.parent / "fccnet" / "translations"


def ensure_postgres_database(url: str) -> None:
    """Create the test database if it does not exist (never drops one)."""
    target = make_url(url)
    engine = create_engine(target.set(database="postgres"), isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            exists = conn.scalar(
                text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": target.database}
            )
            if not exists:
                conn.execute(text(f'CREATE DATABASE "{target.database}"'))
    finally:
        engine.dispose()


@pytest.fixture(scope="session", autouse=True)
def compiled_translations():
    """The .mo files are built, not kept in git: compile them so pages show Spanish."""
    CommandLineInterface().run(["pybabel", "--quiet", "compile", "-d", str(TRANSLATIONS)])


@pytest.fixture(scope="session")
def database_url(tmp_path_factory) -> str:
    url = os.environ.get("TEST_DATABASE_URL", "").strip()
    if url:
        url = normalise_database_url(url)
        ensure_postgres_database(url)
        return url
    return f"sqlite:///{tmp_path_factory.mktemp('db') / 'fccnet-test.sqlite'}"


@pytest.fixture(scope="session")
def session_app(database_url):
    app = create_app(TestConfig, SQLALCHEMY_DATABASE_URI=database_url)
    with app.app_context():
        db.drop_all()
        db.create_all()
    yield app
    with app.app_context():
        db.drop_all()
        db.engine.dispose()


def delete_all_rows() -> None:
    with db.engine.begin() as conn:
        for table in reversed(db.metadata.sorted_tables):
            conn.execute(table.delete())


@pytest.fixture
def app(session_app):
    """The app, with empty tables; config changes a test makes are undone after it."""
    saved_config = dict(session_app.config)
    yield session_app
    session_app.config.clear()
    session_app.config.update(saved_config)
    with session_app.app_context():
        db.session.remove()
        delete_all_rows()
    limiter.reset()


@pytest.fixture
def make_app(app, database_url):
    """A separate app on the test database, for tests that add routes or change
    start-up configuration (the shared app cannot take new routes).

    Its connections are closed after the test: a pool left to the garbage collector
    would warn (ResourceWarning, an error here) in whichever later test it is collected.
    """
    made = []

    def make(config_class=TestConfig, **overrides):
        made.append(
            create_app(config_class, **{"SQLALCHEMY_DATABASE_URI": database_url, **overrides})
        )
        return made[-1]

    yield make
    for other in made:
        with other.app_context():
            db.session.remove()
            db.engine.dispose()


@pytest.fixture
def ctx(app):
    """An application context for tests that call services and queries directly."""
    with app.app_context():
        yield
        db.session.rollback()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def make_user(app):
    def make(**kwargs) -> factories.Principal:
        with app.app_context():
            return factories.create_user(**kwargs)

    return make


@pytest.fixture
def manager(make_user):
    return make_user(role=Role.MANAGER, name="Mona Manager")


@pytest.fixture
def coach(make_user):
    return make_user(role=Role.COACH, name="Carl Coach")


@pytest.fixture
def provider(make_user):
    return make_user(role=Role.PROVIDER, name="Paula Provider")


class AuthActions:
    """Sign a test client in through the real form, as a person would."""

    def __init__(self, client):
        self.client = client

    def sign_in(self, principal: factories.Principal, password: str | None = None, **kwargs):
        return self.client.post(
            "/sign-in",
            data={"email": principal.email, "password": password or principal.password},
            **kwargs,
        )

    def sign_out(self):
        return self.client.post("/sign-out")

    @contextmanager
    def signed_in(self, principal):
        self.sign_in(principal)
        yield
        self.sign_out()


@pytest.fixture
def auth(client):
    return AuthActions(client)


@pytest.fixture
def table_snapshot(app):
    """Every row of every table, to prove a refused request changed nothing."""

    def snapshot():
        with app.app_context(), db.engine.connect() as conn:
            return {
                table.name: sorted(map(tuple, conn.execute(table.select()).all()), key=repr)
                for table in db.metadata.sorted_tables
            }

    return snapshot


@pytest.fixture
def fixed_pdf_creation_date(monkeypatch):
    """Every PDF made in the test is dated the same (a PDF holds the moment it was made),
    so the same document made twice gives the same bytes."""

    def to_bytes(document):
        document.set_creation_date(datetime(2026, 7, 15, 12, tzinfo=UTC))
        return bytes(document.output())

    monkeypatch.setattr(pdf._Document, "to_bytes", to_bytes)
