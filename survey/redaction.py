"""Redact personal data from a young person's free text before it is stored.

`redact(text)` replaces names, phone numbers, emails, social handles, full postcodes and house
addresses with typed placeholders such as `[NAME]`. It runs on every submit, so it is plain `re`
plus set look-ups (well under a millisecond for a survey answer). The word lists live in
`data/names/` and `data/redaction.yaml`, loaded once per process and checked on load.

The result never carries the removed substrings: only their kind and offsets, so that logging a
`Redaction` cannot leak what was removed.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from survey.settings import get_settings

PLACEHOLDERS = {
    "name": "[NAME]",
    "phone": "[PHONE]",
    "email": "[EMAIL]",
    "handle": "[HANDLE]",
    "postcode": "[POSTCODE]",
    "address": "[ADDRESS]",
}


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


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
    _add(taken, used, _find_names(work, lexicon, used))
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


def _platform_pattern(platforms: list[str]) -> re.Pattern[str]:
    names = "|".join(re.escape(p).replace(r"\ ", r"\s*") for p in platforms)
    return re.compile(
        rf"\b(?:{names})(?:\s+(?:name|username|handle|tag|id))?(?:\s+(?:called|named))?"
        r"(?:\s*(?P<sep>:|=|->|-|\bis\b|'s)\s*|\s+)(?:@\s?)?(?P<h>[A-Za-z0-9_][\w.]{1,29}[A-Za-z0-9_])",
        re.IGNORECASE,
    )


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

_NUMBER = (
    r"(?:(?:flat|apartment|apt|unit)\s*\d{1,4}[a-z]?\s*,?\s+)?"  # flat 4, 12 High Street
    r"(?:no\.?\s*)?\d{1,4}[a-zA-Z]?(?:\s?-\s?\d{1,4})?,?\s+"  # 12, 3a, 10-12
)
_ADDRESS_CUE = re.compile(
    r"(?:\blive[sd]?|\bliving|\baddress(?:\s+is)?|\bhouse(?:\s+is)?|\bnumber|\bat)"
    r"\s*(?:at|on|in|is)?\s*$",
    re.IGNORECASE,
)


_BUILDING = re.compile(
    r"\b(?i:flat|apartment|apt)\s*\d{1,4}[a-zA-Z]?\s*,?\s+(?:[A-Z][a-z'-]+\s+){1,3}"
    r"(?i:house|court|tower|block|heights|point|lodge|mansions|buildings)\b"
)


def _address_patterns(
    strong: list[str], weak: list[str]
) -> tuple[re.Pattern[str], re.Pattern[str]]:
    every = "|".join(sorted(map(re.escape, strong + weak), key=len, reverse=True))
    capitalised = re.compile(
        rf"\b{_NUMBER}(?P<street>(?:(?:St\.?\s+)?[A-Z][a-z'-]+\s+){{1,3}})(?i:(?:{every}))\b\.?"
    )
    lower = re.compile(
        rf"\b{_NUMBER}(?P<street>(?:[a-z][a-z'-]+\s+){{1,2}})(?P<suffix>{every})\b", re.IGNORECASE
    )
    return capitalised, lower


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


# --- names -------------------------------------------------------------------------------------

_TOKEN = re.compile(r"[^\W\d_]+(?:['\-][^\W\d_]+)*'?")
_TITLES = _words("mr mrs miss ms mx dr sir prof professor mister")
_TITLES_ALSO_WORDS = frozenset({"miss", "sir"})  # "i miss home": lower case needs a listed name
# "a shop called Nandos", "a game called Fortnite": what follows is not a person.
_THING_NOUNS = _words(
    "place shop club app game account group chat page gang film movie show song pub bar street "
    "road area estate school park town village website site channel server brand company "
    "restaurant cafe team thing drug drugs"
)
_DETERMINERS = _words("the a an this that these those some any no every each")
_OBJECTS = _words("my your his her their our them it me us him")
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


def _find_names(text: str, lex: Lexicon, taken: bytearray) -> list[tuple[str, int, int]]:
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


# --- word lists --------------------------------------------------------------------------------

_STOPWORDS = _words(
    """a about above after again against all am an and any are as at be because been before being
    below between both but by can could did do does doing down during each few for from further had
    has have having he her here hers herself him himself his how i if in into is it its itself just
    me more most my myself no nor not now of off on once only or other our ours out over own same
    she should so some such than that the their theirs them then there these they this those
    through to too under until up very was we were what when where which while who whom why will
    with would you your yours yourself u ur im ive id dont cant wont thats theres hes shes theyre
    youre ill also like got get go goes going went gonna wanna just really one two three four five
    six seven eight nine ten every another someone somebody anyone anybody everyone nobody nothing
    something everything yeah yes ok okay lol idk tbh rn"""
)
# "3 lads down the road", "10 minutes walk": a number before these is not a house number.
_COUNT_NOUNS = _words(
    """lads men boys girls people kids guys blokes women mins minutes hours hrs days weeks months
    years yrs times miles pounds quid police cars buses year hour minute day week month mile time
    car bus more big small different other"""
)
_POSTCODE_AREAS = _words(
    """AB AL B BA BB BD BH BL BN BR BS BT CA CB CF CH CM CO CR CT CV CW DA DD DE DG DH DL DN DT DY E
    EC EH EN EX FK FY G GL GU GY HA HD HG HP HR HS HU HX IG IM IP IV JE KA KT KW KY L LA LD LE LL LN
    LS LU M ME MK ML N NE NG NN NP NR NW OL OX PA PE PH PL PO PR RG RH RM S SA SE SG SK SL SM SN SO
    SP SR SS ST SW SY TA TD TF TN TQ TR TS TW UB W WA WC WD WF WN WR WS WV YO ZE"""
)
_YAML_LISTS = sorted(
    _words(
        "places venues_and_brands public_figures place_suffixes place_suffixes_lower venue_words "
        "place_prefixes slang_names platforms"
    )
)
_YAML_GROUPS = {"street_words": ("strong", "weak"), "name_cues": ("strong", "weak")}
_YAML_GROUPS["name_cues_after"] = ("strong", "weak")


class LexiconError(ValueError):
    """A redaction word list is missing or malformed; the message names the file and the key."""


@dataclass(frozen=True)
class Lexicon:
    """The word lists redaction needs, lower case, as loaded from the data directory."""

    first: frozenset[str]
    surnames: frozenset[str]
    ambiguous: frozenset[str]
    common: frozenset[str]
    lowercase_words: frozenset[str]  # first names often written in lower case as words
    places: frozenset[str]  # single-word places and public figures: a name only with a cue
    slang: frozenset[str]
    place_suffixes: frozenset[str]
    place_suffixes_lower: frozenset[str]
    venue_words: frozenset[str]
    place_prefixes: frozenset[str]
    street_strong: list[str]
    street_weak: list[str]
    cues_before: dict[str, list[tuple[tuple[str, ...], str]]]  # keyed by the cue's last word
    cues_after: dict[str, list[tuple[tuple[str, ...], str]]]  # keyed by the cue's first word
    protected_re: re.Pattern[str]  # multi-word places, shops, brands and public figures
    platform_re: re.Pattern[str]
    address_res: tuple[re.Pattern[str], re.Pattern[str]]
    stopwords: frozenset[str] = _STOPWORDS
    count_nouns: frozenset[str] = _COUNT_NOUNS
    postcode_areas: frozenset[str] = _POSTCODE_AREAS


_LOADED: dict[Path, Lexicon] = {}


def load_lexicon(data_dir: Path | None = None) -> Lexicon:
    """Load (once per process) and check the word lists under `data_dir` (default: settings)."""
    data_dir = Path(data_dir or get_settings().data_dir)
    if data_dir not in _LOADED:
        _LOADED[data_dir] = _build_lexicon(data_dir)
    return _LOADED[data_dir]


def _read_words(path: Path) -> frozenset[str]:
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise LexiconError(f"{path}: cannot read the word list ({exc.strerror})") from exc
    words = frozenset(w.strip().lower() for w in lines if w.strip() and not w.startswith("#"))
    if not words:
        raise LexiconError(f"{path}: the word list is empty")
    return words


def _read_yaml(path: Path) -> dict[str, object]:
    try:
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise LexiconError(f"{path}: cannot be read as YAML: {exc}") from exc
    if not isinstance(doc, dict):
        raise LexiconError(f"{path}: expected a mapping of word lists at the top level")
    out: dict[str, object] = {}
    for key in _YAML_LISTS:
        out[key] = _word_list(path, key, doc.get(key))
    for key, parts in _YAML_GROUPS.items():
        group = doc.get(key)
        if not isinstance(group, dict) or set(group) != set(parts):
            raise LexiconError(f"{path}: '{key}' must have exactly the keys {', '.join(parts)}")
        for part in parts:
            out[f"{key}.{part}"] = _word_list(path, f"{key}.{part}", group[part])
    unknown = set(doc) - set(_YAML_LISTS) - set(_YAML_GROUPS)
    if unknown:
        raise LexiconError(f"{path}: unknown key(s) {', '.join(sorted(unknown))}")
    return out


def _word_list(path: Path, key: str, value: object) -> list[str]:
    if not isinstance(value, list) or not value:
        raise LexiconError(f"{path}: '{key}' must be a non-empty list of words")
    bad = [v for v in value if not isinstance(v, str) or not v.strip()]
    if bad:
        raise LexiconError(f"{path}: '{key}' has an entry that is not a word: {bad[0]!r}")
    return [" ".join(v.lower().split()) for v in value]


_CueIndex = dict[str, list[tuple[tuple[str, ...], str]]]


def _cue_index(strong: list[str], weak: list[str], *, by_last: bool) -> _CueIndex:
    index: _CueIndex = {}
    for strength, cues in (("strong", strong), ("weak", weak)):
        for cue in cues:
            words = tuple(cue.split())
            index.setdefault(words[-1] if by_last else words[0], []).append((words, strength))
    for entries in index.values():
        entries.sort(key=lambda e: (e[1] != "strong", -len(e[0])))  # strong, longest first
    return index


def _phrase_pattern(phrases: list[str]) -> re.Pattern[str]:
    parts = sorted(
        (re.escape(p).replace(r"\ ", r"\s+").replace("'", "'?") for p in phrases),
        key=len,
        reverse=True,
    )
    return re.compile(rf"(?<!\w)(?:{'|'.join(parts)})(?!\w)", re.IGNORECASE)


def _build_lexicon(data_dir: Path) -> Lexicon:
    names = data_dir / "names"
    doc = _read_yaml(data_dir / "redaction.yaml")
    lists: dict[str, list[str]] = {k: v for k, v in doc.items() if isinstance(v, list)}
    named = lists["places"] + lists["venues_and_brands"] + lists["public_figures"]
    phrases = [p for p in named if not p.isalpha()]
    return Lexicon(
        first=_read_words(names / "first_names.txt"),
        surnames=_read_words(names / "surnames.txt"),
        ambiguous=_read_words(names / "ambiguous_names.txt"),
        common=_read_words(names / "common_words.txt"),
        lowercase_words=_read_words(names / "lowercase_words.txt"),
        places=frozenset(p for p in named if p.isalpha()),
        slang=frozenset(lists["slang_names"]),
        place_suffixes=frozenset(lists["place_suffixes"]),
        place_suffixes_lower=frozenset(lists["place_suffixes_lower"]),
        venue_words=frozenset(lists["venue_words"]),
        place_prefixes=frozenset(lists["place_prefixes"]),
        street_strong=lists["street_words.strong"],
        street_weak=lists["street_words.weak"],
        cues_before=_cue_index(lists["name_cues.strong"], lists["name_cues.weak"], by_last=True),
        cues_after=_cue_index(
            lists["name_cues_after.strong"], lists["name_cues_after.weak"], by_last=False
        ),
        protected_re=_phrase_pattern(phrases),
        platform_re=_platform_pattern(sorted(lists["platforms"], key=len, reverse=True)),
        address_res=_address_patterns(lists["street_words.strong"], lists["street_words.weak"]),
    )
