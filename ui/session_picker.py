"""Choosing one of the worker's own sessions, remembered across the worker's pages."""

from __future__ import annotations

import streamlit as st

from survey.participation.sessions import SessionView, sessions_for
from survey.staff.users import StaffMember
from ui.resources import db_session

_CHOSEN = "worker_session_id"


def pick_session(member: StaffMember, label: str = "Session") -> SessionView | None:
    """A select box of the member's sessions (newest first); None when they have none.

    A `?session=ID` in the URL preselects it; only the member's own sessions are offered,
    so another worker's id in the URL selects nothing.
    """
    with db_session() as db:
        sessions = sessions_for(db, member)
    if not sessions:
        st.info("No sessions yet. Create one on the Sessions page.")
        return None
    ids = [s.id for s in sessions]
    wanted = st.query_params.get("session")
    if wanted and wanted.isdigit() and int(wanted) in ids:
        st.session_state[_CHOSEN] = int(wanted)
    chosen = st.session_state.get(_CHOSEN)
    index = ids.index(chosen) if chosen in ids else 0
    by_id = {s.id: s for s in sessions}
    picked = st.selectbox(
        label,
        ids,
        index=index,
        format_func=lambda i: f"{by_id[i].name} · {by_id[i].held_on:%d %b %Y} · {by_id[i].code}",
    )
    st.session_state[_CHOSEN] = picked
    return by_id[picked]
