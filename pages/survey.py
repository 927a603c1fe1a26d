"""Have your say: the anonymous survey for young people (no sign-in)."""

from ui.navigation import served_through_app
from ui.quick_exit import quick_exit
from ui.survey_form import render_survey

served_through_app()
quick_exit()
render_survey()
