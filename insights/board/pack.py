"""The board pack: one self-contained HTML file (charts as inline SVG, no scripts, prints
cleanly to PDF) with the headline figures, the combined views, the theme summaries and the
actions log; and the same tables as CSV files in a zip."""

from __future__ import annotations

import html
import io
import zipfile
from dataclasses import dataclass
from datetime import date

import pandas as pd
import vl_convert as vlc
from sqlmodel import Session

from insights.board.charts import (
    BoardChart,
    district_chart,
    month_chart,
    place_chart,
    prevalence_chart,
    strand_chart,
    time_chart,
)
from insights.board.context import BoardContext, BoardFilter
from insights.board.data import BoardData
from insights.board.overview import BoardOverview, board_overview, for_reading
from insights.board.theme_summary import ThemeSummary, quotes_by_theme, theme_summaries
from survey.core.audit import record_event
from survey.participation.actions import STATUS_WORDS, ActionView, list_actions
from survey.privacy.exports import safe_csv
from survey.privacy.small_numbers import suppression_note
from survey.staff.permissions import Permission, StaffMember, require

STYLE = """
body{font-family:system-ui,sans-serif;color:#1a1a1a;max-width:60rem;margin:2rem auto;
line-height:1.45;padding:0 1rem}h1{margin-bottom:.2rem}h2{border-bottom:2px solid #0B4F8A;
padding-bottom:.2rem;margin-top:2rem}table{border-collapse:collapse;width:100%;margin:.5rem 0 1rem;
font-size:.9rem}th,td{border-bottom:1px solid #ccc;padding:.25rem .4rem;text-align:left}
.figures{display:flex;gap:2rem}.figure b{display:block;font-size:1.8rem}.demo{background:#fff4ce;
padding:.5rem 1rem;border-left:4px solid #b58a00}blockquote{border-left:4px solid #0B4F8A;
margin:.4rem 0;padding:.1rem .8rem}.chart svg{max-width:100%;height:auto}
section{page-break-inside:avoid}
@media print{body{margin:0;max-width:none}h2{page-break-after:avoid}}
"""


@dataclass(frozen=True)
class BoardPack:
    html: str
    csv_zip: bytes
    tables: dict[str, pd.DataFrame]


def build_board_pack(
    db: Session,
    data: BoardData,
    f: BoardFilter,
    ctx: BoardContext,
    *,
    today: date,
) -> BoardPack:
    """Everything the pack holds, for the county or the filter's districts and period."""
    view = board_overview(data, f, ctx)
    summaries = theme_summaries(data, f, ctx, quotes_by_theme(db, f), limit=10)
    district = f.districts[0] if len(f.districts) == 1 else None
    actions = list_actions(db, district=district)
    tables = pack_tables(view, summaries, actions, ctx)
    return BoardPack(pack_html(view, summaries, actions, ctx, today), _zip(tables), tables)


def export_board_pack(
    db: Session,
    member: StaffMember,
    data: BoardData,
    f: BoardFilter,
    ctx: BoardContext,
    *,
    today: date,
) -> BoardPack:
    """The board pack for a member who may export it (EXPORT_BOARD_PACK); audited."""
    require(member, Permission.EXPORT_BOARD_PACK)
    pack = build_board_pack(db, data, f, ctx, today=today)
    record_event(
        db,
        action="board_pack.exported",
        actor=member.username,
        detail={"districts": list(f.districts)},
    )
    db.commit()
    return pack


def _svg(chart: BoardChart) -> str:
    return vlc.vegalite_to_svg(chart.inline())


def _table(frame: pd.DataFrame) -> str:
    head = "".join(f"<th>{html.escape(str(c))}</th>" for c in frame.columns)
    rows = "".join(
        "<tr>" + "".join(f"<td>{html.escape(_cell(v))}</td>" for v in row) + "</tr>"
        for row in frame.itertuples(index=False)
    )
    return f"<table><tr>{head}</tr>{rows}</table>"


def _cell(value: object) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return "suppressed"
    if isinstance(value, pd.Timestamp):
        return f"{value:%b %Y}"
    return str(value)


def _scope(f: BoardFilter, ctx: BoardContext) -> str:
    where = ", ".join(f.districts) if f.districts else ctx.dimensions.area.name
    when = (
        f"{f.month_from:%B %Y} to {f.month_to:%B %Y}" if f.month_from and f.month_to else "all time"
    )
    return f"{where}, {when}"


def pack_html(
    view: BoardOverview,
    summaries: list[ThemeSummary],
    actions: list[ActionView],
    ctx: BoardContext,
    today: date,
) -> str:
    """The pack as one HTML page; every piece of text from data is escaped."""
    esc = html.escape
    h = view.headline
    parts = [
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>",
        f"<title>Youth voice board pack: {esc(_scope(view.filter, ctx))}</title>",
        f"<style>{STYLE}</style></head><body>",
        "<h1>Youth voice board pack</h1>",
        f"<p>{esc(_scope(view.filter, ctx))} · produced {today:%d %B %Y}</p>",
    ]
    if view.demo_label:
        parts.append(f"<p class='demo'>{esc(view.demo_label)}</p>")
    parts.append("<section><h2>Headline figures</h2><div class='figures'>")
    for label, value in (
        ("Responses", h.responses),
        ("Sessions", h.sessions),
        ("Districts covered", str(h.districts_covered)),
    ):
        parts.append(f"<div class='figure'><b>{esc(value)}</b>{esc(label)}</div>")
    parts.append("</div>")
    if h.responses_change:
        parts.append(f"<p>{esc(h.responses_change)}</p>")
    if h.top_themes:
        parts.append(f"<p><strong>Raised most:</strong> {esc(' · '.join(h.top_themes))}</p>")
    parts.append("</section>")
    for title, chart, table in (
        ("What young people raise", prevalence_chart(view.prevalence), None),
        ("Districts", district_chart(view.districts), view.districts),
        ("Places", place_chart(view.places), view.places),
        ("Times of day", time_chart(view.times), view.times),
        ("Month by month", month_chart(view.months), None),
        ("Strands of the strategy", strand_chart(view.strands), view.strands),
    ):
        parts.append(f"<section><h2>{esc(title)}</h2><div class='chart'>{_svg(chart)}</div>")
        if table is not None:
            parts.append(_table(for_reading(table)))
        parts.append("</section>")
    parts.append("<h2>Theme summaries</h2>")
    parts += [_summary_html(s) for s in summaries]
    parts.append("<section><h2>You said, we did: actions</h2>")
    parts.append(_actions_html(actions, ctx) if actions else "<p>No actions recorded yet.</p>")
    parts.append(f"</section><p><small>{esc(suppression_note(ctx.threshold))}</small></p>")
    parts.append("</body></html>")
    return "\n".join(parts)


def _summary_html(s: ThemeSummary) -> str:
    esc = html.escape
    change = "" if pd.isna(s.change) else f" ({s.change:+.1f} points on the previous period)"
    lines = [
        f"<section><h3>{esc(s.label)}</h3>",
        f"<p>{esc(s.responses)} responses, {esc(s.share_display)}{esc(change)}.</p>",
    ]
    if s.top_districts:
        lines.append(f"<p>Raised most in: {esc(', '.join(s.top_districts))}.</p>")
    if s.linked_incidents:
        lines.append(f"<p>Lines up with: {esc(s.linked_incidents)}.</p>")
    lines += [f"<blockquote>{esc(q)}</blockquote>" for q in s.quotes]
    return "".join(lines) + "</section>"


def _actions_html(actions: list[ActionView], ctx: BoardContext) -> str:
    frame = pd.DataFrame(
        [
            {
                "theme": ctx.theme_labels.get(a.theme_id, a.theme_id),
                "district": a.district or ctx.dimensions.area.name,
                "you said": a.asked,
                "we did": a.done,
                "owner": a.owner,
                "status": STATUS_WORDS[a.status],
                "date": f"{a.action_date:%d %b %Y}",
            }
            for a in actions
        ]
    )
    return _table(frame)


def pack_tables(
    view: BoardOverview,
    summaries: list[ThemeSummary],
    actions: list[ActionView],
    ctx: BoardContext,
) -> dict[str, pd.DataFrame]:
    """The pack's tables, as the CSV files hold them (already suppressed)."""
    return {
        "theme_prevalence": view.prevalence.drop(columns=["share"]),
        "districts": view.districts,
        "places": view.places,
        "time_bands": view.times,
        "months": view.months[["month", "responses_display", "incidents_display"]],
        "strands": view.strands.drop(columns=["incidents"]),
        "theme_summaries": pd.DataFrame(
            [
                {
                    "theme": s.label,
                    "responses": s.responses,
                    "share": s.share_display,
                    "districts": "; ".join(s.top_districts),
                    "incidents": s.linked_incidents,
                    "quotes": " | ".join(s.quotes),
                }
                for s in summaries
            ]
        ),
        "actions": pd.DataFrame(
            [
                {
                    "theme": a.theme_id,
                    "district": a.district or "",
                    "you_said": a.asked,
                    "we_did": a.done,
                    "owner": a.owner,
                    "status": a.status,
                    "date": a.action_date,
                }
                for a in actions
            ]
        ),
    }


def _zip(tables: dict[str, pd.DataFrame]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, table in tables.items():
            archive.writestr(f"{name}.csv", safe_csv(table))
    return buffer.getvalue()
