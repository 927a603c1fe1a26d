from __future__ import annotations

import pytest
from sqlalchemy import func, inspect, text
from sqlmodel import Session, select

from survey.answers import AnswerError
from survey.core.models import Answer, QuestionnaireVersion, Response
from survey.responses import SubmitFailed, submit_response
from tests.support import FULL_ANSWERS, at, stored_answers


def _submit(db, definition, answers=FULL_ANSWERS, submission_id="sub-1", when="2026-03-14 16:42"):
    return submit_response(
        db=db,
        questionnaire=definition.questionnaire,
        dimensions=definition.dimensions,
        answers=answers,
        submission_id=submission_id,
        now=at(when),
    )


def _count(db, table) -> int:
    return db.exec(select(func.count()).select_from(table)).one()


def test_responses_submit_stores_response_and_answers(db, definition):
    result = _submit(db, definition)
    assert not result.already_stored
    response = db.get(Response, result.response_id)
    assert response.questionnaire_version_id == definition.questionnaire.version
    assert response.district == "Thanet" and response.age_band == "14-15"
    assert response.source == "online"
    assert stored_answers(db, definition.questionnaire, result.response_id) == FULL_ANSWERS
    version = db.get(QuestionnaireVersion, definition.questionnaire.version)
    assert version.definition["sections"][0]["id"] == "about_you"


def test_responses_store_date_and_time_band_never_the_time(db, definition, engine):
    result = _submit(db, definition, when="2026-03-14 16:42")
    response = db.get(Response, result.response_id)
    assert str(response.submitted_on) == "2026-03-14"
    assert response.time_band == "after_school"
    columns = {c["name"] for c in inspect(engine).get_columns("response")}
    assert columns.isdisjoint({"ip", "ip_address", "user_agent", "cookie", "user_id", "created_at"})
    assert not [c for c in columns if "time" in c and c != "time_band"]


def test_responses_double_submit_stores_once(db, definition):
    first = _submit(db, definition)
    second = _submit(db, definition)
    assert second.already_stored and second.response_id == first.response_id
    assert _count(db, Response) == 1
    assert _count(db, Answer) == sum(
        len(v) if isinstance(v, list) else 1 for v in FULL_ANSWERS.values()
    )


def test_responses_same_submission_from_two_sessions_stores_once(engine, definition):
    with Session(engine) as one, Session(engine) as two:
        first = _submit(one, definition, submission_id="same")
        second = _submit(two, definition, submission_id="same")
    assert second.response_id == first.response_id
    with Session(engine) as db:
        assert _count(db, Response) == 1


def test_responses_bad_answers_store_nothing(db, definition):
    with pytest.raises(AnswerError):
        _submit(db, definition, answers={**FULL_ANSWERS, "age_band": "99"})
    assert _count(db, Response) == 0 and _count(db, Answer) == 0


def test_responses_database_failure_stores_nothing(db, definition, engine):
    # A real failure half-way: the response row inserts, the answers cannot.
    with engine.begin() as conn:
        conn.execute(text("ALTER TABLE answer RENAME TO answer_away"))
    try:
        with pytest.raises(SubmitFailed, match="couldn't save that"):
            _submit(db, definition)
        assert _count(db, Response) == 0
    finally:
        with engine.begin() as conn:
            conn.execute(text("ALTER TABLE answer_away RENAME TO answer"))
    assert not _submit(db, definition).already_stored  # and the same answers can be sent again


def test_responses_submit_works_again_after_a_failure(db, definition):
    with pytest.raises(AnswerError):
        _submit(db, definition, answers={"safe_day": "11"})
    assert not _submit(db, definition).already_stored


def test_responses_html_and_emoji_are_stored_as_plain_text(db, definition):
    answers = {"unsafe_place_text": "<img src=x onerror=alert(1)> scary 😬 \u200b"}
    result = _submit(db, definition, answers=answers)
    stored = stored_answers(db, definition.questionnaire, result.response_id)
    assert stored["unsafe_place_text"] == "<img src=x onerror=alert(1)> scary 😬"


@pytest.mark.parametrize("bad_id", ["", "x" * 65])
def test_responses_need_a_submission_id(db, definition, bad_id):
    with pytest.raises(ValueError, match="submission id"):
        _submit(db, definition, submission_id=bad_id)
