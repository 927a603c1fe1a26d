"""Timing the board overview (`youthvoice bench-dashboard`) through the domain calls its page
makes (pages/board_overview.py), without Streamlit.

- The first aggregation: reading the summaries and counts into memory and computing the
  overview, as the first visitor after a change waits for (the vocabulary files are read at
  start-up, as the app does, so they are not timed).
- A rerun after one filter changes, as the server runs the page script: check the data
  versions (the cached board data is reused while they are unchanged), turn the widgets'
  values into a filter, compute the overview, pour the tables into the six charts' specs
  and the district table, and read the approved quotes, each in its own database session
  as the page opens them. Streamlit's own work (sending the tables, the browser drawing the
  charts) is not timed.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy.engine import Engine
from sqlmodel import Session

from insights.board.charts import (
    district_chart,
    month_chart,
    place_chart,
    prevalence_chart,
    strand_chart,
    time_chart,
)
from insights.board.context import BoardContext, BoardFilter
from insights.board.data import BoardData, data_versions, load_board_data
from insights.board.overview import BoardOverview, board_overview, for_reading
from insights.board.selection import last_months
from insights.board.theme_summary import quotes_by_theme
from survey.privacy.small_numbers import suppression_note

# The board page's widgets (ui/board_state.py), by their keys, and what each holds.
PERIODS = ("all", "3", "12")
STEPS = ("versions", "overview", "charts", "quotes")


@dataclass(frozen=True)
class Widgets:
    """The filter widgets' values, as a visitor leaves them between reruns."""

    districts: tuple[str, ...] = ()
    period: str = "all"
    ages: tuple[str, ...] = ()
    strand: str | None = None

    def board_filter(self, data: BoardData) -> BoardFilter:
        """What ui/board_state.board_filters returns for these values."""
        window = last_months(data, int(self.period)) if self.period != "all" else None
        return BoardFilter(
            districts=self.districts,
            month_from=window[0] if window else None,
            month_to=window[1] if window else None,
            age_bands=self.ages,
            strand=self.strand,
        )


@dataclass(frozen=True)
class DashboardTimes:
    first_aggregation_ms: float
    rerun_median_ms: float
    rerun_p90_ms: float
    step_median_ms: dict[str, float]  # each part of a rerun (STEPS)
    reruns: int


def first_aggregation(engine: Engine, ctx: BoardContext) -> tuple[float, BoardData]:
    """Milliseconds to load the board data and compute the unfiltered overview; the data."""
    started = time.perf_counter()
    with Session(engine, expire_on_commit=False) as db:
        data = load_board_data(db, ctx)
    board_overview(data, BoardFilter(), ctx)
    return 1000 * (time.perf_counter() - started), data


def filter_changes(
    districts: list[str], ages: list[str], strands: list[str], n: int
) -> Iterator[Widgets]:
    """`n` successive widget states, each with one filter changed from the one before."""
    widgets = Widgets()
    for i in range(n):
        kind = i % 4
        if kind == 0:
            widgets = replace(widgets, districts=(districts[i % len(districts)],))
        elif kind == 1:
            widgets = replace(widgets, period=PERIODS[i % len(PERIODS)])
        elif kind == 2:
            widgets = replace(widgets, ages=(ages[i % len(ages)],))
        else:
            widgets = replace(widgets, strand=[None, *strands][i % (len(strands) + 1)])
        yield widgets


def rerun_ms(
    engine: Engine, data: BoardData, ctx: BoardContext, widgets: Widgets
) -> dict[str, float]:
    """One rerun of the board overview page for these widget values; milliseconds by step."""
    times: dict[str, float] = {}

    def timed(step: str, work: Callable[[], Any]) -> Any:
        started = time.perf_counter()
        result = work()
        times[step] = 1000 * (time.perf_counter() - started)
        return result

    def versions() -> tuple[int, int, int]:
        with Session(engine, expire_on_commit=False) as db:
            return data_versions(db)

    def quotes() -> dict[str, list[str]]:
        with Session(engine, expire_on_commit=False) as db:
            return quotes_by_theme(db, chosen, per_theme=2)

    timed("versions", versions)
    chosen = widgets.board_filter(data)
    view: BoardOverview = timed("overview", lambda: board_overview(data, chosen, ctx))
    timed("charts", lambda: _page_charts(view, ctx))
    timed("quotes", quotes)
    return times


def _page_charts(view: BoardOverview, ctx: BoardContext) -> None:
    """The specs and the table the page hands to Streamlit."""
    for chart in (
        prevalence_chart(view.prevalence),
        district_chart(view.districts),
        place_chart(view.places),
        time_chart(view.times),
        month_chart(view.months),
        strand_chart(view.strands),
    ):
        chart.for_streamlit()
    for_reading(view.districts)
    suppression_note(ctx.threshold)


def time_dashboard(
    engine: Engine,
    ctx: BoardContext,
    *,
    districts: list[str],
    ages: list[str],
    strands: list[str],
    reruns: int,
) -> DashboardTimes:
    """The first aggregation, then `reruns` reruns, one filter changed each time."""
    first_ms, data = first_aggregation(engine, ctx)
    runs = [
        rerun_ms(engine, data, ctx, widgets)
        for widgets in filter_changes(districts, ages, strands, reruns)
    ]
    totals = sorted(sum(run.values()) for run in runs)
    return DashboardTimes(
        first_aggregation_ms=first_ms,
        rerun_median_ms=statistics.median(totals),
        rerun_p90_ms=totals[int(0.9 * (len(totals) - 1))],
        step_median_ms={step: statistics.median(run[step] for run in runs) for step in STEPS},
        reruns=len(runs),
    )
