"""The database tables (SQLModel). Schema changes go through Alembic migrations in migrations/.

Anonymous by design: a response has no user, no IP address, no device or cookie id and no
time of day finer than a time band.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, Column, DateTime, LargeBinary, Text, UniqueConstraint
from sqlmodel import Field, SQLModel


class QuestionnaireVersion(SQLModel, table=True):
    __tablename__ = "questionnaire_version"

    id: str = Field(primary_key=True, max_length=120)
    questionnaire_id: str = Field(max_length=80)
    version_label: str = Field(max_length=40)
    definition: dict[str, Any] = Field(sa_column=Column(JSON, nullable=False))
    first_used_on: date


class Response(SQLModel, table=True):
    __tablename__ = "response"

    id: int | None = Field(default=None, primary_key=True)
    # Created when the form is first shown: a double click or a rerun stores once.
    submission_id: str = Field(max_length=64, unique=True, index=True)
    questionnaire_version_id: str = Field(foreign_key="questionnaire_version.id", index=True)
    submitted_on: date = Field(index=True)
    time_band: str = Field(max_length=40)
    source: str = Field(max_length=20, default="online")  # online, paper, demo
    # Copied from the answers so counts by district and age need no join.
    district: str | None = Field(default=None, max_length=80, index=True)
    age_band: str | None = Field(default=None, max_length=20)
    # The participation session it was given in (None for the open survey).
    session_id: int | None = Field(default=None, foreign_key="participation_session.id", index=True)
    # The language of free text that was not machine-read (None: English, or no text).
    text_language: str | None = Field(default=None, max_length=40)
    # Which codebook and model tagged the free text; `youthvoice retag` finds older ones.
    themes_codebook_version: str | None = Field(default=None, max_length=40)
    themes_model_version: str | None = Field(default=None, max_length=80)
    # Set when a worker has checked this response's themes on the review desk.
    reviewed_by: str | None = Field(default=None, max_length=80)
    reviewed_at: datetime | None = Field(
        default=None, sa_column=Column(DateTime(timezone=True), nullable=True)
    )


class Answer(SQLModel, table=True):
    __tablename__ = "answer"

    id: int | None = Field(default=None, primary_key=True)
    response_id: int = Field(foreign_key="response.id", index=True, ondelete="CASCADE")
    question_id: str = Field(max_length=80)
    # One row per ticked choice; scale points as text; free text as stored (redacted).
    value: str = Field(sa_column=Column(Text, nullable=False))
    position: int = 0


class ParticipationSession(SQLModel, table=True):
    """A session a worker runs in a school or youth club, joined with a short code."""

    __tablename__ = "participation_session"

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(max_length=12, unique=True, index=True)
    name: str = Field(max_length=200)
    venue_type: str = Field(max_length=40)
    district: str = Field(max_length=80)
    held_on: date
    age_group: str | None = Field(default=None, max_length=20)
    worker_id: int = Field(foreign_key="app_user.id", index=True)
    created_at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))
    expires_at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))
    closed_at: datetime | None = Field(
        default=None, sa_column=Column(DateTime(timezone=True), nullable=True)
    )
    show_quotes: bool = False  # approved quotes on the live screen
    # Set when the worker archives the session: it leaves their list, its answers stay.
    archived_at: datetime | None = Field(
        default=None, sa_column=Column(DateTime(timezone=True), nullable=True)
    )


class ResponseTheme(SQLModel, table=True):
    """A theme found in a free-text answer, with the evidence that it is there.

    source is rule or model (the tagger) or reviewer; a reviewer row with present=False
    records a removed theme. Reviewer rows override the tagger and survive re-tagging.
    """

    __tablename__ = "response_theme"
    __table_args__ = (UniqueConstraint("response_id", "question_id", "theme_id", "source"),)

    id: int | None = Field(default=None, primary_key=True)
    response_id: int = Field(foreign_key="response.id", index=True, ondelete="CASCADE")
    question_id: str = Field(max_length=80)
    theme_id: str = Field(max_length=80, index=True)
    source: str = Field(max_length=20)  # rule, model (reviewer decisions come later)
    score: float
    # [{"text": ..., "start": ..., "end": ...}] into the stored (redacted) text.
    evidence: list[dict[str, Any]] = Field(
        default_factory=list, sa_column=Column(JSON, nullable=False)
    )
    codebook_version: str = Field(max_length=40)
    model_version: str | None = Field(default=None, max_length=80)
    present: bool = True
    reviewer: str | None = Field(default=None, max_length=80)
    reviewed_at: datetime | None = Field(
        default=None, sa_column=Column(DateTime(timezone=True), nullable=True)
    )


class Quote(SQLModel, table=True):
    """A free-text answer (as stored, so redacted) approved to be shown to a board."""

    __tablename__ = "quote"
    __table_args__ = (
        UniqueConstraint("response_id", "question_id", name="uq_quote_response_question"),
    )

    id: int | None = Field(default=None, primary_key=True)
    response_id: int = Field(foreign_key="response.id", index=True, ondelete="CASCADE")
    question_id: str = Field(max_length=80)
    text: str = Field(sa_column=Column(Text, nullable=False))
    approved_by: str = Field(max_length=80)
    approved_at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))


class SafeguardingAlert(SQLModel, table=True):
    """An answer that may be a disclosure, queued for the session's worker (or, from the
    open survey, the safeguarding lead). Only the date is kept, as for the response."""

    __tablename__ = "safeguarding_alert"

    id: int | None = Field(default=None, primary_key=True)
    response_id: int = Field(foreign_key="response.id", index=True, ondelete="CASCADE")
    worker_id: int | None = Field(default=None, foreign_key="app_user.id", index=True)
    raised_on: date
    categories: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    # [{"question", "text", "start", "end", "category"}] into the stored (redacted) text.
    evidence: list[dict[str, Any]] = Field(
        default_factory=list, sa_column=Column(JSON, nullable=False)
    )
    state: str = Field(default="new", max_length=20, index=True)  # new, seen, actioned
    # alert: likely harm, the young person was shown help at once and staff are emailed;
    # check: a possible concern (or text no machine could read) for a worker within a day.
    band: str = Field(default="alert", max_length=10, index=True)
    # Set when the free text was not English enough to be machine-read: the language seen.
    language: str | None = Field(default=None, max_length=40)
    # When staff were told, to the quarter hour (rounded down), for the alert's age: not the
    # submit time to the second, which could be paired with the response (docs/privacy.md).
    raised_at: datetime | None = Field(
        default=None, sa_column=Column(DateTime(timezone=True), nullable=True)
    )


class AlertNotice(SQLModel, table=True):
    """An email telling staff an alert needs them (an outbox: sent after the submit, retried
    until it goes). It holds no free text and no personal data about the young person."""

    __tablename__ = "alert_notice"

    id: int | None = Field(default=None, primary_key=True)
    alert_id: int = Field(foreign_key="safeguarding_alert.id", index=True, ondelete="CASCADE")
    recipient: str = Field(max_length=200)
    created_at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))
    next_try_at: datetime = Field(
        sa_column=Column(DateTime(timezone=True), nullable=False, index=True)
    )
    sent_at: datetime | None = Field(
        default=None, sa_column=Column(DateTime(timezone=True), nullable=True)
    )
    attempts: int = 0
    last_error: str | None = Field(default=None, sa_column=Column(Text, nullable=True))


class AlertEvent(SQLModel, table=True):
    """Each change of an alert's state: who, when, and their note."""

    __tablename__ = "alert_event"

    id: int | None = Field(default=None, primary_key=True)
    alert_id: int = Field(foreign_key="safeguarding_alert.id", index=True, ondelete="CASCADE")
    state: str = Field(max_length=20)
    by: str = Field(max_length=80)
    at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))
    note: str = Field(default="", sa_column=Column(Text, nullable=False))


class ResponseSummary(SQLModel, table=True):
    """One narrow row per response for the board: its dimensions and a bit set of its
    themes (after review, ticked choices included). Kept up to date whenever a response or
    its themes change, so a board page never joins or scans the answer tables."""

    __tablename__ = "response_summary"

    response_id: int = Field(foreign_key="response.id", primary_key=True, ondelete="CASCADE")
    month: date = Field(index=True)
    district: str | None = Field(default=None, max_length=80)
    age_band: str | None = Field(default=None, max_length=20)
    gender: str | None = Field(default=None, max_length=40)
    venue_type: str | None = Field(default=None, max_length=40)
    source: str = Field(max_length=20)
    feels_unsafe: bool | None = None
    themes_mask: int = Field(default=0, sa_type=BigInteger)
    times_mask: int = 0
    # The dimensions above packed into one integer (codes from summary_code), so the board
    # reads three integer columns per response instead of nine (see response_summary.py).
    dims_key: int = Field(default=0, sa_type=BigInteger)


class SummaryCode(SQLModel, table=True):
    """Small integer codes for dimension values in `response_summary.dims_key`."""

    __tablename__ = "summary_code"
    # One code per value and one value per code, so concurrent writers cannot share a code.
    __table_args__ = (UniqueConstraint("kind", "code", name="uq_summary_code_kind_code"),)

    kind: str = Field(primary_key=True, max_length=20)
    value: str = Field(primary_key=True, max_length=80)
    code: int


class ThemeBit(SQLModel, table=True):
    """Which bit of `response_summary.themes_mask` stands for which theme (assigned once)."""

    __tablename__ = "theme_bit"

    theme_id: str = Field(primary_key=True, max_length=80)
    bit: int = Field(unique=True)


class DataChange(SQLModel, table=True):
    """A counter per kind of data, bumped on every change, so caches know when to reload."""

    __tablename__ = "data_change"

    kind: str = Field(primary_key=True, max_length=40)
    counter: int = Field(default=0, sa_type=BigInteger)


class Action(SQLModel, table=True):
    """ "You said, we did": what young people asked for, and what the partnership did."""

    __tablename__ = "partnership_action"

    id: int | None = Field(default=None, primary_key=True)
    theme_id: str = Field(max_length=80, index=True)
    district: str | None = Field(default=None, max_length=80)  # None: the whole area
    asked: str = Field(sa_column=Column(Text, nullable=False))  # "you said"
    done: str = Field(sa_column=Column(Text, nullable=False))  # "we did"
    owner: str = Field(max_length=200)
    status: str = Field(max_length=20)  # planned, in_progress, done
    action_date: date
    recorded_by: str = Field(max_length=80)
    recorded_at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))


class User(SQLModel, table=True):
    __tablename__ = "app_user"

    id: int | None = Field(default=None, primary_key=True)
    username: str = Field(max_length=80, unique=True, index=True)
    display_name: str = Field(max_length=120)
    role: str = Field(max_length=20)
    # Where safeguarding alert emails reach them (None: not emailed).
    email: str | None = Field(default=None, max_length=254)
    password_hash: str = Field(max_length=255)
    active: bool = True
    created_at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))


class RateLimit(SQLModel, table=True):
    """One counter of one limit in its current window (see survey/core/limits.py).

    The key is a keyed hash of what is limited (a session, a device token, a network
    address, a username): no answer, address or token is stored, and a row is deleted once
    its window is over, so no stored time can be paired with an answer.
    """

    __tablename__ = "rate_limit"

    key: str = Field(primary_key=True, max_length=80)
    window_start: int = Field(sa_type=BigInteger)  # seconds since 1970, UTC
    used: int = 0
    expires_at: int = Field(sa_type=BigInteger, index=True)
    # The staff username a sign-in limit is about, so an admin can lift it.
    subject: str | None = Field(default=None, max_length=80, index=True)


class AuditEvent(SQLModel, table=True):
    __tablename__ = "audit_event"

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False, index=True))
    actor: str | None = Field(default=None, max_length=80)
    action: str = Field(max_length=60, index=True)
    target: str | None = Field(default=None, max_length=200)
    detail: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))


class StaffSession(SQLModel, table=True):
    """A staff member's sign-in, carried by a signed HttpOnly cookie holding its token.

    Only a hash of the token is stored, so a copy of the database cannot be used to sign in.
    It ends when idle too long, at its absolute limit, on sign-out, or on a password change.
    """

    __tablename__ = "staff_session"

    token_hash: str = Field(primary_key=True, max_length=64)
    user_id: int = Field(foreign_key="app_user.id", index=True, ondelete="CASCADE")
    created_at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))
    last_seen_at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))
    expires_at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))
    revoked_at: datetime | None = Field(
        default=None, sa_column=Column(DateTime(timezone=True), nullable=True)
    )


class SurveyDraft(SQLModel, table=True):
    """A young person's unfinished answers, kept two hours under a random draft token so
    back, reload and a dropped connection lose nothing. No account and nothing identifying:
    the answers are encrypted with a key derived from the token, which is never stored (only
    its hash), so the server cannot read a draft without the phone that holds it."""

    __tablename__ = "survey_draft"

    token_hash: str = Field(primary_key=True, max_length=64)
    sealed: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
    expires_at: datetime = Field(
        sa_column=Column(DateTime(timezone=True), nullable=False, index=True)
    )
