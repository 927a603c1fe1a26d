"""Streamlit glue shared by app.py and pages/: cached resources, the staff gate, widgets.

Only this package, app.py and pages/ import streamlit.
"""
