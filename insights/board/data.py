"""The board's data, read once per change from the small tables kept on write:
`response_summary` (one narrow row per response) and `incident_count`.

`data_versions` is one cheap query; `load_board_data` runs only when it changes, so a board
page's rerun works on frames already in memory (PERFORMANCE.md: never scan or group the
incident table on a page view).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from sqlalchemy import func
from sqlmodel import Session, col, select

from incidents.models import IncidentCount
from insights.board.context import BoardContext
from survey.core.models import ParticipationSession, SummaryCode, ThemeBit
from survey.response_summary import CODE_BITS, CODED, RESPONSES, change_counter

INCIDENT_KEYS = ("source", "month", "district", "place_type", "category", "strands", "hour",
                 "time_band")  # fmt: skip


@dataclass(frozen=True)
class IncidentArrays:
    """The incident counts as numpy arrays: dimension codes and their values, so a filter
    is a few vector operations and a breakdown one bincount."""

    counts: np.ndarray
    codes: dict[str, np.ndarray]  # column -> category code per row (-1: not known)
    levels: dict[str, list]  # column -> the value of each code
    strands: dict[str, np.ndarray]  # strand id -> bool per row
    serious: np.ndarray  # bool per row: in any strand

    @classmethod
    def of(cls, incidents: pd.DataFrame) -> IncidentArrays:
        codes, levels = {}, {}
        for column in (
            "source",
            "district",
            "place_type",
            "category",
            "time_band",
            "month",
            "hour",
        ):
            values = incidents[column].astype("category")
            codes[column] = values.cat.codes.to_numpy()
            levels[column] = list(values.cat.categories)
        strands = {
            c.removeprefix(STRAND_PREFIX): incidents[c].to_numpy(dtype=bool)
            for c in incidents.columns
            if c.startswith(STRAND_PREFIX)
        }
        return cls(
            incidents["incidents"].to_numpy(dtype=np.int64),
            codes,
            levels,
            strands,
            incidents["serious"].to_numpy(dtype=bool),
        )


@dataclass(frozen=True, eq=False)  # compared and hashed by identity: it is shared, never copied
class BoardData:
    """Everything a board page draws from, in memory. Never mutated (it is shared)."""

    # Responses counted by cell: one row per combination of month, district, age band,
    # gender, venue type and source that occurs. Every board table adds up cells, so a
    # rerun works on thousands of cells however many responses there are.
    responses: pd.DataFrame  # the cells' dimensions (categorical)
    totals: np.ndarray  # responses per cell
    answered: np.ndarray  # responses per cell that said whether they feel unsafe somewhere
    unsafe: np.ndarray  # ... and said yes
    themes: np.ndarray  # float32 cells x theme_ids: responses raising each theme
    bands: np.ndarray  # float32 cells x time bands (bit order): responses naming each band
    strands: np.ndarray  # float32 cells x strand_ids: responses raising any theme of a strand
    theme_ids: tuple[str, ...]
    strand_ids: tuple[str, ...]
    incidents: pd.DataFrame  # counts by INCIDENT_KEYS, column "incidents"
    incident_arrays: IncidentArrays
    sessions: pd.DataFrame  # one row per participation session: district, month
    demo_responses: bool
    demo_incidents: bool


def data_versions(db: Session) -> tuple[int, int, int]:
    """Changes whenever responses, their themes or incidents change: the responses'
    change counter, and the incident counts' row count and newest id (an import adds rows
    with new ids; an undo removes rows). Two indexed lookups, cheap on every rerun."""
    count, last = db.exec(select(func.count(), func.coalesce(func.max(IncidentCount.id), 0))).one()
    return change_counter(db, RESPONSES), int(count or 0), int(last or 0)


STRAND_PREFIX = "strand:"


def _fetch(db: Session, sql: str) -> list[tuple]:
    # The driver's own cursor: SQLAlchemy rows cost several times more per row here.
    cursor = db.connection().connection.cursor()
    try:
        cursor.execute(sql)
        return list(cursor.fetchall())
    finally:
        cursor.close()


def _read_responses(db: Session) -> np.ndarray:
    """(dims_key, themes_mask, times_mask) of every response, as integers."""
    rows = _fetch(db, "SELECT dims_key, themes_mask, times_mask FROM response_summary")
    return np.array(rows, dtype=np.int64).reshape(-1, 3)


def _cells(db: Session, keys: np.ndarray) -> pd.DataFrame:
    """The dimensions of each cell, unpacked from its key (dims_key without feels_unsafe)."""
    codes: dict[str, dict[int, str]] = {kind: {} for kind in CODED}
    query = select(SummaryCode.kind, SummaryCode.value, SummaryCode.code)
    for kind, value, code in db.exec(query).all():
        codes[kind][code] = value
    frame = pd.DataFrame(index=range(len(keys)))
    rest = keys.copy()
    for kind in CODED:
        found = codes[kind]
        categories = [found.get(i, f"?{i}") for i in range(1, max(found, default=0) + 1)]
        frame[kind] = pd.Categorical.from_codes((rest & (2**CODE_BITS - 1)) - 1, categories)
        rest = rest >> CODE_BITS
    # Months since January 2000, as dates: 360 months after the epoch of datetime64[M].
    frame["month"] = (rest + 360).astype("datetime64[M]").astype("datetime64[ns]")
    return frame


def _by_cell(cell: np.ndarray, cells: int, flags: list[np.ndarray]) -> np.ndarray:
    """Sum 0/1 flags per cell: cells x len(flags)."""
    out = np.zeros((cells, len(flags)), dtype=np.float32)
    for j, flag in enumerate(flags):
        out[:, j] = np.bincount(cell, weights=flag, minlength=cells)
    return out


def _strand_columns(incidents: pd.DataFrame) -> None:
    """One boolean column per strand ("strand:sv_da"), and "serious" for any strand, so
    filters never split the space-separated strings on a page view."""
    strands = incidents["strands"].fillna("").astype("category")
    codes = strands.cat.codes.to_numpy()
    for strand in sorted({s for value in strands.cat.categories for s in value.split()}):
        flags = np.array([strand in value.split() for value in strands.cat.categories])
        incidents[STRAND_PREFIX + strand] = flags[codes]
    incidents["serious"] = (strands != "").to_numpy()
    for column in ("source", "district", "place_type", "category", "time_band"):
        incidents[column] = incidents[column].astype("category")


def load_board_data(db: Session, ctx: BoardContext) -> BoardData:
    """Read the summaries and incident counts into memory, counted by cell."""
    values = _read_responses(db)
    keys, cell = np.unique(values[:, 0] >> 2, return_inverse=True)
    unsafe = values[:, 0] & 3
    bits = dict(db.exec(select(ThemeBit.theme_id, ThemeBit.bit)).all())
    theme_ids = tuple(sorted(bits, key=bits.__getitem__))
    masks, times = values[:, 1], values[:, 2]
    flags = {t: ((masks >> bits[t]) & 1).astype(np.float32) for t in theme_ids}
    strand_ids = tuple(s.id for s in ctx.dimensions.strands)
    any_in = [
        np.maximum.reduce(
            [flags[t] for t in theme_ids if s in ctx.theme_strands.get(t, ())]
            or [np.zeros(len(values), dtype=np.float32)]
        )
        for s in strand_ids
    ]
    n_bands = len(ctx.dimensions.time_bands)
    incidents_keys = ", ".join(INCIDENT_KEYS)
    # Rows are already counts; a few share a key (they differ in fields the board does not
    # use), which sums the same either way, so no GROUP BY is spent on them.
    incidents = pd.DataFrame(
        _fetch(db, f"SELECT {incidents_keys}, incidents FROM incident_count"),
        columns=[*INCIDENT_KEYS, "incidents"],
    )
    incidents["month"] = pd.to_datetime(incidents["month"])
    incidents["incidents"] = incidents["incidents"].astype("int64")
    _strand_columns(incidents)
    sessions = pd.DataFrame(
        db.exec(
            select(col(ParticipationSession.district), col(ParticipationSession.held_on))
        ).all(),
        columns=["district", "month"],
    )
    sessions["month"] = pd.to_datetime(sessions["month"]).dt.to_period("M").dt.to_timestamp()
    demo_incidents = bool((incidents["source"] == "demo").any())
    frame = _cells(db, keys)
    return BoardData(
        responses=frame,
        totals=np.bincount(cell, minlength=len(keys)).astype(np.float32),
        answered=np.bincount(cell, weights=unsafe > 0, minlength=len(keys)),
        unsafe=np.bincount(cell, weights=unsafe == 2, minlength=len(keys)),
        themes=_by_cell(cell, len(keys), [flags[t] for t in theme_ids]),
        bands=_by_cell(
            cell, len(keys), [((times >> b) & 1).astype(np.float32) for b in range(n_bands)]
        ),
        strands=_by_cell(cell, len(keys), any_in),
        theme_ids=theme_ids,
        strand_ids=strand_ids,
        incidents=incidents,
        incident_arrays=IncidentArrays.of(incidents),
        sessions=sessions,
        demo_responses=bool((frame["source"] == "demo").any()),
        demo_incidents=demo_incidents,
    )
