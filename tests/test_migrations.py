from __future__ import annotations

import uuid

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlmodel import SQLModel

from survey.core.database import alembic_config, make_engine, migrate
from tests.conftest import TEST_DATABASE_URL
from tests.support import schema_is_current, table_names

EXPECTED = {"questionnaire_version", "response", "answer", "app_user", "audit_event"}


def _check_from_empty(url: str) -> None:
    engine = make_engine(url)
    assert not schema_is_current(engine)
    migrate(engine)
    assert table_names(engine) >= EXPECTED
    assert schema_is_current(engine)
    with engine.connect() as conn:  # the migrations build exactly what the models describe
        assert compare_metadata(MigrationContext.configure(conn), SQLModel.metadata) == []
    migrate(engine)  # upgrading an up-to-date database changes nothing
    command.downgrade(alembic_config(engine), "base")
    assert table_names(engine) <= {"alembic_version"}
    engine.dispose()


def test_migrations_from_empty_on_sqlite(tmp_path):
    _check_from_empty(f"sqlite:///{tmp_path / 'empty.db'}")


def test_migrations_sqlite_uses_wal(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'wal.db'}")
    with engine.connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1


@pytest.mark.postgres
@pytest.mark.skipif(not TEST_DATABASE_URL, reason="TEST_DATABASE_URL is not set")
def test_migrations_from_empty_on_postgresql():
    server = make_url(TEST_DATABASE_URL)
    name = f"youthvoice_empty_{uuid.uuid4().hex[:8]}"
    admin = make_engine(TEST_DATABASE_URL)
    with admin.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        _check_from_empty(server.set(database=name).render_as_string(hide_password=False))
    finally:
        with admin.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
