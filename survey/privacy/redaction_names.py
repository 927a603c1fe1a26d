"""Find people's names in a normalised survey answer, for `survey.privacy.redaction`.

A name is a listed first name or surname (capitalised, or a distinctive first name in lower
case), a word next to a cue ("my mate", "called"), or a title ("Mr Harris"), extended by a
following surname or initial; places, shops and public figures from the lexicon are left alone.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from survey.privacy.redaction_lexicon import Lexicon, word_set

_TOKEN = re.compile(r"[^\W\d_]+(?:['\-][^\W\d_]+)*'?")
_TITLES = word_set("mr mrs miss ms mx dr sir prof professor mister")
_TITLES_ALSO_WORDS = frozenset({"miss", "sir"})  # "i miss home": lower case needs a listed name
# "a shop called Nandos", "a game called Fortnite": what follows is not a person.
_THING_NOUNS = word_set(
    "place shop club app game account group chat page gang film movie show song pub bar street "
    "road area estate school park town village website site channel server brand company "
    "restaurant cafe team thing drug drugs"
)
_DETERMINERS = word_set("the a an this that these those some any no every each")
_OBJECTS = word_set("my your his her their our them it me us him")
_SENTENCE_END = re.compile(r"[.!?\n…]")
_GAP_IN_NAME = re.compile(r" {1,2}|-")
_GAP_AFTER_CUE = re.compile(r"[ \t,:]*")
_GAP_AFTER_TITLE = re.compile(r"\.? {1,2}")
# A listed first name in lower case with no cue ("me and chloe got followed") is redacted too:
# young people often write without capitals. Everyday words and slang names are left alone.
REDACT_LOWERCASE_NAMES = True


@dataclass(slots=True)  # not frozen: frozen dataclasses are slow to build, and this runs per word
class _Tok:
    start: int
    end: int
    name_end: int  # end without a possessive "'s"
    text: str
    key: str  # lower case, possessive removed
    cap: bool
    poss: bool
    first: bool
    sur: bool
    amb: bool  # a name that is also an everyday word, month, brand...
    word: bool  # an ordinary English word or function word
    place: bool


def _tokens(text: str, lex: Lexicon) -> list[_Tok]:
    out = []
    for m in _TOKEN.finditer(text):
        raw, end = m.group(), m.end()
        key = raw.lower()
        poss = key.endswith(("'s", "'"))
        name_end = end - (2 if key.endswith("'s") else 1 if poss else 0)
        key = key.removesuffix("'").removesuffix("'s")
        if key not in lex.first and key[-1:] == "s" and key[:-1] in lex.first and len(key) > 4:
            key, poss = key[:-1], True  # "chloes house": a possessive without the apostrophe
        first, sur = key in lex.first, key in lex.surnames
        if "-" in key and not (first or sur):  # "Tyler-James", "Davies-Smith"
            parts = key.split("-")
            first = all(p in lex.first for p in parts)
            sur = not first and all(p in lex.first or p in lex.surnames for p in parts)
        amb = key in lex.ambiguous or key in lex.common
        out.append(
            _Tok(m.start(), end, name_end, raw, key, raw[0].isupper() and raw != "I", poss,
                 first, sur, amb, key in lex.common or key in lex.stopwords, key in lex.places)
        )  # fmt: skip
    return out


def find_names(text: str, lex: Lexicon, taken: bytearray) -> list[tuple[str, int, int]]:
    toks = _tokens(text, lex)
    mask = bytearray(taken)
    for m in lex.protected_re.finditer(text):  # places, shops, public figures
        mask[m.start() : m.end()] = b"\x01" * (m.end() - m.start())
    free = [not any(mask[t.start : t.end]) for t in toks]
    found: list[tuple[str, int, int]] = []
    i = 0
    while i < len(toks):
        last = _name_at(text, toks, free, i, lex) if free[i] else None
        if last is None:
            i += 1
            continue
        found.append(("name", toks[i].start, toks[last].name_end))
        i = last + 1
    return found


def _name_at(text: str, toks: list[_Tok], free: list[bool], i: int, lex: Lexicon) -> int | None:
    """Index of the last token of a name that starts at token i, or None."""
    tok = toks[i]
    if tok.key in _TITLES:
        return _titled_name(text, toks, free, i, lex)
    if tok.key in lex.stopwords and not (tok.cap and tok.first):  # "my cousin Will"
        return None
    cue = _cue(text, toks, i, lex)
    if not (cue and _fits_cue(tok, cue, lex)) and not _listed_name(text, toks, i, lex):
        return None
    last = _extend(text, toks, free, i, lex)
    return None if _is_place(text, toks, i, last, lex) else last


def _titled_name(text: str, toks: list[_Tok], free: list[bool], i: int, lex: Lexicon) -> int | None:
    """ "Mr Harris", "Miss Patel", "mr jones": the title is part of the name."""
    if i + 1 >= len(toks) or not free[i + 1]:
        return None
    title, nxt = toks[i], toks[i + 1]
    if not _GAP_AFTER_TITLE.fullmatch(text[title.end : nxt.start]):
        return None
    initial = len(nxt.text) == 1 and nxt.cap
    if nxt.key in lex.stopwords and not initial:
        return None
    listed = (nxt.first or nxt.sur) and not nxt.amb
    if title.cap:
        ok = nxt.cap
    elif title.key in _TITLES_ALSO_WORDS:
        ok = listed
    else:
        ok = listed or not nxt.word
    if not ok:
        return None
    last = _extend(text, toks, free, i + 1, lex)
    return None if _is_place(text, toks, i, last, lex) else last


def _cue(text: str, toks: list[_Tok], i: int, lex: Lexicon) -> str | None:
    """ "strong" or "weak" when a cue ("called", "my mate", "from year 9") is next to token i."""
    if i and _GAP_AFTER_CUE.fullmatch(text[toks[i - 1].end : toks[i].start]):
        for words, strength in lex.cues_before.get(toks[i - 1].text.lower(), ()):
            k = len(words)
            if i >= k and all(toks[i - k + n].text.lower() == w for n, w in enumerate(words)):
                thing = any(t.key in _THING_NOUNS for t in toks[max(0, i - k - 3) : i - k])
                return None if thing and words[-1] in ("called", "named") else strength
    for j in (i + 1, i + 2):  # after the name, or after a surname that follows it
        if j < len(toks) and (j == i + 1 or toks[i + 1].cap):
            for words, strength in lex.cues_after.get(toks[j].text.lower(), ()):
                if all(
                    j + n < len(toks) and toks[j + n].text.lower() == w for n, w in enumerate(words)
                ):
                    return strength
    return None


def _fits_cue(tok: _Tok, strength: str, lex: Lexicon) -> bool:
    listed = tok.first or tok.sur
    if strength == "strong" and tok.cap:
        return listed or not (tok.word or tok.place)  # "a boy called Zayden", not "called Chatham"
    if not tok.cap and (strength == "weak" or not tok.first) and tok.key in lex.slang:
        return False
    if strength == "weak" and not tok.cap and not tok.first:
        return False  # "jordans and north face": a lower-case surname alone is too weak a sign
    return listed and not tok.amb and not tok.place


def _listed_name(text: str, toks: list[_Tok], i: int, lex: Lexicon) -> bool:
    """A name from data/names/ that needs no cue: capitalised, or a distinctive first name."""
    tok = toks[i]
    if not (tok.first or tok.sur) or tok.place:
        return False
    prev = toks[i - 1].text.lower() if i else ""
    if prev in _DETERMINERS:
        return False  # "take the mick", "the George": names do not follow "the"
    if not tok.cap:
        return (
            REDACT_LOWERCASE_NAMES and tok.first and not tok.amb and len(tok.key) >= 4
            and tok.key not in lex.slang and tok.key not in lex.lowercase_words
        )  # fmt: skip
    if tok.amb:  # "Grace Patel" is a name, "Grace" alone may be a word
        nxt = toks[i + 1] if i + 1 < len(toks) else None
        return bool(
            tok.first and nxt and nxt.cap and nxt.sur and not nxt.amb and not nxt.place
            and _GAP_IN_NAME.fullmatch(text[tok.end : nxt.start])
        )  # fmt: skip
    if i and not _SENTENCE_END.search(text[toks[i - 1].end : tok.start]):
        return True
    # At a sentence start a surname alone may be a word, and "Rob the shop" is a verb.
    after = toks[i + 1].key if i + 1 < len(toks) else ""
    return tok.first and after not in _DETERMINERS and after not in _OBJECTS


def _extend(text: str, toks: list[_Tok], free: list[bool], j: int, lex: Lexicon) -> int:
    """Take in a following surname or initial: "Kai Mitchell", "Josh R", "chloe smith"."""
    base_cap = toks[j].cap
    for _ in range(2):
        if j + 1 >= len(toks) or not free[j + 1] or toks[j].poss:
            break
        nxt = toks[j + 1]
        if not _GAP_IN_NAME.fullmatch(text[toks[j].end : nxt.start]):
            break
        if base_cap and nxt.cap and len(nxt.text) > 1:
            if nxt.key in lex.stopwords or nxt.key in lex.place_suffixes:
                break
            if nxt.text.isupper() and len(nxt.text) <= 3 and not nxt.sur:
                break  # "Mr Harris PE"
            if not (nxt.sur or (nxt.first and not nxt.place)) and (nxt.word or nxt.place):
                break
        elif not (nxt.cap and len(nxt.text) == 1 and nxt.text != "I") and (  # an initial
            base_cap or nxt.cap or not (nxt.sur and not nxt.amb)
        ):
            break
        j += 1
    return j


def _is_place(text: str, toks: list[_Tok], i: int, last: int, lex: Lexicon) -> bool:
    """ "Victoria Park", "Jack's Bar", "St Mary's", "Robert Napier School" are places."""
    if i:
        prev = toks[i - 1]
        if prev.cap and prev.key in lex.place_prefixes and text[prev.end : toks[i].start] in " .":
            return True
    if last + 1 >= len(toks) or text[toks[last].end : toks[last + 1].start] not in (" ", "  "):
        return False
    end, nxt = toks[last], toks[last + 1]
    if nxt.key in lex.place_suffixes and nxt.cap:
        return True
    if nxt.key in lex.place_suffixes_lower and not end.poss:
        return True
    if end.poss and nxt.key in lex.venue_words:
        return True
    after = toks[last + 2] if last + 2 < len(toks) else None
    return bool(
        nxt.cap and not nxt.word and after and after.cap and after.key in lex.place_suffixes
    )
