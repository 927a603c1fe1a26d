"""Theme summaries (board): for each theme, how many raised it and the trend, where it is
raised most, the incidents it lines up with, and approved quotes."""

import streamlit as st

from insights.board.charts import trend_chart
from insights.board.theme_summary import quotes_by_theme, theme_summaries
from survey.staff.permissions import Permission
from ui.board_state import board_context, board_data, board_filters
from ui.resources import db_session
from ui.staff_gate import staff_page

staff_page(Permission.READ_BOARD)
data, ctx = board_data(), board_context()
chosen = board_filters(data, ctx)
with db_session() as db:
    quotes = quotes_by_theme(db, chosen)
summaries = theme_summaries(data, chosen, ctx, quotes)
st.title("Theme summaries")
if data.demo_responses or data.demo_incidents:
    st.warning("This page shows synthetic demo data, not real responses or incidents.")
for s in summaries:
    with st.container(border=True):
        st.subheader(s.label)
        change = "" if s.change != s.change else f" · {s.change:+.1f} points on the previous period"
        st.write(f"**{s.responses}** responses · **{s.share_display}** of young people{change}")
        if s.top_districts:
            st.write("Raised most in: " + ", ".join(s.top_districts))
        if s.linked_incidents:
            st.write("Lines up with: " + s.linked_incidents)
        if s.trend["share"].notna().sum() > 1:
            st.vega_lite_chart(spec=trend_chart(s.trend).for_streamlit(), width="stretch")
        for quote in s.quotes:
            st.text(f"“{quote}”")  # plain text, never Markdown or HTML
