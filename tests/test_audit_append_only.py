"""The audit log is append-only at the database, for the app's own connection too; and the
retention procedure of docs/operations.md ("Audit log retention"), run exactly as written,
removes old events only and leaves the triggers as the migration made them."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import delete, text, update
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import DBAPIError
from sqlmodel import Session, col, select

from survey.core.audit import record_event
from survey.core.database import make_engine, migrate
from survey.core.models import AuditEvent
from tests.conftest import TEST_DATABASE_URL
from tests.test_backups import need, run_documented

NOW = datetime.now(UTC)
SEVEN_YEARS_AGO = NOW - timedelta(days=7 * 365 + 2)
FIVE_YEARS_AGO = NOW - timedelta(days=5 * 365)
REFUSED = "append-only"


def _add(engine: Engine, action: str, at: datetime | None = None) -> int:
    with Session(engine) as db:
        event = record_event(db, action=action, actor="wendy", detail={"n": 1}, at=at)
        db.commit()
        assert event.id is not None
        return event.id


def _actions(engine: Engine) -> list[str]:
    with Session(engine) as db:
        return sorted(db.exec(select(AuditEvent.action)).all())


def _refused(engine: Engine, statement: str) -> None:
    with pytest.raises(DBAPIError, match=REFUSED), engine.begin() as conn:
        conn.execute(text(statement))


def test_audit_log_app_adds_events_but_cannot_change_or_remove_them(db, engine):
    first = _add(engine, "sign_in")
    event = db.get(AuditEvent, first)
    assert event is not None and event.actor == "wendy"

    event.actor = "someone else"  # through the ORM, as a page's code would
    with pytest.raises(DBAPIError, match=REFUSED):
        db.commit()
    db.rollback()
    with pytest.raises(DBAPIError, match=REFUSED):
        db.exec(update(AuditEvent).values(actor="x"))
    db.rollback()
    db.delete(db.get(AuditEvent, first))
    with pytest.raises(DBAPIError, match=REFUSED):
        db.commit()
    db.rollback()
    with pytest.raises(DBAPIError, match=REFUSED):
        db.exec(delete(AuditEvent).where(col(AuditEvent.id) == first))
    db.rollback()
    _refused(engine, "UPDATE audit_event SET detail = '{}'")
    _refused(engine, "DELETE FROM audit_event")

    second = _add(engine, "sign_out")  # adding still works after the refusals
    db.expire_all()
    stored = db.exec(select(AuditEvent).order_by(col(AuditEvent.id))).all()
    assert [(e.id, e.actor, e.action) for e in stored] == [
        (first, "wendy", "sign_in"),
        (second, "wendy", "sign_out"),
    ]


@pytest.mark.postgres
def test_audit_log_postgresql_refuses_truncate(postgres_url):
    engine = make_engine(postgres_url)
    try:
        _add(engine, "sign_in")
        _refused(engine, "TRUNCATE audit_event")
        _refused(engine, "TRUNCATE audit_event CASCADE")
        assert "sign_in" in _actions(engine)
    finally:
        engine.dispose()


def _old_and_new_events(engine: Engine) -> None:
    _add(engine, "old.one", SEVEN_YEARS_AGO)
    _add(engine, "old.two", SEVEN_YEARS_AGO + timedelta(days=1))
    _add(engine, "kept.five_years", FIVE_YEARS_AGO)
    _add(engine, "kept.today")


def _removal_noted(engine: Engine, events: int) -> None:
    with Session(engine) as db:
        noted = db.exec(
            select(AuditEvent).where(AuditEvent.action == "audit.retention_removed")
        ).one()
    assert noted.detail == {"events": events, "older_than": "6 years"}
    assert noted.actor


KEPT = ["audit.retention_removed", "kept.five_years", "kept.today"]


def _sqlite_triggers(engine: Engine) -> list[tuple[str, str]]:
    with engine.connect() as conn:
        rows = conn.execute(
            text("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' ORDER BY name")
        ).all()
    return [(name, sql) for name, sql in rows]


def test_audit_log_retention_on_sqlite_as_documented(tmp_path: Path):
    need("sqlite3")
    (tmp_path / "var").mkdir()  # the project folder of the running app
    engine = make_engine(f"sqlite:///{tmp_path / 'var' / 'youthvoice.db'}")
    try:
        migrate(engine)
        made_by_migration = _sqlite_triggers(engine)
        assert [name for name, _ in made_by_migration] == [
            "audit_event_no_delete",
            "audit_event_no_update",
        ]
        _old_and_new_events(engine)

        run_documented("audit-retention-sqlite", cwd=tmp_path)

        assert _actions(engine) == KEPT
        _removal_noted(engine, 2)
        assert _sqlite_triggers(engine) == made_by_migration  # back, word for word
        _refused(engine, "UPDATE audit_event SET actor = 'x'")
        _refused(engine, "DELETE FROM audit_event")
    finally:
        engine.dispose()


@pytest.fixture
def fresh_postgres() -> Iterator[tuple[str, dict[str, str]]]:
    """A new migrated PostgreSQL database (the guide's statements change its owners), with
    the libpq variables an operator's shell would have for it; dropped afterwards."""
    if not TEST_DATABASE_URL:
        pytest.skip("TEST_DATABASE_URL is not set")
    server = make_url(TEST_DATABASE_URL)
    name = f"youthvoice_audit_{uuid.uuid4().hex[:8]}"
    admin = make_engine(TEST_DATABASE_URL)
    with admin.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = server.set(database=name).render_as_string(hide_password=False)
    engine = make_engine(url)
    migrate(engine)
    engine.dispose()
    libpq = {
        "PGHOST": server.host or "localhost",
        "PGPORT": str(server.port or 5432),
        "PGUSER": server.username or "postgres",
        "PGDATABASE": name,
    }
    if server.password:
        libpq["PGPASSWORD"] = str(server.password)
    try:
        yield url, libpq
    finally:
        with admin.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def _postgres_triggers(engine: Engine) -> dict[str, str]:
    with engine.connect() as conn:
        rows = conn.execute(
            text(
                "SELECT tgname, tgenabled FROM pg_trigger "
                "WHERE tgrelid = 'audit_event'::regclass AND NOT tgisinternal"
            )
        ).all()
    return {name: enabled for name, enabled in rows}


ENABLED = {"audit_event_append_only": "O", "audit_event_no_truncate": "O"}


@pytest.mark.postgres
def test_audit_log_retention_on_postgresql_as_documented(fresh_postgres, tmp_path):
    need("psql")
    url, libpq = fresh_postgres
    engine = make_engine(url)
    try:
        assert _postgres_triggers(engine) == ENABLED
        _old_and_new_events(engine)

        run_documented("audit-retention-postgresql", cwd=tmp_path, env=libpq)

        assert _actions(engine) == KEPT
        _removal_noted(engine, 2)
        assert _postgres_triggers(engine) == ENABLED
        _refused(engine, "UPDATE audit_event SET actor = 'x'")
        _refused(engine, "DELETE FROM audit_event")
    finally:
        engine.dispose()


@pytest.mark.postgres
def test_audit_log_owned_by_another_role_the_app_cannot_lift_the_trigger(fresh_postgres, tmp_path):
    need("psql", "createuser")
    url, libpq = fresh_postgres
    tag = uuid.uuid4().hex[:8]
    roles = {"AUDIT_OWNER": f"yv_audit_{tag}", "APP_ROLE": f"yv_app_{tag}"}
    owner_engine = make_engine(url)
    app_url = make_url(url).set(username=roles["APP_ROLE"], password=None)
    app = make_engine(app_url.render_as_string(hide_password=False))
    try:
        with owner_engine.begin() as conn:  # the app's login, as a deployment already has it
            conn.execute(text(f'CREATE ROLE "{roles["APP_ROLE"]}" LOGIN'))
        run_documented("audit-owner-role", cwd=tmp_path, env={**libpq, **roles})
        run_documented("audit-owner", cwd=tmp_path, env={**libpq, **roles})

        _old_and_new_events(app)  # the app still adds events, and reads them
        assert len(_actions(app)) == 4
        for statement in (
            "UPDATE audit_event SET actor = 'x'",
            "DELETE FROM audit_event",
            "TRUNCATE audit_event",
            "ALTER TABLE audit_event DISABLE TRIGGER audit_event_append_only",
            "DROP TRIGGER audit_event_append_only ON audit_event",
            "CREATE OR REPLACE FUNCTION audit_event_append_only() RETURNS trigger AS "
            "$$ BEGIN RETURN NULL; END; $$ LANGUAGE plpgsql",
            f'ALTER TABLE audit_event OWNER TO "{roles["APP_ROLE"]}"',
        ):
            with (
                pytest.raises(DBAPIError, match=r"permission denied|must be owner"),
                app.begin() as c,
            ):
                c.execute(text(statement))
        assert _postgres_triggers(owner_engine) == ENABLED

        # The database administrator's yearly removal still works with the new owner.
        run_documented("audit-retention-postgresql", cwd=tmp_path, env=libpq)
        assert _actions(app) == KEPT
        assert _postgres_triggers(owner_engine) == ENABLED
    finally:
        app.dispose()
        owner_engine.dispose()
        admin = make_engine(TEST_DATABASE_URL or url)
        with admin.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{libpq["PGDATABASE"]}" WITH (FORCE)'))
            for role in roles.values():
                conn.execute(text(f'DROP ROLE IF EXISTS "{role}"'))
        admin.dispose()
