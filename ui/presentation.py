"""The live screen as the room sees it: `?present=1` (or "Present to the room") shows the
join address, code and QR code large enough to read from the back of a classroom, the
answers count and the themes, and nothing staff-only: no sidebar, no menu, no settings.

It is the same page, restyled: a projector's browser stays on one address (`?present=1&
session=ID`), so a reload or a bookmark opens the same screen.
"""

from __future__ import annotations

import html

import altair as alt
import streamlit as st

PRESENT = "present"  # the query parameter: ?present=1

# Streamlit's chrome is hidden, the page uses the whole width, and the text scales with the
# screen. Only our own test ids and classes: nothing here comes from anyone's typing.
_ROOM_STYLE = """<style>
[data-testid="stSidebar"], [data-testid="stHeader"], [data-testid="stToolbar"],
[data-testid="stExpandSidebarButton"], [data-testid="stSidebarNav"] {display: none !important;}
[data-testid="stMainBlockContainer"] {max-width: 100% !important; padding: 2rem 3rem !important;}
[data-testid="stMetricLabel"] p {font-size: clamp(1.5rem, 3vw, 3rem) !important;}
[data-testid="stMetricValue"] {font-size: clamp(4rem, 10vw, 10rem) !important; line-height: 1;}
[data-testid="stCaptionContainer"] {font-size: clamp(1.2rem, 2vw, 2rem) !important;}
.yv-room-label {font-size: clamp(1.5rem, 3vw, 3rem); margin: 0;}
.yv-room-address {font-size: clamp(2.5rem, 6vw, 6.5rem); font-weight: 700; margin: 0 0 1rem;
  line-height: 1.1; overflow-wrap: anywhere;}
.yv-room-code {font-size: clamp(5rem, 14vw, 14rem); font-weight: 800; letter-spacing: .08em;
  margin: 0; line-height: 1;}
.yv-room-quote {font-size: clamp(1.5rem, 2.5vw, 2.5rem); margin: .5rem 0;}
</style>"""


def presenting() -> bool:
    return st.query_params.get(PRESENT) == "1"


def start_presenting(session_id: int) -> None:
    """Switch to the room's screen at an address that reopens it (reload, bookmark)."""
    st.query_params[PRESENT] = "1"
    st.query_params["session"] = str(session_id)
    st.rerun()


def stop_presenting() -> None:
    del st.query_params[PRESENT]
    st.rerun()


def room_style() -> None:
    st.html(_ROOM_STYLE)


def join_details_for_the_room(address: str, code: str) -> None:
    """The join address and code, huge. Both are ours (settings, the code alphabet), and
    escaped all the same."""
    st.html(
        "<p class='yv-room-label'>Join at</p>"
        f"<p class='yv-room-address'>{html.escape(address)}</p>"
        "<p class='yv-room-label'>with the code</p>"
        f"<p class='yv-room-code'>{html.escape(code)}</p>"
    )


def quote_for_the_room(text: str) -> None:
    st.html(f"<p class='yv-room-quote'>“{html.escape(text)}”</p>")  # never read as HTML


def chart_for_the_room(chart: alt.Chart) -> alt.Chart:
    """A chart whose labels read from the back of the room."""
    return (
        chart.properties(height=alt.Step(56))
        .configure_axis(labelFontSize=26, titleFontSize=22, labelLimit=600)
        .configure_title(fontSize=30)
    )
