"""Incident data: a placeholder until its issue lands (the role check is already real)."""

import streamlit as st

from survey.users import Role
from ui.staff_gate import staff_page

staff_page(Role.ANALYST)
st.title("Incident data")
st.info("Coming soon: this page is a placeholder and does not work yet.")
st.write(
    "Import police.uk street-level crime files and partner extracts, check the "
    "mapping and the error report, and undo an import."
)
