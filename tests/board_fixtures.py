"""Small, exact data sets for the board tests: responses through the real submit path,
incident counts straight into the aggregate table the board reads."""

from __future__ import annotations

from datetime import date

from sqlmodel import Session

from incidents.models import IncidentCount
from tests.support import send


def add_responses(
    db: Session,
    definition,
    district: str,
    ticked: list[str],
    n: int,
    *,
    when: str = "2026-03-10 12:00",
    age: str = "14-15",
    unsafe: str = "yes",
    prefix: str = "",
) -> None:
    for i in range(n):
        send(
            db,
            definition,
            {
                "district": district,
                "age_band": age,
                "unsafe_because": ticked,
                "feels_unsafe_somewhere": unsafe,
            },
            f"{prefix}{district}-{'-'.join(ticked)}-{when}-{i}",
            when=when,
        )


def add_incidents(
    db: Session,
    district: str,
    n: int,
    *,
    category: str = "violence",
    strands: str | None = "youth_violence",
    place: str | None = None,
    band: str | None = None,
    month: date = date(2026, 3, 1),
    source: str = "police",
) -> None:
    db.add(
        IncidentCount(
            source=source,
            month=month,
            district=district,
            place_type=place,
            category=category,
            strands=strands,
            hour=None,
            time_band=band,
            incidents=n,
        )
    )
    db.commit()
