"""Delete a response (admin): for a malicious or mistaken response, with a reason that
goes in the audit log."""

import streamlit as st

from survey.privacy.retention import delete_response
from survey.staff.permissions import Permission
from ui.resources import db_session
from ui.staff_gate import staff_page

member = staff_page(Permission.DELETE_RESPONSES)
st.title("Delete a response")
st.caption(
    "Deleting removes the response, its answers, themes, quotes and alerts for good. "
    "The audit log keeps who did it, when and why."
)
with st.form("delete-response"):
    response_id = st.number_input("Response number", min_value=1, step=1, value=None)
    reason = st.text_input("Reason")
    confirmed = st.checkbox("I understand this cannot be undone")
    deleted = st.form_submit_button("Delete response", type="primary")
if deleted:
    if response_id is None or not confirmed:
        st.error("Give the response number and tick the box to confirm.")
    else:
        try:
            with db_session() as db:
                delete_response(db, member, int(response_id), reason)
            st.success(f"Response {int(response_id)} was deleted.")
        except ValueError as problem:
            st.error(str(problem))
