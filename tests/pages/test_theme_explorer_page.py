from __future__ import annotations

from survey.responses import submit_response
from survey.staff.users import Role, create_user
from tests.support import app_test, at


def _explorer(db):
    analyst = create_user(
        db, username="ana", password="a long enough passphrase", role=Role.ANALYST
    )
    page = app_test("pages/theme_explorer.py")
    page.session_state["staff_user_id"] = analyst.id
    return page.run()


def test_theme_explorer_page_tries_a_sentence_safely(app_database, db, tagger):
    page = _explorer(db)
    assert not page.exception
    page.text_area[0].input("<b>men</b> follow you from the bus stop").run()
    html = page.get("html")[0].proto.body
    assert "&lt;b&gt;men&lt;/b&gt;" in html and "<b>" not in html
    assert "<mark" in html
    themes = page.dataframe[0].value["theme"].tolist()
    assert "place.transport_hub" in themes and "behaviour.following_staring" in themes


def test_theme_explorer_page_shows_codebook_and_stored_themes(app_database, db, definition, tagger):
    submit_response(
        db=db,
        questionnaire=definition.questionnaire,
        dimensions=definition.dimensions,
        answers={"unsafe_place_text": "people selling drugs in the alley"},
        submission_id="x",
        now=at("2026-01-05 12:00"),
        tagger=tagger,
    )
    page = _explorer(db)
    codebook = page.dataframe[0].value
    assert "place.online" in codebook["theme"].tolist()
    stored = page.dataframe[1].value
    assert stored["text"].tolist() == ["people selling drugs in the alley"]
