"""Theme explorer (analyst): the codebook, a sentence tried live, and stored themes."""

import streamlit as st

from insights.evidence import MarkedSpan, evidence_html
from insights.tagger_agreement import agreement_by_theme
from insights.theme_explorer import ThemeFilter, codebook_table, tagged_answers, theme_counts
from insights.unread_answers import unread_answers
from survey.staff.permissions import Permission
from survey.themes import tagged_questions
from ui.resources import codebook, db_session, survey_definition, tagger
from ui.staff_gate import staff_page

staff_page(Permission.EXPLORE_THEMES)
st.title("Theme explorer")
book = codebook()
st.caption(f"Codebook version {book.version} · model version {tagger().model_version}")
try_tab, codebook_tab, stored_tab, agreement_tab = st.tabs(
    ["Try a sentence", "Codebook", "Stored responses", "Tagger vs reviewers"]
)

with try_tab:
    text = st.text_area("Type or paste an answer to see its themes", max_chars=5000)
    if text.strip():
        tags = tagger().tag(text)
        if not tags:
            st.info("No themes found in this text.")
        spans = [MarkedSpan(e.start, e.end, t.theme_id) for t in tags for e in t.evidence]
        st.html(evidence_html(text, spans))  # escaped: the text is never read as HTML
        st.dataframe(
            [
                {
                    "theme": t.theme_id,
                    "source": t.source,
                    "score": round(t.score, 2),
                    "evidence": " | ".join(e.text for e in t.evidence),
                }
                for t in tags
            ],
            hide_index=True,
            width="stretch",
        )

with codebook_tab:
    st.dataframe(codebook_table(book), hide_index=True, width="stretch")
    st.caption("To add a theme, edit data/codebook.yaml (see the README): no code changes.")

with stored_tab:
    districts = survey_definition().dimensions.district_names
    left, right = st.columns(2)
    themes = left.multiselect("Themes", book.theme_ids)
    chosen_districts = right.multiselect("Districts", districts)
    sources = st.multiselect("Tagged by", ["rule", "model", "reviewer"])
    chosen = ThemeFilter(themes=themes, districts=chosen_districts, sources=sources)
    with db_session() as db:
        counts = theme_counts(db, chosen)
        answers = tagged_answers(db, chosen)
        unread = unread_answers(db, districts=chosen_districts)
    if unread.responses:
        st.info(unread.in_words())
    if counts.empty:
        st.info("No tagged responses match these filters.")
    else:
        st.bar_chart(counts, x="theme", y="responses", horizontal=True)
        st.dataframe(answers, hide_index=True, width="stretch")

with agreement_tab:
    st.caption(
        "Over answers a worker has marked reviewed: how often the tagger and the reviewers "
        "agree on each theme. Low kappa or recall shows where the codebook needs work."
    )
    with db_session() as db:
        agreement = agreement_by_theme(
            db, tagged_questions(survey_definition().questionnaire), book.theme_ids
        )
    if agreement.empty or agreement["answers"].max() == 0:
        st.info("No reviewed answers yet.")
    else:
        st.dataframe(agreement, hide_index=True, width="stretch")
