"""One district's view for its community safety partnership, compared with the area."""

from __future__ import annotations

from dataclasses import dataclass, replace

import pandas as pd

from insights.board.context import BoardContext, BoardFilter
from insights.board.data import BoardData
from insights.board.overview import BoardOverview, board_overview
from insights.board.tables import incident_breakdown, theme_prevalence


@dataclass(frozen=True)
class DistrictReport:
    overview: BoardOverview
    themes_vs_area: pd.DataFrame  # Theme, District (%), Whole area (%)
    rate_display: str
    rate_vs_area: str  # e.g. "+4.1 on the area"


def district_report(data: BoardData, f: BoardFilter, ctx: BoardContext) -> DistrictReport:
    """The overview for one district, its themes beside the whole area's, and its serious
    violence rate beside the area's."""
    overview = board_overview(data, f, ctx)
    area = replace(f, districts=())
    here = overview.prevalence.set_index("theme")
    everywhere = theme_prevalence(data, area, ctx, with_change=False).set_index("theme")
    themes = pd.DataFrame(
        {
            "Theme": here["label"],
            f"{', '.join(f.districts)}": here["share_display"],
            "Whole area": everywhere["share_display"].reindex(here.index),
        }
    ).reset_index(drop=True)
    rates = incident_breakdown(data, area, ctx, "district", serious_only=True)
    population = sum(d.population for d in ctx.dimensions.districts)
    area_rate = 1000 * rates["incidents"].sum() / population
    mine = rates[rates["district"].isin(f.districts)]
    rate = mine["rate_per_1000"].mean() if len(mine) else float("nan")
    shown = "suppressed" if pd.isna(rate) else f"{rate:.2f}"
    versus = "" if pd.isna(rate) else f"{rate - area_rate:+.2f} on the area"
    return DistrictReport(overview, themes, shown, versus)
