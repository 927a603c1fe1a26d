"""Choosing one of the worker's own sessions, remembered across the worker's pages."""

from __future__ import annotations

import streamlit as st

from survey.participation.sessions import SessionView, sessions_for
from survey.staff.users import StaffMember
from ui.resources import db_session

_CHOSEN = "worker_session_id"


def _sessions(member: StaffMember, include_archived: bool) -> tuple[list[SessionView], int]:
    """The member's sessions (newest first) and the index of the one chosen before: a
    `?session=ID` in the URL, else the last one picked, else the newest. Only the member's
    own sessions are offered, so another worker's id in the URL selects nothing."""
    with db_session() as db:
        sessions = sessions_for(db, member, include_archived=include_archived)
    ids = [s.id for s in sessions]
    wanted = st.query_params.get("session")
    if wanted and wanted.isdigit() and int(wanted) in ids:
        st.session_state[_CHOSEN] = int(wanted)
    chosen = st.session_state.get(_CHOSEN)
    return sessions, ids.index(chosen) if chosen in ids else 0


def pick_session(
    member: StaffMember, label: str = "Session", *, include_archived: bool = False
) -> SessionView | None:
    """A select box of the member's sessions (archived ones only when asked for); None when
    they have none."""
    sessions, index = _sessions(member, include_archived)
    if not sessions:
        st.info("No sessions yet. Create one on the Sessions page.")
        return None
    by_id = {s.id: s for s in sessions}
    picked = st.selectbox(
        label,
        list(by_id),
        index=index,
        format_func=lambda i: (
            f"{by_id[i].name} · {by_id[i].held_on:%d %b %Y} · {by_id[i].code}"
            + (" · archived" if by_id[i].archived else "")
        ),
    )
    st.session_state[_CHOSEN] = picked
    return by_id[picked]


def chosen_session(member: StaffMember) -> SessionView | None:
    """The session chosen before (as `pick_session` would preselect it), with nothing drawn:
    for the projected screen, where a select box is staff-only clutter."""
    sessions, index = _sessions(member, include_archived=False)
    return sessions[index] if sessions else None
