"""Submitting a young person's response: checked, prepared, and stored once, in one go.

The path is the one in ARCHITECTURE.md: check answers -> prepare free text (the place
where redaction and safeguarding checks go) -> tag themes -> ONE database transaction.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.exc import IntegrityError, SQLAlchemyError
from sqlmodel import Session, select

from nlp.tagger import ThemeTag
from survey.answers import NothingAnswered, check_answers
from survey.core.dimensions import Dimensions
from survey.core.limits import (
    Limit,
    LimitReached,
    Limits,
    epoch_seconds,
    forget_expired_limits,
    limits_from_settings,
    take,
    window_left,
)
from survey.core.models import Answer, Response
from survey.core.settings import get_settings
from survey.drafts import forget_draft
from survey.participation.sessions import check_session_open
from survey.privacy.redaction import redact
from survey.questionnaire import Questionnaire, QuestionType
from survey.questionnaire_versions import ensure_questionnaire_version
from survey.response_summary import refresh_summaries
from survey.safeguarding.alerts import ALERT, alert_for, band_of_response
from survey.safeguarding.disclosures import Disclosure, detect_disclosure
from survey.safeguarding.language import unread_language
from survey.safeguarding.notices import queue_notices
from survey.themes import ThemeTagger, choice_theme_rows, mark_tagged, tag_answers, theme_rows

log = logging.getLogger(__name__)

SOURCES = ("online", "paper", "demo")


class SubmitFailed(RuntimeError):
    """The response could not be stored; nothing was stored. Safe to try again."""


@dataclass(frozen=True)
class SubmitResult:
    response_id: int
    already_stored: bool
    # True when an answer read as a likely disclosure (the alert band): the young person is
    # shown where to get help at once.
    needs_help: bool = False
    band: str | None = None  # "alert", "check" (a worker reads it within a day) or None
    # How many more answers this phone may send here today (None: not limited by phone).
    device_answers_left: int | None = None


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
    device: str | None = None,
    limits: Limits | None = None,
    draft_token: str | None = None,
) -> SubmitResult:
    """Check and store one response with its answers, idempotent by `submission_id`.

    Raises AnswerError (nothing stored, each problem named; NothingAnswered when every
    question was skipped: an empty response is never stored, from any source), SessionError
    (the session is closed), LimitReached (a limit is used up) or SubmitFailed (the database
    failed); in each case nothing is stored. Stores the date and time band, never the time
    of day. The young person's unfinished draft (`draft_token`, survey/drafts.py) is deleted
    in the response's own transaction, and also when the response was already stored.
    Without a tagger the response is stored untagged, and `youthvoice retag` tags it later.
    An online answer uses the limits (the session's per minute, the phone's `device` per
    day, everyone's per minute); paper forms are entered by the session's worker, any time.
    """
    if source not in SOURCES:
        raise ValueError(f"unknown source {source!r}")
    if not submission_id or len(submission_id) > 64:
        raise ValueError("a submission id of 1 to 64 characters is required")
    cleaned = check_answers(questionnaire, answers)
    if not cleaned:
        raise NothingAnswered()
    local_now = now or datetime.now(ZoneInfo(get_settings().timezone))
    try:
        return _submit(
            db, questionnaire, dimensions, cleaned, submission_id, local_now, source,
            tagger, session_id, _wanted_limits(source, session_id, device, limits), draft_token,
        )  # fmt: skip
    except SQLAlchemyError:
        _roll_back(db)
        # Log the failure, never the answers: free text may hold personal data.
        log.exception("response could not be stored")
        raise SubmitFailed("We couldn't save that. Please try again.") from None


def _submit(
    db: Session,
    questionnaire: Questionnaire,
    dimensions: Dimensions,
    cleaned: dict[str, Any],
    submission_id: str,
    local_now: datetime,
    source: str,
    tagger: ThemeTagger | None,
    session_id: int | None,
    wanted: list[tuple[str, Limit]],
    draft_token: str | None,
) -> SubmitResult:
    existing = _stored_response_id(db, submission_id)
    if existing is not None:  # rerun-safe: a double click or a rerun stores once
        _forget_draft_now(db, draft_token)  # e.g. sent from another tab with the same draft
        band = band_of_response(db, existing)
        return SubmitResult(existing, True, needs_help=band == ALERT, band=band)
    ensure_questionnaire_version(db, questionnaire, local_now.date())
    if session_id is not None and source == "online":
        check_session_open(db, session_id, local_now)
    prepared = prepare_free_text(questionnaire, cleaned)
    cleaned = prepared.answers
    # Tagging reads only the prepared (stored) text, so evidence offsets point into it; text
    # in another language is left to a person (the check queue), never tagged as if English.
    readable = {k: v for k, v in cleaned.items() if k not in prepared.unread}
    themes = tag_answers(questionnaire, readable, tagger) if tagger else {}
    response = Response(
        submission_id=submission_id,
        questionnaire_version_id=questionnaire.version,
        submitted_on=local_now.date(),
        time_band=dimensions.time_band_for_hour(local_now.hour),
        source=source,
        district=_single(cleaned.get("district"), dimensions.district_names),
        age_band=_single(cleaned.get("age_band"), [a.id for a in dimensions.age_bands]),
        session_id=session_id,
        text_language=prepared.text_language,
    )
    if tagger:
        mark_tagged(response, tagger)
    seconds = epoch_seconds(local_now)
    used: dict[str, int] = {}
    result = _store(
        db, questionnaire, dimensions, response, cleaned, themes, tagger, prepared,
        lambda: used.update(_use_limits(db, wanted, seconds)), draft_token,
    )  # fmt: skip
    forget_expired_limits(db, now=seconds)
    device_limit = next((lim for _, lim in wanted if lim.name == DEVICE_ANSWERS), None)
    if device_limit is not None and not result.already_stored:
        left = device_limit.most - used.get(DEVICE_ANSWERS, 0)
        return replace(result, device_answers_left=left)
    return result


DEVICE_ANSWERS = "device answers"


def _wanted_limits(
    source: str, session_id: int | None, device: str | None, limits: Limits | None
) -> list[tuple[str, Limit]]:
    """The limits an answer uses: only online answers, typed by young people, use any."""
    if source != "online":
        return []
    limits = limits or limits_from_settings(get_settings())
    wanted = [(limits.key(limits.everyone_answers), limits.everyone_answers)]
    scope = "open survey" if session_id is None else f"session {session_id}"
    if session_id is not None:
        wanted.append((limits.key(limits.session_answers, session_id), limits.session_answers))
    if device:
        wanted.append((limits.key(limits.device_answers, device, scope), limits.device_answers))
    return wanted


def _use_limits(db: Session, wanted: list[tuple[str, Limit]], seconds: int) -> dict[str, int]:
    used: dict[str, int] = {}
    for key, limit in wanted:
        count = take(db, key, limit, now=seconds)
        if count is None:
            db.rollback()
            raise LimitReached(_limit_words(limit), window_left(limit, now=seconds))
        used[limit.name] = count
    return used


def _limit_words(limit: Limit) -> str:
    if limit.name == DEVICE_ANSWERS:
        answers = "answer" if limit.most == 1 else "answers"
        return (
            f"This phone has already sent {limit.most} {answers} today, the most one phone "
            "can send here. Thank you for taking part!"
        )
    if limit.name == "session answers":
        return "This session is very busy right now. Please press send again in a minute."
    return "Lots of people are answering right now. Please press send again in a minute."


def _forget_draft_now(db: Session, draft_token: str | None) -> None:
    """Delete the draft of a response that was already stored. Best effort: the answers are
    safe, and an undeleted draft only offers them again (with the same submission id, so a
    second send stores nothing) until it expires."""
    if draft_token is None:
        return
    try:
        forget_draft(db, draft_token)
        db.commit()
    except SQLAlchemyError:
        _roll_back(db)
        log.warning("the draft of a stored response was not deleted", exc_info=True)


def _roll_back(db: Session) -> None:
    try:
        db.rollback()
    except SQLAlchemyError:  # the connection is gone: the pool replaces it
        log.warning("rollback after a failed submit failed too", exc_info=True)


@dataclass(frozen=True)
class PreparedText:
    """The answers as they will be stored, and what the free text was found to hold."""

    answers: dict[str, Any]
    disclosures: dict[str, Disclosure]
    # Free-text answers no machine could read (another language): question -> language.
    unread: dict[str, str]

    @property
    def text_language(self) -> str | None:
        return ", ".join(sorted(set(self.unread.values()))) or None


def prepare_free_text(questionnaire: Questionnaire, answers: dict[str, Any]) -> PreparedText:
    """The one place free text passes before storage: personal data is redacted, then the
    redacted text is checked for a disclosure and for being English enough to be read at
    all. Nothing unredacted reaches the database or a log, and the alert's evidence points
    into the text as stored.
    """
    prepared, disclosures, unread = dict(answers), {}, {}
    for question in questionnaire.questions:
        if question.type == QuestionType.FREE_TEXT and question.id in prepared:
            prepared[question.id] = redact(prepared[question.id]).text
            disclosures[question.id] = detect_disclosure(prepared[question.id])
            language = unread_language(prepared[question.id])
            if language is not None:
                unread[question.id] = language
    return PreparedText(prepared, disclosures, unread)


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
    prepared: PreparedText,
    use_limits: Callable[[], None],
    draft_token: str | None = None,
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
        alert = alert_for(
            prepared.disclosures,
            response,
            response.submitted_on,
            db,
            unread=prepared.unread,
            asked_for_help=questionnaire.asks_for_help(answers),
        )
        if alert is not None:
            db.add(alert)
            queue_notices(db, alert)  # outbox rows for the emails, sent after the commit
        if draft_token is not None:  # the unfinished answers end with the response
            forget_draft(db, draft_token)
        # The limits are taken last, in the response's own transaction: a refused or failed
        # answer uses nothing up, parallel answers cannot pass a limit between count and
        # insert, and the counters' rows stay locked only for the commit.
        use_limits()
        stored_id = response.id  # read before the commit: after it, reading may need the database
        db.commit()
        band = alert.band if alert is not None else None
        return SubmitResult(stored_id, False, needs_help=band == ALERT, band=band)
    except IntegrityError:
        db.rollback()
        existing = _stored_response_id(db, response.submission_id)
        if existing is not None:  # the same submission won a race from another tab
            _forget_draft_now(db, draft_token)
            return SubmitResult(existing, already_stored=True)
        log.exception("response could not be stored (integrity)")
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
