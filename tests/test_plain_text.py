"""as_plain_markdown: typed text shown by Streamlit's Markdown exactly as typed."""

from __future__ import annotations

import pytest

from tests.markdown_checks import (
    HOSTILE_EXTRAS,
    markdown_problems,
    streamlit_problems,
    visible_text,
)
from ui.plain_text import as_plain_markdown

TYPED = [
    HOSTILE_EXTRAS,
    "x.__y__ and *this* and `code` and ~~gone~~",
    "# heading\n- list\n1. list\n> quote\n    indented code\n---",
    "a | b\n- | -\nc | d",
    "[ref]: https://evil.example\n![x][ref] [^1]",
    "&lt;img src=x&gt; &#x3C;b&#x3E; &amp;",
    "<https://evil.example> <a@evil.example> <!-- hidden -->",
    "https://evil.example www.evil.example a@evil.example",
    ":red[red] :blue-background[b] :small[s] :material/warning: :+1: :-1: :100: :streamlit:",
    "$x^2$ $$y$$ \\$z\\$ 10:30 club",
    "A -> B <- C <-> D -- E >= F <= G ~= H",
    "trailing backslash \\",
    "  leading and  double   spaces\n\nand paragraphs  ",
]


@pytest.mark.parametrize("typed", TYPED)
def test_plain_text_shows_what_was_typed_and_nothing_else(typed):
    shown = as_plain_markdown(typed)
    assert "\n" not in shown
    assert visible_text(shown) == " ".join(typed.split())
    assert not markdown_problems(shown)
    assert not streamlit_problems(shown)


def test_plain_text_leaves_ordinary_names_readable():
    assert as_plain_markdown("Year 9 Dane Court") == "Year 9 Dane Court"
    assert as_plain_markdown("Year 9, Dane Court") == "Year 9\\, Dane Court"
