"""Timing the board page as a server runs it (`youthvoice bench-dashboard`): the first,
uncached aggregation, and reruns after a filter changes. Streamlit's AppTest runs the real
page script in-process; each rerun is timed on the thread that runs the script (the
server's time), and also as the harness's round trip."""

from __future__ import annotations

import statistics
import threading
import time
from dataclasses import dataclass

from sqlmodel import Session
from streamlit.testing.v1 import AppTest

from insights.board.context import BoardFilter, load_board_context
from insights.board.data import load_board_data
from insights.board.overview import board_overview
from survey.core.settings import PROJECT_ROOT, Settings


@dataclass(frozen=True)
class DashboardTimes:
    first_aggregation_ms: float
    rerun_median_ms: float  # the script's time on the server
    rerun_p90_ms: float
    round_trip_median_ms: float  # including the test harness's polling
    reruns: int


def first_aggregation_ms(db: Session, settings: Settings) -> float:
    """Reading the summaries and counts, and computing the overview, with no data cached
    (the vocabulary files are read at start-up, as the app does, so they are not timed)."""
    ctx = load_board_context(settings)
    started = time.perf_counter()
    data = load_board_data(db, ctx)
    board_overview(data, BoardFilter(), ctx)
    return 1000 * (time.perf_counter() - started)


class _ScriptClock:
    """Times each thread run while active: AppTest runs the page script on a thread."""

    def __init__(self) -> None:
        self.runs: list[float] = []
        self._original = threading.Thread.run

    def __enter__(self) -> _ScriptClock:
        clock, original = self, self._original

        def timed_run(thread: threading.Thread) -> None:
            started = time.perf_counter()
            try:
                original(thread)
            finally:
                clock.runs.append(1000 * (time.perf_counter() - started))

        threading.Thread.run = timed_run  # type: ignore[method-assign,assignment]
        return self

    def __exit__(self, *exc: object) -> None:
        threading.Thread.run = self._original  # type: ignore[method-assign]


def rerun_times_ms(
    user_id: int, districts: list[str], ages: list[str], strands: list[str], reruns: int
) -> tuple[list[float], list[float]]:
    """Run the board page, then change one filter at a time and time each rerun."""
    page = AppTest.from_file(str(PROJECT_ROOT / "pages" / "board_overview.py"), default_timeout=120)
    page.session_state["staff_user_id"] = user_id
    page.run()  # loads the board data into the cache, as the first visitor would
    script, round_trip = [], []
    for key, value in _filter_changes(districts, ages, strands, reruns):
        multi = key in ("board_districts", "board_ages")
        (page.multiselect(key=key) if multi else page.selectbox(key=key)).set_value(value)  # type: ignore[arg-type]
        with _ScriptClock() as clock:
            started = time.perf_counter()
            page.run()
            round_trip.append(1000 * (time.perf_counter() - started))
        script.append(max(clock.runs))
        if page.exception:
            raise RuntimeError(str(page.exception[0].value))
    return script, round_trip


def _filter_changes(
    districts: list[str], ages: list[str], strands: list[str], n: int
) -> list[tuple[str, object]]:
    changes: list[tuple[str, object]] = []
    for i in range(n):
        kind = i % 4
        if kind == 0:
            changes.append(("board_districts", [districts[i % len(districts)]]))
        elif kind == 1:
            changes.append(("board_period", ["all", "3", "12"][i % 3]))
        elif kind == 2:
            changes.append(("board_ages", [ages[i % len(ages)]]))
        else:
            changes.append(("board_strand", [None, *strands][i % (len(strands) + 1)]))
    return changes


def summarise(first_ms: float, reruns: list[float], round_trips: list[float]) -> DashboardTimes:
    ordered = sorted(reruns)
    return DashboardTimes(
        first_ms,
        statistics.median(reruns),
        ordered[int(0.9 * (len(ordered) - 1))],
        statistics.median(round_trips),
        len(reruns),
    )
