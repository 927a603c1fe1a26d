"""Live session screen (worker): for projecting in the room. The join code and QR large,
the number of answers, and the themes arriving, refreshed every few seconds.

`?present=1` (the "Present to the room" button) is the presentation mode: no sidebar,
menu or staff controls, and text readable from the back of a classroom (ui/presentation.py).
"""

import streamlit as st

from insights.session_report import live_theme_counts
from survey.participation.quotes import approved_quotes
from survey.participation.sessions import (
    join_address,
    join_url,
    qr_code_svg,
    show_quotes_on_screen,
)
from survey.staff.permissions import Permission
from ui.address_notice import show_address_notice
from ui.charts import bar_chart
from ui.presentation import (
    chart_for_the_room,
    join_details_for_the_room,
    presenting,
    quote_for_the_room,
    room_style,
    start_presenting,
    stop_presenting,
)
from ui.resources import codebook, db_session, settings
from ui.session_picker import chosen_session, pick_session
from ui.staff_gate import staff_page

member = staff_page(Permission.RUN_SESSIONS)
config = settings()
present = presenting()
if present:
    room_style()
    session = chosen_session(member)
else:
    with st.sidebar:
        session = pick_session(member)
if session is None:
    st.title("Live screen")
    if present:
        st.info("No sessions yet. Create one on the Sessions page.")
    st.stop()

link = join_url(config.public_url, session.code)  # the public address, never the server's own
if present:
    quotes_on = session.show_quotes
    code_col, qr_col = st.columns([3, 2], vertical_alignment="center")
    with code_col:
        join_details_for_the_room(join_address(config.public_url), session.code)
    qr_col.image(qr_code_svg(link, scale=12), width="stretch")
else:
    with st.sidebar:
        quotes_on = st.toggle("Show approved quotes", value=session.show_quotes)
        if quotes_on != session.show_quotes:
            with db_session() as db:
                show_quotes_on_screen(db, member, session.id, quotes_on)
        if st.button(
            "Present to the room",
            type="primary",
            help="The screen for the projector: no menu or controls, large text. "
            "Press F11 for the browser's full screen.",
        ):
            start_presenting(session.id)
    show_address_notice()
    code_col, qr_col = st.columns([3, 2])
    code_col.markdown(f"# Join at {join_address(config.public_url)}")
    code_col.markdown(
        "<p style='font-size:5rem;font-weight:700;letter-spacing:.5rem;margin:0'>"
        f"{session.code}</p>",
        unsafe_allow_html=True,
    )  # the code is our own text
    qr_col.image(qr_code_svg(link, scale=10), width=280)
labels = {t.id: t.label for t in codebook().themes}


@st.fragment(run_every=config.live_refresh_seconds)
def live_counts() -> None:
    with db_session() as db:
        answers, themes = live_theme_counts(db, session.id, labels, config.small_number_threshold)
        quotes = approved_quotes(db, session_id=session.id, limit=5) if quotes_on else []
    st.metric("Answers so far", answers)
    if themes.empty:
        st.caption(f"Themes appear here once {config.small_number_threshold} answers mention them.")
    else:
        chart = bar_chart(themes, category="theme", value="responses", title="What's coming up")
        st.altair_chart(chart_for_the_room(chart) if present else chart, width="stretch")
    for quote in quotes:
        if present:
            quote_for_the_room(quote.text)
        else:
            st.text(f"“{quote.text}”")  # plain text: never read as HTML or Markdown


live_counts()
if present and st.button("Leave presentation", type="tertiary"):
    stop_presenting()
