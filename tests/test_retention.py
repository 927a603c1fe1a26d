from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func
from sqlmodel import select

from cli.main import main
from survey.audit import recent_events
from survey.models import Answer, Quote, Response, ResponseTheme, SafeguardingAlert
from survey.quotes import approve_quote
from survey.retention import delete_response, purge_free_text
from survey.users import AccessDenied, Role
from tests.support import new_session, send, staff


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
