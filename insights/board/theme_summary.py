"""Theme summaries for the board: for each theme, how many raised it and the trend, where
it is raised most, the incidents it lines up with, and a few approved quotes."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
from sqlmodel import Session, col, select

from insights.board.context import BoardContext, BoardFilter
from insights.board.data import BoardData
from insights.board.selection import incident_rows
from insights.board.tables import count_for_display, theme_prevalence
from survey.core.models import Quote, ResponseSummary, SafeguardingAlert, ThemeBit


@dataclass(frozen=True)
class ThemeSummary:
    theme: str
    label: str
    responses: str
    share: float  # NaN when hidden
    share_display: str
    change: float  # points on the previous period, NaN when unknown
    trend: pd.DataFrame  # month, share (NaN when hidden)
    top_districts: list[str]
    linked_incidents: str  # e.g. "1,204 incidents recorded at this kind of place"
    quotes: list[str]


def linked_incidents(data: BoardData, f: BoardFilter, ctx: BoardContext, theme: str) -> str:
    """The recorded incidents a theme lines up with, in words; "" when none are linked."""
    rows = incident_rows(data, f)
    if theme.startswith("place."):
        count, what = (
            rows.loc[rows["place_type"] == theme, "incidents"].sum(),
            "at this kind of place",
        )
    elif theme in ctx.links:
        link = ctx.links[theme]
        keep = rows["category"].isin(link.categories) | rows["time_band"].isin(link.time_bands)
        names = [ctx.category_labels.get(c, c) for c in link.categories] + list(link.time_bands)
        count, what = rows.loc[keep, "incidents"].sum(), "of " + ", ".join(names)
    else:
        return ""
    return f"{count_for_display(int(count), ctx.threshold)} incidents recorded {what}"


def theme_summaries(
    data: BoardData,
    f: BoardFilter,
    ctx: BoardContext,
    quotes: dict[str, list[str]],
    *,
    limit: int | None = None,
) -> list[ThemeSummary]:
    """Summaries of the themes in scope, most raised first."""
    overall = theme_prevalence(data, f, ctx)
    by_month = theme_prevalence(data, f, ctx, by="month")
    by_district = theme_prevalence(data, f, ctx, by="district", with_change=False)
    by_district = by_district.dropna(subset=["share"])
    summaries = []
    for row in overall.head(limit).itertuples() if limit else overall.itertuples():
        districts = by_district[by_district["theme"] == row.theme].nlargest(3, "share")
        summaries.append(
            ThemeSummary(
                theme=row.theme,
                label=row.label,
                responses=row.responses,
                share=row.share,
                share_display=row.share_display,
                change=row.change,
                trend=by_month.loc[by_month["theme"] == row.theme, ["month", "share"]].reset_index(
                    drop=True
                ),
                top_districts=[f"{d.district} ({d.share_display})" for d in districts.itertuples()],
                linked_incidents=linked_incidents(data, f, ctx, row.theme),
                quotes=quotes.get(row.theme, [])[:3],
            )
        )
    return summaries


def quotes_by_theme(db: Session, f: BoardFilter, per_theme: int = 3) -> dict[str, list[str]]:
    """Approved quotes for each theme their response carries, newest first. (A quote never
    comes from a response that raised a safeguarding alert or check: `approve_quote`
    refuses them, and one approved before that rule is left out here.)"""
    bits = dict(db.exec(select(ThemeBit.bit, ThemeBit.theme_id)).all())
    flagged = select(SafeguardingAlert.id).where(
        col(SafeguardingAlert.response_id) == col(Quote.response_id)
    )
    query = (
        select(Quote.text, ResponseSummary.themes_mask)
        .join(ResponseSummary, col(ResponseSummary.response_id) == col(Quote.response_id))
        .where(~flagged.exists())
        .order_by(col(Quote.approved_at).desc())
    )
    if f.districts:
        query = query.where(col(ResponseSummary.district).in_(f.districts))
    if f.month_from:
        query = query.where(col(ResponseSummary.month) >= f.month_from)
    if f.month_to:
        query = query.where(col(ResponseSummary.month) <= f.month_to)
    found: dict[str, list[str]] = {}
    for text, mask in db.exec(query.limit(500)).all():
        for bit, theme in bits.items():
            if mask >> bit & 1 and len(found.setdefault(theme, [])) < per_theme:
                found[theme].append(text)
    return found
