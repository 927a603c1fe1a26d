"""The review desk: a worker checks the themes of their sessions' responses.

A reviewer's decision is a `response_theme` row with source 'reviewer': present=True
accepts or adds a theme, present=False removes it. Decisions override the tagger and
survive re-tagging, and one decision per theme is kept however often a button is pressed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from survey.core.audit import record_event
from survey.core.models import (
    Answer,
    ParticipationSession,
    Quote,
    Response,
    ResponseTheme,
    SafeguardingAlert,
)
from survey.response_summary import refresh_summaries
from survey.safeguarding.alerts import audit_text_view
from survey.staff.permissions import AccessDenied, Permission, StaffMember, may, require
from survey.themes import REVIEWER, ReviewTheme, themes_by_answer


@dataclass(frozen=True)
class ReviewItem:
    response_id: int
    session_name: str | None
    submitted_on: date
    question_id: str
    text: str
    themes: list[ReviewTheme]
    reviewed_by: str | None
    approved_quote: str | None = None  # the words approved for the board, if any
    # The safeguarding alert the response raised, and its band ("alert" or "check"): such
    # an answer is marked, links to its alert, and is never a quote.
    alert_id: int | None = None
    band: str | None = None


def response_for_staff(db: Session, member: StaffMember, response_id: int) -> Response:
    """A response the member may review: from one of their sessions (or, with
    REVIEW_EVERY_RESPONSE, any). The caller requires what the member is doing with it."""
    response = db.get(Response, response_id)
    if response is not None and may(member, Permission.REVIEW_EVERY_RESPONSE):
        return response
    session = (
        db.get(ParticipationSession, response.session_id)
        if response and response.session_id
        else None
    )
    if response is None or session is None or session.worker_id != member.id:
        raise AccessDenied("That response isn't from one of your sessions.")
    return response


def responses_for_review(
    db: Session,
    member: StaffMember,
    tagged_questions: set[str],
    *,
    session_id: int | None = None,
    unreviewed_only: bool = False,
    limit: int = 50,
    now: datetime | None = None,
) -> list[ReviewItem]:
    """Free-text answers from the member's sessions (REVIEW_EVERY_RESPONSE: all), newest
    first. Showing the text of one that raised an alert is audited, once an hour per member
    and alert."""
    require(member, Permission.REVIEW_THEMES)
    every = may(member, Permission.REVIEW_EVERY_RESPONSE)
    query = (
        select(Response, Answer, ParticipationSession.name)
        .join(Answer, col(Answer.response_id) == col(Response.id))
        .join(
            ParticipationSession,
            col(ParticipationSession.id) == col(Response.session_id),
            isouter=every,
        )
        .where(col(Answer.question_id).in_(tagged_questions))
        .order_by(col(Response.id).desc(), col(Answer.question_id))
    )
    if not every:
        query = query.where(ParticipationSession.worker_id == member.id)
    if session_id is not None:
        query = query.where(Response.session_id == session_id)
    if unreviewed_only:
        query = query.where(col(Response.reviewed_at).is_(None))
    rows = db.exec(query.limit(limit)).all()
    ids = [r.id for r, _, _ in rows if r.id is not None]
    themes = themes_by_answer(db, ids)
    quotes = {
        (q.response_id, q.question_id): q.text
        for q in db.exec(select(Quote).where(col(Quote.response_id).in_(ids))).all()
    }
    alerts = _audit_flagged_views(db, member, ids, now)
    return [
        ReviewItem(
            response.id or 0,
            name,
            response.submitted_on,
            answer.question_id,
            answer.value,
            themes.get((response.id or 0, answer.question_id), []),
            response.reviewed_by,
            quotes.get((response.id or 0, answer.question_id)),
            *alerts.get(response.id or 0, (None, None)),
        )
        for response, answer, name in rows
    ]


def decide_theme(
    db: Session,
    member: StaffMember,
    *,
    response_id: int,
    question_id: str,
    theme_id: str,
    present: bool,
    codebook_version: str,
    now: datetime | None = None,
) -> None:
    """Accept or add (present=True), or remove (present=False), one theme of an answer."""
    require(member, Permission.REVIEW_THEMES)
    response_for_staff(db, member, response_id)
    now = now or datetime.now(UTC)
    for _ in range(2):  # a double click racing itself: the second pass updates
        row = db.exec(
            select(ResponseTheme).where(
                ResponseTheme.response_id == response_id,
                ResponseTheme.question_id == question_id,
                ResponseTheme.theme_id == theme_id,
                ResponseTheme.source == REVIEWER,
            )
        ).first() or ResponseTheme(
            response_id=response_id,
            question_id=question_id,
            theme_id=theme_id,
            source=REVIEWER,
            score=1.0,
            evidence=[],
            codebook_version=codebook_version,
        )
        row.present, row.reviewer, row.reviewed_at = present, member.username, now
        db.add(row)
        record_event(
            db,
            action="theme.reviewed",
            actor=member.username,
            target=f"response {response_id}",
            detail={"theme": theme_id, "present": present, "question": question_id},
        )
        try:
            refresh_summaries(db, [response_id])
            db.commit()
            return
        except IntegrityError:
            db.rollback()
    raise RuntimeError("the theme decision could not be saved")


def mark_reviewed(
    db: Session, member: StaffMember, response_id: int, codebook_version: str
) -> None:
    """Accept every tagger theme not yet decided, and note the response as reviewed."""
    require(member, Permission.REVIEW_THEMES)
    response = response_for_staff(db, member, response_id)
    now = datetime.now(UTC)
    for (rid, question_id), themes in themes_by_answer(db, [response_id]).items():
        for theme in themes:
            if theme.decided_by is None:
                decide_theme(
                    db,
                    member,
                    response_id=rid,
                    question_id=question_id,
                    theme_id=theme.theme_id,
                    present=True,
                    codebook_version=codebook_version,
                    now=now,
                )
    response = db.get(Response, response_id) or response
    response.reviewed_by, response.reviewed_at = member.username, now
    db.add(response)
    db.commit()


def _audit_flagged_views(
    db: Session, member: StaffMember, response_ids: list[int], now: datetime | None
) -> dict[int, tuple[int, str]]:
    """Showing the text of an answer that raised an alert or check is a view of flagged
    text: audit it (once an hour per member and alert). Returns response -> (alert, band)."""
    flagged = db.exec(
        select(SafeguardingAlert.id, SafeguardingAlert.response_id, SafeguardingAlert.band).where(
            col(SafeguardingAlert.response_id).in_(response_ids)
        )
    ).all()
    added = [
        audit_text_view(db, member, alert_id or 0, response_id, where="review desk", now=now)
        for alert_id, response_id, _ in flagged
    ]
    if any(added):
        db.commit()
    return {response_id: (alert_id or 0, band) for alert_id, response_id, band in flagged}
