"""You said, we did: a placeholder until the board issue lands."""

import streamlit as st

st.title("You said, we did")
st.info("Coming soon: this page is a placeholder and does not show anything yet.")
st.write(
    "Here you'll see what the people who run your area have done about what young people "
    "told us: what you asked for, what was done, and who did it."
)
