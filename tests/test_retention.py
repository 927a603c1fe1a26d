from __future__ import annotations

from datetime import date

import pytest
from pydantic import ValidationError
from sqlalchemy import event, func, text
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from cli.main import main
from survey.core.database import make_engine, migrate
from survey.core.models import Answer, Quote, Response, ResponseTheme, SafeguardingAlert
from survey.core.settings import Settings, get_settings
from survey.participation.quotes import approve_quote
from survey.privacy.retention import delete_response, purge_free_text
from survey.staff.users import AccessDenied, Role
from tests.support import new_session, recent_events, send, staff


def _count(db, table, *where) -> int:
    return db.exec(select(func.count()).select_from(table).where(*where)).one()


def test_retention_purge_removes_old_free_text_and_keeps_themes(db, definition, tagger):
    worker = staff(db, "wendy", Role.WORKER)
    session = new_session(db, worker, definition)
    old = send(
        db,
        definition,
        {"age_band": "14-15", "unsafe_place_text": "dark alley by the station"},
        "old",
        tagger=tagger,
        session_id=session.id,
        source="paper",
        when="2023-01-10 10:00",
    )
    new = send(
        db,
        definition,
        {"unsafe_place_text": "dark alley"},
        "new",
        tagger=tagger,
        when="2026-01-10 10:00",
    )
    approve_quote(db, worker, response_id=old, question_id="unsafe_place_text")
    plan = purge_free_text(
        db, definition.questionnaire, months=24, today=date(2026, 2, 1), dry_run=True, actor="test"
    )
    assert (plan.responses, plan.answers, plan.quotes) == (1, 1, 1)
    assert _count(db, Answer, Answer.response_id == old) == 2  # dry run changed nothing
    purge_free_text(
        db, definition.questionnaire, months=24, today=date(2026, 2, 1), dry_run=False, actor="test"
    )
    assert db.exec(select(Answer.question_id).where(Answer.response_id == old)).all() == [
        "age_band"
    ]
    assert _count(db, Quote) == 0
    themes = db.exec(select(ResponseTheme).where(ResponseTheme.response_id == old)).all()
    assert themes and all(t.evidence == [] for t in themes)  # the words go, the themes stay
    assert _count(db, Answer, Answer.response_id == new) == 1
    assert recent_events(db, action="retention.purged")


def test_retention_purge_command_dry_run_prints_and_changes_nothing(
    app_database, db, definition, capsys
):
    send(db, definition, {"unsafe_place_text": "old words"}, "o", when="2020-01-01 10:00")
    assert main(["purge", "--dry-run"]) == 0
    assert "Would remove 1 free-text answers from 1 responses" in capsys.readouterr().out
    assert _count(db, Answer) == 1
    assert main(["purge"]) == 0
    assert _count(db, Answer) == 0


def test_retention_admin_deletes_one_response_with_an_audit_entry(db, definition):
    admin, worker = staff(db, "ada", Role.ADMIN), staff(db, "wendy", Role.WORKER)
    rid = send(db, definition, {"unsafe_place_text": "i want to kill myself"}, "bad")
    with pytest.raises(AccessDenied):
        delete_response(db, worker, rid, "spam")
    with pytest.raises(ValueError, match="reason"):
        delete_response(db, admin, rid, " ")
    delete_response(db, admin, rid, "malicious")
    assert _count(db, Response) == 0 and _count(db, Answer) == 0
    assert _count(db, SafeguardingAlert) == 0
    event = recent_events(db, action="response.deleted")[0]
    assert event.actor == "ada" and event.detail == {"reason": "malicious"}


@pytest.mark.parametrize("months", [0, -1])
def test_retention_purge_refuses_a_period_under_a_month(
    app_database, db, definition, capsys, months
):
    send(db, definition, {"unsafe_place_text": "old words"}, "o", when="2020-01-01 10:00")
    send(db, definition, {"unsafe_place_text": "new words"}, "n", when="2026-11-30 10:00")
    with pytest.raises(ValueError, match="at least 1 month"):
        purge_free_text(
            db, definition.questionnaire, months=months, today=date(2026, 12, 1), dry_run=False,
            actor="test",
        )  # fmt: skip
    assert main(["purge", "--months", str(months)]) == 2
    assert "at least 1 month" in capsys.readouterr().err
    assert _count(db, Answer) == 2  # nothing removed, not even the old text


def test_retention_setting_must_be_at_least_a_month(monkeypatch):
    monkeypatch.setenv("YOUTHVOICE_RETENTION_FREE_TEXT_MONTHS", "0")
    with pytest.raises(ValidationError, match="retention_free_text_months"):
        Settings()


# A word the redaction leaves alone, so its bytes can be looked for in the database files.
MARKER = "xylophonists"


@pytest.mark.parametrize("secure_delete", ["on", "off"])
def test_retention_purge_leaves_no_trace_in_the_sqlite_files(
    tmp_path, monkeypatch, definition, tagger, secure_delete
):
    # Whether SQLite zeroes deleted rows is a build option (on in Debian's, off in others):
    # every connection of this test gets the setting, so the purge must work with both.
    def set_secure_delete(dbapi_connection, _record) -> None:
        dbapi_connection.execute(f"PRAGMA secure_delete = {secure_delete}")

    event.listen(Engine, "connect", set_secure_delete)
    try:
        _purge_and_look_for_the_text(tmp_path, monkeypatch, definition, tagger)
    finally:
        event.remove(Engine, "connect", set_secure_delete)


def _purge_and_look_for_the_text(tmp_path, monkeypatch, definition, tagger) -> None:
    database = tmp_path / "youthvoice.db"
    url = f"sqlite:///{database}"
    engine = make_engine(url)
    migrate(engine)
    with Session(engine, expire_on_commit=False) as db:
        worker = staff(db, "wendy", Role.WORKER)
        session = new_session(db, worker, definition)
        old = send(
            db, definition, {"unsafe_place_text": f"the {MARKER} in the dark alley shout at us"},
            "old", tagger=tagger, session_id=session.id, when="2020-01-10 10:00",
        )  # fmt: skip
        approve_quote(db, worker, response_id=old, question_id="unsafe_place_text")
    engine.dispose()  # no connection of ours keeps a snapshot the checkpoint must wait for
    files = [database, database.with_name(database.name + "-wal")]
    assert any(MARKER.encode() in f.read_bytes() for f in files if f.exists())  # it was there

    monkeypatch.setenv("DATABASE_URL", url)
    get_settings.cache_clear()
    try:
        assert main(["purge"]) == 0
    finally:
        get_settings.cache_clear()

    for file in files:
        # Without the checkpoint the old pages are still in the file; without the VACUUM
        # (and no secure_delete) the deleted rows' bytes are still in their pages.
        if file.exists():
            assert MARKER.encode() not in file.read_bytes(), file.name
    engine = make_engine(url)
    with Session(engine) as db:
        assert _count(db, Answer) == 0 and _count(db, Quote) == 0
    engine.dispose()


PURGED_TABLES = ("answer", "quote", "response_theme", "safeguarding_alert")


def _vacuums(url: str, table: str) -> int:
    engine = make_engine(url)  # a new connection, so the statistics are read afresh
    with engine.connect() as conn:
        count = conn.execute(
            text("SELECT vacuum_count FROM pg_stat_user_tables WHERE relname = :t"), {"t": table}
        ).scalar_one()
    engine.dispose()
    return int(count)


@pytest.mark.postgres
def test_retention_purge_vacuums_the_changed_tables_on_postgresql(
    postgres_url, monkeypatch, definition
):
    engine = make_engine(postgres_url)
    with Session(engine, expire_on_commit=False) as db:
        send(
            db, definition, {"unsafe_place_text": "old words"}, "vacuumed", when="2020-01-10 10:00"
        )
    engine.dispose()
    before = {t: _vacuums(postgres_url, t) for t in PURGED_TABLES}
    monkeypatch.setenv("DATABASE_URL", postgres_url)
    get_settings.cache_clear()
    try:
        assert main(["purge"]) == 0
    finally:
        get_settings.cache_clear()
    after = {t: _vacuums(postgres_url, t) for t in PURGED_TABLES}
    assert all(after[t] == before[t] + 1 for t in PURGED_TABLES), (before, after)
