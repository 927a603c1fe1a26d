"""The word lists that personal-data redaction needs, loaded and checked once per process.

`load_lexicon()` reads `data/names/*.txt` and `data/redaction.yaml`, rejects a missing or
malformed list with a `LexiconError` that names the file and the key, and builds the look-up
sets and the regular expressions (protected places, platforms, street addresses) that
`survey.privacy.redaction` uses.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from survey.core.data_files import yaml_error_parts
from survey.core.settings import get_settings


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


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
    except UnicodeDecodeError as exc:
        raise LexiconError(f"{path}: not UTF-8 text ({exc.reason})") from exc
    words = frozenset(w.strip().lower() for w in lines if w.strip() and not w.startswith("#"))
    if not words:
        raise LexiconError(f"{path}: the word list is empty")
    return words


def _read_yaml(path: Path) -> dict[str, object]:
    try:
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise LexiconError(f"{path}: cannot read the word lists ({exc.strerror})") from exc
    except yaml.YAMLError as exc:
        where, problem = yaml_error_parts(exc)
        raise LexiconError(f"{path}: {where + ': ' if where else ''}{problem}") from exc
    except UnicodeDecodeError as exc:
        raise LexiconError(f"{path}: not UTF-8 text ({exc.reason})") from exc
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
