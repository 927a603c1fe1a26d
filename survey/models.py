"""The database tables (SQLModel). Schema changes go through Alembic migrations in migrations/.

Anonymous by design: a response has no user, no IP address, no device or cookie id and no
time of day finer than a time band.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Column, DateTime, Text
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


class Answer(SQLModel, table=True):
    __tablename__ = "answer"

    id: int | None = Field(default=None, primary_key=True)
    response_id: int = Field(foreign_key="response.id", index=True, ondelete="CASCADE")
    question_id: str = Field(max_length=80)
    # One row per ticked choice; scale points as text; free text as stored (redacted).
    value: str = Field(sa_column=Column(Text, nullable=False))
    position: int = 0


class User(SQLModel, table=True):
    __tablename__ = "app_user"

    id: int | None = Field(default=None, primary_key=True)
    username: str = Field(max_length=80, unique=True, index=True)
    display_name: str = Field(max_length=120)
    role: str = Field(max_length=20)
    password_hash: str = Field(max_length=255)
    active: bool = True
    created_at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))


class SignInFailure(SQLModel, table=True):
    """Failed sign-ins, kept only to throttle guessing."""

    __tablename__ = "sign_in_failure"

    id: int | None = Field(default=None, primary_key=True)
    username: str = Field(max_length=80, index=True)
    at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))


class AuditEvent(SQLModel, table=True):
    __tablename__ = "audit_event"

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False, index=True))
    actor: str | None = Field(default=None, max_length=80)
    action: str = Field(max_length=60, index=True)
    target: str | None = Field(default=None, max_length=200)
    detail: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
