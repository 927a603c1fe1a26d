from __future__ import annotations

import pytest
from sqlmodel import select

from insights.tagger_agreement import agreement_by_theme, cohens_kappa, reviewed_examples
from survey.core.models import Response, ResponseTheme
from survey.participation.quotes import QuoteError, approve_quote, approved_quotes, withdraw_quote
from survey.participation.review import decide_theme, mark_reviewed, responses_for_review
from survey.retagging import retag_responses
from survey.staff.users import AccessDenied, Role
from survey.themes import present_themes, tagged_questions
from tests.support import new_session, send, staff

TEXT = "drunk men shout at you at the bus station at night"


@pytest.fixture
def setup(db, definition, tagger):
    wendy, will = staff(db, "wendy", Role.WORKER), staff(db, "will", Role.WORKER)
    mine = new_session(db, wendy, definition)
    theirs = new_session(db, will, definition)
    mine_id = send(
        db, definition, {"unsafe_place_text": TEXT}, "m", tagger=tagger, session_id=mine.id
    )
    theirs_id = send(
        db,
        definition,
        {"unsafe_place_text": "the park is dark"},
        "t",
        tagger=tagger,
        session_id=theirs.id,
    )
    return wendy, will, mine_id, theirs_id


def _decide(db, member, rid, theme, present, tagger):
    decide_theme(
        db,
        member,
        response_id=rid,
        question_id="unsafe_place_text",
        theme_id=theme,
        present=present,
        codebook_version=tagger.codebook_version,
    )


def test_review_worker_sees_only_their_sessions_responses(db, definition, setup):
    wendy, _will, mine_id, theirs_id = setup
    items = responses_for_review(db, wendy, tagged_questions(definition.questionnaire))
    assert [i.response_id for i in items] == [mine_id]
    assert items[0].text == TEXT
    found = {t.theme_id: t for t in items[0].themes}
    assert found["place.transport_hub"].evidence[0]["text"]
    admin = staff(db, "ada", Role.ADMIN)
    every = responses_for_review(db, admin, tagged_questions(definition.questionnaire))
    assert {i.response_id for i in every} == {mine_id, theirs_id}


def test_review_worker_cannot_change_another_workers_response(db, setup, tagger):
    wendy, _will, _mine_id, theirs_id = setup
    with pytest.raises(AccessDenied):
        _decide(db, wendy, theirs_id, "place.park", False, tagger)
    with pytest.raises(AccessDenied):
        approve_quote(db, wendy, response_id=theirs_id, question_id="unsafe_place_text")


def test_review_remove_and_add_override_the_tagger_and_double_clicks_store_once(
    db, definition, setup, tagger
):
    wendy, _will, mine_id, _ = setup
    for _ in range(3):  # a double (triple) click
        _decide(db, wendy, mine_id, "people.groups_of_men", False, tagger)
        _decide(db, wendy, mine_id, "ask.police_presence", True, tagger)
    reviewer_rows = db.exec(select(ResponseTheme).where(ResponseTheme.source == "reviewer")).all()
    assert len(reviewer_rows) == 2
    present = {t for _, t in present_themes(db, [mine_id])}
    assert "people.groups_of_men" not in present and "ask.police_presence" in present


def test_review_removed_theme_stays_removed_after_retagging(db, definition, setup, tagger):
    wendy, _will, mine_id, _ = setup
    _decide(db, wendy, mine_id, "people.groups_of_men", False, tagger)
    response = db.get(Response, mine_id)
    response.themes_model_version = "older"
    db.add(response)
    db.commit()
    assert retag_responses(db, definition.questionnaire, tagger) >= 1
    present = {t for _, t in present_themes(db, [mine_id])}
    assert "people.groups_of_men" not in present and "place.transport_hub" in present
    item = responses_for_review(db, wendy, tagged_questions(definition.questionnaire))[0]
    decided = {t.theme_id: t for t in item.themes}["people.groups_of_men"]
    assert decided.present is False and decided.decided_by == "wendy"


def test_review_agreement_kappa_precision_recall(db, definition, setup, tagger):
    wendy, _will, mine_id, _ = setup
    _decide(db, wendy, mine_id, "people.groups_of_men", False, tagger)
    _decide(db, wendy, mine_id, "ask.police_presence", True, tagger)
    mark_reviewed(db, wendy, mine_id, tagger.codebook_version)
    questions = tagged_questions(definition.questionnaire)
    table = agreement_by_theme(
        db, questions, ["place.transport_hub", "people.groups_of_men", "ask.police_presence"]
    ).set_index("theme")
    assert table.loc["place.transport_hub", "precision"] == 1.0
    assert table.loc["people.groups_of_men", "precision"] == 0.0
    assert table.loc["ask.police_presence", "recall"] == 0.0
    examples = reviewed_examples(db, questions)
    assert examples == [(TEXT, sorted(examples[0][1]))]
    assert "ask.police_presence" in examples[0][1] and "people.groups_of_men" not in examples[0][1]


@pytest.mark.parametrize(
    ("counts", "kappa"),
    [((10, 0, 0, 10), 1.0), ((5, 5, 5, 5), 0.0), ((0, 10, 10, 0), -1.0), ((0, 0, 0, 0), None)],
)
def test_review_cohens_kappa(counts, kappa):
    assert cohens_kappa(*counts) == kappa


def test_review_quotes_are_the_answer_or_a_part_of_it(db, setup):
    wendy, _will, mine_id, _ = setup
    with pytest.raises(QuoteError, match="word for word"):
        approve_quote(
            db,
            wendy,
            response_id=mine_id,
            question_id="unsafe_place_text",
            text="the police are useless",
        )
    approve_quote(
        db,
        wendy,
        response_id=mine_id,
        question_id="unsafe_place_text",
        text="drunk men shout at you",
    )
    approve_quote(db, wendy, response_id=mine_id, question_id="unsafe_place_text")  # re-approve
    quotes = approved_quotes(db)
    assert [q.text for q in quotes] == [TEXT]
    withdraw_quote(db, wendy, response_id=mine_id, question_id="unsafe_place_text")
    assert approved_quotes(db) == []
