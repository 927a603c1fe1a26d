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

from nlp.tagger import ThemeTag
from survey.answers import check_answers
from survey.dimensions import Dimensions
from survey.disclosures import Disclosure, detect_disclosure
from survey.models import Answer, QuestionnaireVersion, Response
from survey.participation import admit_submission
from survey.questionnaire import Questionnaire, QuestionType
from survey.redaction import redact
from survey.response_summary import refresh_summaries
from survey.safeguarding import alert_for, response_has_alert
from survey.settings import get_settings
from survey.themes import ThemeTagger, choice_theme_rows, mark_tagged, tag_answers, theme_rows

log = logging.getLogger(__name__)

SOURCES = ("online", "paper", "demo")


class SubmitFailed(RuntimeError):
    """The response could not be stored; nothing was stored. Safe to try again."""


@dataclass(frozen=True)
class SubmitResult:
    response_id: int
    already_stored: bool
    # True when an answer read as a disclosure: the young person is shown where to get help.
    needs_help: bool = False


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
    tagger: ThemeTagger | None = None,
    session_id: int | None = None,
    session_per_minute: int = 40,
) -> SubmitResult:
    """Check and store one response with its answers, idempotent by `submission_id`.

    Raises AnswerError (nothing stored, each problem named) or SubmitFailed (the database
    failed; nothing stored). Stores the date and time band, never the time of day.
    Without a tagger the response is stored untagged, and `youthvoice retag` tags it later.
    An online response to a session must find it open and under its per-minute limit
    (SessionError otherwise); paper forms are entered by the session's worker, any time.
    """
    if source not in SOURCES:
        raise ValueError(f"unknown source {source!r}")
    if not submission_id or len(submission_id) > 64:
        raise ValueError("a submission id of 1 to 64 characters is required")
    cleaned = check_answers(questionnaire, answers)
    existing = _stored_response_id(db, submission_id)
    if existing is not None:  # rerun-safe: a double click or a rerun stores once
        return SubmitResult(existing, True, response_has_alert(db, existing))
    local_now = now or datetime.now(ZoneInfo(get_settings().timezone))
    ensure_questionnaire_version(db, questionnaire, local_now.date())
    notes = []
    if session_id is not None and source == "online":
        notes.append(admit_submission(db, session_id, per_minute=session_per_minute))
    cleaned, disclosures = prepare_free_text(questionnaire, cleaned)
    # Tagging reads only the prepared (stored) text, so evidence offsets point into it.
    themes = tag_answers(questionnaire, cleaned, tagger) if tagger else {}
    response = Response(
        submission_id=submission_id,
        questionnaire_version_id=questionnaire.version,
        submitted_on=local_now.date(),
        time_band=dimensions.time_band_for_hour(local_now.hour),
        source=source,
        district=_single(cleaned.get("district"), dimensions.district_names),
        age_band=_single(cleaned.get("age_band"), [a.id for a in dimensions.age_bands]),
        session_id=session_id,
    )
    if tagger:
        mark_tagged(response, tagger)
    db.add_all(notes)  # stored in the same transaction as the response, or not at all
    return _store(db, questionnaire, dimensions, response, cleaned, themes, tagger, disclosures)


def prepare_free_text(
    questionnaire: Questionnaire, answers: dict[str, Any]
) -> tuple[dict[str, Any], dict[str, Disclosure]]:
    """The one place free text passes before storage: personal data is redacted, then the
    redacted text is checked for a disclosure. Nothing unredacted reaches the database or a
    log, and the alert's evidence points into the text as stored.
    """
    prepared, disclosures = dict(answers), {}
    for question in questionnaire.questions:
        if question.type == QuestionType.FREE_TEXT and question.id in prepared:
            prepared[question.id] = redact(prepared[question.id]).text
            disclosures[question.id] = detect_disclosure(prepared[question.id])
    return prepared, disclosures


def _single(value: Any, allowed: list[str]) -> str | None:
    return value if isinstance(value, str) and value in allowed else None


def _stored_response_id(db: Session, submission_id: str) -> int | None:
    return db.exec(select(Response.id).where(Response.submission_id == submission_id)).first()


def _store(
    db: Session,
    questionnaire: Questionnaire,
    dimensions: Dimensions,
    response: Response,
    answers: dict[str, Any],
    themes: dict[str, list[ThemeTag]],
    tagger: ThemeTagger | None,
    disclosures: dict[str, Disclosure],
) -> SubmitResult:
    try:
        db.add(response)
        db.flush()
        assert response.id is not None
        db.add_all(_answer_rows(response.id, answers))
        for question_id, tags in themes.items():
            assert tagger is not None
            db.add_all(theme_rows(response.id, question_id, tags, tagger))
        db.add_all(choice_theme_rows(response.id, questionnaire, answers))
        refresh_summaries(db, [response.id], dimensions)
        alert = alert_for(disclosures, response, response.submitted_on, db)
        if alert is not None:
            db.add(alert)
        db.commit()
        return SubmitResult(response.id, already_stored=False, needs_help=alert is not None)
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
