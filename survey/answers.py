"""Checking a young person's answers against the questionnaire before anything is stored.

Every problem is collected (not just the first), each naming the question in the words
the young person saw, so the page can show it beside that question.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Any

from survey.questionnaire import (
    PREFER_NOT_TO_SAY,
    Question,
    Questionnaire,
    QuestionType,
    is_shown,
)

# Control characters other than tab and newline, and invisible zero-width marks. The
# zero-width joiner (U+200D) stays: it holds emoji sequences such as family emoji together.
_CONTROL = re.compile(
    r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b\u200c\u2060\ufeff\u202a-\u202e\u2066-\u2069]"
)


@dataclass(frozen=True)
class AnswerProblem:
    question_id: str
    message: str


class AnswerError(ValueError):
    """The answers cannot be stored as given; `.problems` says why, question by question."""

    def __init__(self, problems: list[AnswerProblem]) -> None:
        self.problems = problems
        super().__init__("; ".join(f"{p.question_id}: {p.message}" for p in problems))


NOTHING_ANSWERED = (
    "You haven't answered anything yet, so there's nothing to send. You can skip any "
    "question you like, but please answer at least one first: press Back to look again."
)


class NothingAnswered(AnswerError):
    """Every question was skipped (or answered with nothing but spaces): an empty response
    is never stored. No question is at fault, so `.problems` is empty; the message says it."""

    def __init__(self) -> None:
        super().__init__([])
        self.args = (NOTHING_ANSWERED,)

    def __str__(self) -> str:
        return NOTHING_ANSWERED


def clean_text(text: str) -> str:
    """Normalise free text: NFC, no control or zero-width characters, trimmed."""
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n")
    return _CONTROL.sub("", text).strip()


def check_answers(questionnaire: Questionnaire, answers: dict[str, Any]) -> dict[str, Any]:
    """Validate and normalise answers; return only answered, shown questions.

    Empty answers are dropped (every question is optional); answers to questions that the
    skip logic hides are dropped too, so a changed earlier answer cannot leave stale ones.
    Raises AnswerError listing every problem.
    """
    known = {q.id for q in questionnaire.questions}
    problems = [
        AnswerProblem(qid, f"'{qid}' is not a question in this survey")
        for qid in answers
        if qid not in known
    ]
    cleaned: dict[str, Any] = {}
    for question in questionnaire.questions:
        raw = answers.get(question.id)
        if _is_empty(raw):
            continue
        try:
            value = _check_one(question, raw)
        except ValueError as exc:
            problems.append(AnswerProblem(question.id, str(exc)))
            continue
        if not _is_empty(value):
            cleaned[question.id] = value
    if problems:
        raise AnswerError(problems)
    return {qid: v for qid, v in cleaned.items() if is_shown(questionnaire.question(qid), cleaned)}


def _is_empty(value: Any) -> bool:
    return value is None or value == "" or (isinstance(value, list | tuple | set) and not value)


def _check_one(question: Question, raw: Any) -> Any:
    if question.type == QuestionType.FREE_TEXT:
        return _check_text(question, raw)
    if question.type == QuestionType.SCALE:
        return _check_scale(question, raw)
    if question.type == QuestionType.SINGLE_CHOICE:
        return _check_choice(question, raw)
    values = raw if isinstance(raw, list | tuple) else [raw]
    checked = [_check_choice(question, v) for v in values]
    if PREFER_NOT_TO_SAY in checked and len(checked) > 1:
        raise ValueError(f"“{question.text}”: choose options or “rather not say”, not both")
    return list(dict.fromkeys(checked))  # keeps order, drops repeats


def _check_choice(question: Question, raw: Any) -> str:
    if not isinstance(raw, str) or raw not in question.choice_values():
        shown = str(raw)[:40]
        raise ValueError(f"“{question.text}”: '{shown}' is not one of the choices")
    return raw


def _check_scale(question: Question, raw: Any) -> str:
    if raw == PREFER_NOT_TO_SAY:
        return raw
    assert question.scale is not None
    low, high = question.scale.min, question.scale.max
    try:
        point = int(raw)
    except (TypeError, ValueError):
        point = None
    if point is None or isinstance(raw, bool) or not low <= point <= high:
        raise ValueError(f"“{question.text}”: the answer must be a number from {low} to {high}")
    return str(point)


def _check_text(question: Question, raw: Any) -> str:
    if not isinstance(raw, str):
        raise ValueError(f"“{question.text}”: the answer must be text")
    text = clean_text(raw)
    if len(text) > question.max_length:
        raise ValueError(
            f"“{question.text}”: your answer is {len(text):,} characters long; the most we "
            f"can keep is {question.max_length:,}. Please shorten it."
        )
    return text
