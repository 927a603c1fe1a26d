from __future__ import annotations

import contextlib

from sqlalchemy import func, update
from sqlmodel import col, select

from survey.core.models import Response, ResponseTheme
from survey.responses import submit_response
from survey.retagging import responses_to_retag, retag_responses
from tests.support import FULL_ANSWERS, at, stored_answers, themes_of_response


def _submit(db, definition, answers, sid="s1", tagger=None):
    return submit_response(
        db=db,
        questionnaire=definition.questionnaire,
        dimensions=definition.dimensions,
        answers=answers,
        submission_id=sid,
        now=at("2026-03-01 16:00"),
        tagger=tagger,
    ).response_id


def test_themes_are_stored_on_submit_with_evidence_and_versions(db, definition, tagger):
    response_id = _submit(db, definition, FULL_ANSWERS, tagger=tagger)
    themes = themes_of_response(db, response_id)
    by_theme = {(t.question_id, t.theme_id): t for t in themes}
    assert ("unsafe_place_text", "place.transport_hub") in by_theme
    assert ("unsafe_place_text", "time.night") in by_theme
    assert ("feel_safer_text", "ask.transport") in by_theme
    stored = stored_answers(db, definition.questionnaire, response_id)
    # Ticked choices linked to themes are stored too, as the young person's own.
    ticked = {(t.question_id, t.theme_id) for t in themes if t.source == "choice"}
    assert ticked == {
        ("unsafe_places", "place.transport_hub"),
        ("unsafe_places", "place.park"),
        ("unsafe_because", "people.groups_of_men"),
        ("unsafe_because", "behaviour.verbal_harassment"),
        ("feel_safer_choices", "ask.lighting_cctv"),
        ("feel_safer_choices", "ask.transport"),
    }
    for theme in [t for t in themes if t.source != "choice"]:
        assert theme.codebook_version == tagger.codebook_version
        assert theme.model_version == tagger.model_version
        for evidence in theme.evidence:  # offsets point into the text as stored
            text = stored[theme.question_id]
            assert text[evidence["start"] : evidence["end"]] == evidence["text"]
    response = db.get(Response, response_id)
    assert response.themes_codebook_version == tagger.codebook_version


def test_themes_are_tagged_on_the_redacted_text(db, definition, tagger):
    answers = {"unsafe_place_text": "Jayden Smith follows me home from the bus station"}
    response_id = _submit(db, definition, answers, tagger=tagger)
    stored = stored_answers(db, definition.questionnaire, response_id)["unsafe_place_text"]
    assert "Jayden" not in stored and stored.startswith("[NAME]")
    for theme in themes_of_response(db, response_id):
        for evidence in theme.evidence:
            assert "Jayden" not in evidence["text"]


def test_themes_untagged_responses_are_tagged_by_retag(db, definition, tagger):
    first = _submit(db, definition, {"unsafe_place_text": "the underpass is pitch black"}, "a")
    _submit(db, definition, {"age_band": "10-13"}, "b")
    assert themes_of_response(db, first) == []
    assert responses_to_retag(db, tagger) == 2
    assert retag_responses(db, definition.questionnaire, tagger, batch_size=1) == 2
    assert {t.theme_id for t in themes_of_response(db, first)} >= {
        "place.paths_underpasses",
        "condition.dark",
    }
    assert responses_to_retag(db, tagger) == 0
    assert retag_responses(db, definition.questionnaire, tagger) == 0  # nothing twice


def test_themes_retag_replaces_tags_from_an_older_version(db, definition, tagger):
    response_id = _submit(db, definition, FULL_ANSWERS, tagger=tagger)
    before = db.exec(select(func.count()).select_from(ResponseTheme)).one()
    db.exec(
        update(ResponseTheme)
        .where(col(ResponseTheme.source) != "choice")
        .values(codebook_version="old")
    )
    db.exec(update(Response).values(themes_codebook_version="old"))
    db.commit()
    assert retag_responses(db, definition.questionnaire, tagger) == 1
    themes = themes_of_response(db, response_id)
    assert len(themes) == before  # replaced, not added to; ticked themes kept
    tagged = {t.codebook_version for t in themes if t.source != "choice"}
    assert tagged == {tagger.codebook_version}


def test_themes_retag_resumes_after_an_interruption(db, definition, tagger):
    for i in range(5):
        _submit(db, definition, {"unsafe_place_text": f"drunk men at the station {i}"}, f"r{i}")

    class Interrupted(Exception):
        pass

    def stop_after_first_batch(_count: int) -> None:
        raise Interrupted

    with contextlib.suppress(Interrupted):
        retag_responses(
            db, definition.questionnaire, tagger, batch_size=2, on_batch=stop_after_first_batch
        )
    assert responses_to_retag(db, tagger) == 3  # the first batch was committed
    assert retag_responses(db, definition.questionnaire, tagger, batch_size=2) == 3
    tagged = db.exec(
        select(func.count(func.distinct(ResponseTheme.response_id))).where(
            col(ResponseTheme.theme_id) == "people.groups_of_men"
        )
    ).one()
    assert tagged == 5
