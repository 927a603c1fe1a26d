"""The young person's draft on the page: its token in a first-party cookie, the draft written
at Start, Next and Back (never on each keystroke), and brought back when the browser comes
again with the cookie: after a reload, the phone's Back and Forward, or a dropped connection
that outlived the server's session. The domain side, sealing and all, is survey/drafts.py.

Why a cookie, not the address: a `?draft=` in the URL would show on a shared or projected
screen, stay in the browser's history, go wherever the link is copied (a friend sent the
survey's link would get the answers too) and reach the proxy's access logs, which with a
copy of the database would open the draft. A cookie goes only to this site (SameSite=Strict;
over HTTPS `__Host-`, which no other subdomain can set, and Secure). A page cannot set a
cookie by HTTP header here, so a small script sets it, and it reaches the server on the next
connection, which is exactly when it is needed. It is kept two hours, as the draft is, and
"Leave this site" (ui/quick_exit.py) deletes it at once.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import streamlit as st
from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import Session

from survey.drafts import (
    DRAFT_LIFETIME,
    Draft,
    delete_draft,
    is_draft_token,
    load_draft,
    new_draft_token,
    save_draft,
)
from ui.resources import engine

log = logging.getLogger(__name__)

DRAFT_COOKIE = "yv_draft"
SECURE_DRAFT_COOKIE = "__Host-yv_draft"  # over HTTPS: only this exact host can set it
DRAFT_COOKIES = (DRAFT_COOKIE, SECURE_DRAFT_COOKIE)


@dataclass
class DraftState:
    """What this browser session knows of its draft (kept in the survey's flow)."""

    token: str | None = None  # None: no draft written yet, or it has ended
    checked: bool = False  # the cookie the browser came with has been looked at
    restored: bool = False  # the answers came back from an earlier visit: say so
    cookie_changes: int = 0  # bumped each time the browser's cookie must change


@contextmanager
def _database() -> Iterator[Session]:
    # Not ui.resources.db_session: a draft that cannot be written or read never stops the
    # survey (the answers are still on screen); the send says so if the database is away.
    with Session(engine(), expire_on_commit=False) as db:
        yield db


def _cookie_token() -> str | None:
    """The draft token the browser came with. Over HTTPS only the `__Host-` cookie counts,
    so a cookie planted by another subdomain cannot name a draft."""
    https = (st.context.url or "").startswith("https:")
    sent = st.context.cookies.get(SECURE_DRAFT_COOKIE if https else DRAFT_COOKIE)
    return sent if is_draft_token(sent) else None


def draft_to_restore(state: DraftState) -> Draft | None:
    """The draft the browser's cookie names, once per browser session; None if there is
    none. If the database cannot be reached, it is looked for again on the next run."""
    token = _cookie_token()
    if token is None:
        state.checked = True
        return None
    try:
        with _database() as db:
            draft = load_draft(db, token)
    except SQLAlchemyError as problem:
        log.warning("a survey draft could not be read (%s)", type(problem).__name__)
        return None
    state.checked = True
    if draft is not None:
        state.token, state.restored = token, True
    return draft


def keep_draft(state: DraftState, draft: Draft) -> None:
    """Write the draft (two more hours); the first write makes the token and the cookie."""
    token = state.token or new_draft_token()
    try:
        with _database() as db:
            save_draft(db, token, draft)
    except SQLAlchemyError as problem:  # the answers stay on screen; the send will tell
        log.warning("a survey draft could not be kept (%s)", type(problem).__name__)
        return
    if state.token is None:
        state.token = token
    state.cookie_changes += 1  # a new token, or two more hours for the cookie
    state.restored = False


def draft_sent(state: DraftState) -> None:
    """The answers were sent: the submit deleted the draft; the browser forgets its token."""
    state.token, state.restored = None, False
    state.cookie_changes += 1


def discard_draft(state: DraftState) -> DraftState:
    """Start afresh: delete the draft now; returns the state for the new, empty survey."""
    if state.token is not None:
        try:
            with _database() as db:
                delete_draft(db, state.token)
        except SQLAlchemyError as problem:  # unreadable without the token; swept in 2 hours
            log.warning("a survey draft could not be deleted (%s)", type(problem).__name__)
    return DraftState(checked=True, cookie_changes=state.cookie_changes + 1)


def tell_the_browser(state: DraftState) -> None:
    """Set (or delete) the draft cookie after a change. The count in the script makes each
    change a new element, so the browser runs it again."""
    if state.cookie_changes == 0:
        return
    token = json.dumps(state.token or "")  # a JSON string is a safe JavaScript literal
    seconds = int(DRAFT_LIFETIME.total_seconds()) if state.token else 0
    st.html(
        f"<script>/* draft cookie {state.cookie_changes} */(function(){{"
        "var https=location.protocol==='https:';"
        f"var name=https?'{SECURE_DRAFT_COOKIE}':'{DRAFT_COOKIE}';"
        f"document.cookie=name+'='+{token}+'; Max-Age={seconds}; Path=/; SameSite=Strict'"
        "+(https?'; Secure':'');})();</script>",
        unsafe_allow_javascript=True,
    )
