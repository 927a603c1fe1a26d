"""Everything one board page (or one board pack) shows, computed in one call."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from insights.board.context import BoardContext, BoardFilter
from insights.board.data import BoardData
from insights.board.tables import Headline, headline, theme_prevalence
from insights.board.views import district_view, month_view, place_view, strand_view, time_view

DEMO_LABEL = "This page shows synthetic demo data, not real responses or incidents."


@dataclass(frozen=True)
class BoardOverview:
    filter: BoardFilter
    headline: Headline
    prevalence: pd.DataFrame
    districts: pd.DataFrame
    places: pd.DataFrame
    times: pd.DataFrame
    months: pd.DataFrame
    strands: pd.DataFrame
    demo_label: str | None


def board_overview(data: BoardData, f: BoardFilter, ctx: BoardContext) -> BoardOverview:
    """Headline figures and the combined views for a filter."""
    demo = data.demo_responses or data.demo_incidents
    prevalence = theme_prevalence(data, f, ctx)
    return BoardOverview(
        filter=f,
        headline=headline(data, f, ctx, prevalence),
        prevalence=prevalence,
        districts=district_view(data, f, ctx),
        places=place_view(data, f, ctx, prevalence),
        times=time_view(data, f, ctx),
        months=month_view(data, f, ctx),
        strands=strand_view(data, f, ctx),
        demo_label=DEMO_LABEL if demo else None,
    )


# Column headings in the words a board member uses (tables on pages and in packs).
HEADINGS = {
    "district": "District",
    "responses": "Responses",
    "feel_unsafe_share": "Feel unsafe somewhere (%)",
    "top_theme": "Raised most",
    "serious_violence": "Serious violence recorded",
    "serious_violence_rate_per_1000": "Per 1,000 residents",
    "label": "",
    "young_people_share": "Young people (%)",
    "incident_share": "Incidents (%)",
    "incidents_display": "Incidents",
    "responses_display": "Responses",
    "month": "Month",
    "theme": "Theme",
    "share_display": "Share",
    "change": "Change (points)",
}


def for_reading(table: pd.DataFrame) -> pd.DataFrame:
    """A view table with plain headings and without machine columns (ids, raw counts)."""
    keep = [c for c in table.columns if c in HEADINGS and c not in ("place_type", "time_band")]
    if "label" in table.columns:
        keep = [c for c in keep if c != "theme"]
    return table[keep].rename(columns={c: HEADINGS[c] or "What" for c in keep})
