"""The optional last question, "Is something happening to you that you'd like help with?":
data in the questionnaire, its `asks_for_help_when` choice checked on load, and a yes puts
the response in the check queue with no free text, still anonymous."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
import yaml
from sqlmodel import select

from survey.core.data_files import DataFileError
from survey.core.models import Response, SafeguardingAlert
from survey.core.settings import Settings
from survey.demo import generate_demo_answers
from survey.questionnaire import QuestionType, load_questionnaire
from survey.safeguarding.alerts import ASKED_FOR_HELP, CHECK
from tests.support import send

QUESTION = "would_like_help"


def _with_question(tmp_path: Path, definition, **changes) -> Path:
    data = yaml.safe_load(Settings().questionnaire_path.read_text(encoding="utf-8"))
    question = next(q for s in data["sections"] for q in s["questions"] if q["id"] == QUESTION)
    question.update(changes)
    path = tmp_path / "questionnaire.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


def test_asking_for_help_is_the_optional_last_question(definition):
    questionnaire = definition.questionnaire
    question = questionnaire.questions[-1]
    assert question.id == QUESTION and question.type == QuestionType.SINGLE_CHOICE
    assert question.text == "Is something happening to you that you'd like help with?"
    assert [c.label for c in question.choices] == ["Yes", "No", "I'd rather not say"]
    assert question.asks_for_help_when == "yes"
    assert questionnaire.asks_for_help({QUESTION: "yes"})
    assert not questionnaire.asks_for_help({QUESTION: "no"})
    assert not questionnaire.asks_for_help({QUESTION: "prefer_not_to_say"})
    assert not questionnaire.asks_for_help({})


def test_asking_for_help_choice_must_be_one_of_the_questions_choices(tmp_path, definition):
    path = _with_question(tmp_path, definition, asks_for_help_when="yess")
    with pytest.raises(DataFileError) as refused:
        load_questionnaire(path, definition.dimensions)
    assert str(refused.value).startswith(
        f"{path}: section 'feeling_safer' > question '{QUESTION}': "
        "asks_for_help_when 'yess' is not one of its choices (yes, no, prefer_not_to_say)"
    )


def test_asking_for_help_only_on_a_single_choice_question(tmp_path, definition):
    path = _with_question(tmp_path, definition, type="multi_choice")
    with pytest.raises(DataFileError, match="only single_choice questions can have"):
        load_questionnaire(path, definition.dimensions)


def test_asking_for_help_yes_raises_a_check_with_no_free_text(db, definition):
    result_id = send(db, definition, {QUESTION: "yes", "district": "Medway"}, "help")
    alert = db.exec(select(SafeguardingAlert)).one()
    assert alert.response_id == result_id and alert.band == CHECK
    assert alert.categories == [ASKED_FOR_HELP] and alert.evidence == []
    response = db.get(Response, result_id)
    assert response.district == "Medway" and response.session_id is None  # nothing else


@pytest.mark.parametrize("answer", ["no", "prefer_not_to_say", None])
def test_asking_for_help_no_or_skipped_raises_nothing(db, definition, answer):
    send(db, definition, {QUESTION: answer} if answer else {"safe_day": "4"}, "fine")
    assert db.exec(select(SafeguardingAlert)).all() == []


def test_asking_for_help_yes_and_a_disclosure_is_one_alert_in_the_alert_band(db, definition):
    from survey.responses import submit_response
    from tests.support import at

    result = submit_response(
        db=db,
        questionnaire=definition.questionnaire,
        dimensions=definition.dimensions,
        answers={QUESTION: "yes", "unsafe_place_text": "my dad hits me and im scared"},
        submission_id="both",
        now=at("2026-03-02 11:00"),
    )
    alert = db.exec(select(SafeguardingAlert)).one()
    assert result.band == alert.band == "alert" and result.needs_help
    assert ASKED_FOR_HELP in alert.categories


def test_asking_for_help_demo_answers_never_ask(definition):
    rng = random.Random(7)
    for _ in range(200):
        answers = generate_demo_answers(definition.questionnaire, definition.dimensions, {}, rng)
        assert QUESTION not in answers
