"""The app's only entry point: page config, the navigation by role, and the sign-in state.

Each staff page also checks the role itself on every run (ui.staff_gate.staff_page), so a
page opened by its URL is refused even if the navigation were bypassed.
"""

from __future__ import annotations

import streamlit as st

from survey.users import Role
from ui.resources import engine
from ui.staff_gate import current_member

st.set_page_config(page_title="Have your say", page_icon="💬", layout="centered")
engine()  # migrate on start, once per process

PUBLIC = [
    st.Page("pages/survey.py", title="Have your say", icon="💬", default=True),
    st.Page("pages/you_said_we_did.py", title="You said, we did", icon="📣"),
]
BY_ROLE: dict[str, tuple[set[Role], list[st.Page]]] = {
    "Sessions": (
        {Role.WORKER},
        [
            st.Page("pages/sessions.py", title="Sessions", icon="🏫"),
            st.Page("pages/review_desk.py", title="Review desk", icon="📝"),
        ],
    ),
    "Safeguarding": (
        {Role.WORKER, Role.SAFEGUARDING_LEAD},
        [st.Page("pages/safeguarding_alerts.py", title="Safeguarding alerts", icon="🛟")],
    ),
    "Data": (
        {Role.ANALYST},
        [
            st.Page("pages/response_overview.py", title="Response overview", icon="📊"),
            st.Page("pages/theme_explorer.py", title="Theme explorer", icon="🔎"),
            st.Page("pages/incident_import.py", title="Incident data", icon="📥"),
        ],
    ),
    "Board": (
        {Role.BOARD},
        [st.Page("pages/board_overview.py", title="Board overview", icon="🧭")],
    ),
}

member = current_member()
pages: dict[str, list[st.Page]] = {"Young people": PUBLIC}
if member is None:
    pages["Staff"] = [st.Page("pages/sign_in.py", title="Staff sign in", icon="🔐")]
else:
    for group, (roles, group_pages) in BY_ROLE.items():
        if member.role == Role.ADMIN or member.role in roles:
            pages[group] = group_pages
    pages["Account"] = [st.Page("pages/sign_in.py", title="Sign out", icon="🔐")]

st.navigation(pages).run()
