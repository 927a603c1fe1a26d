"""The import history, and undoing an import as a unit.

Undo deletes the import's incidents and brings back the rows it had replaced (unless a
later import still replaces them), recounts the affected months, and keeps the import
record (marked undone) and an audit event, so the history shows what happened.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

import pandas as pd
from sqlalchemy import delete, func, update
from sqlmodel import Session, col, select

from incidents.aggregates import refresh_counts
from incidents.models import Incident, IncidentImport
from incidents.storing import STORED, UNDONE, slices_from_json
from survey.core.audit import record_event
from survey.staff.permissions import Permission, StaffMember, require


class UndoRefused(ValueError):
    """The import cannot be undone; the message says why."""


@dataclass(frozen=True)
class UndoResult:
    import_id: int
    removed: int  # incidents of the import, deleted
    restored: int  # incidents of earlier imports that are live again


HISTORY_COLUMNS = [
    "id", "imported_at", "file_name", "source", "kind", "actor", "status", "rows_stored",
    "rows_skipped", "rows_replaced", "months", "undone_at", "undone_by",
]  # fmt: skip


def import_history(db: Session, *, limit: int = 100) -> pd.DataFrame:
    """The most recent imports, newest first (months shown as a span, e.g. 2019-01 to 2019-12)."""
    records = db.exec(
        select(IncidentImport).order_by(col(IncidentImport.id).desc()).limit(limit)
    ).all()
    rows = [
        {name: getattr(r, name) for name in HISTORY_COLUMNS if name != "months"}
        | {"months": _span(r.months)}
        for r in records
    ]
    return pd.DataFrame(rows, columns=HISTORY_COLUMNS)


def undoable_imports(db: Session, *, limit: int = 100) -> dict[int, str]:
    """Stored imports that can be undone, newest first: id -> a label naming file and date."""
    records = db.exec(
        select(IncidentImport)
        .where(IncidentImport.status == STORED)
        .order_by(col(IncidentImport.id).desc())
        .limit(limit)
    ).all()
    return {
        r.id: f"#{r.id} {r.file_name} ({r.rows_stored:,} incidents, {r.imported_at:%d %b %Y})"
        for r in records
        if r.id is not None
    }


def undo_import(db: Session, member: StaffMember, import_id: int) -> UndoResult:
    """Undo a stored import: its incidents go, the rows it replaced come back. Commits."""
    require(member, Permission.UNDO_IMPORTS)
    actor = member.username
    record = db.get(IncidentImport, import_id)
    if record is None:
        raise UndoRefused(f"There is no import #{import_id}.")
    if record.status != STORED:
        raise UndoRefused(f"Import #{import_id} has already been undone.")
    slices = slices_from_json(record.months)
    restored = _restore_replaced(db, import_id, record.source, slices)
    removed = db.connection().execute(delete(Incident).where(col(Incident.import_id) == import_id))
    refresh_counts(db, record.source, {month for _, month in slices})
    record.status, record.undone_at, record.undone_by = UNDONE, datetime.now(UTC), actor
    result = UndoResult(import_id, int(removed.rowcount or 0), restored)
    record_event(
        db,
        action="incidents.import_undone",
        actor=actor,
        target=f"incident_import:{import_id}",
        detail={"removed": result.removed, "restored": result.restored},
    )
    db.commit()
    return result


def _restore_replaced(
    db: Session, import_id: int, source: str, slices: list[tuple[str, date]]
) -> int:
    """Rows this import replaced become live again, or pass to a later import of the slice."""
    connection = db.connection()
    for reported_by, month in slices:
        later = db.exec(
            select(func.max(Incident.import_id)).where(
                Incident.source == source,
                Incident.reported_by == reported_by,
                Incident.month == month,
                col(Incident.superseded_by).is_(None),
                Incident.import_id != import_id,
                Incident.import_id > import_id,
            )
        ).one()
        if later is not None:  # a newer import of this month stays in charge of it
            connection.execute(
                update(Incident)
                .where(
                    col(Incident.superseded_by) == import_id,
                    col(Incident.source) == source,
                    col(Incident.reported_by) == reported_by,
                    col(Incident.month) == month,
                )
                .values(superseded_by=later)
            )
    restored = connection.execute(
        update(Incident).where(col(Incident.superseded_by) == import_id).values(superseded_by=None)
    )
    return int(restored.rowcount or 0)


def _span(months: list[dict[str, object]]) -> str:
    names = sorted({str(m["month"]) for m in months})
    if not names:
        return ""
    return names[0] if len(names) == 1 else f"{names[0]} to {names[-1]}"
