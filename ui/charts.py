"""Altair charts used across pages, built from small aggregate tables (never raw rows)."""

from __future__ import annotations

import altair as alt
import pandas as pd


def bar_chart(table: pd.DataFrame, *, category: str, value: str, title: str = "") -> alt.Chart:
    """A horizontal bar chart, largest first."""
    return (
        alt.Chart(table, title=title)
        .mark_bar()
        .encode(
            x=alt.X(
                f"{value}:Q",
                title=value.replace("_", " ").capitalize(),
                axis=alt.Axis(tickMinStep=1, format="d"),
            ),
            y=alt.Y(f"{category}:N", sort="-x", title=None),
            tooltip=[alt.Tooltip(f"{category}:N"), alt.Tooltip(f"{value}:Q")],
        )
    )


def line_chart(table: pd.DataFrame, *, x: str, y: str, title: str = "") -> alt.Chart:
    return (
        alt.Chart(table, title=title)
        .mark_line(point=True)
        .encode(
            x=alt.X(f"{x}:T", title=None),
            y=alt.Y(
                f"{y}:Q",
                title=y.replace("_", " ").capitalize(),
                axis=alt.Axis(tickMinStep=1, format="d"),
            ),
            tooltip=[alt.Tooltip(f"{x}:T"), alt.Tooltip(f"{y}:Q")],
        )
    )
