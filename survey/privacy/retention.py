"""Retention and erasure: free text goes after the retention period; an admin can delete
one response (a malicious one, say), with an audit entry."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from dateutil.relativedelta import relativedelta
from sqlalchemy import delete, func, update
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from survey.core.audit import record_event
from survey.core.models import (
    Answer,
    Quote,
    Response,
    ResponseSummary,
    ResponseTheme,
    SafeguardingAlert,
)
from survey.questionnaire import Questionnaire
from survey.response_summary import RESPONSES, bump
from survey.staff.permissions import Permission, StaffMember, require

# The tables purge_free_text deletes from or rewrites: their old rows still hold the text
# until the space is reclaimed (reclaim_space).
FREE_TEXT_TABLES = ("answer", "quote", "response_theme", "safeguarding_alert")
SHORTEST_RETENTION_MONTHS = 1


class RetentionPeriodTooShort(ValueError):
    """A period under a month would remove free text sent this month, or all of it."""


@dataclass(frozen=True)
class PurgePlan:
    cutoff: date
    responses: int  # responses whose free text goes
    answers: int  # free-text answers removed
    quotes: int


def _free_text_questions(questionnaire: Questionnaire) -> list[str]:
    return sorted(questionnaire.free_text_ids)


def purge_free_text(
    db: Session,
    questionnaire: Questionnaire,
    *,
    months: int,
    today: date,
    dry_run: bool,
    actor: str,
) -> PurgePlan:
    """Remove free text older than `months`: the answers, their quotes, and the words kept
    as evidence (the themes and structured answers stay). `dry_run` only counts.

    The deleted text is still in the database files until `reclaim_space` runs."""
    if months < SHORTEST_RETENTION_MONTHS:
        # 0 would take everything sent before today, -1 everything: never what was meant.
        raise RetentionPeriodTooShort(
            f"The retention period must be at least {SHORTEST_RETENTION_MONTHS} month, "
            f"not {months}: nothing was removed."
        )
    cutoff = today - relativedelta(months=months)
    old = select(Response.id).where(col(Response.submitted_on) < cutoff)
    texts = select(Answer.id).where(
        col(Answer.response_id).in_(old),
        col(Answer.question_id).in_(_free_text_questions(questionnaire)),
    )
    plan = PurgePlan(
        cutoff,
        db.exec(
            select(func.count(func.distinct(Answer.response_id))).where(col(Answer.id).in_(texts))
        ).one(),
        db.exec(select(func.count()).where(col(Answer.id).in_(texts))).one(),
        db.exec(
            select(func.count()).select_from(Quote).where(col(Quote.response_id).in_(old))
        ).one(),
    )
    if dry_run:
        return plan
    db.exec(delete(Quote).where(col(Quote.response_id).in_(old)))
    db.exec(
        update(ResponseTheme).where(col(ResponseTheme.response_id).in_(old)).values(evidence=[])
    )
    db.exec(
        update(SafeguardingAlert)
        .where(col(SafeguardingAlert.response_id).in_(old))
        .values(evidence=[])
    )
    db.exec(delete(Answer).where(col(Answer.id).in_(texts)))
    record_event(
        db,
        action="retention.purged",
        actor=actor,
        detail={"cutoff": cutoff.isoformat(), "answers": plan.answers},
    )
    db.commit()
    return plan


def reclaim_space(engine: Engine, tables: Iterable[str]) -> bool:
    """Compact the database after a purge, so deleted rows leave its files.

    A DELETE only marks rows free: their bytes stay in the file (and, on SQLite, in the WAL)
    until the pages are rewritten. SQLite: VACUUM rebuilds the whole file, then a TRUNCATE
    checkpoint copies it back from the WAL and empties the WAL. PostgreSQL: VACUUM ANALYZE
    of `tables` makes the dead rows' space reusable and refreshes the planner's statistics;
    it does not overwrite that space (new rows do, later). VACUUM FULL would rewrite the
    tables at once, but locks them against every submit while it runs.
    Returns False when SQLite could not empty its WAL because someone was reading; the old
    pages then go at a later checkpoint.
    """
    # VACUUM cannot run inside a transaction, on either database.
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        if engine.dialect.name == "sqlite":
            conn.exec_driver_sql("VACUUM")
            busy = conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)").one()[0]
            return not busy
        names = sorted(set(tables))
        if names:  # none would mean the whole database, which nobody asked for
            quote = engine.dialect.identifier_preparer.quote
            conn.exec_driver_sql(f"VACUUM ANALYZE {', '.join(map(quote, names))}")
    return True


def delete_response(db: Session, member: StaffMember, response_id: int, reason: str) -> None:
    """Delete one response and everything hanging off it (DELETE_RESPONSES, with a reason)."""
    require(member, Permission.DELETE_RESPONSES)
    if not reason.strip():
        raise ValueError("Give a reason for deleting the response; it goes in the audit log.")
    response = db.get(Response, response_id)
    if response is None:
        raise ValueError(f"There is no response {response_id}.")
    for table in (Answer, ResponseTheme, Quote, SafeguardingAlert, ResponseSummary):
        db.exec(delete(table).where(col(table.response_id) == response_id))
    db.delete(response)
    bump(db, RESPONSES)
    record_event(
        db,
        action="response.deleted",
        actor=member.username,
        target=f"response {response_id}",
        detail={"reason": reason.strip()[:500]},
    )
    db.commit()
