"""You said, we did (public): what the people who run your area did about what young
people told them."""

import streamlit as st

from survey.participation.actions import STATUS_WORDS, list_actions
from ui.navigation import served_through_app
from ui.quick_exit import quick_exit
from ui.resources import codebook, db_session, survey_definition

served_through_app()
quick_exit()
st.title("You said, we did")
st.write(
    "Young people told us where and when they feel unsafe, and what would help. "
    "Here is what the people who run your area are doing about it."
)
districts = survey_definition().dimensions.district_names
where = st.selectbox(
    "Your area", [None, *districts], format_func=lambda d: "Everywhere" if d is None else d
)
labels = {t.id: t.label for t in codebook().themes}
with db_session() as db:
    actions = list_actions(db, district=where)
st.markdown("[Have your say: answer the survey](/)")
if not actions:
    st.info("Nothing has been added here yet. Check back soon.")
for action in actions:
    with st.container(border=True):
        st.subheader(labels.get(action.theme_id, action.theme_id))
        st.caption(
            f"{action.district or 'The whole area'} · {STATUS_WORDS[action.status]} · "
            f"{action.action_date:%B %Y}"
        )
        st.markdown("**You said**")
        st.text(action.asked)  # plain text: staff wording, still never read as Markdown
        st.markdown("**We did**")
        st.text(action.done)
