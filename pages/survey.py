"""Have your say: the anonymous survey for young people (no sign-in)."""

import streamlit as st

from ui.navigation import served_through_app
from ui.quick_exit import quick_exit
from ui.survey_form import render_survey

served_through_app()
quick_exit()
# A fragment: a press of Start, Next, Back or Send reruns only the survey, not the app's
# navigation and the page around it (a tenth less server CPU per young person, measured
# with `youthvoice bench-load`). Anything that must redraw the whole page calls st.rerun().
st.fragment(render_survey)()
