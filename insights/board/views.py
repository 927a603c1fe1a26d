"""The combinations a board needs: young people's voice beside recorded incidents,
by district, place, time band, month and strand. Each view is a small table whose counts
and shares are already suppressed; numeric columns are NaN where a value is hidden."""

from __future__ import annotations

import numpy as np
import pandas as pd

from insights.board.context import BoardContext, BoardFilter
from insights.board.data import BoardData
from insights.board.selection import group_weights, incident_mask, response_rows
from insights.board.tables import incident_breakdown, suppressed_counts, theme_prevalence
from survey.privacy.small_numbers import small_share_mask


def _share(num: pd.Series, den: pd.Series | int, threshold: int) -> pd.Series:
    share = (100 * num / (den if np.ndim(den) else max(den, 1))).astype(float).round(1)
    hidden = small_share_mask(num, den, threshold=threshold, protect_complement=False)
    return share.mask(np.asarray(hidden))


def district_view(data: BoardData, f: BoardFilter, ctx: BoardContext) -> pd.DataFrame:
    """By district: responses, share feeling unsafe, top theme, and serious violence
    recorded (count and rate per 1,000 residents)."""
    rows = response_rows(data, f)
    districts = list(f.districts) or ctx.dimensions.district_names
    groups, weights = group_weights(data, rows, "district")

    def per_district(values: np.ndarray) -> pd.Series:
        return pd.Series(np.rint(weights @ values), index=groups).reindex(districts, fill_value=0)

    unsafe, asked = per_district(data.unsafe), per_district(data.answered)
    responses = per_district(data.totals).astype("int64")
    display, _ = suppressed_counts(responses.to_frame("responses"), ctx.threshold)
    by_theme = theme_prevalence(data, f, ctx, by="district", with_change=False)
    by_theme = by_theme.dropna(subset=["share"])
    # Largest share first; ties go to the label first in the alphabet, so it never flickers.
    ordered = by_theme.sort_values(["share", "label"], ascending=[False, True])
    top = ordered.groupby("district", observed=True).head(1)
    top_label = top.set_index("district")["label"]
    serious = incident_breakdown(data, f, ctx, "district", serious_only=True)
    serious = serious.set_index("district")
    return pd.DataFrame(
        {
            "district": districts,
            "responses": display["responses"].to_numpy(),
            "feel_unsafe_share": _share(unsafe, asked, ctx.threshold).to_numpy(),
            "top_theme": [top_label.get(d, "") for d in districts],
            "serious_violence": serious["incidents_display"].reindex(districts).to_numpy(),
            "serious_violence_rate_per_1000": serious["rate_per_1000"]
            .reindex(districts)
            .to_numpy(),
        }
    )


def place_view(
    data: BoardData, f: BoardFilter, ctx: BoardContext, prevalence: pd.DataFrame | None = None
) -> pd.DataFrame:
    """By place type: the share of young people naming it beside the share of incidents
    (with a known place) recorded there."""
    places = [p.id for p in ctx.dimensions.place_types]
    if prevalence is None:
        prevalence = theme_prevalence(data, f, ctx)
    voice = prevalence.set_index("theme")
    recorded = incident_breakdown(data, f, ctx, "place_type").set_index("place_type")
    return pd.DataFrame(
        {
            "place_type": places,
            "label": [p.label for p in ctx.dimensions.place_types],
            "young_people_share": voice["share"].reindex(places).to_numpy(),
            "incident_share": recorded["share"].reindex(places).to_numpy(),
        }
    )


def time_view(data: BoardData, f: BoardFilter, ctx: BoardContext) -> pd.DataFrame:
    """By time band: the share of young people who feel unsafe then, beside the share of
    incidents (with a known time) recorded then."""
    rows = response_rows(data, f)
    bands = ctx.dimensions.time_bands
    named = pd.Series(
        np.rint(rows.astype(np.float32) @ data.bands).astype(int)[: len(bands)],
        index=[b.id for b in bands],
    )
    recorded = incident_breakdown(data, f, ctx, "time_band").set_index("time_band")
    return pd.DataFrame(
        {
            "time_band": [b.id for b in bands],
            "label": [b.label for b in bands],
            "young_people_share": _share(
                named, int(data.totals[rows].sum()), ctx.threshold
            ).to_numpy(),
            "incident_share": recorded["share"].reindex(named.index).to_numpy(),
        }
    )


def month_view(data: BoardData, f: BoardFilter, ctx: BoardContext) -> pd.DataFrame:
    """By month: responses beside incidents recorded."""
    rows = response_rows(data, f)
    groups, weights = group_weights(data, rows, "month")
    responses = pd.Series(np.rint(weights @ data.totals).astype("int64"), index=groups)
    a = data.incident_arrays
    keep = incident_mask(data, f) & (a.codes["month"] >= 0)
    sums = np.bincount(
        a.codes["month"][keep], weights=a.counts[keep], minlength=len(a.levels["month"])
    )
    incidents = pd.Series(sums.astype("int64"), index=pd.DatetimeIndex(a.levels["month"]))
    incidents = incidents[incidents > 0]
    months = responses.index.union(incidents.index).sort_values()
    counts = pd.DataFrame(
        {
            "responses": responses.reindex(months, fill_value=0),
            "incidents": incidents.reindex(months, fill_value=0),
        }
    )
    display, hidden = suppressed_counts(counts, ctx.threshold)
    table = counts.mask(hidden.to_numpy()).reset_index(names="month")
    table["responses_display"] = display["responses"].to_numpy()
    table["incidents_display"] = display["incidents"].to_numpy()
    return table


def strand_view(data: BoardData, f: BoardFilter, ctx: BoardContext) -> pd.DataFrame:
    """By strand: the share of young people raising any of its themes, beside incidents."""
    rows = response_rows(data, f)
    total = int(data.totals[rows].sum())
    recorded = incident_breakdown(data, f, ctx, "strand").set_index("strand")
    raising = np.rint(rows.astype(np.float32) @ data.strands).astype(int)
    out = [
        {"strand": s, "label": ctx.strand_labels.get(s, s), "raising": int(r)}
        for s, r in zip(data.strand_ids, raising, strict=True)
    ]
    table = pd.DataFrame(out)
    table["young_people_share"] = _share(table["raising"], total, ctx.threshold).to_numpy()
    table["incidents_display"] = (
        recorded["incidents_display"].reindex(table["strand"]).fillna("0").to_numpy()
    )
    table["incidents"] = recorded["incidents"].reindex(table["strand"]).to_numpy()
    return table.drop(columns="raising")
