"""Audit log (admin): who did what and when, with filters, and a CSV of the events shown.

Looking is audited by the domain (once per filters within an hour), every export too.
"""

import streamlit as st

from survey.core.audit import DEFAULT_LIMIT, audit_actions, audit_events, audit_log_csv
from survey.staff.permissions import Permission
from ui.resources import db_session
from ui.staff_gate import staff_page

LIMITS = [100, DEFAULT_LIMIT, 1000, 5000]

member = staff_page(Permission.READ_AUDIT_LOG)
st.title("Audit log")
st.caption(
    "Who did what, and when (UK time), newest first. Looking at the log is recorded in it, "
    "and so is every CSV export."
)
with db_session() as db:
    actions = audit_actions(db, member)
left, right = st.columns(2)
action = left.selectbox(
    "Action",
    [None, *actions],
    format_func=lambda a: "All actions" if a is None else a,
    key="audit_action",
)
actor = right.text_input("Actor (any part of the username)", key="audit_actor")
since = left.date_input("From", value=None, format="DD/MM/YYYY", key="audit_since")
until = right.date_input("To", value=None, format="DD/MM/YYYY", key="audit_until")
limit = left.selectbox(
    "Show the newest", LIMITS, index=1, format_func="{:,} events".format, key="audit_limit"
)
filters = {"action": action, "actor": actor, "since": since, "until": until, "limit": limit}
try:
    with db_session() as db:
        events = audit_events(db, member, **filters)
except ValueError as problem:
    st.error(str(problem))
    st.stop()
# A dataframe shows every cell as text: a name typed at a failed sign-in stays as typed.
st.dataframe(events, hide_index=True, width="stretch")
st.caption(f"{len(events):,} events shown.")
if st.button("Prepare a CSV of these events"):
    with db_session() as db:
        st.session_state["audit_csv"] = (filters, audit_log_csv(db, member, **filters))
prepared = st.session_state.get("audit_csv")
if prepared and prepared[0] == filters:
    st.download_button("Download CSV", prepared[1], "audit-log.csv", mime="text/csv")
