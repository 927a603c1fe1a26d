from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from survey.core.data_files import DataFileError
from survey.core.dimensions import load_dimensions
from survey.core.settings import Settings
from survey.questionnaire import (
    PREFER_NOT_TO_SAY,
    QuestionType,
    is_shown,
    load_questionnaire,
)

SETTINGS = Settings()


def _load(path: Path):
    return load_questionnaire(path, load_dimensions(SETTINGS.dimensions_path))


def _write(tmp_path: Path, data: dict) -> Path:
    path = tmp_path / "questionnaire.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


def _shipped() -> dict:
    return yaml.safe_load(SETTINGS.questionnaire_path.read_text(encoding="utf-8"))


def test_questionnaire_v1_asks_what_the_survey_needs(definition):
    q = definition.questionnaire
    ids = {question.id for question in q.questions}
    assert {
        "age_band",
        "gender",
        "district",
        "safe_day",
        "safe_night",
        "unsafe_places",
        "place_name",
        "unsafe_times",
        "unsafe_because",
        "unsafe_place_text",
        "feel_safer_choices",
        "feel_safer_text",
    } <= ids
    ages = [c.value for c in q.question("age_band").choices]
    assert ages == ["10-13", "14-15", "16-17", "18-21", "22-25", PREFER_NOT_TO_SAY]
    districts = [c.value for c in q.question("district").choices]
    assert len(districts) == 13 + 2 and "Folkestone and Hythe" in districts
    places = [c.value for c in q.question("unsafe_places").choices]
    assert places[:9] == [p.id for p in definition.dimensions.place_types]
    assert places[-1] == "somewhere_else"
    assert q.question("safe_night").type == QuestionType.SCALE
    assert q.question("safe_night").options() == ["1", "2", "3", "4", "5", PREFER_NOT_TO_SAY]
    asks = [c.theme for c in q.question("feel_safer_choices").choices if c.theme]
    assert len(asks) == 8 and all(a.startswith("ask.") for a in asks)
    assert q.question("unsafe_place_text").tag_themes == "unsafe_place"


def test_questionnaire_version_is_a_content_hash(tmp_path, definition):
    same = _load(_write(tmp_path, _shipped()))
    assert same.version == definition.questionnaire.version
    changed = _shipped()
    changed["sections"][0]["questions"][0]["text"] = "What age are you?"
    assert _load(_write(tmp_path, changed)).version != definition.questionnaire.version


def test_questionnaire_skip_logic_shows_follow_up_only_after_yes(definition):
    place_name = definition.questionnaire.question("place_name")
    assert not is_shown(place_name, {})
    assert not is_shown(place_name, {"feels_unsafe_somewhere": "no"})
    assert is_shown(place_name, {"feels_unsafe_somewhere": "yes"})
    assert is_shown(place_name, {"feels_unsafe_somewhere": "not_sure"})


def _break(change):
    data = _shipped()
    change(data)
    return data


def _question(data: dict, qid: str) -> dict:
    return next(q for s in data["sections"] for q in s["questions"] if q["id"] == qid)


BAD_FILES = [
    (lambda d: _question(d, "safe_day").update(type="slider"), "question 'safe_day'", "type"),
    (lambda d: _question(d, "gender").pop("choices_from"), "question 'gender'", "choices"),
    (
        lambda d: _question(d, "gender").update(choices_from="planets"),
        "question 'gender'",
        "planets",
    ),
    (
        lambda d: _question(d, "place_name").update(show_if={"question": "wher", "in": ["yes"]}),
        "question 'place_name'",
        "'wher'",
    ),
    (
        lambda d: _question(d, "place_name").update(
            show_if={"question": "feels_unsafe_somewhere", "in": ["maybe"]}
        ),
        "question 'place_name'",
        "maybe",
    ),
    (
        lambda d: _question(d, "age_band").update(show_if={"question": "safe_day", "in": ["1"]}),
        "question 'age_band'",
        "earlier section",
    ),
    (lambda d: _question(d, "safe_night").update(id="safe_day"), "question 'safe_day'", "twice"),
    (lambda d: _question(d, "safe_day").pop("scale"), "question 'safe_day'", "scale"),
    (lambda d: _question(d, "safe_day").update(colour="red"), "question 'safe_day'", "colour"),
    (lambda d: d.pop("sections"), "sections", "required"),
]


@pytest.mark.parametrize(("change", "where", "problem"), BAD_FILES)
def test_questionnaire_bad_file_names_file_question_and_problem(tmp_path, change, where, problem):
    path = _write(tmp_path, _break(change))
    with pytest.raises(DataFileError) as caught:
        _load(path)
    message = str(caught.value)
    assert message.startswith(str(path))
    assert where in message
    assert problem in message


def test_questionnaire_unreadable_yaml_names_the_line(tmp_path):
    path = tmp_path / "questionnaire.yaml"
    path.write_text("id: x\nsections: [\n  - oops: {", encoding="utf-8")
    with pytest.raises(DataFileError, match=r"questionnaire.yaml: line \d+: not valid YAML"):
        _load(path)


def test_questionnaire_missing_file_is_named(tmp_path):
    with pytest.raises(DataFileError, match=r"nothing\.yaml: file not found"):
        _load(tmp_path / "nothing.yaml")
