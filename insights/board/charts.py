"""The board's charts, drawn with Altair from the small suppressed tables (hidden cells
are left out, never drawn as zero). Titles state the question each chart answers.

Each chart's Altair definition reads a named data source; it is built and validated once
per process, and a page run only pours its table into the spec (Altair's validation of a
spec costs ~10-20 ms a chart, too much for every rerun).
"""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass
from functools import cache
from typing import Any

import altair as alt
import pandas as pd

BLUE, ORANGE = "#0B4F8A", "#C2571A"  # distinct for colour-blindness, AA contrast on white
SIDE_BY_SIDE = {
    "place": ("Where do young people feel unsafe, and where is violence recorded?",
              ("Young people naming it (%)", "Incidents recorded there (%)")),
    "time": ("When do young people feel unsafe, and when do incidents happen?",
             ("Young people who feel unsafe then (%)", "Incidents recorded then (%)")),
}  # fmt: skip
TABLE = alt.Data(name="table")


@dataclass(frozen=True)
class BoardChart:
    """A chart: its Vega-Lite spec (reading the named source "table") and the table.

    Pages hand both to Streamlit, which sends the table as Arrow; `inline()` gives one
    self-contained spec (for the board pack's SVGs).
    """

    spec: dict[str, Any]
    data: pd.DataFrame

    def inline(self) -> dict[str, Any]:
        spec = copy.deepcopy(self.spec)
        spec["datasets"] = {"table": _records(self.data)}
        return spec

    def for_streamlit(self) -> dict[str, Any]:
        """The spec with the table as a named dataset, which Streamlit sends as Arrow."""
        return {**self.spec, "datasets": {"table": self.data}}


def _records(table: pd.DataFrame) -> list[dict[str, Any]]:
    # pandas' JSON writer turns NaN into null and dates into ISO text, in C.
    return json.loads(table.to_json(orient="records", date_format="iso"))


def _with_data(template: dict[str, Any], table: pd.DataFrame) -> BoardChart:
    return BoardChart(template, table.reset_index(drop=True))


@cache
def _template(kind: str) -> dict[str, Any]:
    return _BUILDERS[kind]().to_dict()


def _side_by_side_chart(kind: str) -> alt.Chart:
    title, names = SIDE_BY_SIDE[kind]
    return (
        alt.Chart(TABLE, title=title)
        .mark_bar()
        .encode(
            y=alt.Y("label:N", title=None, sort=None),
            x=alt.X("share:Q", title="Share (%)"),
            yOffset=alt.YOffset("measure:N", sort=list(names)),
            color=alt.Color(
                "measure:N",
                scale=alt.Scale(domain=list(names), range=[BLUE, ORANGE]),
                title=None,
                legend=alt.Legend(orient="bottom"),
            ),
            tooltip=["label:N", "measure:N", alt.Tooltip("share:Q", format=".1f")],
        )
    )


def _side_by_side(kind: str, table: pd.DataFrame) -> BoardChart:
    names = SIDE_BY_SIDE[kind][1]
    long = table.rename(columns={"young_people_share": names[0], "incident_share": names[1]})
    long = long.melt(
        id_vars=["label"], value_vars=list(names), var_name="measure", value_name="share"
    ).dropna(subset=["share"])
    return _with_data(_template(kind), long)


def place_chart(table: pd.DataFrame) -> BoardChart:
    return _side_by_side("place", table)


def time_chart(table: pd.DataFrame) -> BoardChart:
    return _side_by_side("time", table)


def _district_chart() -> alt.HConcatChart:
    order = alt.EncodingSortField("serious_violence_rate_per_1000", order="descending")
    base = alt.Chart(TABLE)
    unsafe = base.mark_bar(color=BLUE).encode(
        y=alt.Y("district:N", title=None, sort=order),
        x=alt.X("feel_unsafe_share:Q", title="Young people who feel unsafe somewhere (%)"),
        tooltip=["district:N", alt.Tooltip("feel_unsafe_share:Q", format=".1f")],
    )
    rate = base.mark_bar(color=ORANGE).encode(
        y=alt.Y("district:N", axis=None, sort=order),
        x=alt.X("serious_violence_rate_per_1000:Q", title="Serious violence per 1,000 residents"),
        tooltip=["district:N", alt.Tooltip("serious_violence_rate_per_1000:Q", format=".2f")],
    )
    return alt.hconcat(
        unsafe,
        rate,
        title="Where do young people feel unsafe, and where is serious violence recorded?",
    )


def district_chart(table: pd.DataFrame) -> BoardChart:
    return _with_data(_template("district"), table)


def _month_chart() -> alt.VConcatChart:
    base = alt.Chart(TABLE).encode(x=alt.X("month:T", title=None))
    responses = base.mark_line(point=True, color=BLUE).encode(
        y=alt.Y("responses:Q", title="Responses"), tooltip=["month:T", "responses:Q"]
    )
    incidents = base.mark_line(point=True, color=ORANGE).encode(
        y=alt.Y("incidents:Q", title="Incidents recorded"), tooltip=["month:T", "incidents:Q"]
    )
    return alt.vconcat(
        responses.properties(height=140),
        incidents.properties(height=140),
        title="Month by month: how many young people answered, and how many incidents?",
    )


def month_chart(table: pd.DataFrame) -> BoardChart:
    return _with_data(_template("month"), table[["month", "responses", "incidents"]])


def _strand_chart() -> alt.HConcatChart:
    base = alt.Chart(TABLE)
    voice = base.mark_bar(color=BLUE).encode(
        y=alt.Y("label:N", title=None),
        x=alt.X("young_people_share:Q", title="Young people raising its themes (%)"),
    )
    recorded = base.mark_bar(color=ORANGE).encode(
        y=alt.Y("label:N", axis=None), x=alt.X("incidents:Q", title="Incidents recorded")
    )
    return alt.hconcat(
        voice,
        recorded,
        title="Which strands of the strategy do young people raise, and how much is recorded?",
    )


def strand_chart(table: pd.DataFrame) -> BoardChart:
    return _with_data(_template("strand"), table[["label", "young_people_share", "incidents"]])


def _prevalence_chart() -> alt.Chart:
    return (
        alt.Chart(TABLE, title="What do young people raise most?")
        .mark_bar(color=BLUE)
        .encode(
            y=alt.Y("label:N", sort="-x", title=None),
            x=alt.X("share:Q", title="Share of responses (%)"),
            tooltip=["label:N", alt.Tooltip("share:Q", format=".1f"), "responses:N"],
        )
    )


def prevalence_chart(table: pd.DataFrame, top: int = 15) -> BoardChart:
    shown = table.dropna(subset=["share"]).head(top)[["label", "share", "responses"]]
    return _with_data(_template("prevalence"), shown)


def _trend_chart() -> alt.Chart:
    return (
        alt.Chart(TABLE)
        .mark_line(point=True, color=BLUE)
        .encode(x=alt.X("month:T", title=None), y=alt.Y("share:Q", title="Share (%)"))
        .properties(height=120)
    )


def trend_chart(table: pd.DataFrame) -> BoardChart:
    return _with_data(_template("trend"), table.dropna(subset=["share"])[["month", "share"]])


_BUILDERS = {
    "place": lambda: _side_by_side_chart("place"),
    "time": lambda: _side_by_side_chart("time"),
    "district": _district_chart,
    "month": _month_chart,
    "strand": _strand_chart,
    "prevalence": _prevalence_chart,
    "trend": _trend_chart,
}
