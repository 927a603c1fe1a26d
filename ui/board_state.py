"""The board pages' shared parts: the in-memory board data (reloaded only when the data
changes), the vocabulary, and the filters every chart on a page follows."""

from __future__ import annotations

import streamlit as st

from insights.board.context import (
    BoardContext,
    BoardFilter,
    board_context_files,
    cached_board_context,
)
from insights.board.data import BoardData, data_versions, load_board_data
from insights.board.selection import last_months
from survey.core.data_files import file_stamps
from ui.resources import data_files_put_right, db_session, settings

PERIODS = {"all": "All time", "3": "Last 3 months", "12": "Last 12 months"}


@st.cache_resource(max_entries=2, show_spinner="Counting…")
def _board_data(database_url: str, versions: tuple[int, ...], files: tuple) -> BoardData:
    # Keyed by the data versions (a submit, review or import makes the next run reload) and
    # by the vocabulary files the board context is read from (an edit reloads it too).
    with db_session() as db:
        return load_board_data(db, board_context())


def board_data() -> BoardData:
    with db_session() as db:
        versions = data_versions(db)
    stamps = file_stamps(board_context_files(settings()))
    return _board_data(settings().database_url, versions, stamps)


def board_context() -> BoardContext:
    """The vocabulary, codebook and links, by the loading rule (survey/core/data_files.py)."""
    with data_files_put_right():
        return cached_board_context(settings())


def board_filters(data: BoardData, ctx: BoardContext, *, one_district: bool = False) -> BoardFilter:
    """The filter widgets (in the sidebar); every chart on the page follows them."""
    with st.sidebar:
        st.header("Filters")
        names = ctx.dimensions.district_names
        if one_district:
            districts = (st.selectbox("District", names, key="board_district"),)
        else:
            districts = tuple(
                st.multiselect(
                    "Districts", names, key="board_districts", placeholder="All districts"
                )
            )
        period = st.selectbox("Period", list(PERIODS), format_func=PERIODS.get, key="board_period")
        ages = {a.id: a.label for a in ctx.dimensions.age_bands}
        age_bands = tuple(
            st.multiselect(
                "Age bands",
                list(ages),
                format_func=ages.get,
                key="board_ages",
                placeholder="All ages",
            )
        )
        strands = {s.id: s.label for s in ctx.dimensions.strands}
        strand = st.selectbox(
            "Strand",
            [None, *strands],
            format_func=lambda s: "All strands" if s is None else strands[s],
            key="board_strand",
        )
    window = last_months(data, int(period)) if period != "all" else None
    return BoardFilter(
        districts=districts,
        month_from=window[0] if window else None,
        month_to=window[1] if window else None,
        age_bands=age_bands,
        strand=strand,
    )
