"""The app's only entry point: page config, the navigation by role, and the sign-in state.

Each staff page also checks the role itself on every run (ui.staff_gate.staff_page), so a
page opened by its URL is refused even if the navigation were bypassed.
"""

from __future__ import annotations

import streamlit as st

from survey.users import Role
from ui.resources import engine, tagger
from ui.staff_gate import current_member

st.set_page_config(page_title="Have your say", page_icon=":material/chat:", layout="centered")
engine()  # migrate on start, once per process
tagger()  # build the spaCy pipeline at start-up, not on a young person's submit


def page(name: str, title: str, icon: str, *, default: bool = False) -> st.Page:
    return st.Page(f"pages/{name}.py", title=title, icon=f":material/{icon}:", default=default)


PUBLIC = [
    page("survey", "Have your say", "chat", default=True),
    page("you_said_we_did", "You said, we did", "campaign"),
]
BY_ROLE: dict[str, tuple[set[Role], list[st.Page]]] = {
    "Sessions": (
        {Role.WORKER},
        [
            page("sessions", "Sessions", "groups"),
            page("live_session", "Live screen", "cast"),
            page("paper_forms", "Paper forms", "edit_note"),
            page("review_desk", "Review desk", "rate_review"),
        ],
    ),
    "Safeguarding": (
        {Role.WORKER, Role.SAFEGUARDING_LEAD},
        [page("safeguarding_alerts", "Safeguarding alerts", "health_and_safety")],
    ),
    "Data": (
        {Role.ANALYST},
        [
            page("response_overview", "Response overview", "bar_chart"),
            page("theme_explorer", "Theme explorer", "search"),
            page("incident_import", "Incident data", "upload_file"),
        ],
    ),
    "Board": (
        {Role.BOARD},
        [
            page("board_overview", "Board overview", "dashboard"),
            page("board_themes", "Theme summaries", "topic"),
            page("board_district", "District view", "location_city"),
            page("actions", "Actions", "task_alt"),
        ],
    ),
    "Admin": (set(), [page("response_admin", "Delete a response", "delete")]),
}

# Captions in a darker grey than Streamlit's default: 4.5:1 contrast (WCAG 2.2 AA).
st.html(
    "<style>[data-testid='stCaptionContainer'], [data-testid='stCaptionContainer'] * "
    "{color: #4d5159 !important; opacity: 1 !important;}</style>"
)

member = current_member()
pages: dict[str, list[st.Page]] = {"Young people": PUBLIC}
if member is None:
    # Young people get no sidebar: the pages link to each other, which reads better on a
    # phone; staff reach the sign-in page by its address or the link under the survey.
    pages["Staff"] = [page("sign_in", "Staff sign in", "login")]
    st.navigation(pages, position="hidden").run()
    st.stop()
else:
    for group, (roles, group_pages) in BY_ROLE.items():
        if member.role == Role.ADMIN or member.role in roles:
            pages[group] = group_pages
    pages["Account"] = [page("sign_in", "Sign out", "logout")]

st.navigation(pages).run()
