"""Small-number suppression for every table a board member or an export sees.

A count below the threshold (settings: `small_number_threshold`, default 5) could identify a
young person, so it is shown as "<5" (primary suppression). A suppressed cell could still be
worked out by subtracting the other cells from a row or column total, so in every row and column
that has exactly one suppressed cell another cell is hidden too (secondary suppression), until no
line has a lone suppressed cell. Margins are treated as known by default: totals are usually
published elsewhere (the overall count is on every page), so hiding a total does not protect.

Choices (see also the tests):
- Zero is shown as "0": a true zero names nobody, and showing it keeps charts honest. A zero is
  used as a complementary cell only when a line has no other non-zero cell to hide.
- The complementary cell is the smallest non-zero visible cell in the line (least information
  lost), first in table order on ties; repeat until stable.
- Secondary cells are shown as "*" (hidden so that a small number cannot be worked out), not
  "<5", which would be untrue for them. Pass `marker="*"` (or any text) to show every hidden cell
  the same way.
- This blocks recovery by subtraction from one row or column. It does not claim to stop every
  attack with linear programming on interval bounds; the threshold is the main protection.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from survey.core.settings import get_settings

SECONDARY_MARKER = "*"


@dataclass(frozen=True)
class SuppressedTable:
    """A table ready to show: `display` holds strings, `mask` is True where a count is hidden."""

    display: pd.DataFrame
    mask: pd.DataFrame
    primary: pd.DataFrame  # True where hidden because the count itself is small
    threshold: int


def suppression_note(threshold: int | None = None) -> str:
    """The legend to print under a suppressed table."""
    t = _threshold(threshold)
    return (
        f"<{t}: between 1 and {t - 1} young people; {SECONDARY_MARKER}: hidden so that a small "
        "number cannot be worked out from the totals."
    )


def suppress_small_counts(
    table: pd.DataFrame | pd.Series,
    *,
    threshold: int | None = None,
    count_columns: Sequence[str] | None = None,
    total_row: object | None = None,
    total_col: str | None = None,
    marker: str | None = None,
    margins_known: bool = True,
) -> pd.DataFrame | pd.Series:
    """Return `table` for display with small counts, and cells that reveal them, hidden.

    `count_columns`: the count columns (default: every numeric column); other columns are labels
    and pass through. `total_row` / `total_col`: the index label of a totals row and the name of a
    totals column, if the table shows them. `marker`: one text for every hidden cell (default
    "<{threshold}" for small counts and "*" for complementary cells). `margins_known`: treat row,
    column and grand totals as known to the reader even when the table does not show them.
    """
    result = suppress_table(
        table,
        threshold=threshold,
        count_columns=count_columns,
        total_row=total_row,
        total_col=total_col,
        marker=marker,
        margins_known=margins_known,
    )
    return result.display.iloc[:, 0] if isinstance(table, pd.Series) else result.display


def suppress_table(
    table: pd.DataFrame | pd.Series,
    *,
    threshold: int | None = None,
    count_columns: Sequence[str] | None = None,
    total_row: object | None = None,
    total_col: str | None = None,
    marker: str | None = None,
    margins_known: bool = True,
) -> SuppressedTable:
    """Suppress a 1-D count table or a 2-D crosstab; return display strings and masks."""
    t = _threshold(threshold)
    frame = table.to_frame(name=table.name or "count") if isinstance(table, pd.Series) else table
    columns = _count_columns(frame, count_columns, total_col)
    values = _counts(frame, columns)
    inner_rows = [r for r in range(len(frame)) if total_row is None or frame.index[r] != total_row]
    inner_cols = [c for c, name in enumerate(columns) if name != total_col]
    primary = (values > 0) & (values < t)
    hidden = primary.copy()
    _secondary(values, hidden, inner_rows, inner_cols, frame, columns, total_row, total_col,
               margins_known)  # fmt: skip
    # Built whole, not column by column: boards call this on every rerun.
    shown = np.empty(values.shape, dtype=object)
    for (r, c), value in np.ndenumerate(values):
        shown[r, c] = _show(value, bool(primary[r, c]), bool(hidden[r, c]), t, marker)
    positions = [frame.columns.get_loc(c) for c in columns]
    full_shown = frame.to_numpy(dtype=object, copy=True)
    full_mask = np.zeros(frame.shape, dtype=bool)
    full_prim = np.zeros(frame.shape, dtype=bool)
    full_shown[:, positions], full_mask[:, positions], full_prim[:, positions] = (
        shown,
        hidden,
        primary,
    )
    display = pd.DataFrame(full_shown, index=frame.index, columns=frame.columns, dtype=object)
    mask = pd.DataFrame(full_mask, index=frame.index, columns=frame.columns)
    prim = pd.DataFrame(full_prim, index=frame.index, columns=frame.columns)
    return SuppressedTable(display=display, mask=mask, primary=prim, threshold=t)


def _secondary(
    values: np.ndarray,
    hidden: np.ndarray,
    rows: list[int],
    cols: list[int],
    frame: pd.DataFrame,
    columns: list[str],
    total_row: object | None,
    total_col: str | None,
    margins_known: bool,
) -> None:
    """Hide complementary cells until no line (row or column) has exactly one hidden cell."""
    lines = [[(r, c) for c in cols] for r in rows] + [[(r, c) for r in rows] for c in cols]
    if not margins_known:
        lines = _lines_with_shown_totals(frame, columns, rows, cols, total_row, total_col)
    changed = True
    while changed:
        changed = False
        for line in lines:
            if len(line) > 1 and sum(hidden[cell] for cell in line) == 1:
                cell = _complement(values, hidden, line)
                if cell is not None:
                    hidden[cell] = True
                    changed = True


def _lines_with_shown_totals(
    frame: pd.DataFrame,
    columns: list[str],
    rows: list[int],
    cols: list[int],
    total_row: object | None,
    total_col: str | None,
) -> list[list[tuple[int, int]]]:
    """When only this table is known, a line gives an equation only if its total is shown."""
    tr = next((r for r in range(len(frame)) if frame.index[r] == total_row), None)
    tc = columns.index(total_col) if total_col is not None else None
    lines: list[list[tuple[int, int]]] = []
    if tc is not None:
        lines += [[(r, c) for c in cols] + [(r, tc)] for r in rows]
    if tr is not None:
        lines += [[(r, c) for r in rows] + [(tr, c)] for c in cols]
    if tr is not None and tc is not None:
        lines += [[(tr, c) for c in cols] + [(tr, tc)], [(r, tc) for r in rows] + [(tr, tc)]]
    return lines


def _complement(
    values: np.ndarray, hidden: np.ndarray, line: list[tuple[int, int]]
) -> tuple[int, int] | None:
    visible = [cell for cell in line if not hidden[cell] and not np.isnan(values[cell])]
    nonzero = [cell for cell in visible if values[cell] > 0]
    pool = nonzero or visible  # a zero only when nothing else is left to hide
    return min(pool, key=lambda cell: values[cell]) if pool else None


def _show(value: float, primary: bool, hidden: bool, threshold: int, marker: str | None) -> str:
    if np.isnan(value):
        return ""
    if hidden:
        return marker or (f"<{threshold}" if primary else SECONDARY_MARKER)
    return f"{int(value):,}"


def _threshold(threshold: int | None) -> int:
    t = get_settings().small_number_threshold if threshold is None else threshold
    if not isinstance(t, int | np.integer) or isinstance(t, bool) or t < 1:
        raise ValueError(f"small-number threshold must be a whole number of at least 1, got {t!r}")
    return int(t)


def _count_columns(
    frame: pd.DataFrame, count_columns: Sequence[str] | None, total_col: str | None
) -> list[str]:
    if count_columns is None:
        cols = [
            c
            for c, dtype in frame.dtypes.items()
            if pd.api.types.is_numeric_dtype(dtype) and not pd.api.types.is_bool_dtype(dtype)
        ]
    else:
        cols = list(count_columns)
        missing = [c for c in cols if c not in frame.columns]
        if missing:
            raise ValueError(f"count column(s) not in the table: {missing}")
    if total_col is not None and total_col not in cols:
        if total_col not in frame.columns:
            raise ValueError(f"total column {total_col!r} is not in the table")
        cols.append(total_col)
    if not cols:
        raise ValueError("the table has no count columns to suppress")
    return cols


def _counts(frame: pd.DataFrame, columns: list[str]) -> np.ndarray:
    selected = frame[columns]
    if all(pd.api.types.is_numeric_dtype(d) for d in selected.dtypes):
        values = selected.to_numpy(dtype=float, na_value=np.nan)
    else:
        values = selected.apply(pd.to_numeric, errors="coerce").to_numpy(dtype=float)
    finite = values[~np.isnan(values)]
    if (finite < 0).any() or (finite != np.round(finite)).any():
        raise ValueError("counts must be whole numbers of at least 0")
    return values


# --- shares ------------------------------------------------------------------------------------


def small_share_mask(
    numerator: pd.Series | pd.DataFrame | float,
    denominator: pd.Series | pd.DataFrame | float,
    *,
    threshold: int | None = None,
    protect_complement: bool = True,
) -> pd.Series | pd.DataFrame | bool:
    """True where a share must be hidden: a small numerator or denominator, or (by default)
    a small remainder ("47 of 50" tells that 3 did not)."""
    t = _threshold(threshold)

    def small(x: Any) -> Any:
        return (x > 0) & (x < t)

    hide = small(numerator) | small(denominator)
    if protect_complement:
        hide = hide | small(denominator - numerator)
    return hide


def suppress_column_counts(
    values: np.ndarray, *, threshold: int | None = None, marker: str | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """The same suppression for a plain matrix of counts whose columns add up to totals a
    reader may know, while its rows do not (one response raises several themes): small
    cells are hidden, then in any column with exactly one hidden cell the smallest other
    non-zero cell is hidden too. Returns (display strings, hidden mask).

    Board pages call this many times a rerun; it skips the DataFrame bookkeeping of
    `suppress_table` but applies the same rules.
    """
    t = _threshold(threshold)
    counts = np.asarray(values, dtype=float)
    primary = (counts > 0) & (counts < t)
    hidden = primary.copy()
    for c in range(counts.shape[1] if counts.ndim == 2 else 0):
        column = hidden[:, c]
        if column.sum() == 1 and len(column) > 1:
            visible = np.flatnonzero(~column & (counts[:, c] > 0))
            pool = visible if len(visible) else np.flatnonzero(~column)
            if len(pool):
                column[pool[np.argmin(counts[pool, c])]] = True
    shown = np.empty(counts.shape, dtype=object)
    for index, value in np.ndenumerate(counts):
        shown[index] = _show(value, bool(primary[index]), bool(hidden[index]), t, marker)
    return shown, hidden
