"""The backup and restore commands of docs/operations.md, run exactly as written (the blocks
marked `<!-- tested: NAME -->`), on a database filled through the domain functions: the
restored database has every row and the same answers as the one backed up."""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import sqlite3
import subprocess
import uuid
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlmodel import Session, SQLModel

import incidents.models  # noqa: F401  (the incident tables, so every table is compared)
from incidents.importing import import_files
from incidents.reading import files_from_paths
from incidents.vocabulary import vocabulary_from_settings
from survey.core.audit import record_event
from survey.core.database import make_engine, migrate
from survey.core.settings import PROJECT_ROOT, Settings
from survey.participation.quotes import approve_quote
from survey.staff.permissions import Role, StaffMember
from tests.conftest import TEST_DATABASE_URL
from tests.incidents.helpers import SAMPLE
from tests.support import FULL_ANSWERS, new_session, send, staff

OPERATIONS = PROJECT_ROOT / "docs" / "operations.md"


def documented(name: str) -> str:
    """The shell block the operations guide marks `<!-- tested: name -->`."""
    found = re.search(
        rf"<!-- tested: {re.escape(name)} -->\s*```bash\n(.*?)```", OPERATIONS.read_text(), re.S
    )
    assert found, f"docs/operations.md has no block marked 'tested: {name}'"
    return found.group(1)


def run_documented(name: str, cwd: Path, env: dict[str, str] | None = None) -> None:
    """Run the block as an operator would paste it, stopping at the first failing line."""
    done = subprocess.run(
        ["bash", "-euo", "pipefail", "-c", documented(name)],
        cwd=cwd,
        env={**os.environ, **(env or {})},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, f"{name} failed:\n{done.stdout}\n{done.stderr}"


def need(*tools: str) -> None:
    missing = [tool for tool in tools if shutil.which(tool) is None]
    if missing:
        pytest.skip(f"the documented commands need {', '.join(missing)}, which is not installed")


def fill(url: str, definition, tagger) -> None:
    """A migrated database with real data of every kind, through the app's domain functions."""
    engine = make_engine(url)
    migrate(engine)
    with Session(engine, expire_on_commit=False) as db:
        worker = staff(db, "wendy", Role.WORKER)
        session = new_session(db, worker, definition)
        first = send(db, definition, FULL_ANSWERS, "s1", tagger=tagger, session_id=session.id)
        send(
            db, definition, {"unsafe_place_text": "i want to kill myself"}, "s2", tagger=tagger,
            session_id=session.id, when="2026-03-02 11:05",
        )  # fmt: skip
        send(db, definition, {"feel_safer_text": "more youth clubs open late"}, "o1", tagger=tagger)
        approve_quote(db, worker, response_id=first, question_id="unsafe_place_text")
        record_event(db, action="backup.tested", actor="wendy", detail={"note": "before backup"})
        db.commit()
        import_files(
            db, StaffMember(0, "ana", "ana", Role.ANALYST), files_from_paths([SAMPLE]),
            vocabulary=vocabulary_from_settings(Settings()),
        )  # fmt: skip
    engine.dispose()


def old_database_with_a_stale_log(path: Path) -> None:
    """A database whose last writes are still only in its write-ahead log, as a crashed app
    leaves it; replayed onto a restored file, that log would bring the old rows back."""
    old = sqlite3.connect(path, isolation_level=None)
    old.execute("PRAGMA journal_mode=WAL")
    old.execute("PRAGMA wal_autocheckpoint=0")
    old.execute("CREATE TABLE answer (id, response_id, question_id, value)")
    old.execute("INSERT INTO answer VALUES (1, 1, 'unsafe_place_text', 'old words')")
    log = {name: Path(f"{path}{name}").read_bytes() for name in ("-wal", "-shm")}
    old.close()  # closing checkpoints and deletes the log: put it back as a crash leaves it
    for name, data in log.items():
        Path(f"{path}{name}").write_bytes(data)


def contents(url: str) -> dict[str, object]:
    """Row counts of every table, and a checksum of every answer's text."""
    engine = make_engine(url)
    with engine.connect() as conn:
        counts = {
            table.name: conn.execute(text(f'SELECT count(*) FROM "{table.name}"')).scalar_one()
            for table in SQLModel.metadata.sorted_tables
        }
        answers = conn.execute(
            text("SELECT response_id, question_id, value FROM answer ORDER BY id")
        ).all()
        version = conn.execute(text("SELECT version_num FROM alembic_version")).scalar_one()
    engine.dispose()
    digest = hashlib.sha256(repr([tuple(row) for row in answers]).encode()).hexdigest()
    return {"rows": counts, "answers": digest, "schema": version}


def test_sqlite_backup_while_the_app_writes_and_restore_as_documented(tmp_path, definition, tagger):
    need("sqlite3")
    live = tmp_path / "live"  # the project folder of the running app
    (live / "var").mkdir(parents=True)
    url = f"sqlite:///{live / 'var' / 'youthvoice.db'}"
    fill(url, definition, tagger)
    backed_up = contents(url)
    assert all(backed_up["rows"][t] for t in ("response", "answer", "response_theme", "quote"))
    assert all(backed_up["rows"][t] for t in ("app_user", "participation_session", "audit_event"))
    assert backed_up["rows"]["incident"] and backed_up["rows"]["safeguarding_alert"]

    # The app is writing: another connection holds an open write transaction meanwhile.
    writer = sqlite3.connect(live / "var" / "youthvoice.db", isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")
    writer.execute(
        "INSERT INTO audit_event (at, actor, action, detail) "
        "VALUES ('2026-03-02 12:00:00', 'app', 'still.writing', '{}')"
    )
    try:
        run_documented("sqlite-backup", cwd=live)
    finally:
        writer.execute("COMMIT")
        writer.close()
    assert contents(url)["rows"]["audit_event"] == backed_up["rows"]["audit_event"] + 1

    # Restore on another machine's project folder, where an old database and its stale
    # write-ahead log are in the way.
    other = tmp_path / "restored"
    (other / "var").mkdir(parents=True)
    shutil.copy(live / "backup.db", other / "backup.db")
    old_database_with_a_stale_log(other / "var" / "youthvoice.db")
    run_documented("sqlite-restore", cwd=other)
    assert contents(f"sqlite:///{other / 'var' / 'youthvoice.db'}") == backed_up


@pytest.mark.postgres
@pytest.mark.skipif(not TEST_DATABASE_URL, reason="TEST_DATABASE_URL is not set")
def test_postgresql_backup_and_restore_into_a_fresh_database_as_documented(
    tmp_path, definition, tagger
):
    need("pg_dump", "pg_restore", "createdb")
    server = make_url(TEST_DATABASE_URL)
    live, fresh = (f"youthvoice_{kind}_{uuid.uuid4().hex[:8]}" for kind in ("live", "restored"))
    admin = make_engine(TEST_DATABASE_URL)
    with admin.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text(f'CREATE DATABASE "{live}"'))
    libpq = {  # how an operator's shell names the server, as the guide says
        "PGHOST": server.host or "localhost",
        "PGPORT": str(server.port or 5432),
        "PGUSER": server.username or "postgres",
        "PGDATABASE": live,
        "NEW_DATABASE": fresh,
    }
    if server.password:
        libpq["PGPASSWORD"] = str(server.password)
    try:
        live_url = server.set(database=live).render_as_string(hide_password=False)
        fill(live_url, definition, tagger)
        backed_up = contents(live_url)
        assert backed_up["rows"]["answer"] and backed_up["rows"]["incident"]

        run_documented("postgresql-backup", cwd=tmp_path, env=libpq)
        run_documented("postgresql-restore", cwd=tmp_path, env=libpq)
        restored = contents(server.set(database=fresh).render_as_string(hide_password=False))
        assert restored == backed_up
    finally:
        with admin.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            for name in (live, fresh):
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
