"""Who is asking, as far as limits need it: a random token kept in the phone's browser (a
cookie set by the page, kept a day) and the network address. Neither is ever stored:
survey/core/limits.py keeps keyed hashes of them until their window ends."""

from __future__ import annotations

import json
import re
import secrets

import streamlit as st

from survey.participation.sessions import Client
from ui.resources import settings

DEVICE_COOKIE = "yv_device"
_TOKEN = "device_token"
_TOKEN_SENT = "device_token_sent"
_GOOD_TOKEN = re.compile(r"[A-Za-z0-9_-]{20,64}")


def device_token() -> str:
    """This phone's random token: from its cookie when the browser sent one, else new.

    The cookie survives a reload, so a reload does not reset the phone's limits; it holds
    nothing about the person and goes after a day.
    """
    if _TOKEN not in st.session_state:
        sent = st.context.cookies.get(DEVICE_COOKIE)
        good = isinstance(sent, str) and _GOOD_TOKEN.fullmatch(sent)
        st.session_state[_TOKEN] = sent if good else _new_token()
    return str(st.session_state[_TOKEN])


def _new_token() -> str:
    return secrets.token_urlsafe(24)


def keep_device_token(*, again: bool = False) -> None:
    """Ask the browser to keep this phone's token, if it came without one.

    Drawn once in a browser session is enough (the script sets the cookie as it is drawn),
    and not at all when the browser sent the cookie: each element is work on every rerun
    for every young person. `again` draws it anyway (the welcome page, in case a first
    run's elements were dropped by a quick rerun).
    """
    if st.context.cookies.get(DEVICE_COOKIE) == device_token():
        return
    if st.session_state.get(_TOKEN_SENT) and not again:
        return
    st.session_state[_TOKEN_SENT] = True
    token = json.dumps(device_token())  # a JSON string is a safe JavaScript literal
    st.html(
        "<script>(function(){var n='" + DEVICE_COOKIE + "=';"
        "if(document.cookie.split('; ').some(function(c){return c.indexOf(n)===0;}))return;"
        "document.cookie=n+" + token + "+'; Max-Age=86400; Path=/; SameSite=Strict'"
        "+(location.protocol==='https:'?'; Secure':'');})();</script>",
        unsafe_allow_javascript=True,
    )


def client_address() -> str | None:
    """The network address asking; behind a trusted proxy, the one it forwarded for."""
    if settings().forwarded_for_trusted:
        forwarded = st.context.headers.get("X-Forwarded-For", "")
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        if hops:  # the proxy appends the address it saw: the last entry is the true one
            return hops[-1]
    address = st.context.ip_address
    return address if isinstance(address, str) else None  # None in tests without a browser


def this_client() -> Client:
    return Client(device=device_token(), address=client_address())
