"""Expand codebook phrases into the surface forms young people write, once, at compile time.

Running a lemmatizer on every answer would cost two thirds of the speed budget
(shared/design/PERFORMANCE.md), so instead each phrase is expanded here into its inflected
forms (from the lookup tables of spacy-lookups-data), dropped apostrophes ("mcdonalds") and
multi-word spellings ("old bill"). One-word spellings ("stn", "feds") and dropped g's
("walkin") become token norms instead: the tokenizer gives "stn" the norm "station", so a
phrase needs no copy per spelling. The rule component matches on NORM, which costs the same
however many phrases there are.
"""

from __future__ import annotations

import gzip
import itertools
import json
import re
from collections.abc import Iterable, Mapping
from functools import lru_cache
from importlib import resources

_CHOICE = re.compile(r"\(([^()]*)\)")
_ONE_TOKEN = re.compile(r"^[a-z0-9]+$")
# A phrase whose variants would exceed this is expanded without inflections: the cap keeps
# the matcher, and the pipeline's load time, small.
MAX_VARIANTS_PER_PHRASE = 200
MIN_INFLECT_LENGTH = 3
MIN_G_DROP_LENGTH = 6
# A phrase inflects one word, its head: the last word ("bus stops"), or the first when the
# phrase ends in one of these ("followed me", "shouting at"). Write other forms out.
TRAILING_WORDS = frozenset(
    """
        me us you him her them it at on in up out off to of about with for home down around round
        over back stuff things names people girls
    """.split()  # noqa: SIM905 (a word list reads best as text)
)


def expand_choices(phrase: str) -> list[str]:
    """All phrases that "(a|b) c" stands for: ["a c", "b c"]; empty choices allowed."""
    parts = _CHOICE.split(phrase)
    options = [[p] if i % 2 == 0 else p.split("|") for i, p in enumerate(parts)]
    seen: dict[str, None] = {}
    for combo in itertools.product(*options):
        text = " ".join("".join(combo).split())
        if text:
            seen[text] = None
    return list(seen)


@lru_cache(maxsize=1)
def english_lemma_table() -> dict[str, str]:
    """The English lookup lemma table (form -> lemma) from spacy-lookups-data."""
    path = resources.files("spacy_lookups_data") / "data" / "en_lemma_lookup.json.gz"
    with path.open("rb") as handle:
        table: dict[str, str] = json.loads(gzip.decompress(handle.read()))
    return table


@lru_cache(maxsize=1)
def _inflections() -> dict[str, tuple[str, ...]]:
    forms: dict[str, set[str]] = {}
    for form, lemma in english_lemma_table().items():
        if form != lemma and form.isalpha():
            forms.setdefault(lemma, set()).add(form)
    return {lemma: tuple(sorted(f)) for lemma, f in forms.items()}


class PhraseExpander:
    """Expands phrases into surface variants; lower-cased, in a deterministic order."""

    def __init__(self, spellings: Mapping[str, Iterable[str]]) -> None:
        self.lemmas = english_lemma_table()
        self.inflections = _inflections()
        # one-word spellings become token norms; longer ones are expanded in phrases
        self.token_norms: dict[str, str] = {}
        self.phrase_spellings: dict[str, list[str]] = {}
        for word, variants in spellings.items():
            for variant in variants:
                variant = variant.lower()
                if _ONE_TOKEN.match(variant) and variant != word:
                    self.token_norms.setdefault(variant, word.lower())
                elif variant != word:
                    self.phrase_spellings.setdefault(word.lower(), []).append(variant)

    def expand(self, phrase: str, inflect: bool = True) -> list[str]:
        """Every surface variant of a codebook phrase (choices, inflections, spellings)."""
        out: dict[str, None] = {}
        for alternative in expand_choices(phrase.lower()):
            for variant in self._variants(alternative, inflect):
                out[variant] = None
                self._note_g_drops(variant)
        return list(out)

    def _variants(self, text: str, inflect: bool) -> list[str]:
        words = text.split()
        head = 0 if len(words) == 1 or words[-1] in TRAILING_WORDS else len(words) - 1
        options = [self.word_variants(w, inflect and i == head) for i, w in enumerate(words)]
        if _product_size(options) > MAX_VARIANTS_PER_PHRASE:
            options = [self.word_variants(w, inflect=False) for w in words]
        combos = itertools.islice(itertools.product(*options), MAX_VARIANTS_PER_PHRASE)
        return [" ".join(c) for c in combos]

    def word_variants(self, word: str, inflect: bool = True) -> list[str]:
        """A word, its inflections (when written as its own lemma) and casual spellings."""
        forms = [word]
        # Only a word written in its base form is inflected: "men" stays "men" because its
        # lemma is "man", and "man" must not match a group of men.
        if inflect and len(word) >= MIN_INFLECT_LENGTH and self.lemmas.get(word, word) == word:
            forms.extend(self.inflections.get(word, ()))
        out: dict[str, None] = {}
        for form in forms:
            out[form] = None
            for casual in _casual_forms(form):
                out[casual] = None
            for spelling in self.phrase_spellings.get(form, ()):
                out[spelling] = None
        return list(out)

    def _note_g_drops(self, phrase: str) -> None:
        # "walkin" is read as "walking" everywhere, so phrases need no copy for it
        for word in phrase.split():
            if word.endswith("ing") and len(word) >= MIN_G_DROP_LENGTH and word.isalpha():
                self.token_norms.setdefault(word[:-1], word)


def _casual_forms(word: str) -> list[str]:
    """How a word is often typed without its punctuation: "mcdonalds", "multi storey"."""
    forms = []
    if "'" in word and not word.startswith("'") and len(word.replace("'", "")) >= 3:
        forms.append(word.replace("'", ""))
    if "-" in word.strip("-"):
        forms.extend([word.replace("-", " "), word.replace("-", "")])
    return forms


def _product_size(options: list[list[str]]) -> int:
    size = 1
    for option in options:
        size *= len(option)
    return size
