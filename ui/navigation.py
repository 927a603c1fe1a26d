"""Which pages each person sees: the public pages, and the staff pages by role."""

from __future__ import annotations

import streamlit as st

from survey.core.settings import PROJECT_ROOT
from survey.staff.users import Role, StaffMember

PAGES = PROJECT_ROOT / "pages"


def page(name: str, title: str, icon: str, *, default: bool = False) -> st.Page:
    return st.Page(PAGES / f"{name}.py", title=title, icon=f":material/{icon}:", default=default)


def public_pages() -> list[st.Page]:
    return [
        page("survey", "Have your say", "chat", default=True),
        page("you_said_we_did", "You said, we did", "campaign"),
    ]


def _staff_groups() -> dict[str, tuple[set[Role], list[st.Page]]]:
    return {
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
        "Admin": (
            set(),
            [
                page("response_admin", "Delete a response", "delete"),
                page("audit_log", "Audit log", "history"),
                page("staff_accounts", "Staff accounts", "manage_accounts"),
            ],
        ),
    }


def staff_pages(member: StaffMember) -> dict[str, list[st.Page]]:
    """The staff pages a member's role opens (an admin: all), by group."""
    return {
        group: group_pages
        for group, (roles, group_pages) in _staff_groups().items()
        if member.role == Role.ADMIN or member.role in roles
    }


def navigation(member: StaffMember | None) -> st.navigation:
    if member is None:
        # Young people get a plain list of three pages (grouped navigation marks up its
        # headings inside the list, which screen readers read badly: axe's list rule).
        return st.navigation([*public_pages(), page("sign_in", "Staff sign in", "login")])
    return st.navigation(
        {
            "Young people": public_pages(),
            **staff_pages(member),
            "Account": [page("sign_in", "Sign out", "logout")],
        }
    )
