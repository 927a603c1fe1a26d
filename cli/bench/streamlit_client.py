"""A young person's phone, as the load bench plays it: Streamlit's own websocket protocol.

A browser tab talks to the server on `/_stcore/stream`: it sends a `BackMsg` whose
`rerun_script` carries the page, the query string and the widgets' values, and the server
answers with `ForwardMsg`s (a new session, the page's elements as deltas, ...) until
`script_finished`. This client does the same with the message classes of the installed
streamlit package, and reads each widget's id, label and options from the deltas, as the
browser does, so it presses the buttons the page really drew.

A step is timed from sending the `BackMsg` to the `script_finished` of a run that completed
(a run the script ended early with `st.rerun()` is followed by another; the step waits for
it). An exception drawn on the page, an unknown page or a timeout fails the step.

Only loopback addresses are spoken to (`loopback_only`): this drives load, and load is put
on one's own server only (http://, or https:// to a TLS proxy on loopback, whose test
certificate is not checked).
"""

from __future__ import annotations

import asyncio
import ipaddress
import random
import ssl
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import websockets

# The protocol's message classes, never the UI library: the one exception to cli/'s ban on
# streamlit (ruff's TID251, and tests/test_cli_startup.py allows `streamlit.proto` in this
# file only). Importing them loads the streamlit package, which only the bench's own
# process pays for, and only when `youthvoice bench-load` runs.
from streamlit.proto.BackMsg_pb2 import BackMsg  # noqa: TID251
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg  # noqa: TID251
from streamlit.proto.WidgetStates_pb2 import WidgetState  # noqa: TID251

_FINISHED = ForwardMsg.ScriptFinishedStatus
WIDGETS = ("button", "radio", "checkbox", "text_area", "text_input", "multiselect", "selectbox")
# What a young person writes (the free-text questions), some of it raising a check.
TEXTS = (
    "waiting at the bus stop at night, men shout at you",
    "the park near the station, groups of older boys and people dealing",
    "better lighting on the high street and more police around after 9",
    "the underpass by the shopping centre, someone got stabbed there last year",
    "nowhere really, I feel fine",
    "on the train home people are drunk and they stare at you",
    "more youth clubs open in the evening so we have somewhere to go",
    "walking home from school past the alley, lads on bikes follow you",
)
SAVED = "Your answers have been saved."


class NotLoopback(ValueError):
    """The bench puts load only on this machine's own loopback addresses."""


class StepFailed(Exception):
    """A step did not end on the page it should have."""


def loopback_only(url: str) -> tuple[str, int, str]:
    """(host, port, base path) of an http:// URL whose host is a loopback address
    (127.0.0.0/8, ::1 or `localhost`); anything else is refused with NotLoopback."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise NotLoopback(
            f"{url!r}: give an http:// (or https://) address on this machine, "
            "e.g. http://127.0.0.1:8501"
        )
    host = parts.hostname
    try:
        loopback = host == "localhost" or ipaddress.ip_address(host).is_loopback
    except ValueError:  # a name other than localhost: never resolved, never used
        loopback = False
    if not loopback:
        raise NotLoopback(
            f"{host}: bench-load drives only a server on this machine's loopback "
            "(127.0.0.1, ::1 or localhost), never another host"
        )
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError as error:
        raise NotLoopback(f"{url!r}: {error}") from None
    return host, port, parts.path.rstrip("/")


def _unchecked_tls() -> ssl.SSLContext:
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    return context


@dataclass(frozen=True)
class Widget:
    kind: str
    id: str
    label: str
    options: tuple[str, ...]
    form_id: str
    submits_form: bool
    fragment_id: str = ""  # the fragment it was drawn in: a press reruns only that


@dataclass
class Page:
    """What one run drew: its widgets and its text."""

    widgets: list[Widget] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)
    exceptions: int = 0
    messages: int = 0

    def button(self, label: str) -> Widget:
        for widget in self.widgets:
            if widget.kind == "button" and widget.label == label:
                return widget
        shown = [w.label for w in self.widgets if w.kind == "button"]
        raise StepFailed(f"no {label!r} button (buttons: {shown})")

    def says(self, text: str) -> bool:
        return any(text in shown for shown in self.texts)


def _text_of(element) -> str | None:
    kind = element.WhichOneof("type")
    body = getattr(element, kind, None)
    if body is None:
        return None
    for name in ("body", "text"):
        if name in body.DESCRIPTOR.fields_by_name:
            value = getattr(body, name)
            if isinstance(value, str) and value:
                return value
    return None


def _widget(kind: str, proto, fragment_id: str = "") -> Widget:
    fields = proto.DESCRIPTOR.fields_by_name
    return Widget(
        kind,
        proto.id,
        proto.label,
        tuple(proto.options) if "options" in fields else (),
        proto.form_id,
        bool(proto.is_form_submitter) if "is_form_submitter" in fields else False,
        fragment_id,
    )


class Phone:
    """One browser tab's websocket session."""

    def __init__(self, url: str, timeout: float) -> None:
        host, port, base = loopback_only(url)
        netloc = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
        secure = url.startswith("https:")
        self._stream = f"{'wss' if secure else 'ws'}://{netloc}{base}/_stcore/stream"
        self._origin = f"{'https' if secure else 'http'}://{netloc}"
        # On loopback only, a proxy's certificate is a test's own: not checked.
        self._tls = _unchecked_tls() if secure else None
        self._timeout = timeout
        self._socket: websockets.ClientConnection | None = None
        self._page_hash = ""

    async def __aenter__(self) -> Phone:
        self._socket = await websockets.connect(
            self._stream,
            subprotocols=[websockets.Subprotocol("streamlit")],
            origin=websockets.Origin(self._origin),
            max_size=None,
            open_timeout=self._timeout,
            ping_interval=None,
            ssl=self._tls,
        )
        return self

    async def __aexit__(self, *exc: object) -> None:
        if self._socket is not None:
            await self._socket.close()

    async def run(
        self,
        states: Sequence[WidgetState] = (),
        *,
        query_string: str = "",
        same_page: bool = True,
        fragment_id: str = "",
    ) -> tuple[float, Page]:
        """Send one rerun with these widget values; (seconds, the page it drew)."""
        assert self._socket is not None, "use `async with Phone(...)`"
        message = BackMsg()
        rerun = message.rerun_script
        rerun.query_string = query_string
        rerun.fragment_id = fragment_id  # as a browser does for a widget in a fragment
        if same_page:
            rerun.page_script_hash = self._page_hash
        rerun.widget_states.SetInParent()
        rerun.widget_states.widgets.extend(states)
        started = time.perf_counter()
        await self._socket.send(message.SerializeToString())
        page = Page()
        deadline = started + self._timeout
        while True:
            left = deadline - time.perf_counter()
            if left <= 0:
                raise StepFailed(f"no answer within {self._timeout:.0f} s")
            try:
                data = await asyncio.wait_for(self._socket.recv(), left)
            except TimeoutError:
                raise StepFailed(f"no answer within {self._timeout:.0f} s") from None
            forward = ForwardMsg()
            forward.ParseFromString(data)
            page.messages += 1
            kind = forward.WhichOneof("type")
            if kind == "new_session":  # a run begins: what was drawn before is replaced
                page = Page(messages=page.messages)
                self._page_hash = forward.new_session.page_script_hash
            elif kind == "navigation":
                self._page_hash = forward.navigation.page_script_hash
            elif kind == "page_not_found":
                raise StepFailed("page not found")
            elif kind == "delta" and forward.delta.WhichOneof("type") == "new_element":
                element = forward.delta.new_element
                element_kind = element.WhichOneof("type")
                if element_kind == "exception":
                    page.exceptions += 1
                elif element_kind in WIDGETS:
                    page.widgets.append(
                        _widget(
                            element_kind, getattr(element, element_kind), forward.delta.fragment_id
                        )
                    )
                elif (text := _text_of(element)) is not None:
                    page.texts.append(text)
            elif kind == "script_finished":
                status = forward.script_finished
                if status == _FINISHED.FINISHED_EARLY_FOR_RERUN:
                    continue  # st.rerun(): the page is the next run's
                seconds = time.perf_counter() - started
                if status not in (
                    _FINISHED.FINISHED_SUCCESSFULLY,
                    _FINISHED.FINISHED_FRAGMENT_RUN_SUCCESSFULLY,
                ):
                    raise StepFailed(f"the run ended with {_FINISHED.Name(status)}")
                if page.exceptions:
                    raise StepFailed("the page shows an exception")
                return seconds, page


def press(widget: Widget) -> WidgetState:
    state = WidgetState(id=widget.id)
    state.trigger_value = True
    return state


def answer(widget: Widget, rng: random.Random) -> WidgetState | None:
    """A young person's answer to one widget of a form, or None (left as it is)."""
    state = WidgetState(id=widget.id)
    if widget.kind == "radio" and widget.options:
        if rng.random() < 0.1:
            return None  # skipped: every question is optional
        state.string_value = rng.choice(widget.options)
    elif widget.kind == "checkbox":
        # "Rather not say" is never ticked with other boxes (the survey refuses that)
        state.bool_value = rng.random() < 0.3 and "rather not say" not in widget.label.lower()
    elif widget.kind in ("text_area", "text_input"):
        if rng.random() < 0.2:
            return None
        state.string_value = rng.choice(TEXTS)
    else:
        return None
    return state


async def journey(
    phone: Phone,
    rng: random.Random,
    think: tuple[float, float],
    record: Callable[[str, float], None],
    *,
    query_string: str = "",
    most_parts: int = 12,
) -> None:
    """The whole survey: the first page, Start, each part's Next (answered at random), Send
    and the thank-you page; `record(step, seconds)` for each; a wait of `think` seconds
    (uniform, from `rng`) before each press."""

    async def pause() -> None:
        if think[1] > 0:
            await asyncio.sleep(rng.uniform(*think))

    seconds, page = await phone.run(query_string=query_string, same_page=False)
    record("first page", seconds)
    start = page.button("Start the survey")
    await pause()
    seconds, page = await phone.run([press(start)], fragment_id=start.fragment_id)
    record("start", seconds)
    for _ in range(most_parts):
        submit = next(
            (w for w in page.widgets if w.submits_form and w.label in ("Next", "Send my answers")),
            None,
        )
        if submit is None:
            raise StepFailed("a part of the survey without Next or Send")
        states = [
            state
            for widget in page.widgets
            if widget.form_id == submit.form_id and not widget.submits_form
            for state in [answer(widget, rng)]
            if state is not None
        ]
        await pause()
        seconds, page = await phone.run([*states, press(submit)], fragment_id=submit.fragment_id)
        if submit.label == "Next":
            record("next", seconds)
            continue
        record("send", seconds)
        if not page.says(SAVED):
            raise StepFailed("no thank-you after Send: " + " | ".join(page.texts[:3]))
        return
    raise StepFailed(f"the survey did not end within {most_parts} parts")
