"""Text a person typed (a session name, a display name, an alert note, a file name) put
inside Streamlit's Markdown so that it shows exactly as typed: never an image, a link,
HTML, a heading or list, bold, an icon, an emoji, a colour or LaTeX.

Streamlit reads the body of st.markdown, st.write, st.caption, st.title/header/subheader
and st.success/info/warning/error (and widget labels) as Markdown. A session name holding
`![x](https://elsewhere/x.png)` would otherwise make every joining phone fetch that image.
st.text, st.code, tables and select box options never read Markdown and need none of this.
"""

from __future__ import annotations

import re

# Every ASCII punctuation character. CommonMark lets a backslash escape any of them, and
# escaped they are text: no link, image, HTML, emphasis, code, heading, list, table or
# entity, and none of Streamlit's :colour[...] / :material/icon: directives or $LaTeX$.
_PUNCTUATION = re.compile(r"([!-/:-@\[-`{-~])")

# Streamlit also rewrites the text *after* parsing, where a backslash no longer counts:
# :shortcodes: after a colon (emoji, :material/icon:, :streamlit:), web and e-mail
# addresses (made links), and "->", "<-", "--", ">=", "<=", "~=" (made arrows and dashes).
# An invisible word joiner inside each such pattern stops it; nobody sees it.
WORD_JOINER = "\u2060"
_REWRITTEN = re.compile(
    r"(?<=:)(?=[\w+/-])|(?<=@)|(?<=www)(?=\.)|(?<=[-<>~])(?=[->=])", re.IGNORECASE
)


def as_plain_markdown(text: object) -> str:
    """`text` as Markdown that Streamlit shows as exactly that text, on one line (a line
    break could start a new block, so every run of spaces and breaks becomes one space)."""
    one_line = " ".join(str(text).split())
    return _PUNCTUATION.sub(r"\\\1", _REWRITTEN.sub(WORD_JOINER, one_line))
