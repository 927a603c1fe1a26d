from __future__ import annotations

from datetime import date

from sqlalchemy import delete
from sqlmodel import select

from survey.core.models import ResponseSummary
from survey.participation.review import decide_theme
from survey.privacy.retention import delete_response
from survey.response_summary import (
    RESPONSES,
    change_counter,
    rebuild_missing_summaries,
    theme_bits,
)
from survey.staff.users import Role
from tests.support import FULL_ANSWERS, new_session, send, staff


def _themes(db, summary: ResponseSummary) -> set[str]:
    bits = theme_bits(db, [])
    return {t for t, b in bits.items() if summary.themes_mask >> b & 1}


def test_response_summary_is_written_with_the_response(db, definition, tagger):
    worker = staff(db, "wendy", Role.WORKER)
    session = new_session(db, worker, definition, venue_type="youth_club")
    before = change_counter(db, RESPONSES)
    rid = send(
        db,
        definition,
        FULL_ANSWERS,
        "a",
        tagger=tagger,
        session_id=session.id,
        when="2026-03-14 16:00",
    )
    summary = db.get(ResponseSummary, rid)
    assert summary.month == date(2026, 3, 1)
    assert (summary.district, summary.age_band, summary.gender) == ("Thanet", "14-15", "girl_woman")
    assert summary.venue_type == "youth_club" and summary.feels_unsafe is True
    themes = _themes(db, summary)
    assert {
        "place.transport_hub",
        "place.park",
        "people.groups_of_men",
        "time.night",
        "ask.transport",
    } <= themes
    bands = [b.id for b in definition.dimensions.time_bands]
    assert {bands[i] for i in range(len(bands)) if summary.times_mask >> i & 1} == {
        "evening",
        "late",
    }
    assert change_counter(db, RESPONSES) > before


def test_response_summary_follows_review_and_deletion(db, definition, tagger):
    worker, admin = staff(db, "wendy", Role.WORKER), staff(db, "ada", Role.ADMIN)
    session = new_session(db, worker, definition)
    rid = send(
        db,
        definition,
        {"unsafe_place_text": "drunk men at the station"},
        "a",
        tagger=tagger,
        session_id=session.id,
    )
    assert "people.groups_of_men" in _themes(db, db.get(ResponseSummary, rid))
    decide_theme(
        db,
        worker,
        response_id=rid,
        question_id="unsafe_place_text",
        theme_id="people.groups_of_men",
        present=False,
        codebook_version=tagger.codebook_version,
    )
    db.expire_all()
    assert "people.groups_of_men" not in _themes(db, db.get(ResponseSummary, rid))
    delete_response(db, admin, rid, "test")
    assert db.get(ResponseSummary, rid) is None


def test_response_summary_missing_ones_are_rebuilt(db, definition):
    ids = [send(db, definition, {"district": "Dover"}, f"r{i}") for i in range(3)]
    db.exec(delete(ResponseSummary))
    db.commit()
    assert rebuild_missing_summaries(db, definition.dimensions, batch=2) == 3
    assert sorted(db.exec(select(ResponseSummary.response_id)).all()) == ids
