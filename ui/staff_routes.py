"""The server's own HTTP routes for staff sign-in, added to Streamlit's by server.py (st.App).

Page code reaches the browser only over Streamlit's websocket, which cannot set an HttpOnly
cookie. These two routes can, and a page's script calls them (ui/staff_gate.py):

- `POST /staff/session` with `{"code": ...}`: exchanges the one-time sign-in code the page
  got once the password was checked (survey/staff/sessions.py) for the staff cookie: signed,
  HttpOnly, SameSite=Strict, Secure when YOUTHVOICE_PUBLIC_URL is https, and kept until the
  browser closes (the session's own limits end it sooner on the server).
- `POST /staff/sign-out`: ends the session the cookie names (audited) and clears the cookie.

Both answer only a request from the app's own pages (its Origin is this server's or
YOUTHVOICE_PUBLIC_URL's), so another site cannot sign a browser in or out.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy.engine import Engine
from sqlmodel import Session
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from survey.core.database import make_engine
from survey.core.server_secret import server_secret
from survey.staff.sessions import (
    COOKIE_NAME,
    cookie_value,
    exchange_code,
    session_keys,
    token_from_cookie,
)
from survey.staff.users import sign_out_by_session
from ui.resources import settings

SESSION_PATH = "/staff/session"
SIGN_OUT_PATH = "/staff/sign-out"
# Streamlit's own st.login cookies: once single sign-on has started a staff session, the
# staff cookie alone carries the sign-in (its idle and absolute limits apply; see
# survey/staff/single_sign_on.py).
_STREAMLIT_LOGIN_COOKIES = "_streamlit_user"


async def start_session(request: Request) -> Response:
    if not _from_our_pages(request):
        return _refused("not from this app's pages", 403)
    try:
        body = await request.json()
    except ValueError:
        body = None
    code = body.get("code") if isinstance(body, dict) else None
    token = await run_in_threadpool(_exchange, code)
    if token is None:
        return _refused("that sign-in code is not valid (used, expired or unknown)", 403)
    response = JSONResponse({"ok": True})
    _set_cookie(response, cookie_value(token, server_secret(settings())))
    for name in request.cookies:
        if name.startswith(_STREAMLIT_LOGIN_COOKIES):
            response.delete_cookie(name, path="/")
    return response


async def sign_out(request: Request) -> Response:
    if not _from_our_pages(request):
        return _refused("not from this app's pages", 403)
    token = token_from_cookie(request.cookies.get(COOKIE_NAME), server_secret(settings()))
    if token is not None:
        await run_in_threadpool(_end, token)
    response = JSONResponse({"ok": True})
    response.delete_cookie(
        COOKIE_NAME,
        path="/",
        httponly=True,
        samesite="strict",
        secure=settings().staff_cookie_secure,
    )
    return response


ROUTES = [
    Route(SESSION_PATH, start_session, methods=["POST"]),
    Route(SIGN_OUT_PATH, sign_out, methods=["POST"]),
]


def _exchange(code: Any) -> str | None:
    if not isinstance(code, str):
        return None
    with Session(_engine(settings().database_url)) as db:
        return exchange_code(db, code)


def _end(token: str) -> None:
    with Session(_engine(settings().database_url)) as db:
        sign_out_by_session(db, session_keys(token))


@lru_cache(maxsize=2)
def _engine(database_url: str) -> Engine:
    # The routes' own small pool: Streamlit's cached engine (ui/resources.py) belongs to page
    # runs. The schema is migrated by then: a page run always comes first.
    return make_engine(database_url)


def _set_cookie(response: Response, value: str) -> None:
    response.set_cookie(
        COOKIE_NAME,
        value,
        path="/",
        httponly=True,
        samesite="strict",
        secure=settings().staff_cookie_secure,
    )


def _from_our_pages(request: Request) -> bool:
    """A request the app's own page script sent: the browser says so (Sec-Fetch-Site, where
    it sends one) and its Origin is this server (as the request reached it) or the public
    address (behind a proxy)."""
    if request.headers.get("sec-fetch-site", "same-origin") != "same-origin":
        return False
    origin = request.headers.get("origin")
    if not origin:
        return False
    ours = {request.headers.get("host", ""), urlsplit(settings().public_url).netloc}
    return urlsplit(origin).netloc in ours - {""}


def _refused(reason: str, status: int) -> Response:
    return JSONResponse({"ok": False, "reason": reason}, status_code=status)
