"""Safeguarding alerts: a placeholder until its issue lands (the role check is already real)."""

import streamlit as st

from survey.users import Role
from ui.staff_gate import staff_page

staff_page(Role.WORKER, Role.SAFEGUARDING_LEAD)
st.title("Safeguarding alerts")
st.info("Coming soon: this page is a placeholder and does not work yet.")
st.write(
    "Follow up answers that may need a safeguarding response: new, seen, actioned, "
    "each with who, when and a note."
)
