"""Sessions: a placeholder until its issue lands (the role check is already real)."""

import streamlit as st

from survey.users import Role
from ui.staff_gate import staff_page

staff_page(Role.WORKER)
st.title("Sessions")
st.info("Coming soon: this page is a placeholder and does not work yet.")
st.write(
    "Create a session for a school or youth club, show its join code and QR code, "
    "watch answers arrive live, and enter paper forms."
)
