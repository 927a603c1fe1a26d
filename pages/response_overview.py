"""Response overview (admin, analyst): are responses arriving, and from where."""

import streamlit as st

from insights.response_overview import response_overview
from survey.staff.permissions import Permission
from ui.charts import bar_chart, line_chart
from ui.resources import db_session
from ui.staff_gate import staff_page

staff_page(Permission.SEE_RESPONSE_OVERVIEW)
st.title("Response overview")
with db_session() as db:
    overview = response_overview(db)
if overview.demo:
    st.warning(f"Includes {overview.demo:,} responses of synthetic demo data.")
left, right = st.columns(2)
left.metric("Responses", f"{overview.total:,}")
right.metric("Questionnaire versions in use", f"{(overview.by_version['responses'] > 0).sum()}")
if overview.total == 0:
    st.info("No responses yet. They appear here as soon as a young person sends the survey.")
    st.stop()
st.subheader("Responses per day")
st.altair_chart(line_chart(overview.by_day, x="day", y="responses"), width="stretch")
st.subheader("Responses per district")
st.altair_chart(
    bar_chart(overview.by_district, category="district", value="responses"),
    width="stretch",
)
st.dataframe(overview.by_district, hide_index=True, width="stretch")
st.subheader("Questionnaire versions")
st.dataframe(overview.by_version, hide_index=True, width="stretch")
