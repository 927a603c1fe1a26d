"""Small-number suppression: no small count shows, and none can be worked out from totals."""

from __future__ import annotations

import random
from typing import Any

import numpy as np
import pandas as pd
import pytest

from survey.core.settings import get_settings
from survey.privacy.small_numbers import (
    SECONDARY_MARKER,
    small_share_mask,
    suppress_small_counts,
    suppress_table,
    suppression_note,
)


def _crosstab(rows: list[list[int]], with_totals: bool = True) -> pd.DataFrame:
    table = pd.DataFrame(
        rows,
        index=[f"place{i}" for i in range(len(rows))],
        columns=[f"district{j}" for j in range(len(rows[0]))],
    )
    if with_totals:
        table["Total"] = table.sum(axis=1)
        table.loc["Total"] = table.sum()
    return table


def _recoverable(values: np.ndarray, hidden: np.ndarray) -> list[tuple[int, int]]:
    """Inner cells a reader can get back by subtracting from a known row or column total."""
    found = []
    for axis in (0, 1):
        lines = hidden if axis == 1 else hidden.T
        for k, line in enumerate(lines):
            if line.sum() == 1:
                j = int(np.flatnonzero(line)[0])
                found.append((k, j) if axis == 1 else (j, k))
    return found


def _assert_protected(table: pd.DataFrame, threshold: int, total: bool = True) -> None:
    result = suppress_table(table, threshold=threshold, total_row="Total" if total else None,
                            total_col="Total" if total else None)  # fmt: skip
    inner = [c for c in table.columns if c != "Total"]
    rows = [r for r in table.index if r != "Total"]
    values = table.loc[rows, inner].to_numpy()
    hidden = result.mask.loc[rows, inner].to_numpy()
    # no cell below the threshold survives, and none shows as 0
    assert not ((values > 0) & (values < threshold) & ~hidden).any()
    assert (result.display.loc[rows, inner].to_numpy()[hidden] != "0").all()
    # every hidden cell shares each of its rows and columns with another hidden cell
    assert _recoverable(values, hidden) == []


def test_small_numbers_cell_recoverable_from_totals_is_protected() -> None:
    table = _crosstab([[12, 3, 20], [8, 9, 15], [0, 14, 6]])
    # Before: a reader who sees "<5" for 3 gets it back as 35 - 12 - 20 from the row total.
    naive = table.loc[["place0", "place1", "place2"], ["district0", "district1", "district2"]]
    assert _recoverable(naive.to_numpy(), (naive > 0).to_numpy() & (naive < 5).to_numpy())
    _assert_protected(table, threshold=5)
    shown = suppress_small_counts(table, threshold=5, total_row="Total", total_col="Total")
    assert shown.loc["place0", "district1"] == "<5"
    assert shown.loc["place0", "district0"] == SECONDARY_MARKER  # smallest in the row
    assert shown.loc["place1", "district1"] == SECONDARY_MARKER  # smallest in the column
    assert shown.loc["place2", "district0"] == "0"  # a true zero is shown
    assert shown.loc["Total", "Total"] == "87"


@pytest.mark.parametrize("seed", range(40))
def test_small_numbers_random_tables_are_protected(seed: int) -> None:
    rng = random.Random(seed)
    n_rows, n_cols = rng.randint(2, 6), rng.randint(2, 6)
    rows = [
        [rng.choice([0, 1, 2, 3, 4, 5, 7, 12, 30]) for _ in range(n_cols)] for _ in range(n_rows)
    ]
    threshold = rng.choice([3, 5, 10])
    _assert_protected(_crosstab(rows), threshold)
    _assert_protected(_crosstab(rows, with_totals=False), threshold, total=False)


def test_small_numbers_small_totals_are_hidden_too() -> None:
    table = _crosstab([[0, 3, 0], [20, 30, 40]])
    result = suppress_table(table, threshold=5, total_row="Total", total_col="Total")
    assert result.display.loc["place0", "Total"] == "<5"
    # the only non-zero cell in a row with a small total is joined by a hidden zero
    assert result.mask.loc["place0", ["district0", "district1", "district2"]].sum() == 2
    _assert_protected(table, threshold=5)


@pytest.mark.parametrize("threshold", [3, 5, 10])
def test_small_numbers_threshold_is_configurable(threshold: int) -> None:
    series = pd.Series({"park": 2, "station": 4, "school": 9, "online": 25})
    shown = suppress_small_counts(series, threshold=threshold)
    for label, value in series.items():
        if value < threshold:
            assert shown[label] == f"<{threshold}"
        else:
            assert shown[label] in (str(value), SECONDARY_MARKER)


def test_small_numbers_default_threshold_comes_from_settings(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("YOUTHVOICE_SMALL_NUMBER_THRESHOLD", "10")
    get_settings.cache_clear()
    try:
        shown = suppress_small_counts(pd.Series({"a": 7, "b": 40, "c": 50}))
        assert shown["a"] == "<10"
    finally:
        get_settings.cache_clear()


def test_small_numbers_one_dimensional_table_with_labels() -> None:
    table = pd.DataFrame(
        {"theme": ["dark", "drunk", "knives", "police"], "answers": [3, 11, 40, 0]}
    )
    result = suppress_table(table, threshold=5)
    assert list(result.display["theme"]) == ["dark", "drunk", "knives", "police"]
    assert list(result.display["answers"]) == ["<5", SECONDARY_MARKER, "40", "0"]
    assert list(result.mask["answers"]) == [True, True, False, False]
    assert not result.mask["theme"].any()


def test_small_numbers_mask_for_charts_and_single_marker() -> None:
    series = pd.Series({"a": 3, "b": 8, "c": 20}, name="count")
    mask = suppress_table(series, threshold=5).mask.iloc[:, 0]
    assert list(mask) == [True, True, False]
    shown = suppress_small_counts(series, threshold=5, marker="*")
    assert list(shown) == ["*", "*", "20"]


def test_small_numbers_never_shows_a_hidden_count_as_zero() -> None:
    table = _crosstab([[0, 1, 0], [0, 0, 2], [3, 0, 0]])
    result = suppress_table(table, threshold=5, total_row="Total", total_col="Total")
    assert "0" not in set(result.display.to_numpy()[result.mask.to_numpy()])
    assert (result.display == "1").sum().sum() == 0 and (result.display == "2").sum().sum() == 0


def test_small_numbers_only_this_table_known() -> None:
    # Without published margins and with no totals shown, nothing can be subtracted.
    table = _crosstab([[12, 3], [8, 9]], with_totals=False)
    result = suppress_table(table, threshold=5, margins_known=False)
    assert int(result.mask.to_numpy().sum()) == 1
    # With shown totals, the lone cell needs company again.
    totals = _crosstab([[12, 3], [8, 9]])
    shown = suppress_table(totals, threshold=5, total_row="Total", total_col="Total",
                           margins_known=False)  # fmt: skip
    assert int(shown.mask.to_numpy().sum()) >= 4


def test_small_numbers_note_names_the_threshold() -> None:
    assert suppression_note(7).startswith("<7: between 1 and 6")


@pytest.mark.parametrize(
    ("table", "kwargs", "message"),
    [
        (pd.Series([1, -2]), {}, "whole numbers"),
        (pd.Series([1.5, 2.0]), {}, "whole numbers"),
        (pd.DataFrame({"a": ["x", "y"]}), {}, "no count columns"),
        (pd.Series([1, 2]), {"threshold": 0}, "threshold"),
        (pd.DataFrame({"a": [1]}), {"count_columns": ["b"]}, "not in the table"),
        (pd.DataFrame({"a": [1]}), {"total_col": "Total"}, "not in the table"),
    ],
)
def test_small_numbers_bad_input(
    table: pd.DataFrame | pd.Series, kwargs: dict[str, Any], message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        suppress_small_counts(table, **kwargs)


def test_small_numbers_shares() -> None:
    numerators = pd.Series([3, 23, 0, 98, 4], index=["a", "b", "c", "d", "e"])
    denominators = pd.Series([100, 100, 100, 100, 4], index=numerators.index)
    assert list(small_share_mask(numerators, denominators, threshold=5)) == [
        True, False, False, True, True,
    ]  # fmt: skip
    kept = small_share_mask(numerators, 100, threshold=5, protect_complement=False)
    assert not kept["d"]


def test_small_numbers_shares_of_a_crosstab() -> None:
    counts = pd.DataFrame({"Chatham": [2, 30], "Dover": [10, 0]}, index=["dark", "police"])
    hidden = small_share_mask(counts, counts.sum(), threshold=5)
    assert hidden.loc["dark", "Chatham"]
    assert hidden.loc["police", "Chatham"]  # 30 of 32 tells that 2 said "dark"
    assert not hidden.loc["dark", "Dover"]
