"""The board's tables: theme prevalence, incidents, and the two side by side.

Every count a board member sees passes through the small-number suppression: counts below
the threshold (and the cells that would give them away) are shown as "<5" or "*", and the
numeric share behind a hidden cell is NaN so charts leave it out.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from insights.board.context import BoardContext, BoardFilter
from insights.board.data import BoardData
from insights.board.selection import (
    group_weights,
    incident_mask,
    previous_period,
    response_rows,
)
from survey.privacy.small_numbers import suppress_column_counts


def suppressed_counts(counts: pd.DataFrame, threshold: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Display strings and a hidden-cell mask for a table of counts whose COLUMNS add up
    to totals a reader may know (the theme's overall count, the month's total); rows do
    not add up (one response raises several themes), so they give no equations."""
    shown, hidden = suppress_column_counts(counts.to_numpy(), threshold=threshold)
    return (
        pd.DataFrame(shown, index=counts.index, columns=counts.columns, dtype=object),
        pd.DataFrame(hidden, index=counts.index, columns=counts.columns),
    )


def theme_prevalence(
    data: BoardData,
    f: BoardFilter,
    ctx: BoardContext,
    by: str | None = None,
    *,
    with_change: bool = True,
) -> pd.DataFrame:
    """Share of responses mentioning each theme (ticked or written), overall or by a
    response dimension (district, age_band, gender, venue_type, month), with the change in
    points against the previous period when a period is chosen.

    Columns: [by], theme, label, responses (display), share (NaN when hidden), share_display,
    change (points, NaN when unknown).
    """
    table = _prevalence(data, f, ctx, by)
    before = previous_period(f)
    if with_change and before is not None and by != "month":
        prior = _prevalence(data, before, ctx, by)
        keys = [k for k in (by, "theme") if k]
        table = table.merge(
            prior[[*keys, "share"]].rename(columns={"share": "prior"}), on=keys, how="left"
        )
        table["change"] = (table["share"] - table["prior"]).round(1)
        table = table.drop(columns="prior")
    else:
        table["change"] = np.nan
    return table


def _prevalence(data: BoardData, f: BoardFilter, ctx: BoardContext, by: str | None) -> pd.DataFrame:
    rows = response_rows(data, f)
    # Every codebook theme in scope, in codebook order; one never raised counts 0.
    ids = [t for t in ctx.theme_labels if t in ctx.themes_in(f.strand)]
    groups, weights = group_weights(data, rows, by)
    totals = np.rint(weights @ data.totals).astype(np.int64)
    # One matrix product counts every theme in every group, over cells not responses.
    raised = np.rint(weights @ data.themes).astype(np.int64)
    position = {t: i for i, t in enumerate(data.theme_ids)}
    counts = np.zeros((len(groups), len(ids)), dtype=np.int64)
    for j, theme in enumerate(ids):
        if theme in position:
            counts[:, j] = raised[:, position[theme]]
    display, hidden = suppressed_counts(
        pd.DataFrame(counts, index=groups, columns=ids), ctx.threshold
    )
    with np.errstate(divide="ignore", invalid="ignore"):
        share = np.round(100 * counts / totals[:, None], 1)
    small = lambda x: (x > 0) & (x < ctx.threshold)  # noqa: E731
    # Not mentioning a theme discloses nothing, so a small remainder is not hidden (and
    # the count and the total are shown anyway).
    hide = hidden.to_numpy() | small(counts) | small(totals[:, None])
    share = np.where(hide | (totals[:, None] == 0), np.nan, share)
    long = pd.DataFrame(
        {
            "group": np.repeat(groups, len(ids)),
            "theme": np.tile(ids, len(groups)),
            "responses": display.to_numpy().ravel(),
            "share": share.ravel(),
        }
    )
    long["share_display"] = [_pct(v) for v in long["share"]]
    long["label"] = [ctx.theme_labels.get(t, t) for t in long["theme"]]
    columns = ["theme", "label", "responses", "share", "share_display"]
    if by is None:
        return long[columns].sort_values(
            "share", ascending=False, na_position="last", ignore_index=True
        )
    long = long.rename(columns={"group": by})
    return long[[by, *columns]]


def _pct(value: float) -> str:
    return "suppressed" if pd.isna(value) else f"{value:.0f}%"


@dataclass(frozen=True)
class Headline:
    responses: str
    responses_change: str  # e.g. "+12% on the previous period", or ""
    sessions: str
    districts_covered: int
    top_themes: list[str]  # "Transport hubs (34%)"


def headline(
    data: BoardData, f: BoardFilter, ctx: BoardContext, prevalence: pd.DataFrame | None = None
) -> Headline:
    """The figures at the top of the board page (`prevalence`: theme_prevalence, if known)."""
    rows = response_rows(data, f)
    count = int(data.totals[rows].sum())
    sessions = data.sessions
    if f.districts:
        sessions = sessions[sessions["district"].isin(f.districts)]
    if f.month_from:
        sessions = sessions[sessions["month"] >= pd.Timestamp(f.month_from)]
    if f.month_to:
        sessions = sessions[sessions["month"] <= pd.Timestamp(f.month_to)]
    change = ""
    before = previous_period(f)
    if before is not None:
        prior = int(data.totals[response_rows(data, before)].sum())
        if prior >= ctx.threshold and count >= ctx.threshold:
            change = f"{100 * (count - prior) / prior:+.0f}% on the previous period"
    if prevalence is None:
        prevalence = theme_prevalence(data, f, ctx)
    top = prevalence[prevalence["share"] > 0].head(3)
    covered = data.responses.loc[rows & (data.totals > 0), "district"].dropna().nunique()
    return Headline(
        responses=count_for_display(count, ctx.threshold),
        responses_change=change,
        sessions=count_for_display(len(sessions), ctx.threshold),
        districts_covered=int(covered),
        top_themes=[f"{r.label} ({r.share_display})" for r in top.itertuples()],
    )


def count_for_display(count: int, threshold: int) -> str:
    return f"<{threshold}" if 0 < count < threshold else f"{count:,}"


INCIDENT_DIMENSIONS = ("district", "place_type", "time_band", "hour", "month", "category",
                       "strand")  # fmt: skip


def incident_breakdown(
    data: BoardData, f: BoardFilter, ctx: BoardContext, by: str, *, serious_only: bool = False
) -> pd.DataFrame:
    """Recorded incidents by one dimension (district also as a rate per 1,000 residents);
    `serious_only` keeps incidents in a strand of the Serious Violence strategy.

    Columns: by, incidents (int, NaN-free), incidents_display, [rate_per_1000], share.
    """
    if by not in INCIDENT_DIMENSIONS:
        raise ValueError(f"incidents cannot be broken down by {by!r}")
    keep = incident_mask(data, f, serious_only=serious_only)
    a = data.incident_arrays
    kept = a.counts * keep
    if by == "strand":  # an incident in two strands counts once in each
        counts = pd.Series(
            {s: int(kept[flags].sum()) for s, flags in a.strands.items()}, dtype="int64"
        ).rename_axis("strand")
    else:
        dimension = "hour" if by == "hour" else by
        codes, levels = a.codes[dimension], a.levels[dimension]
        known = codes >= 0
        sums = np.bincount(codes[known], weights=kept[known], minlength=len(levels))
        counts = pd.Series(sums.astype("int64"), index=pd.Index(levels, name=by))
        counts = counts[counts > 0] if by != "district" else counts
    if by == "district":
        counts = counts.reindex(list(f.districts) or ctx.dimensions.district_names, fill_value=0)
    values = counts.to_numpy(dtype=np.int64)
    shown, hidden = suppress_column_counts(values[:, None], threshold=ctx.threshold)
    total = values.sum()
    share = np.where(hidden[:, 0] | (total == 0), np.nan, np.round(100 * values / max(total, 1), 1))
    table = pd.DataFrame(
        {by: counts.index, "incidents": values, "incidents_display": shown[:, 0], "share": share}
    )
    if by == "district":
        population = {d.name: d.population for d in ctx.dimensions.districts}
        people = np.array([population.get(d, np.nan) for d in counts.index], dtype=float)
        table["rate_per_1000"] = np.where(hidden[:, 0], np.nan, np.round(1000 * values / people, 2))
    return table
