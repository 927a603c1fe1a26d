"""How the app is served: `streamlit run server.py` (`make run`, the browser tests, a
deployment's systemd unit).

Streamlit finds `app` below, an st.App, and serves app.py (the entry point of every page) as
usual, with two routes of the server's own beside Streamlit's: they set and clear the staff
sign-in cookie, which page code cannot do over the websocket (ui/staff_routes.py). Run as
`streamlit run app.py`, the app still works, but a staff sign-in lasts only as long as the
browser tab.
"""

import streamlit as st

from ui.resources import warmed_up_at_start
from ui.staff_routes import ROUTES

# The lifespan builds the theme tagger and loads the safeguarding checks before the server
# takes its first page, so no young person waits for them.
app = st.App("app.py", routes=ROUTES, lifespan=warmed_up_at_start)
