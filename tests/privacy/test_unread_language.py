"""Text the tagger cannot read goes to a person: an answer in another language is never
stored as if it said nothing. It is named, kept untagged, queued for a worker (check band),
and counted where themes are read."""

from __future__ import annotations

import json

import pytest
from sqlmodel import select

from insights.unread_answers import unread_answers
from survey.core.models import Response, ResponseTheme, SafeguardingAlert
from survey.safeguarding.alerts import CHECK, NOT_READ
from survey.safeguarding.language import NOT_IDENTIFIED, unread_language
from survey.staff.users import Role
from tests.support import app_test, dev_file, new_session, send, staff

ENGLISH = [
    "the bus station at night, men shout at you",
    "ppl r always shouting n stuff at the bus stop innit",
    "wagwan fam dem man was moving mad by the chicken shop",
    "nah the underpass by Maccies is proper dodgy at nite tbh",
    "Gravesend Clock Tower",  # places and names: no language in them
    "idk lol",  # too short to tell
    "MORE POLICE ON THE HIGH STREET PLEASE",
]
OTHER = [
    ("mój tata mnie bije kiedy pije i boję się wracać do domu", "Polish"),
    ("mae fy nhad yn fy nharo i pan mae e wedi meddwi", "Welsh"),
    ("میرا باپ مجھے مارتا ہے جب وہ شراب پیتا ہے", "Urdu"),
    ("Mi-e frică în parc noaptea pentru că sunt bețivi acolo", "Romanian"),
    ("Мені страшно в парку вночі, там п'яні чоловіки", "Ukrainian"),
]


@pytest.mark.parametrize("text", ENGLISH)
def test_english_of_every_kind_is_read(text):
    assert unread_language(text) is None


@pytest.mark.parametrize(("text", "language"), OTHER)
def test_other_languages_are_named(text, language):
    assert unread_language(text) == language


def test_a_language_the_identifier_cannot_name_still_goes_to_a_person():
    # Urdu written in the Latin alphabet: not English, whatever it is.
    assert unread_language("mera baap mujhe marta hai jab woh sharab peeta hai") == NOT_IDENTIFIED


def test_a_disclosure_in_another_language_after_an_english_sentence_is_not_hidden():
    text = "the park is ok. mój tata mnie bije kiedy pije"
    assert unread_language(text) == "Polish"


def test_no_english_answer_of_the_dev_file_is_taken_for_another_language():
    rows = [json.loads(line) for line in dev_file().read_text().splitlines() if line.strip()]
    assert [r["id"] for r in rows if unread_language(r["text"])] == []


def test_an_answer_in_polish_is_queued_named_and_left_untagged(db, definition, tagger):
    session = new_session(db, staff(db, "wendy", Role.WORKER), definition)
    answers = {"district": "Swale", "unsafe_place_text": OTHER[0][0]}
    rid = send(db, definition, answers, "pl", tagger=tagger, session_id=session.id)
    response = db.get(Response, rid)
    assert response.text_language == "Polish"
    themes = db.exec(select(ResponseTheme).where(ResponseTheme.response_id == rid)).all()
    assert [t for t in themes if t.question_id == "unsafe_place_text"] == []
    alert = db.exec(select(SafeguardingAlert)).one()
    assert (alert.band, alert.language) == (CHECK, "Polish")
    assert NOT_READ in alert.categories
    assert unread_answers(db).languages == {"Polish": 1}
    assert unread_answers(db, districts=["Dover"]).responses == 0


def test_the_theme_explorer_and_the_board_say_how_many_were_not_read(app_database, db, definition):
    for i, (text, _) in enumerate(OTHER):
        send(db, definition, {"district": "Swale", "unsafe_place_text": text}, f"o{i}")
    send(db, definition, {"district": "Swale", "unsafe_place_text": ENGLISH[0]}, "en")
    analyst = staff(db, "ana", Role.ANALYST)
    explorer = app_test("pages/theme_explorer.py")
    explorer.session_state["staff_user_id"] = analyst.id
    explorer.run()
    said = " ".join(i.value for i in explorer.info)
    assert "5 answers were (" in said and "Polish 1" in said and "Urdu 1" in said
    board = app_test("pages/board_overview.py")
    board.session_state["staff_user_id"] = staff(db, "bea", Role.BOARD).id
    board.run()
    assert not board.exception
    captions = " ".join(c.value for c in board.caption)
    assert "5 answers were in a language the tagger cannot read" in captions
    assert "Polish" not in captions  # a board never sees a small group named


def test_the_worker_sees_the_check_with_its_language_and_can_read_the_answer(
    app_database, db, definition
):
    worker = staff(db, "wendy", Role.WORKER)
    session = new_session(db, worker, definition)
    send(db, definition, {"unsafe_place_text": OTHER[0][0]}, "pl", session_id=session.id)
    page = app_test("pages/safeguarding_alerts.py")
    page.session_state["staff_user_id"] = worker.id
    page.run()
    assert page.subheader[0].value.startswith("Check ")
    assert any("Written in Polish" in i.value for i in page.info)
    next(t for t in page.toggle if t.label == "Show the answer").set_value(True).run()
    assert "mój tata" in " ".join(h.proto.body for h in page.get("html"))
