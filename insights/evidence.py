"""Showing why a theme was tagged: the text with its evidence marked, safe to render.

User text is escaped before any markup is added, so a young person's "<script>" or
"**bold**" is shown as typed, never interpreted.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class MarkedSpan:
    start: int
    end: int
    label: str  # e.g. the theme ids the span is evidence for


def evidence_html(text: str, spans: Iterable[MarkedSpan]) -> str:
    """The text as HTML with each evidence span in a <mark>; overlapping spans merge."""
    merged = _merge(
        sorted(
            (s for s in spans if 0 <= s.start < s.end <= len(text)), key=lambda s: (s.start, s.end)
        )
    )
    parts, cursor = [], 0
    for span in merged:
        parts.append(html.escape(text[cursor : span.start]))
        label = html.escape(span.label, quote=True)
        parts.append(f'<mark title="{label}">{html.escape(text[span.start : span.end])}</mark>')
        cursor = span.end
    parts.append(html.escape(text[cursor:]))
    body = "".join(parts).replace("\n", "<br>")
    return f'<p style="white-space: pre-wrap">{body}</p>'


def _merge(spans: Sequence[MarkedSpan]) -> list[MarkedSpan]:
    merged: list[MarkedSpan] = []
    for span in spans:
        if merged and span.start < merged[-1].end:
            last = merged[-1]
            labels = sorted(set(last.label.split(", ")) | set(span.label.split(", ")))
            merged[-1] = MarkedSpan(last.start, max(last.end, span.end), ", ".join(labels))
        else:
            merged.append(span)
    return merged
