"""Prepare raw answers for the pipeline without losing the way back to the original text.

Curly quotes and odd spaces are replaced one character for one, so offsets do not move.
So is every RUN_BREAK-th character of a run without whitespace longer than that: spaCy's
tokenizer takes quadratic time on such runs (10,000 "!?" took 10 s), and no word is that
long.
Zero-width characters and soft hyphens are removed (they split words invisibly: "lads" with
a zero-width space inside would not match); an index map then takes every offset in the
prepared text back to the original. Answers longer than MAX_TEXT_CHARS are cut there.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Survey answers are capped far lower (settings.max_text_length); this limit only keeps
# a pasted essay from costing seconds. Evidence offsets stay valid: the cut is a prefix.
MAX_TEXT_CHARS = 100_000

_SAME_LENGTH = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201b": "'",
        "\u2032": "'",
        "\u00b4": "'",
        "\u0060": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u00a0": " ",
        "\u2007": " ",
        "\u202f": " ",
        "\u3000": " ",
        "\t": " ",
    }
)
_INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad\u180e]")
RUN_BREAK = 64
_LONG_RUN = re.compile(rf"\S{{{RUN_BREAK + 1},}}")


@dataclass(frozen=True)
class Prepared:
    """The text the pipeline sees, and how to map its offsets back to the original."""

    original: str
    text: str
    index: tuple[int, ...] | None = None  # prepared offset -> original offset

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Original character offsets of prepared offsets [start, end)."""
        if self.index is None:
            return start, end
        if end <= start:
            return self.index[start], self.index[start]
        return self.index[start], self.index[end - 1] + 1


def prepare(text: str) -> Prepared:
    """Normalise quotes, spaces and invisible characters; cut at MAX_TEXT_CHARS."""
    original = text[:MAX_TEXT_CHARS]
    if original.isascii() and not _LONG_RUN.search(original):
        return Prepared(original, original)  # most answers: nothing to replace
    cleaned = _break_long_runs(original.translate(_SAME_LENGTH))
    if not _INVISIBLE.search(cleaned):
        return Prepared(original, cleaned)
    index: list[int] = []
    chars: list[str] = []
    for i, char in enumerate(cleaned):
        if not _INVISIBLE.match(char):
            index.append(i)
            chars.append(char)
    index.append(len(cleaned))
    return Prepared(original, "".join(chars), tuple(index))


def _break_long_runs(text: str) -> str:
    if not _LONG_RUN.search(text):
        return text
    chars = list(text)
    for run in _LONG_RUN.finditer(text):
        for i in range(run.start() + RUN_BREAK, run.end(), RUN_BREAK):
            chars[i] = " "
    return "".join(chars)
