"""Board overview: a placeholder until its issue lands (the role check is already real)."""

import streamlit as st

from survey.users import Role
from ui.staff_gate import staff_page

staff_page(Role.BOARD)
st.title("Board overview")
st.info("Coming soon: this page is a placeholder and does not work yet.")
st.write(
    "Young people's themes beside incident data, by district, place, time, age and "
    "strand, and the board pack download."
)
