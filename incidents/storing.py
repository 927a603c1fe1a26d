"""Writing incidents fast, and the bookkeeping that makes imports safe to repeat and undo.

Bulk writes go straight to the driver inside the session's transaction: COPY on PostgreSQL
(executemany there manages ~14k rows/s, PERFORMANCE.md), executemany in large chunks on
SQLite. Nothing is committed here; the caller commits once, so an import is all or nothing.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime
from types import TracebackType
from typing import Any

from sqlalchemy import and_, func, or_, update
from sqlmodel import Session, col, select

from incidents.models import Incident, IncidentImport, IncidentImportFile

STORED = "stored"
UNDONE = "undone"
CHUNK_ROWS = 10_000

Slices = Counter[tuple[str, date]]  # (reported_by, month) -> rows


class IncidentWriter:
    """Streams incident rows (tuples in `columns` order) into the incident table."""

    def __init__(self, db: Session, columns: Sequence[str]) -> None:
        self._connection = db.connection()
        self._driver: Any = self._connection.connection.driver_connection
        assert self._driver is not None
        self._postgres = self._connection.dialect.name == "postgresql"
        names = ", ".join(columns)
        if self._postgres:
            self._sql = f"COPY incident ({names}) FROM STDIN"
        else:
            marks = ", ".join("?" for _ in columns)
            self._sql = f"INSERT INTO incident ({names}) VALUES ({marks})"
        self._copy: Any = None
        self._copy_context: Any = None
        self.written = 0

    def __enter__(self) -> IncidentWriter:
        self._cursor = self._driver.cursor()
        if self._postgres:
            self._copy_context = self._cursor.copy(self._sql)
            self._copy = self._copy_context.__enter__()
        return self

    def write(self, rows: Sequence[tuple[object, ...]]) -> None:
        """Write one chunk of rows (kept small by the caller: memory stays bounded)."""
        if self._postgres:
            write_row = self._copy.write_row
            for row in rows:
                write_row(row)
        else:
            self._cursor.executemany(self._sql, rows)
        self.written += len(rows)

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._copy_context is not None:
            self._copy_context.__exit__(kind, error, tb)
        self._cursor.close()


def new_import(
    db: Session,
    *,
    kind: str,
    source: str,
    file_name: str,
    actor: str | None,
    mapping: str | None = None,
    only_good_rows: bool = False,
) -> IncidentImport:
    """Add an import record (status stored) and flush it, so its id can tag the rows."""
    record = IncidentImport(
        kind=kind,
        source=source,
        file_name=file_name[:255],
        mapping=mapping,
        actor=actor,
        imported_at=datetime.now(UTC),
        status=STORED,
        only_good_rows=only_good_rows,
    )
    db.add(record)
    db.flush()
    return record


def add_import_file(
    db: Session, import_id: int, *, name: str, content_hash: str, encoding: str, rows: int
) -> None:
    """Record a file of an import, with the hash that makes re-importing it a no-op."""
    db.add(
        IncidentImportFile(
            import_id=import_id,
            file_name=name[:255],
            content_hash=content_hash,
            encoding=encoding,
            rows=rows,
        )
    )


def already_imported(db: Session, hashes: Iterable[str]) -> dict[str, int]:
    """content hash -> id of the stored (not undone) import that holds a file with it."""
    wanted = sorted(set(hashes))
    if not wanted:
        return {}
    query = (
        select(IncidentImportFile.content_hash, func.min(IncidentImportFile.import_id))
        .join(IncidentImport, col(IncidentImport.id) == col(IncidentImportFile.import_id))
        .where(col(IncidentImportFile.content_hash).in_(wanted), IncidentImport.status == STORED)
        .group_by(col(IncidentImportFile.content_hash))
    )
    return {h: i for h, i in db.exec(query).all()}


def _slice_filter(source: str, slices: Iterable[tuple[str, date]]) -> Any:
    by_reporter: dict[str, list[date]] = {}
    for reported_by, month in slices:
        by_reporter.setdefault(reported_by, []).append(month)
    return and_(
        col(Incident.source) == source,
        or_(
            *(
                and_(col(Incident.reported_by) == r, col(Incident.month).in_(sorted(months)))
                for r, months in by_reporter.items()
            )
        ),
    )


def count_live(
    db: Session, source: str, slices: Iterable[tuple[str, date]], *, excluding: int = 0
) -> int:
    """Live rows of these (reported_by, month) slices, other than import `excluding`'s."""
    keys = list(slices)
    if not keys:
        return 0
    query = (
        select(func.count())
        .select_from(Incident)
        .where(
            _slice_filter(source, keys),
            col(Incident.superseded_by).is_(None),
            col(Incident.import_id) != excluding,
        )
    )
    return int(db.exec(query).one())


def supersede(db: Session, import_id: int, source: str, slices: Iterable[tuple[str, date]]) -> int:
    """Mark the live rows of other imports in these slices as replaced by `import_id`."""
    keys = list(slices)
    if not keys:
        return 0
    statement = (
        update(Incident)
        .where(
            _slice_filter(source, keys),
            col(Incident.superseded_by).is_(None),
            col(Incident.import_id) != import_id,
        )
        .values(superseded_by=import_id)
    )
    return int(db.connection().execute(statement).rowcount or 0)


def slices_json(slices: Slices) -> list[dict[str, Any]]:
    """The (reported_by, month) slices as stored on the import record."""
    return [
        {"reported_by": r, "month": m.strftime("%Y-%m"), "rows": n}
        for (r, m), n in sorted(slices.items())
    ]


def slices_from_json(items: list[dict[str, Any]]) -> list[tuple[str, date]]:
    """The (reported_by, month) slices stored on an import record."""
    return [(i["reported_by"], _month(i["month"])) for i in items]


def _month(text: str) -> date:
    year, month = text.split("-")
    return date(int(year), int(month), 1)
