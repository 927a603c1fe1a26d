"""The word lists that personal-data redaction needs, loaded and checked by the loading rule
(survey/core/data_files.py: once per process, and again when a file changes).

`load_lexicon()` reads `data/names/*.txt` and `data/redaction.yaml`, rejects a missing or
malformed list with a `LexiconError` that names the file and the key, and builds the look-up
sets and the regular expressions (protected places, platforms, street addresses) that
`survey.privacy.redaction` uses.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints

from survey.core.data_files import (
    DataFileError,
    errors_as,
    read_lines,
    read_yaml,
    reloaded_on_change,
    validate_file,
)
from survey.core.settings import get_settings


def word_set(text: str) -> frozenset[str]:
    return frozenset(text.split())


_STOPWORDS = word_set(
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
_COUNT_NOUNS = word_set(
    """lads men boys girls people kids guys blokes women mins minutes hours hrs days weeks months
    years yrs times miles pounds quid police cars buses year hour minute day week month mile time
    car bus more big small different other"""
)
_POSTCODE_AREAS = word_set(
    """AB AL B BA BB BD BH BL BN BR BS BT CA CB CF CH CM CO CR CT CV CW DA DD DE DG DH DL DN DT DY E
    EC EH EN EX FK FY G GL GU GY HA HD HG HP HR HS HU HX IG IM IP IV JE KA KT KW KY L LA LD LE LL LN
    LS LU M ME MK ML N NE NG NN NP NR NW OL OX PA PE PH PL PO PR RG RH RM S SA SE SG SK SL SM SN SO
    SP SR SS ST SW SY TA TD TF TN TQ TR TS TW UB W WA WC WD WF WN WR WS WV YO ZE"""
)
NAME_LISTS = (  # data/names/*.txt, one word a line
    "first_names.txt",
    "surnames.txt",
    "ambiguous_names.txt",
    "common_words.txt",
    "lowercase_words.txt",
)
REDACTION_FILE = "redaction.yaml"


def _phrase(value: str) -> str:
    return " ".join(value.lower().split())


Word = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1), AfterValidator(_phrase)
]
WordList = Annotated[list[Word], Field(min_length=1)]


class _StrongWeak(BaseModel):
    model_config = ConfigDict(extra="forbid")
    strong: WordList
    weak: WordList


class _RedactionFile(BaseModel):
    """data/redaction.yaml: the word lists, lower-cased with spaces squeezed."""

    model_config = ConfigDict(extra="forbid")
    places: WordList
    venues_and_brands: WordList
    public_figures: WordList
    place_suffixes: WordList
    place_suffixes_lower: WordList
    venue_words: WordList
    place_prefixes: WordList
    slang_names: WordList
    platforms: WordList
    street_words: _StrongWeak
    name_cues: _StrongWeak
    name_cues_after: _StrongWeak


class LexiconError(DataFileError):
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


def load_lexicon(data_dir: Path | None = None) -> Lexicon:
    """The checked word lists under `data_dir` (default: settings), by the loading rule
    (survey/core/data_files.py): read once, and again when one of the files changes."""
    return _cached_lexicon(Path(data_dir or get_settings().data_dir))


def _lexicon_files(data_dir: Path) -> list[Path]:
    return [data_dir / REDACTION_FILE, *(data_dir / "names" / name for name in NAME_LISTS)]


def _read_words(path: Path) -> frozenset[str]:
    words = frozenset(word.lower() for word in read_lines(path))
    if not words:
        raise LexiconError(path, "the word list is empty")
    return words


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


# --- patterns built from the word lists ---------------------------------------------------------


def _platform_pattern(platforms: list[str]) -> re.Pattern[str]:
    names = "|".join(re.escape(p).replace(r"\ ", r"\s*") for p in platforms)
    return re.compile(
        rf"\b(?:{names})(?:\s+(?:name|username|handle|tag|id))?(?:\s+(?:called|named))?"
        r"(?:\s*(?P<sep>:|=|->|-|\bis\b|'s)\s*|\s+)(?:@\s?)?(?P<h>[A-Za-z0-9_][\w.]{1,29}[A-Za-z0-9_])",
        re.IGNORECASE,
    )


_NUMBER = (
    r"(?:(?:flat|apartment|apt|unit)\s*\d{1,4}[a-z]?\s*,?\s+)?"  # flat 4, 12 High Street
    r"(?:no\.?\s*)?\d{1,4}[a-zA-Z]?(?:\s?-\s?\d{1,4})?,?\s+"  # 12, 3a, 10-12
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


@reloaded_on_change(_lexicon_files)
def _cached_lexicon(data_dir: Path) -> Lexicon:
    with errors_as(LexiconError):
        return _build_lexicon(data_dir)


def _build_lexicon(data_dir: Path) -> Lexicon:
    names = data_dir / "names"
    path = data_dir / REDACTION_FILE
    doc = validate_file(path, read_yaml(path), _RedactionFile).model_dump()
    lists: dict[str, list[str]] = {}
    for key, value in doc.items():  # "street_words": {"strong": [...]} -> "street_words.strong"
        parts = value.items() if isinstance(value, dict) else [("", value)]
        lists.update({f"{key}.{part}" if part else key: words for part, words in parts})
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
