from __future__ import annotations

import pytest

from insights.evidence import MarkedSpan, evidence_html
from insights.theme_explorer import ThemeFilter, codebook_table, tagged_answers, theme_counts
from nlp.codebook import load_codebook
from survey.core.settings import Settings
from survey.responses import submit_response
from tests.support import at


def test_theme_explorer_codebook_table_lists_every_theme():
    book = load_codebook(Settings().codebook_path)
    table = codebook_table(book)
    assert len(table) == len(book.themes) >= 33
    row = table.set_index("theme").loc["people.groups_of_men"]
    assert "sv_da" in row["strands"] and row["example phrases"]


@pytest.mark.parametrize(
    ("text", "spans", "expected"),
    [
        (
            "<script>alert(1)</script> at the station",
            [MarkedSpan(33, 40, "place.transport_hub")],
            '&lt;script&gt;alert(1)&lt;/script&gt; at the <mark title="place.transport_hub">'
            "station</mark>",
        ),
        ("**bold** & [link](x)", [], "**bold** &amp; [link](x)"),
        (
            "dark alley",
            [MarkedSpan(0, 4, "condition.dark"), MarkedSpan(0, 10, "place.paths")],
            '<mark title="condition.dark, place.paths">dark alley</mark>',
        ),
        (
            'a"b',
            [MarkedSpan(0, 3, 'x" onmouseover="evil')],
            '<mark title="x&quot; onmouseover=&quot;evil">a&quot;b</mark>',
        ),
    ],
)
def test_theme_explorer_evidence_html_escapes_user_text(text, spans, expected):
    assert evidence_html(text, spans) == f'<p style="white-space: pre-wrap">{expected}</p>'


def test_theme_explorer_counts_and_answers_follow_filters(db, definition, tagger):
    texts = {"Dover": "drunk men at the train station", "Swale": "the park is dark at night"}
    for district, text in texts.items():
        submit_response(
            db=db,
            questionnaire=definition.questionnaire,
            dimensions=definition.dimensions,
            answers={"district": district, "unsafe_place_text": text},
            submission_id=district,
            now=at("2026-01-05 12:00"),
            tagger=tagger,
        )
    counts = theme_counts(db, ThemeFilter()).set_index("theme")["responses"]
    assert counts["place.transport_hub"] == 1 and counts["condition.dark"] == 1
    only_dover = theme_counts(db, ThemeFilter(districts=["Dover"]))
    assert "condition.dark" not in set(only_dover["theme"])
    answers = tagged_answers(db, ThemeFilter(themes=["place.park"]))
    assert answers["text"].tolist() == ["the park is dark at night"]
    assert "place.park" in answers["themes"].iloc[0]
    assert tagged_answers(db, ThemeFilter(districts=["Thanet"])).empty
