"""The incident tables (SQLModel). Created by the Alembic migration 0003_incidents.

- `incident_import`: one row per import (a batch of files, or the demo data), undoable.
- `incident_import_file`: each file of an import with its content hash (re-imports add nothing).
- `incident`: one row per incident; never merged (police.uk snaps many incidents to one point).
- `incident_count`: counts by the shared dimensions, kept up to date on import and undo, so
  dashboards never scan `incident`.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Column, DateTime, Index, SmallInteger
from sqlmodel import Field, SQLModel


class IncidentImport(SQLModel, table=True):
    __tablename__ = "incident_import"

    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=20)  # police_uk, partner, demo
    source: str = Field(max_length=40, index=True)  # police.uk, a partner mapping's source, demo
    file_name: str = Field(max_length=255)
    mapping: str | None = Field(default=None, max_length=120)
    actor: str | None = Field(default=None, max_length=80)
    imported_at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))
    status: str = Field(max_length=20, index=True)  # stored, undone
    only_good_rows: bool = False
    rows_read: int = 0
    rows_stored: int = 0
    rows_skipped: int = 0
    rows_replaced: int = 0
    # [{"reported_by": ..., "month": "YYYY-MM", "rows": n}]: what a later import may replace.
    months: list[dict[str, Any]] = Field(
        default_factory=list, sa_column=Column(JSON, nullable=False)
    )
    report: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    undone_at: datetime | None = Field(
        default=None, sa_column=Column(DateTime(timezone=True), nullable=True)
    )
    undone_by: str | None = Field(default=None, max_length=80)


class IncidentImportFile(SQLModel, table=True):
    __tablename__ = "incident_import_file"

    id: int | None = Field(default=None, primary_key=True)
    import_id: int = Field(foreign_key="incident_import.id", index=True, ondelete="CASCADE")
    file_name: str = Field(max_length=255)
    content_hash: str = Field(max_length=64, index=True)  # sha256 of the file's bytes
    encoding: str = Field(max_length=40)
    rows: int = 0


class Incident(SQLModel, table=True):
    __tablename__ = "incident"
    # Month replacement looks up one force's (or partner's) month: keep that lookup indexed.
    __table_args__ = (Index("ix_incident_slice", "source", "reported_by", "month"),)

    id: int | None = Field(default=None, primary_key=True)
    import_id: int = Field(foreign_key="incident_import.id", index=True, ondelete="CASCADE")
    source: str = Field(max_length=40)
    reported_by: str = Field(default="", max_length=80)  # police.uk "Reported by", or partner
    month: date  # first day of the month
    occurred_on: date | None = None
    hour: int | None = Field(default=None, sa_type=SmallInteger)
    time_band: str | None = Field(default=None, max_length=40)
    district: str = Field(max_length=80)
    lsoa_code: str | None = Field(default=None, max_length=12)
    longitude: float | None = None
    latitude: float | None = None
    location: str | None = Field(default=None, max_length=200)  # as the file said it
    place_type: str | None = Field(default=None, max_length=60)
    reference: str | None = Field(default=None, max_length=80)  # police.uk Crime ID, partner ref
    crime_type: str | None = Field(default=None, max_length=120)  # as the file said it
    category: str | None = Field(default=None, max_length=40)
    strands: str | None = Field(default=None, max_length=80)  # space-separated strand ids
    weapon: str | None = Field(default=None, max_length=40)
    suspect_sex: str | None = Field(default=None, max_length=20)
    suspect_age: int | None = Field(default=None, sa_type=SmallInteger)
    suspect_age_band: str | None = Field(default=None, max_length=20)
    victim_sex: str | None = Field(default=None, max_length=20)
    victim_age: int | None = Field(default=None, sa_type=SmallInteger)
    victim_age_band: str | None = Field(default=None, max_length=20)
    # Set when a later import of the same source, reporter and month replaced this row;
    # undoing that import clears it again.
    superseded_by: int | None = Field(default=None, foreign_key="incident_import.id")


class IncidentCount(SQLModel, table=True):
    """Live incidents counted by every shared dimension (NULL: not known for that source)."""

    __tablename__ = "incident_count"
    __table_args__ = (
        Index("ix_incident_count_source_month", "source", "month"),
        Index("ix_incident_count_district_month", "district", "month"),
    )

    id: int | None = Field(default=None, primary_key=True)
    source: str = Field(max_length=40)
    month: date
    district: str = Field(max_length=80)
    place_type: str | None = Field(default=None, max_length=60)
    category: str | None = Field(default=None, max_length=40)
    strands: str | None = Field(default=None, max_length=80)
    hour: int | None = Field(default=None, sa_type=SmallInteger)
    time_band: str | None = Field(default=None, max_length=40)
    suspect_sex: str | None = Field(default=None, max_length=20)
    suspect_age_band: str | None = Field(default=None, max_length=20)
    victim_sex: str | None = Field(default=None, max_length=20)
    victim_age_band: str | None = Field(default=None, max_length=20)
    incidents: int
