"""Streamlit glue shared by app.py and pages/: cached resources, the staff gate, widgets.

Only this package, app.py and pages/ import streamlit.
"""

from streamlit.runtime.pages_manager import PagesManager
from streamlit.runtime.scriptrunner import get_script_run_ctx

# Streamlit 1.67 treats an app with a pages/ folder as an old-style multipage app until
# app.py has called st.navigation once; a browser whose very first address is a page's own
# (/sign_in) then gets every file in pages/ as its menu and skips app.py. Our pages are
# always declared in app.py, so say so as soon as any of our code runs, and run again
# through app.py if this first run took the old path.
if PagesManager.uses_pages_directory:
    PagesManager.uses_pages_directory = False
    if get_script_run_ctx() is not None:
        import streamlit as st

        st.rerun()
