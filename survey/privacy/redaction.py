"""Redact personal data from a young person's free text before it is stored.

`redact(text)` replaces names, phone numbers, emails, social handles, full postcodes and house
addresses with typed placeholders such as `[NAME]`. It runs on every submit, so it is plain `re`
plus set look-ups (well under a millisecond for a survey answer). The word lists live in
`data/names/` and `data/redaction.yaml`, loaded once per process and checked on load by
`survey.privacy.redaction_lexicon`; names are found by `survey.privacy.redaction_names`.

The result never carries the removed substrings: only their kind and offsets, so that logging a
`Redaction` cannot leak what was removed.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from survey.privacy.redaction_lexicon import Lexicon, LexiconError, load_lexicon
from survey.privacy.redaction_names import REDACT_LOWERCASE_NAMES, find_names

__all__ = [
    "PLACEHOLDERS",
    "REDACT_LOWERCASE_NAMES",
    "Lexicon",
    "LexiconError",
    "Redaction",
    "find_personal_data",
    "load_lexicon",
    "normalise_with_map",
    "redact",
]

PLACEHOLDERS = {
    "name": "[NAME]",
    "phone": "[PHONE]",
    "email": "[EMAIL]",
    "handle": "[HANDLE]",
    "postcode": "[POSTCODE]",
    "address": "[ADDRESS]",
}


# Invisible characters someone might paste (or type to dodge a filter) inside a name or number.
_INVISIBLE = frozenset(map(ord, "\u00ad\u200b\u200c\u200d\u200e\u200f\u2060\u2061\ufeff"))
_FOLD_TO_APOSTROPHE = frozenset("\u2019\u2018\u02bc")


@dataclass(frozen=True)
class Redaction:
    """A redacted text and where each placeholder went, as (kind, start, end) in the original."""

    text: str
    replacements: list[tuple[str, int, int]] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.replacements)


def normalise_with_map(text: str) -> tuple[str, list[int]]:
    """Drop invisible characters and fold look-alikes (NFKC, curly quotes), keeping offsets.

    Returns the clean string and, for each of its characters, the index in `text` it came from.
    """
    if text.isascii() or (
        unicodedata.is_normalized("NFKC", text)
        and not any(ch in _FOLD_TO_APOSTROPHE or ord(ch) in _INVISIBLE for ch in text)
    ):
        return text, list(range(len(text)))
    chars: list[str] = []
    index: list[int] = []
    for i, ch in enumerate(text):
        if ord(ch) in _INVISIBLE:
            continue
        folded = unicodedata.normalize("NFKC", ch) if ord(ch) > 127 else ch
        if folded in _FOLD_TO_APOSTROPHE:
            folded = "'"
        chars.append(folded if len(folded) == 1 else ch)
        index.append(i)
    return "".join(chars), index


def redact(text: str, *, data_dir: Path | None = None) -> Redaction:
    """Replace personal data in `text` with typed placeholders ([NAME], [PHONE], ...).

    Place names, shops, street names without a house number and public figures are kept.
    """
    if not text or not text.strip():
        return Redaction(text=text or "")
    lexicon = load_lexicon(data_dir)
    clean, index = normalise_with_map(text)
    spans = find_personal_data(clean, lexicon)
    if not spans:
        return Redaction(text=text)
    original = [(kind, index[start], index[end - 1] + 1) for kind, start, end in spans]
    return Redaction(text=_splice(text, original), replacements=original)


def find_personal_data(clean: str, lexicon: Lexicon) -> list[tuple[str, int, int]]:
    """All personal-data spans in an already normalised text, sorted and non-overlapping."""
    taken: list[tuple[str, int, int]] = []
    used = bytearray(len(clean))
    for finder in (_find_emails, _find_handles, _find_phones, _find_postcodes):
        _add(taken, used, finder(clean, lexicon))
    # Case carries the signal for addresses and names; text in capitals carries none.
    work = _lower_same_length(clean) if _mostly_capitals(clean) else clean
    _add(taken, used, _find_addresses(work, lexicon))
    _add(taken, used, find_names(work, lexicon, used))
    return sorted(taken, key=lambda span: span[1])


def _add(
    taken: list[tuple[str, int, int]], used: bytearray, new: list[tuple[str, int, int]]
) -> None:
    """Keep the new spans that do not overlap earlier (higher-priority) ones."""
    for kind, start, end in sorted(new, key=lambda span: (span[1], -span[2])):
        if not any(used[start:end]):
            taken.append((kind, start, end))
            used[start:end] = b"\x01" * (end - start)


def _splice(text: str, spans: list[tuple[str, int, int]]) -> str:
    parts: list[str] = []
    last = 0
    for kind, start, end in spans:
        parts.append(text[last:start])
        parts.append(PLACEHOLDERS[kind])
        last = end
    parts.append(text[last:])
    return "".join(parts)


def _mostly_capitals(text: str) -> bool:
    upper = sum(1 for ch in text if ch.isupper())
    lower = sum(1 for ch in text if ch.islower())
    return upper >= 8 and upper > 2 * lower


def _lower_same_length(text: str) -> str:
    return "".join(c if len(c.lower()) != 1 else c.lower() for c in text)


# --- emails, handles, phones, postcodes -------------------------------------------------------

_EMAIL = re.compile(
    r"(?<![\w.+-])[A-Za-z0-9][\w.%+-]{0,63}@[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63})+"
)
_SPOKEN_EMAIL = re.compile(
    r"(?<![\w.])[\w.%+-]{2,64}\s*(?:\(at\)|\[at\]|\s+at\s+)\s*"
    r"(?:gmail|googlemail|hotmail|outlook|yahoo|icloud|live|btinternet|aol|protonmail|proton|me)"
    r"\s*(?:\.|\s+dot\s+)\s*(?:co(?:\.|\s+dot\s+)uk|com|net|org)\b",
    re.IGNORECASE,
)


def _find_emails(text: str, lexicon: Lexicon) -> list[tuple[str, int, int]]:
    found = [("email", m.start(), m.end()) for m in _EMAIL.finditer(text)]
    return found + [("email", m.start(), m.end()) for m in _SPOKEN_EMAIL.finditer(text)]


_AT_HANDLE = re.compile(r"(?<![\w@.])@([A-Za-z0-9_](?:[\w.]{0,28}[A-Za-z0-9_])?)")
_UNDERSCORE_WORD = re.compile(r"(?<![\w@.])[A-Za-z0-9]+(?:[._][A-Za-z0-9]+)*_[\w.]*[A-Za-z0-9]")
_TIME = re.compile(r"\d{1,2}(?:[:.]\d\d)?(?:am|pm)?|\d+", re.IGNORECASE)
# Three letters plus "_", "." or two digits: "kai.m_07", "shadowkiller99"; not "2nite", "ps5".
_HANDLE_LIKE = re.compile(r"(?=(?:.*[A-Za-z]){3})(?=.*(?:[_.]|\d\d))[A-Za-z0-9_.]{3,30}")


def _find_handles(text: str, lexicon: Lexicon) -> list[tuple[str, int, int]]:
    found = []
    for m in _AT_HANDLE.finditer(text):
        word = m.group(1)
        if _TIME.fullmatch(word) or (word.isalpha() and word.lower() in lexicon.common):
            continue  # "@ 5pm", "@home": "at", not a handle
        found.append(("handle", m.start(), m.end()))
    found += [("handle", m.start(), m.end()) for m in _UNDERSCORE_WORD.finditer(text)]
    for m in lexicon.platform_re.finditer(text):
        word = m.group("h").rstrip(".")
        if _HANDLE_LIKE.fullmatch(word) or (m.group("sep") and _plausible_handle(word, lexicon)):
            found.append(("handle", m.start("h"), m.start("h") + len(word)))
    return found


def _plausible_handle(word: str, lexicon: Lexicon) -> bool:
    lower = word.lower()
    return not (lower in lexicon.common or lower in lexicon.stopwords or _TIME.fullmatch(word))


_PHONE = re.compile(
    r"(?<![\w+])(?:"
    r"(?:\+|00)\s?44\s?(?:\(\s?0\s?\)\s?)?(?:[\s\-.()]{0,2}\d){9,10}"  # +44 7700 900123
    r"|\(?0(?:[\s\-.()]{0,2}\d){9,10}"  # 07700 900123, (01634) 123456
    r"|\+[1-9](?:[\s\-.()]{0,2}\d){7,13}"  # other countries
    r")(?!\d)"
)


def _find_phones(text: str, lexicon: Lexicon) -> list[tuple[str, int, int]]:
    return [("phone", m.start(), m.end()) for m in _PHONE.finditer(text)]


_POSTCODE = re.compile(
    r"\b(?P<area>[A-Z]{1,2})(?P<district>\d[A-Z\d]?)\s{0,2}(?P<inward>\d[ABD-HJLNP-UW-Z]{2})\b",
    re.IGNORECASE,
)
_ORDINAL = re.compile(r"\d(?:st|nd|rd|th)", re.IGNORECASE)


def _find_postcodes(text: str, lexicon: Lexicon) -> list[tuple[str, int, int]]:
    found = []
    for m in _POSTCODE.finditer(text):
        if m.group("area").upper() not in lexicon.postcode_areas:
            continue
        if m.group().islower() and _ORDINAL.fullmatch(m.group("inward")):
            continue  # "b4 2nd period" is text-speak, not a postcode
        found.append(("postcode", m.start(), m.end()))
    return found


# --- house addresses ---------------------------------------------------------------------------

_ADDRESS_CUE = re.compile(
    r"(?:\blive[sd]?|\bliving|\baddress(?:\s+is)?|\bhouse(?:\s+is)?|\bnumber|\bat)"
    r"\s*(?:at|on|in|is)?\s*$",
    re.IGNORECASE,
)


_BUILDING = re.compile(
    r"\b(?i:flat|apartment|apt)\s*\d{1,4}[a-zA-Z]?\s*,?\s+(?:[A-Z][a-z'-]+\s+){1,3}"
    r"(?i:house|court|tower|block|heights|point|lodge|mansions|buildings)\b"
)


def _find_addresses(text: str, lexicon: Lexicon) -> list[tuple[str, int, int]]:
    capitalised, lower = lexicon.address_res
    found = []
    for m in [*capitalised.finditer(text), *lower.finditer(text)]:
        words = m.group("street").lower().split()
        if m.re is capitalised and words[0] == "the":
            words = words[1:]  # "12 The Grove"
        if any(w in lexicon.stopwords or w in lexicon.count_nouns for w in words):
            continue  # "3 lads down the road", "10 minutes walk", "3 Men On The Road"
        if m.re is capitalised:
            found.append(("address", m.start(), m.end()))
            continue
        weak = m.group("suffix").lower() in lexicon.street_weak
        if weak and not _ADDRESS_CUE.search(text[max(0, m.start() - 20) : m.start()]):
            continue  # "2 really close calls": a weak street word needs "live at"
        found.append(("address", m.start(), m.end()))
    found += [("address", m.start(), m.end()) for m in _BUILDING.finditer(text)]
    return found
