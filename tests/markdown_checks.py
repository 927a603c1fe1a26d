"""Checking that text a staff member typed reaches the page as text, never as Markdown.

Streamlit reads the body of st.markdown, st.write, st.caption, st.title/header/subheader
and st.success/info/warning/error, and every widget's label and help, as Markdown (GitHub
flavour, plus its own extras). These helpers parse what a page sent with markdown-it and
look for what would make the browser fetch or link elsewhere, or change the text.
"""

from __future__ import annotations

import re

from markdown_it import MarkdownIt

# The audit's example, then Streamlit's own extras: icons, emoji, its logo, LaTeX, and the
# web and e-mail addresses and arrows it rewrites in text after parsing.
HOSTILE = (
    "Y9 ![x](https://evil.example/x.png) **bold** <img src=https://evil.example/y.png> "
    ":red[red] [link](https://evil.example)"
)  # 120 characters: fits a display name
# 197 characters: fits a session name (200).
HOSTILE_EXTRAS = HOSTILE + (
    " :material/home: :smile: :streamlit: $x^2$ www.evil.example a@evil.example ->"
)

# Elements whose body is Markdown (st.text, st.code, st.html and tables are not).
MARKDOWN_BODIES = {
    "markdown", "caption", "title", "header", "subheader",
    "success", "info", "warning", "error", "toast",
}  # fmt: skip
WORD_JOINER = "\u2060"  # invisible; see ui/plain_text.py
# What Streamlit rewrites in parsed text, where a backslash no longer counts: :shortcodes:
# (emoji, :material_icon:, :streamlit:), web and e-mail addresses, arrows and dashes.
STREAMLIT_REWRITES = re.compile(
    r":[\w+-]*[A-Za-z][\w+-]*:|:material/\w+:"
    r"|https?://|www\."
    r"|[-.\w+]+@[-\w]+(\.[-\w]+)+"
    r"|(^|\s)(<->|->|<-|--|>=|<=|~=)(\s|$)",
    re.IGNORECASE,
)
# Parsed by Streamlit before the text is: $LaTeX$ and :directives[...] (colours, badges).
STREAMLIT_SYNTAX = re.compile(r"(?<!\\)\$|(?<!\\):[A-Za-z]")

_parser = MarkdownIt("commonmark").enable(["table", "strikethrough"])


def _inline_tokens(source: str):
    for token in _parser.parse(source):
        yield token
        yield from token.children or []


def visible_text(source: str) -> str:
    """The words a reader sees when `source` is rendered as Markdown, on one line."""
    parts = []
    for token in _inline_tokens(source):
        if token.type in ("text", "code_inline"):
            parts.append(token.content)
        elif token.type in ("softbreak", "hardbreak", "paragraph_close", "heading_close"):
            parts.append(" ")
        elif token.type == "image":
            parts.append(token.content)  # the alt text, as a screen reader would read it
    return " ".join("".join(parts).replace(WORD_JOINER, "").split())


def markdown_problems(source: str) -> list[str]:
    """What in `source` Markdown would turn into something other than text: images and
    HTML anywhere, links that leave the app (its own "/page" links are fine)."""
    problems = []
    for token in _inline_tokens(source):
        href = str(token.attrs.get("href", ""))
        if token.type in ("image", "html_inline", "html_block"):
            problems.append(f"{token.type}: {token.content or token.attrs}")
        elif token.type == "link_open" and not re.match(r"/(?!/)|#", href):
            problems.append(f"link to {href}")
    return problems


def streamlit_problems(source: str) -> list[str]:
    """What Streamlit's extras would render as something other than the text."""
    raw_text = "".join(t.content for t in _inline_tokens(source) if t.type == "text")
    found = [m.group(0) for m in STREAMLIT_SYNTAX.finditer(source)]
    return found + [m.group(0) for m in STREAMLIT_REWRITES.finditer(raw_text)]


def markdown_sources(at) -> list[tuple[str, bool]]:
    """The Markdown of every element on the page (bodies, widget labels and help, radio
    options), each with whether the page let it hold HTML."""
    sources = []
    for node in at:
        proto = getattr(node, "proto", None)
        if proto is None or not hasattr(proto, "DESCRIPTOR"):
            continue
        fields = proto.DESCRIPTOR.fields_by_name
        html = bool(getattr(proto, "allow_html", False))
        if getattr(node, "type", "") in MARKDOWN_BODIES and "body" in fields:
            sources.append((proto.body, html))
        sources += [(getattr(proto, name), False) for name in ("label", "help") if name in fields]
        if getattr(node, "type", "") == "radio":
            sources += [(option, False) for option in proto.options]
    return [(s, html) for s, html in sources if isinstance(s, str) and s]


def plain_texts(at) -> list[str]:
    """Text Streamlit shows without reading Markdown: st.text, select box options, tables."""
    texts = [t.value for t in at.text]
    texts += [str(o) for box in at.selectbox for o in box.options]
    for table in at.dataframe:
        texts += [str(cell) for cell in table.value.to_numpy().ravel()]
    return texts


def assert_shown_as_text(at, value: str) -> None:
    """`value` is on the page whole, as typed, and nothing made of it is read as Markdown:
    no image, link or HTML, and none of Streamlit's icons, emoji, colours or LaTeX."""
    assert not at.exception, [e.value for e in at.exception]
    wanted = " ".join(value.split())
    sources = []
    for source, allows_html in markdown_sources(at):
        if allows_html:  # the page's own HTML (the live screen's code): never staff text
            assert wanted not in source and wanted not in visible_text(source), source
            continue
        assert not markdown_problems(source), (markdown_problems(source), source)
        sources.append(source)
    holding = [s for s in sources if wanted in visible_text(s)]
    for source in holding:
        assert not streamlit_problems(source), (streamlit_problems(source), source)
    shown_plain = any(wanted in " ".join(t.split()) for t in plain_texts(at))
    assert holding or shown_plain, (
        f"{wanted!r} is not shown whole: {[visible_text(s) for s in sources]}"
    )
