"""Building incident files in code, importing them, and counting what was stored."""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd
from sqlalchemy import func
from sqlmodel import Session, col, select

from incidents.aggregates import COUNT_COLUMNS, DIMENSIONS
from incidents.importing import import_files
from incidents.models import Incident, IncidentCount
from incidents.police_uk import HEADER
from incidents.reading import files_from_uploads
from incidents.report import ImportReport
from incidents.vocabulary import IncidentVocabulary
from survey.staff.permissions import Role, StaffMember

SAMPLE = Path(__file__).parent / "data" / "2019-01-kent-street-sample.csv"
# Analysts who import and undo (the domain checks their permission, not an account).
TESTER = StaffMember(1, "tester", "tester", Role.ANALYST)
ANA = StaffMember(2, "ana", "ana", Role.ANALYST)

POLICE_DEFAULTS = {
    "Crime ID": "",
    "Month": "2019-01",
    "Reported by": "Kent Police",
    "Falls within": "Kent Police",
    "Longitude": "0.968871",
    "Latitude": "51.242341",
    "Location": "On or near Branch Road",
    "LSOA code": "E01023987",
    "LSOA name": "Ashford 001B",
    "Crime type": "Anti-social behaviour",
    "Last outcome category": "",
    "Context": "",
}


def police_row(**changes: str) -> list[str]:
    """A police.uk row; keyword names are the header names with spaces as underscores."""
    row = dict(POLICE_DEFAULTS)
    for key, value in changes.items():
        name = next(h for h in HEADER if h.replace(" ", "_").lower() == key.lower())
        row[name] = value
    return [row[h] for h in HEADER]


def csv_bytes(
    rows: list[list[str]],
    *,
    header: list[str] | None = None,
    encoding: str = "utf-8",
    bom: bool = False,
) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header or HEADER)
    writer.writerows(rows)
    data = out.getvalue().encode(encoding)
    return (b"\xef\xbb\xbf" if bom else b"") + data


def month_file(month: str, count: int, **changes: str) -> bytes:
    """A police.uk file of `count` rows in one month, each with its own Crime ID."""
    rows = [police_row(month=month, crime_id=f"{month}-{i}", **changes) for i in range(count)]
    return csv_bytes(rows)


def zip_bytes(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return out.getvalue()


def run_import(
    db: Session, vocabulary: IncidentVocabulary, *uploads: tuple[str, bytes], **options: Any
) -> ImportReport:
    return import_files(
        db, TESTER, files_from_uploads(list(uploads)), vocabulary=vocabulary, **options
    )


def live(db: Session, **where: Any) -> int:
    """Live (not replaced) incidents matching column == value filters."""
    query = select(func.count()).select_from(Incident).where(col(Incident.superseded_by).is_(None))
    for name, value in where.items():
        query = query.where(getattr(Incident, name) == value)
    return int(db.exec(query).one())


def stored(db: Session) -> int:
    return int(db.exec(select(func.count()).select_from(Incident)).one())


def direct_counts(db: Session) -> pd.DataFrame:
    """Live incidents counted straight from the incident table, shaped like incident_counts."""
    rows = db.exec(
        select(*(getattr(Incident, d) for d in DIMENSIONS)).where(
            col(Incident.superseded_by).is_(None)
        )
    ).all()
    table = pd.DataFrame(rows, columns=list(DIMENSIONS))
    return _normalised(table.assign(incidents=1))


def aggregate_counts(db: Session) -> pd.DataFrame:
    return _normalised(incident_counts(db))


def _normalised(table: pd.DataFrame) -> pd.DataFrame:
    keys = list(DIMENSIONS)
    table = table.astype({"month": "datetime64[s]", "hour": "Int64"})
    table[[k for k in keys if k not in ("month", "hour")]] = (
        table[[k for k in keys if k not in ("month", "hour")]].astype(object).fillna("-")
    )
    table["hour"] = table["hour"].fillna(-1)
    grouped = table.groupby(keys, dropna=False)["incidents"].sum().reset_index()
    return grouped.sort_values(keys).reset_index(drop=True)


def incident_counts(
    db: Session,
    *,
    districts: Sequence[str] | None = None,
    month_from: date | None = None,
    month_to: date | None = None,
    sources: Sequence[str] | None = None,
) -> pd.DataFrame:
    """The stored incident counts by every dimension, optionally filtered; months inclusive."""
    query = select(*(getattr(IncidentCount, name) for name in COUNT_COLUMNS))
    if districts:
        query = query.where(col(IncidentCount.district).in_(list(districts)))
    if month_from:
        query = query.where(col(IncidentCount.month) >= month_from.replace(day=1))
    if month_to:
        query = query.where(col(IncidentCount.month) <= month_to.replace(day=1))
    if sources:
        query = query.where(col(IncidentCount.source).in_(list(sources)))
    table = pd.read_sql(query, db.connection())
    table["month"] = pd.to_datetime(table["month"])
    table["hour"] = table["hour"].astype("Int64")
    table["incidents"] = table["incidents"].astype("int64")
    return table
