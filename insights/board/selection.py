"""Applying a board member's filter to the in-memory board data."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from functools import lru_cache

import numpy as np
import pandas as pd
from dateutil.relativedelta import relativedelta

from insights.board.context import BoardFilter
from insights.board.data import BoardData

SERIOUS_VIOLENCE = "serious violence"  # incidents in any strand of the strategy


@lru_cache(maxsize=64)  # every table of a page asks for the same filter's rows
def response_rows(data: BoardData, f: BoardFilter) -> np.ndarray:
    """Boolean mask of the response cells the filter keeps (the strand filter narrows
    themes, not responses)."""
    r = data.responses
    keep = np.ones(len(r), dtype=bool)
    if f.districts:
        keep &= r["district"].isin(f.districts).to_numpy()
    if f.age_bands:
        keep &= r["age_band"].isin(f.age_bands).to_numpy()
    if f.month_from:
        keep &= (r["month"] >= pd.Timestamp(f.month_from)).to_numpy()
    if f.month_to:
        keep &= (r["month"] <= pd.Timestamp(f.month_to)).to_numpy()
    return keep


def group_weights(data: BoardData, rows: np.ndarray, by: str | None) -> tuple[list, np.ndarray]:
    """Groups (sorted) and a groups x cells 0/1 matrix selecting each group's kept cells;
    `weights @ data.themes` then counts every theme in every group at once."""
    if by is None:
        return ["all"], rows.astype(np.float32)[None, :]
    codes, uniques = pd.factorize(data.responses.loc[rows, by], sort=True)
    weights = np.zeros((len(uniques), len(rows)), dtype=np.float32)
    kept = np.flatnonzero(rows)
    known = codes >= 0
    weights[codes[known], kept[known]] = 1.0
    return list(uniques), weights


@lru_cache(maxsize=64)
def incident_mask(data: BoardData, f: BoardFilter, *, serious_only: bool = False) -> np.ndarray:
    """Which incident count rows the filter keeps (age bands do not apply: police data has
    no age), as vector operations on the codes."""
    a = data.incident_arrays
    keep = np.ones(len(a.counts), dtype=bool)
    if f.districts:
        wanted = [i for i, d in enumerate(a.levels["district"]) if d in f.districts]
        keep &= np.isin(a.codes["district"], wanted)
    if f.month_from or f.month_to:
        months = np.array(a.levels["month"], dtype="datetime64[ns]")
        inside = np.ones(len(months), dtype=bool)
        if f.month_from:
            inside &= months >= np.datetime64(f.month_from)
        if f.month_to:
            inside &= months <= np.datetime64(f.month_to)
        keep &= np.isin(a.codes["month"], np.flatnonzero(inside))
    if f.strand:
        keep &= a.strands.get(f.strand, np.zeros(len(keep), dtype=bool))
    elif serious_only:
        keep &= a.serious
    return keep


def incident_rows(data: BoardData, f: BoardFilter, *, serious_only: bool = False) -> pd.DataFrame:
    """The incident count rows the filter keeps, as a table."""
    return data.incidents[incident_mask(data, f, serious_only=serious_only)]


def previous_period(f: BoardFilter) -> BoardFilter | None:
    """The same filter for the equally long period just before; None without a period."""
    if f.month_from is None or f.month_to is None:
        return None
    months = (f.month_to.year - f.month_from.year) * 12 + f.month_to.month - f.month_from.month + 1
    start = f.month_from - relativedelta(months=months)
    return replace(f, month_from=start, month_to=f.month_from - relativedelta(months=1))


def last_months(data: BoardData, months: int) -> tuple[date, date] | None:
    """The last `months` months that have responses or incidents."""
    latest = max(
        [m.max() for m in (data.responses["month"], data.incidents["month"]) if len(m)],
        default=None,
    )
    if latest is None or pd.isna(latest):
        return None
    end = latest.date().replace(day=1)
    return end - relativedelta(months=months - 1), end
