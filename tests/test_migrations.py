"""Migrations build the models' schema from empty, and come back down, on both databases."""

import flask_migrate
import pytest
from sqlalchemy import create_engine, inspect, make_url, text

from config import TestConfig
from fccnet import create_app
from fccnet.extensions import db


@pytest.fixture
def empty_database_url(database_url, tmp_path):
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite":
        yield f"sqlite:///{tmp_path / 'migrations.sqlite'}"
        return
    # A database of our own, created and dropped by this test only.
    name = f"{url.database}_migrations"
    admin = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    yield url.set(database=name).render_as_string(hide_password=False)
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def test_upgrade_to_head_matches_the_models_and_downgrades_to_base(empty_database_url):
    app = create_app(TestConfig, SQLALCHEMY_DATABASE_URI=empty_database_url)
    with app.app_context():
        flask_migrate.upgrade()
        tables = set(inspect(db.engine).get_table_names())
        assert set(db.metadata.tables) <= tables
        flask_migrate.check()  # `flask db check`: raises if the models differ from the schema
        flask_migrate.downgrade(revision="base")
        assert set(inspect(db.engine).get_table_names()) <= {"alembic_version"}
        db.engine.dispose()
