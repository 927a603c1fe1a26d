"""District view (board): the bespoke analysis a community safety partnership asks for:
its young people's themes and its incidents, beside the whole area."""

import streamlit as st

from insights.board.charts import month_chart, place_chart, time_chart
from insights.board.district_report import district_report
from insights.board.overview import for_reading
from survey.staff.permissions import Permission
from ui.board_pack_button import board_pack_button
from ui.board_state import board_context, board_data, board_filters
from ui.staff_gate import staff_page

member = staff_page(Permission.READ_BOARD)
data, ctx = board_data(), board_context()
chosen = board_filters(data, ctx, one_district=True)
report = district_report(data, chosen, ctx)
st.title(f"District view: {chosen.districts[0]}")
if report.overview.demo_label:
    st.warning(report.overview.demo_label)
h = report.overview.headline
cols = st.columns(3)
cols[0].metric("Responses", h.responses, h.responses_change or None)
cols[1].metric("Sessions", h.sessions)
cols[2].metric(
    "Serious violence per 1,000",
    report.rate_display,
    report.rate_vs_area or None,
    delta_color="inverse",
)
st.subheader("What young people here raise, beside the whole area")
st.dataframe(report.themes_vs_area, hide_index=True, width="stretch")
st.vega_lite_chart(spec=place_chart(report.overview.places).for_streamlit(), width="stretch")
st.vega_lite_chart(spec=time_chart(report.overview.times).for_streamlit(), width="stretch")
st.vega_lite_chart(spec=month_chart(report.overview.months).for_streamlit(), width="stretch")
st.dataframe(for_reading(report.overview.strands), hide_index=True, width="stretch")
board_pack_button(member, chosen)
