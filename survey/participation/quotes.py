"""Approved quotes: the only free text that ever reaches a board page or an export.

A quote is a young person's answer as stored (so already redacted), or one part of it,
approved by the worker whose session it came from. A response that raised a safeguarding
alert or check never gives a quote, not even a part of it that looks harmless.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlmodel import Session, col, select

from survey.core.audit import record_event
from survey.core.models import Answer, Quote, Response, SafeguardingAlert
from survey.participation.review import response_for_staff
from survey.safeguarding.alerts import ALERT, band_of_response
from survey.staff.permissions import Permission, StaffMember, require

MAX_QUOTE = 600


class QuoteError(ValueError):
    """The quote cannot be approved as given; the message says why."""


@dataclass(frozen=True)
class ApprovedQuote:
    response_id: int
    question_id: str
    text: str
    district: str | None
    session_id: int | None


def approve_quote(
    db: Session,
    member: StaffMember,
    *,
    response_id: int,
    question_id: str,
    text: str | None = None,
) -> ApprovedQuote:
    """Approve an answer (or a trimmed part of it: a sentence) as a quote for the board."""
    require(member, Permission.APPROVE_QUOTES)
    response = response_for_staff(db, member, response_id)
    band = band_of_response(db, response_id)
    if band is not None:
        raised = "an alert" if band == ALERT else "a check"
        raise QuoteError(
            f"This response raised {raised} for safeguarding, so no part of it can be a "
            "quote: it never goes to a board."
        )
    stored = db.exec(
        select(Answer.value).where(
            Answer.response_id == response_id, Answer.question_id == question_id
        )
    ).first()
    if stored is None:
        raise QuoteError("That answer has no text to quote.")
    chosen = (text if text is not None else stored).strip()
    if not chosen or chosen not in stored:
        # Trimming may only cut: a quote never says anything the young person did not.
        raise QuoteError("A quote must be the answer or a part of it, word for word.")
    if len(chosen) > MAX_QUOTE:
        raise QuoteError(f"Please trim the quote to at most {MAX_QUOTE} characters.")
    quote = db.exec(
        select(Quote).where(Quote.response_id == response_id, Quote.question_id == question_id)
    ).first()
    quote = quote or Quote(
        response_id=response_id,
        question_id=question_id,
        text="",
        approved_by="",
        approved_at=datetime.now(UTC),
    )
    quote.text, quote.approved_by, quote.approved_at = chosen, member.username, datetime.now(UTC)
    db.add(quote)
    record_event(
        db,
        action="quote.approved",
        actor=member.username,
        target=f"response {response_id}",
        detail={"question": question_id},
    )
    db.commit()
    return ApprovedQuote(response_id, question_id, chosen, response.district, response.session_id)


def withdraw_quote(db: Session, member: StaffMember, *, response_id: int, question_id: str) -> None:
    require(member, Permission.APPROVE_QUOTES)
    response_for_staff(db, member, response_id)
    quote = db.exec(
        select(Quote).where(Quote.response_id == response_id, Quote.question_id == question_id)
    ).first()
    if quote is not None:
        db.delete(quote)
        record_event(
            db,
            action="quote.withdrawn",
            actor=member.username,
            target=f"response {response_id}",
            detail={"question": question_id},
        )
        db.commit()


def approved_quotes(
    db: Session,
    *,
    session_id: int | None = None,
    response_ids: list[int] | None = None,
    district: str | None = None,
    limit: int = 50,
) -> list[ApprovedQuote]:
    """Approved quotes, newest approval first, optionally for one session or district.

    Never one from a response that raised a safeguarding alert or check (a quote approved
    before that rule, from a part of such an answer, is left out too)."""
    flagged = select(SafeguardingAlert.id).where(
        col(SafeguardingAlert.response_id) == col(Quote.response_id)
    )
    query = (
        select(Quote, Response.district, Response.session_id)
        .join(Response, col(Response.id) == col(Quote.response_id))
        .where(~flagged.exists())
        .order_by(col(Quote.approved_at).desc())
    )
    if session_id is not None:
        query = query.where(Response.session_id == session_id)
    if district is not None:
        query = query.where(Response.district == district)
    if response_ids is not None:
        query = query.where(col(Quote.response_id).in_(response_ids))
    return [
        ApprovedQuote(q.response_id, q.question_id, q.text, d, s)
        for q, d, s in db.exec(query.limit(limit)).all()
    ]
