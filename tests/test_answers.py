from __future__ import annotations

import pytest

from survey.answers import AnswerError, check_answers, clean_text
from tests.support import FULL_ANSWERS


def test_answers_full_set_is_kept_as_given(definition):
    assert check_answers(definition.questionnaire, FULL_ANSWERS) == FULL_ANSWERS


def test_answers_every_question_is_optional(definition):
    assert check_answers(definition.questionnaire, {}) == {}
    assert check_answers(definition.questionnaire, {"age_band": None, "unsafe_places": []}) == {}


@pytest.mark.parametrize(
    ("answers", "question", "message"),
    [
        ({"age_band": "9"}, "age_band", "'9' is not one of the choices"),
        ({"district": "Narnia"}, "district", "'Narnia' is not one of the choices"),
        (
            {"feels_unsafe_somewhere": "yes", "unsafe_places": ["place.moon"]},
            "unsafe_places",
            "not one of the choices",
        ),
        ({"safe_day": "7"}, "safe_day", "a number from 1 to 5"),
        ({"safe_day": "lots"}, "safe_day", "a number from 1 to 5"),
        ({"unsafe_place_text": 42}, "unsafe_place_text", "must be text"),
        ({"unsafe_place_text": "x" * 100_000}, "unsafe_place_text", "100,000 characters long"),
        ({"favourite_colour": "blue"}, "favourite_colour", "not a question in this survey"),
        ({"unsafe_because": ["fights", "prefer_not_to_say"]}, "unsafe_because", "not both"),
    ],
)
def test_answers_bad_input_names_the_question(definition, answers, question, message):
    with pytest.raises(AnswerError) as caught:
        check_answers(definition.questionnaire, answers)
    problems = {p.question_id: p.message for p in caught.value.problems}
    assert message in problems[question]


def test_answers_collects_every_problem_not_just_the_first(definition):
    with pytest.raises(AnswerError) as caught:
        check_answers(definition.questionnaire, {"age_band": "9", "safe_day": "0"})
    assert {p.question_id for p in caught.value.problems} == {"age_band", "safe_day"}


def test_answers_hidden_by_skip_logic_are_dropped(definition):
    answers = {
        "feels_unsafe_somewhere": "no",
        "unsafe_places": ["place.park"],
        "place_name": "the rec",
    }
    assert check_answers(definition.questionnaire, answers) == {"feels_unsafe_somewhere": "no"}


def test_answers_text_limit_is_the_questions_own(definition):
    with pytest.raises(AnswerError, match="the most we can keep is 200"):
        check_answers(
            definition.questionnaire, {"feels_unsafe_somewhere": "yes", "place_name": "a" * 201}
        )


@pytest.mark.parametrize(
    ("raw", "stored"),
    [
        ("the park\x00 at night\x07", "the park at night"),
        ("zero\u200bwidth\u200c and\ufeff joiner", "zerowidth and joiner"),
        ("emoji stay 😬🔪 👨\u200d👩\u200d👧", "emoji stay 😬🔪 👨\u200d👩\u200d👧"),
        ("<script>alert('x')</script> <b>bold</b>", "<script>alert('x')</script> <b>bold</b>"),
        ("  line one\r\nline two  ", "line one\nline two"),
        ("cafe\u0301", "café"),
        ("ALL CAPS AND ÜMLAUTS", "ALL CAPS AND ÜMLAUTS"),
    ],
)
def test_answers_text_is_cleaned_but_otherwise_kept(raw, stored):
    assert clean_text(raw) == stored


def test_answers_text_that_is_only_invisible_counts_as_unanswered(definition):
    assert check_answers(definition.questionnaire, {"unsafe_place_text": "\u200b \x00 "}) == {}
