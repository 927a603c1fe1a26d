"""Who may do what: the one permission table.

Every "may this person do X" in the product is answered here: the navigation shows a page
when its member `may` open it (ui/navigation.py), every staff page starts with
`staff_page(Permission.X)` (ui/staff_gate.py), and every domain function that changes or
exports data calls `require(member, Permission.X)` itself, so it refuses the wrong person
even when called without the UI. Nothing else compares roles.

A permission is named in the users' own words, and its value says what it lets one do
("Only analysts and admins can import incident data."). An admin holds every permission.

The command line: a few domain functions are called by an operator at the server, who can
read the database and its files anyway. Those that also serve staff (importing and undoing
incident imports, the board pack, lifting sign-in limits) take `operator()`, a member with
the admin's permissions whose name ("command line") goes in the audit log as before. The
commands no staff member can reach (create-user, which must make the first admin; prepare and
its demo data; purge; train; retag) check nothing: their operator is trusted.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from types import MappingProxyType


class Role(StrEnum):
    WORKER = "worker"
    ANALYST = "analyst"
    BOARD = "board"
    ADMIN = "admin"
    SAFEGUARDING_LEAD = "safeguarding_lead"


class AccessDenied(Exception):
    """The signed-in person (or nobody) may not open this page or do this; the message is
    plain and safe to show."""


@dataclass(frozen=True)
class StaffMember:
    """The signed-in person as pages see them: no password hash travels around."""

    id: int
    username: str
    display_name: str
    role: Role


class Permission(StrEnum):
    """What a member may do; the value completes "Only ... can ___"."""

    # Participation workers
    RUN_SESSIONS = "run sessions"
    ENTER_PAPER_FORMS = "enter paper forms"
    REVIEW_THEMES = "review themes"
    APPROVE_QUOTES = "approve quotes"
    FOLLOW_UP_ALERTS = "follow up safeguarding alerts"
    # ...not only their own sessions' (the rest follow only their own)
    MANAGE_EVERY_SESSION = "see and run every worker's sessions"
    REVIEW_EVERY_RESPONSE = "review every response, the open survey's too"
    FOLLOW_UP_EVERY_ALERT = "follow up every safeguarding alert"
    # Analysts
    SEE_RESPONSE_OVERVIEW = "see the response overview"
    EXPLORE_THEMES = "explore themes"
    IMPORT_INCIDENTS = "import incident data"
    UNDO_IMPORTS = "undo incident imports"
    # Board members
    READ_BOARD = "read the board pages"
    EXPORT_BOARD_PACK = "export the board pack"
    RECORD_ACTIONS = "record actions"
    # Admins only
    DELETE_RESPONSES = "delete a response"
    READ_AUDIT_LOG = "read the audit log"
    MANAGE_STAFF = "manage staff accounts"


_HELD_BY: dict[Permission, set[Role]] = {
    Permission.RUN_SESSIONS: {Role.WORKER},
    Permission.ENTER_PAPER_FORMS: {Role.WORKER},
    Permission.REVIEW_THEMES: {Role.WORKER},
    Permission.APPROVE_QUOTES: {Role.WORKER},
    Permission.FOLLOW_UP_ALERTS: {Role.WORKER, Role.SAFEGUARDING_LEAD},
    Permission.MANAGE_EVERY_SESSION: set(),
    Permission.REVIEW_EVERY_RESPONSE: set(),
    Permission.FOLLOW_UP_EVERY_ALERT: {Role.SAFEGUARDING_LEAD},
    Permission.SEE_RESPONSE_OVERVIEW: {Role.ANALYST},
    Permission.EXPLORE_THEMES: {Role.ANALYST},
    Permission.IMPORT_INCIDENTS: {Role.ANALYST},
    Permission.UNDO_IMPORTS: {Role.ANALYST},
    Permission.READ_BOARD: {Role.BOARD},
    Permission.EXPORT_BOARD_PACK: {Role.BOARD},
    Permission.RECORD_ACTIONS: {Role.BOARD},
    Permission.DELETE_RESPONSES: set(),
    Permission.READ_AUDIT_LOG: set(),
    Permission.MANAGE_STAFF: set(),
}

# The table: each permission and the roles that hold it (an admin holds all).
PERMISSIONS: Mapping[Permission, frozenset[Role]] = MappingProxyType(
    {p: frozenset({Role.ADMIN, *_HELD_BY[p]}) for p in Permission}  # KeyError: one is missing
)

_PEOPLE = {
    Role.WORKER: "participation workers",
    Role.SAFEGUARDING_LEAD: "safeguarding leads",
    Role.ANALYST: "analysts",
    Role.BOARD: "board members",
    Role.ADMIN: "admins",
}


def may(member: StaffMember | None, permission: Permission) -> bool:
    """Whether a member holds a permission (nobody signed in holds none)."""
    return member is not None and member.role in PERMISSIONS[permission]


def require(member: StaffMember | None, permission: Permission) -> StaffMember:
    """The member, if they hold the permission; else AccessDenied with a plain message."""
    if member is None:
        raise AccessDenied("Please sign in as staff to do this.")
    if not may(member, permission):
        raise AccessDenied(f"Only {holders(permission)} can {permission}.")
    return member


def holders(permission: Permission) -> str:
    """Who holds a permission, in words: "participation workers and admins"."""
    names = [name for role, name in _PEOPLE.items() if role in PERMISSIONS[permission]]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def operator(name: str = "command line") -> StaffMember:
    """Whoever runs a command on the server (see the module's notes): an admin's permissions,
    and `name` in the audit log."""
    return StaffMember(0, name, name, Role.ADMIN)
