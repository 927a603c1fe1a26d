"""Board overview (board): young people's voice beside recorded incidents, by district,
place, time, month and strand, with headline figures and approved quotes."""

import streamlit as st

from insights.board.charts import (
    district_chart,
    month_chart,
    place_chart,
    prevalence_chart,
    strand_chart,
    time_chart,
)
from insights.board.overview import board_overview, for_reading
from insights.board.tables import count_for_display
from insights.board.theme_summary import quotes_by_theme
from insights.unread_answers import unread_answers
from survey.privacy.small_numbers import suppression_note
from survey.staff.permissions import Permission
from ui.board_pack_button import board_pack_button
from ui.board_state import board_context, board_data, board_filters
from ui.resources import db_session
from ui.staff_gate import staff_page

member = staff_page(Permission.READ_BOARD)
data, ctx = board_data(), board_context()
chosen = board_filters(data, ctx)
view = board_overview(data, chosen, ctx)
st.title("Board overview")
if view.demo_label:
    st.warning(view.demo_label)
h = view.headline
cols = st.columns(3)
cols[0].metric("Responses", h.responses, h.responses_change or None)
cols[1].metric("Sessions", h.sessions)
cols[2].metric("Districts covered", h.districts_covered)
if h.top_themes:
    st.write("**Raised most:** " + " · ".join(h.top_themes))
with db_session() as db:
    unread = unread_answers(
        db, districts=chosen.districts, month_from=chosen.month_from, month_to=chosen.month_to
    )
if unread.responses:  # a count a board reads: small numbers hidden, languages not named
    st.caption(unread.in_words(count_for_display(unread.responses, ctx.threshold)))

for chart, table in (
    (prevalence_chart(view.prevalence), None),
    (district_chart(view.districts), view.districts),
    (place_chart(view.places), None),
    (time_chart(view.times), None),
    (month_chart(view.months), None),
    (strand_chart(view.strands), None),
):
    st.vega_lite_chart(spec=chart.for_streamlit(), width="stretch")
    if table is not None:
        st.dataframe(for_reading(table), hide_index=True, width="stretch")
st.caption(suppression_note(ctx.threshold))
st.subheader("In their words")
with db_session() as db:
    quotes = quotes_by_theme(db, chosen, per_theme=2)
for row in view.prevalence.dropna(subset=["share"]).head(5).itertuples():
    for quote in quotes.get(row.theme, []):
        st.text(f"{row.label}: “{quote}”")  # plain text, never Markdown or HTML
board_pack_button(member, chosen)
