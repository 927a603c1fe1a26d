"""A questionnaire file that no longer asks questions is not recorded without someone saying so."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest
from sqlmodel import select

from cli.main import main
from survey.core.models import QuestionnaireVersion
from survey.core.settings import PROJECT_ROOT, get_settings
from survey.questionnaire import Questionnaire, load_questionnaire
from survey.questionnaire_versions import (
    QuestionsRemoved,
    ensure_questionnaire_version,
    removed_questions,
)
from tests.support import app_test, recent_events

# Cutting the file here still leaves valid YAML, and a valid questionnaire without these.
CUT_AT = "  - id: your_words\n"
DROPPED = ["unsafe_place_text", "feel_safer_choices", "feel_safer_text", "would_like_help"]
DAY_ONE, DAY_TWO, DAY_THREE = date(2026, 3, 1), date(2026, 3, 2), date(2026, 3, 3)


def _cut_short(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert CUT_AT in text, "the questionnaire changed: pick another place to cut it"
    path.write_text(text[: text.index(CUT_AT)], encoding="utf-8")


@pytest.fixture
def short_file(tmp_path: Path) -> Path:
    path = tmp_path / "questionnaire.yaml"
    shutil.copy(PROJECT_ROOT / "data" / "questionnaire.yaml", path)
    _cut_short(path)
    return path


@pytest.fixture
def short(short_file: Path, definition) -> Questionnaire:
    return load_questionnaire(short_file, definition.dimensions)


def _versions(db) -> set[str]:
    return set(db.exec(select(QuestionnaireVersion.id)).all())


def test_questionnaire_versions_refuse_one_that_drops_questions(db, definition, short, short_file):
    ensure_questionnaire_version(db, definition.questionnaire, DAY_ONE)
    with pytest.raises(QuestionsRemoved) as refused:
        ensure_questionnaire_version(db, short, DAY_TWO, path=short_file)
    message = str(refused.value)
    assert message.startswith(f"{short_file}: ")
    assert ", ".join(DROPPED) in message and "--accept-removed-questions" in message
    assert refused.value.dropped == DROPPED
    assert _versions(db) == {definition.questionnaire.version}


def test_questionnaire_versions_record_it_when_accepted(db, definition, short):
    ensure_questionnaire_version(db, definition.questionnaire, DAY_ONE)
    ensure_questionnaire_version(db, short, DAY_TWO, accept_removed_questions=True)
    assert _versions(db) == {definition.questionnaire.version, short.version}
    event = recent_events(db, action="questionnaire.questions_removed")[0]
    assert event.target == short.version and event.detail["dropped"] == DROPPED
    # From now on the shorter one is the last version: going back to it again is fine...
    ensure_questionnaire_version(db, short, DAY_THREE)
    # ...and bringing the questions back drops nothing.
    assert removed_questions(db, definition.questionnaire) == ([], short.version)


def test_questionnaire_versions_adding_questions_needs_no_acceptance(db, definition, short):
    ensure_questionnaire_version(db, short, DAY_ONE)
    ensure_questionnaire_version(db, definition.questionnaire, DAY_TWO)
    assert _versions(db) == {definition.questionnaire.version, short.version}
    assert not recent_events(db, action="questionnaire.questions_removed")


def test_questionnaire_versions_same_day_compares_with_the_closest(db, definition, short):
    # Versions carry only a day: with two that day, the one it drops least from decides.
    ensure_questionnaire_version(db, definition.questionnaire, DAY_ONE)
    ensure_questionnaire_version(db, short, DAY_ONE, accept_removed_questions=True)
    assert removed_questions(db, short) == ([], short.version)


def test_questionnaire_versions_another_questionnaire_is_not_compared(db, definition, short):
    ensure_questionnaire_version(db, definition.questionnaire, DAY_ONE)
    other = Questionnaire("another-survey", "Another", "v1", short.sections, "another-survey-v1-x")
    ensure_questionnaire_version(db, other, DAY_TWO)
    assert "another-survey-v1-x" in _versions(db)


@pytest.fixture
def short_data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, app_database):
    """A copy of data/ whose questionnaire is cut short, in the settings; the test database."""
    data = tmp_path / "data"
    shutil.copytree(PROJECT_ROOT / "data", data)
    monkeypatch.setenv("YOUTHVOICE_DATA_DIR", str(data))
    get_settings.cache_clear()
    yield data
    get_settings.cache_clear()


def test_questionnaire_versions_prepare_refuses_then_accepts(
    short_data_dir: Path, db, definition, capsys
):
    assert main(["prepare", "--no-demo"]) == 0  # records the whole questionnaire
    _cut_short(short_data_dir / "questionnaire.yaml")
    assert main(["prepare", "--no-demo"]) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert str(short_data_dir / "questionnaire.yaml") in err and ", ".join(DROPPED) in err
    assert _versions(db) == {definition.questionnaire.version}
    assert main(["prepare", "--no-demo", "--accept-removed-questions"]) == 0
    assert len(_versions(db)) == 2


def test_questionnaire_versions_app_start_shows_the_refusal(short_data_dir: Path, db, definition):
    ensure_questionnaire_version(db, definition.questionnaire, DAY_ONE)
    _cut_short(short_data_dir / "questionnaire.yaml")
    at = app_test("app.py").run()
    assert len(at.error) == 1 and not at.exception
    message = at.code[0].value
    assert str(short_data_dir / "questionnaire.yaml") in message and ", ".join(DROPPED) in message
    assert _versions(db) == {definition.questionnaire.version}
