"""Review desk: a placeholder until its issue lands (the role check is already real)."""

import streamlit as st

from survey.users import Role
from ui.staff_gate import staff_page

staff_page(Role.WORKER)
st.title("Review desk")
st.info("Coming soon: this page is a placeholder and does not work yet.")
st.write(
    "Read the responses from your sessions, check and correct their themes, and "
    "approve quotes for the board."
)
