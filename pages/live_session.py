"""Live session screen (worker): for projecting in the room. The join code and QR large,
the number of answers, and the themes arriving, refreshed every few seconds."""

import streamlit as st

from insights.session_report import live_theme_counts
from survey.participation.quotes import approved_quotes
from survey.participation.sessions import join_url, qr_code_svg, show_quotes_on_screen
from survey.staff.permissions import Permission
from ui.charts import bar_chart
from ui.resources import codebook, db_session, settings
from ui.session_picker import pick_session
from ui.staff_gate import staff_page

member = staff_page(Permission.RUN_SESSIONS)
config = settings()
with st.sidebar:
    session = pick_session(member)
if session is None:
    st.title("Live screen")
    st.stop()
with st.sidebar:
    quotes_on = st.toggle("Show approved quotes", value=session.show_quotes)
    if quotes_on != session.show_quotes:
        with db_session() as db:
            show_quotes_on_screen(db, member, session.id, quotes_on)

link = join_url(config.public_url, session.code)
code_col, qr_col = st.columns([3, 2])
code_col.markdown(f"# Join at {config.public_url.split('://')[-1]}")
code_col.markdown(
    f"<p style='font-size:5rem;font-weight:700;letter-spacing:.5rem;margin:0'>{session.code}</p>",
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
        st.altair_chart(
            bar_chart(themes, category="theme", value="responses", title="What's coming up"),
            width="stretch",
        )
    for quote in quotes:
        st.text(f"“{quote.text}”")  # plain text: never read as HTML or Markdown


live_counts()
