from __future__ import annotations

import json

import pytest

from cli.main import main
from nlp.tagger import load_tagger
from nlp.training import current_model_dir, model_dir_for
from survey.core.settings import Settings
from survey.participation.review import decide_theme, mark_reviewed
from survey.staff.users import Role
from tests.support import new_session, send, staff


def test_tag_command_adds_redacted_text_and_safeguarding(capsys):
    assert main(["tag", "Jayden Smith from year 9 keeps following me, i want to kill myself"]) == 0
    record = json.loads(capsys.readouterr().out)
    assert set(record) >= {"text", "themes", "redacted", "safeguarding"}
    assert record["redacted"].startswith("[NAME]") and "Jayden" not in record["redacted"]
    assert record["safeguarding"]["flagged"] is True
    for evidence in record["safeguarding"]["evidence"]:
        assert record["redacted"][evidence["start"] : evidence["end"]] == evidence["text"]


@pytest.mark.slow
def test_train_learns_from_reviewed_answers_and_the_app_loads_that_model(
    app_database, db, definition, tagger, tmp_path, capsys
):
    worker = staff(db, "wendy", Role.WORKER)
    session = new_session(db, worker, definition)
    rid = send(
        db,
        definition,
        {"unsafe_place_text": "the lads by the chippy"},
        "r",
        tagger=tagger,
        session_id=session.id,
    )
    decide_theme(
        db,
        worker,
        response_id=rid,
        question_id="unsafe_place_text",
        theme_id="place.high_street",
        present=True,
        codebook_version=tagger.codebook_version,
    )
    mark_reviewed(db, worker, rid, tagger.codebook_version)
    settings = Settings()
    models = tmp_path / "models"
    assert (
        main(
            [
                "train",
                "--models-dir",
                str(models),
                "--codebook",
                str(settings.codebook_path),
                "--training-dir",
                str(settings.training_dir),
            ]
        )
        == 0
    )
    assert "1 reviewed answers" in capsys.readouterr().out
    base = model_dir_for(settings.codebook_path, settings.training_dir, models)
    current = current_model_dir(models, base)
    assert current is not None and current != base
    meta = json.loads((current / "training.json").read_text())
    assert meta["extra_examples"] == 1
    loaded = load_tagger(settings.codebook_path, models, settings.training_dir)
    assert loaded.model_version == current.name.removeprefix("themes-")
