"""Theme explorer: a placeholder until its issue lands (the role check is already real)."""

import streamlit as st

from survey.users import Role
from ui.staff_gate import staff_page

staff_page(Role.ANALYST)
st.title("Theme explorer")
st.info("Coming soon: this page is a placeholder and does not work yet.")
st.write(
    "Browse the theme codebook, try a sentence and see its themes with the evidence, "
    "and filter the themes of stored responses."
)
