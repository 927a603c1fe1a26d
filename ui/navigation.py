"""Which pages each person sees: the public pages, and each staff page its member `may` open.

Every page in pages/ is listed here once, with the permission that opens it (None: public).
The page's own gate, `staff_page(Permission.X)`, names the same permission
(tests/pages/test_role_gate.py checks that they agree).
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import streamlit as st
from streamlit.runtime.pages_manager import PagesManager

from survey.core.settings import PROJECT_ROOT
from survey.staff.permissions import Permission, StaffMember, may

PAGES = PROJECT_ROOT / "pages"
# In a browser session's state once app.py has built its navigation (see served_through_app).
THROUGH_APP = "_served_through_app"
ALERTS_PAGE = "safeguarding_alerts"  # where an alert email's link points (?alert=ID)
# In a browser session's state: the staff page whose address a signed-out visitor opened.
ASKED_FOR = "_sign_in_asked_for"


@dataclass(frozen=True)
class PageEntry:
    name: str  # the file pages/{name}.py
    title: str
    # An emoji, drawn by the phone itself. Never a :material/...: icon: Streamlit may fetch
    # that from fonts.gstatic.com (as the tab's icon), telling Google who opened the page.
    icon: str
    opens_with: Permission | None  # None: a public page


PUBLIC_PAGES = (
    PageEntry("survey", "Have your say", "💬", None),
    PageEntry("you_said_we_did", "You said, we did", "📣", None),
)
SIGN_IN = PageEntry("sign_in", "Staff sign in", "🔑", None)
SIGN_OUT = PageEntry("sign_in", "Sign out", "🚪", None)  # the same page, signed in
STAFF_GROUPS: dict[str, tuple[PageEntry, ...]] = {
    "Sessions": (
        PageEntry("sessions", "Sessions", "👥", Permission.RUN_SESSIONS),
        PageEntry("live_session", "Live screen", "📽️", Permission.RUN_SESSIONS),
        PageEntry("paper_forms", "Paper forms", "📝", Permission.ENTER_PAPER_FORMS),
        PageEntry("review_desk", "Review desk", "📋", Permission.REVIEW_THEMES),
    ),
    "Safeguarding": (
        PageEntry(
            "safeguarding_alerts",
            "Safeguarding alerts",
            "🛟",
            Permission.FOLLOW_UP_ALERTS,
        ),
    ),
    "Data": (
        PageEntry("response_overview", "Response overview", "📊", Permission.SEE_RESPONSE_OVERVIEW),
        PageEntry("theme_explorer", "Theme explorer", "🔎", Permission.EXPLORE_THEMES),
        PageEntry("incident_import", "Incident data", "📥", Permission.IMPORT_INCIDENTS),
    ),
    "Board": (
        PageEntry("board_overview", "Board overview", "📈", Permission.READ_BOARD),
        PageEntry("board_themes", "Theme summaries", "🏷️", Permission.READ_BOARD),
        PageEntry("board_district", "District view", "🏙️", Permission.READ_BOARD),
        PageEntry("actions", "Actions", "✅", Permission.RECORD_ACTIONS),
    ),
    "Admin": (
        PageEntry("response_admin", "Delete a response", "🗑️", Permission.DELETE_RESPONSES),
        PageEntry("audit_log", "Audit log", "📜", Permission.READ_AUDIT_LOG),
        PageEntry("staff_accounts", "Staff accounts", "🪪", Permission.MANAGE_STAFF),
    ),
}


_STAFF_ENTRIES = {entry.name: entry for entries in STAFF_GROUPS.values() for entry in entries}


def page(entry: PageEntry, *, default: bool = False) -> st.Page:
    return _new_page(PAGES / f"{entry.name}.py", entry.title, entry.icon, default=default)


_BUILT: dict[tuple[str, str, str, str | None, bool, str], st.Page] = {}


def _new_page(
    path: Path,
    title: str,
    icon: str,
    *,
    url_path: str | None = None,
    default: bool = False,
    visibility: Literal["visible", "hidden"] = "visible",
) -> st.Page:
    """st.Page(...), without resolving its file on every run.

    Streamlit's constructor resolves the page's path (a system call per folder) each time;
    building the menu that way was a fifth of a first page's time when a room joins at once.
    Each page is built once per process and every run gets a shallow copy of it: never the
    same object in two browser sessions, because st.navigation marks the page it is about to
    run on the object itself.
    """
    key = (str(path), title, icon, url_path, default, visibility)
    built = _BUILT.get(key)
    if built is None:
        built = st.Page(
            path, title=title, icon=icon, url_path=url_path, default=default, visibility=visibility
        )
        _BUILT[key] = built
    return copy.copy(built)


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
    first_run = not st.session_state.get(THROUGH_APP)
    st.session_state[THROUGH_APP] = True
    if member is None:
        # Young people get a plain list of three pages (grouped navigation marks up its
        # headings inside the list, which screen readers read badly: axe's list rule).
        followed = alert_link_followed() is not None
        pages = [*public_pages(with_default=not followed), page(SIGN_IN)]
        # A staff page's address is opened by a browser session's first run (a new tab, a
        # reload, a bookmark, a link): only then, or while its sign-in is showing, are the
        # hidden sign-in pages needed. Building them on every run of the survey was a tenth
        # of the server's CPU under a crowd.
        hidden = _sign_in_at_staff_addresses() if first_run or ASKED_FOR in st.session_state else []
        current = st.navigation([*pages, *hidden])
        if current.url_path in _STAFF_ENTRIES:  # a staff page's address: its sign-in
            st.session_state[ASKED_FOR] = current.url_path
        else:
            st.session_state.pop(ASKED_FOR, None)
        return current
    st.session_state.pop(ASKED_FOR, None)
    return st.navigation(
        {
            "Young people": public_pages(),
            **staff_pages(member),
            "Account": [page(SIGN_OUT)],
        }
    )


def page_asked_for() -> PageEntry | None:
    """The staff page whose address a signed-out visitor opened (a bookmark, a link, a
    reload after their session ended): the sign-in form answers there, and once they are
    signed in the same address opens the page itself (see _sign_in_at_staff_addresses)."""
    return _STAFF_ENTRIES.get(st.session_state.get(ASKED_FOR, ""))


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


def _sign_in_at_staff_addresses() -> list[st.Page]:
    """The sign-in form at every staff page's own address, hidden, for a signed-out visitor.

    A bookmark, a link in an email (…/safeguarding_alerts?alert=ID) or a reload after the
    session ended opens a staff page's address in a browser session that is signed out,
    where the page does not exist (Streamlit would say "page not found" over the survey).
    Here the sign-in form answers at that address; once signed in, the rerun finds the real
    page at the same address (a page is known by its URL path), with its query string still
    there. Nothing is redirected, so there is no address to forge: only our own pages'.
    """
    return [
        _new_page(
            PAGES / f"{SIGN_IN.name}.py",
            SIGN_IN.title,
            SIGN_IN.icon,
            url_path=entry.name,
            visibility="hidden",
        )
        for entry in _STAFF_ENTRIES.values()
    ]
