"""The app's only entry point: page config, the navigation by role, and the sign-in state.

Each staff page also checks the role itself on every run (ui.staff_gate.staff_page), so a
page opened by its URL is refused even if the navigation were bypassed.
"""

from __future__ import annotations

import streamlit as st

from ui.navigation import navigation
from ui.outage import outage_in_plain_words
from ui.resources import engine, safeguarding_checks_ready, start_alert_emails, tagger
from ui.staff_gate import current_member, send_sign_in_to_browser

# An emoji icon: Streamlit draws it in the page; a :material/...: one it fetches from Google.
st.set_page_config(page_title="Have your say", page_icon="💬", layout="centered")
tagger()  # build the spaCy pipeline at start-up, not on a young person's submit
safeguarding_checks_ready()

# Captions in a darker grey than Streamlit's default: 4.5:1 contrast (WCAG 2.2 AA).
st.html(
    "<style>[data-testid='stCaptionContainer'], [data-testid='stCaptionContainer'] * "
    "{color: #4d5159 !important; opacity: 1 !important;}</style>"
)

# Every page runs inside this: a database outage anywhere shows the product's own words.
# Each page also starts with served_through_app() (ui/navigation.py): Streamlit skips this
# file on a browser's first visit to a page's own address until it has run once, and no
# setting changes that, so the page itself sends that visit back through here.
with outage_in_plain_words():
    engine()  # migrate on start, once per process
    start_alert_emails()  # a background thread, once per process: alerts emailed within a minute
    shown = navigation(current_member())
    send_sign_in_to_browser()  # the cookie that keeps a sign-in across reloads and tabs
    shown.run()
