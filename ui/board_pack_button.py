"""Preparing and downloading the board pack (the charts take a second to draw, so the
pack is made when asked for, not on every rerun)."""

from __future__ import annotations

from datetime import date

import streamlit as st

from insights.board.context import BoardFilter
from insights.board.pack import export_board_pack
from survey.staff.permissions import Permission, StaffMember, may
from ui.board_state import board_context, board_data
from ui.resources import db_session


def board_pack_button(member: StaffMember, chosen: BoardFilter) -> None:
    if not may(member, Permission.EXPORT_BOARD_PACK):
        return
    st.subheader("Board pack")
    st.caption(
        "One HTML file (open it in a browser and print to PDF) and the tables as CSV, "
        "for the districts and period chosen above."
    )
    if st.button("Prepare the board pack"):
        with st.spinner("Drawing the charts…"), db_session() as db:
            pack = export_board_pack(
                db, member, board_data(), chosen, board_context(), today=date.today()
            )
        st.session_state["board_pack"] = (chosen, pack)
    prepared = st.session_state.get("board_pack")
    if prepared and prepared[0] == chosen:
        pack = prepared[1]
        left, right = st.columns(2)
        left.download_button(
            "Download board pack (HTML)", pack.html, "board-pack.html", mime="text/html"
        )
        right.download_button(
            "Download tables (CSV, zip)",
            pack.csv_zip,
            "board-pack-tables.zip",
            mime="application/zip",
        )
