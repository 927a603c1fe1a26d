"""Have your say: the anonymous survey for young people (no sign-in)."""

from ui.survey_form import render_survey

render_survey()
