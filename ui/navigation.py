"""Which pages each person sees: the public pages, and each staff page its member `may` open.

Every page in pages/ is listed here once, with the permission that opens it (None: public).
The page's own gate, `staff_page(Permission.X)`, names the same permission
(tests/pages/test_role_gate.py checks that they agree).
"""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st
from streamlit.runtime.pages_manager import PagesManager

from survey.core.settings import PROJECT_ROOT
from survey.staff.permissions import Permission, StaffMember, may

PAGES = PROJECT_ROOT / "pages"
# In a browser session's state once app.py has built its navigation (see served_through_app).
THROUGH_APP = "_served_through_app"
ALERTS_PAGE = "safeguarding_alerts"  # where an alert email's link points (?alert=ID)


@dataclass(frozen=True)
class PageEntry:
    name: str  # the file pages/{name}.py
    title: str
    icon: str
    opens_with: Permission | None  # None: a public page


PUBLIC_PAGES = (
    PageEntry("survey", "Have your say", "chat", None),
    PageEntry("you_said_we_did", "You said, we did", "campaign", None),
)
SIGN_IN = PageEntry("sign_in", "Staff sign in", "login", None)
SIGN_OUT = PageEntry("sign_in", "Sign out", "logout", None)  # the same page, signed in
STAFF_GROUPS: dict[str, tuple[PageEntry, ...]] = {
    "Sessions": (
        PageEntry("sessions", "Sessions", "groups", Permission.RUN_SESSIONS),
        PageEntry("live_session", "Live screen", "cast", Permission.RUN_SESSIONS),
        PageEntry("paper_forms", "Paper forms", "edit_note", Permission.ENTER_PAPER_FORMS),
        PageEntry("review_desk", "Review desk", "rate_review", Permission.REVIEW_THEMES),
    ),
    "Safeguarding": (
        PageEntry(
            "safeguarding_alerts",
            "Safeguarding alerts",
            "health_and_safety",
            Permission.FOLLOW_UP_ALERTS,
        ),
    ),
    "Data": (
        PageEntry(
            "response_overview", "Response overview", "bar_chart", Permission.SEE_RESPONSE_OVERVIEW
        ),
        PageEntry("theme_explorer", "Theme explorer", "search", Permission.EXPLORE_THEMES),
        PageEntry("incident_import", "Incident data", "upload_file", Permission.IMPORT_INCIDENTS),
    ),
    "Board": (
        PageEntry("board_overview", "Board overview", "dashboard", Permission.READ_BOARD),
        PageEntry("board_themes", "Theme summaries", "topic", Permission.READ_BOARD),
        PageEntry("board_district", "District view", "location_city", Permission.READ_BOARD),
        PageEntry("actions", "Actions", "task_alt", Permission.RECORD_ACTIONS),
    ),
    "Admin": (
        PageEntry("response_admin", "Delete a response", "delete", Permission.DELETE_RESPONSES),
        PageEntry("audit_log", "Audit log", "history", Permission.READ_AUDIT_LOG),
        PageEntry("staff_accounts", "Staff accounts", "manage_accounts", Permission.MANAGE_STAFF),
    ),
}


def page(entry: PageEntry, *, default: bool = False) -> st.Page:
    return st.Page(
        PAGES / f"{entry.name}.py",
        title=entry.title,
        icon=f":material/{entry.icon}:",
        default=default,
    )


def public_pages(*, with_default: bool = True) -> list[st.Page]:
    return [page(entry, default=with_default and i == 0) for i, entry in enumerate(PUBLIC_PAGES)]


def staff_entries(member: StaffMember) -> dict[str, list[PageEntry]]:
    """The staff pages a member's permissions open, by group (a group they open none of is
    left out)."""
    shown = {
        group: [e for e in entries if e.opens_with is not None and may(member, e.opens_with)]
        for group, entries in STAFF_GROUPS.items()
    }
    return {group: entries for group, entries in shown.items() if entries}


def staff_pages(member: StaffMember) -> dict[str, list[st.Page]]:
    """The staff pages a member's permissions open, by group."""
    return {
        group: [page(entry) for entry in entries]
        for group, entries in staff_entries(member).items()
    }


def navigation(member: StaffMember | None) -> st.navigation:
    st.session_state[THROUGH_APP] = True
    if member is None:
        # Young people get a plain list of three pages (grouped navigation marks up its
        # headings inside the list, which screen readers read badly: axe's list rule).
        followed = alert_link_followed() is not None
        pages = [*public_pages(with_default=not followed), page(SIGN_IN)]
        if followed:
            pages.append(_sign_in_for_the_alert())
        return st.navigation(pages)
    return st.navigation(
        {
            "Young people": public_pages(),
            **staff_pages(member),
            "Account": [page(SIGN_OUT)],
        }
    )


def served_through_app() -> None:
    """Each page's first call (staff pages through staff_page): if Streamlit ran this page
    without app.py, run again through app.py's navigation.

    Streamlit 1.67 serves an app that has a `pages/` folder the old way (every file there a
    page in a flat menu, app.py skipped) until app.py has called st.navigation once in the
    server process, and no setting turns that off. So a browser whose first address after a
    start is a page's own (/sign_in, /review_desk) would get every file in pages/ as its
    menu and none of app.py. App.py never runs on that visit, so the fix cannot live there:
    a page run before app.py has served this browser session sets the flag st.navigation
    itself sets (Streamlit's, private) and runs again, now through app.py.
    (Streamlit's AppTest decides the old way afresh on every run; a test that opens a page
    by its URL after app.py has run still reaches the page itself, as a bypassed navigation
    would.)
    """
    if PagesManager.uses_pages_directory and not st.session_state.get(THROUGH_APP):
        PagesManager.uses_pages_directory = False
        st.rerun()


def alert_link_followed() -> str | None:
    """The alert an email's link names (…/safeguarding_alerts?alert=ID), if any."""
    alert = st.query_params.get("alert", "")
    return alert if alert.isdigit() else None


def _sign_in_for_the_alert() -> st.Page:
    """The sign-in form at the alerts page's own address, for a signed-out visitor.

    An alert email's link opens a new browser session, signed out, where the alerts page
    does not exist (Streamlit would say "page not found" over the survey). Here the sign-in
    form answers at that address; once signed in, the rerun finds the real alerts page at
    the same address (a page is known by its URL path) with `?alert=ID` still there.
    """
    return st.Page(
        PAGES / f"{SIGN_IN.name}.py",
        title=SIGN_IN.title,
        icon=f":material/{SIGN_IN.icon}:",
        url_path=ALERTS_PAGE,
        default=False,
        visibility="hidden",
    )
