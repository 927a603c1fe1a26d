"""The incident_count table: live incidents counted by every shared dimension.

Kept up to date on import and undo by recounting only the affected source and months, so a
dashboard reads thousands of count rows instead of scanning millions of incidents.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from sqlalchemy import delete, func, insert
from sqlmodel import Session, col, select

from incidents.models import Incident, IncidentCount

DEMO_SOURCE = "demo"
# The dimensions an incident is counted by (NULL where a source does not record one).
DIMENSIONS = (
    "source", "month", "district", "place_type", "category", "strands", "hour", "time_band",
    "suspect_sex", "suspect_age_band", "victim_sex", "victim_age_band",
)  # fmt: skip
COUNT_COLUMNS = (*DIMENSIONS, "incidents")


def refresh_counts(db: Session, source: str, months: Iterable[date]) -> None:
    """Recount the live incidents of one source in these months (in the caller's transaction)."""
    wanted = sorted(set(months))
    if not wanted:
        return
    connection = db.connection()
    connection.execute(
        delete(IncidentCount).where(
            col(IncidentCount.source) == source, col(IncidentCount.month).in_(wanted)
        )
    )
    keys = [getattr(Incident, name) for name in DIMENSIONS]
    counted = (
        select(*keys)
        .add_columns(func.count())
        .where(
            col(Incident.source) == source,
            col(Incident.month).in_(wanted),
            col(Incident.superseded_by).is_(None),
        )
        .group_by(*keys)
    )
    target = [getattr(IncidentCount, name) for name in COUNT_COLUMNS]
    connection.execute(insert(IncidentCount).from_select(target, counted))


def has_demo_incidents(db: Session) -> bool:
    """Whether synthetic demo incidents are stored (pages then label them as such)."""
    query = select(IncidentCount.id).where(IncidentCount.source == DEMO_SOURCE).limit(1)
    return db.exec(query).first() is not None
