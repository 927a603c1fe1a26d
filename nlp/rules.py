"""The rule component: codebook phrases matched on NORM, then negation and contrast.

Registered as the spaCy factory "youthvoice_theme_rules". Its rules come from the
registered function "youthvoice.codebook_rules.v1" (which reads and compiles the codebook)
through `initialize`, and travel with the pipeline through `to_disk`/`from_disk`, so a saved
pipeline needs neither the codebook file nor the lemma tables to load.

Output, per doc, in `doc.spans` (span labels are theme ids) when `write_spans` is true:
  "themes"         positive rule hits (the evidence of rule tags)
  "themes_denied"  hits the writer denies or only uses to locate something
  "themes_weak"    asks mentioned without a cue ("police" alone): the model may confirm
and always in `doc.user_data[RESULT_KEY]`: the same three lists as (theme, start, end,
cued) token tuples. The Tagger reads those: building Span objects costs a fifth of the
pipeline's time, and it has no use for them.
"""

# No `from __future__ import annotations` here: spaCy validates `initialize` arguments with
# pydantic, which needs the real CompiledRules type rather than a string.
import dataclasses
import re
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import srsly  # type: ignore[import-untyped]
from spacy.attrs import NORM  # type: ignore[import-not-found]
from spacy.language import Language
from spacy.matcher import Matcher, PhraseMatcher
from spacy.tokens import Doc, Span
from spacy.util import registry

from nlp.codebook import load_codebook
from nlp.compile import CUED, NOT, STRONG, CompiledRules, compile_rules
from nlp.scopes import Hit, Scopes, analyse

FACTORY = "youthvoice_theme_rules"
NORM_TABLE = "lexeme_norm"
RESULT_KEY = "youthvoice_themes"
_DIGIT = re.compile(r"\d")
RULES_FILE = "rules.json"
DEFAULT_SPANS_KEY = "themes"


class Errors:
    """Error messages of the component, as named constants (the spaCy convention)."""

    E001 = "The theme rules component has no rules: call nlp.initialize() or load from disk."
    E002 = "Rules file {path} is missing: the saved pipeline is incomplete."


@registry.misc("youthvoice.codebook_rules.v1")
def codebook_rules(path: str) -> CompiledRules:
    """Read, validate and compile a codebook file into the rules the component uses."""
    return compile_rules(load_codebook(Path(path)))


@Language.factory(FACTORY, default_config={"spans_key": DEFAULT_SPANS_KEY, "write_spans": True})
def make_theme_rules(nlp: Language, name: str, spans_key: str, write_spans: bool) -> "ThemeRules":
    return ThemeRules(nlp, name, spans_key=spans_key, write_spans=write_spans)


class ThemeRules:
    """Tags codebook themes by phrase rules; negation-aware; never trained."""

    def __init__(
        self, nlp: Language, name: str = FACTORY, *, spans_key: str, write_spans: bool = True
    ) -> None:
        self.nlp = nlp
        self.name = name
        self.spans_key = spans_key
        self.write_spans = write_spans
        self.rules: CompiledRules | None = None
        self._matcher: PhraseMatcher | None = None
        self._token_matcher: Matcher | None = None
        self._keys: dict[int, tuple[str, str]] = {}
        self._sequences_by_first: dict[str, list[tuple[str, str, str, list[str], int]]] = {}
        self._digit_memo: dict[int, bool] = {}
        self._labels: dict[str, int] = {}
        self._slot_tables: dict[str, dict[int, set[tuple[int, ...]]]] = {}
        self._patterns_need_digits = False
        self._cued_groups: frozenset[str] = frozenset()
        self._located_groups: frozenset[str] = frozenset()
        self._fillers: frozenset[str] = frozenset()
        self._non_locating: frozenset[str] = frozenset()

    # -- set-up -------------------------------------------------------------------------

    def initialize(
        self,
        get_examples: Callable[[], Iterable[Any]] | None = None,
        *,
        nlp: Language | None = None,
        rules: CompiledRules | dict[str, Any] | None = None,
    ) -> None:
        if rules is None:
            raise ValueError(Errors.E001)
        # spaCy's settings validation hands a dataclass over as a dict
        self.set_rules(
            rules if isinstance(rules, CompiledRules) else CompiledRules.from_dict(rules)
        )

    def set_rules(self, rules: CompiledRules) -> None:
        """Build the matchers for these rules, and teach the vocab their spellings."""
        self._add_token_norms(rules.token_norms)
        if rules.phrases:
            rules = self._tokenized(rules)
        self._keys = {}
        self._matcher = self._phrase_matcher(rules)
        self._token_matcher = self._pattern_matcher(rules)
        self._index_sequences(rules)
        strings = self.nlp.vocab.strings
        self._labels = {theme: strings.add(theme) for theme in rules.theme_ids}
        self._cued_groups = frozenset(rules.cued_groups)
        self._located_groups = frozenset(rules.located_groups)
        self._fillers = frozenset(rules.fillers)
        self._non_locating = frozenset(rules.non_locating)
        self.rules = rules

    def _phrase_matcher(self, rules: CompiledRules) -> PhraseMatcher:
        """One PhraseMatcher on NORM for theme phrases, cues and sequence anchors.

        A sequence's anchor slot is matched like any phrase; its other slots are checked
        against the doc's norms only around an anchor, so common words ("my", "the") in
        them cost nothing on docs that lack the anchor."""
        strings = self.nlp.vocab.strings
        anchors = {slots[anchor] for _, slots, anchor in rules.sequences}
        matcher = PhraseMatcher(self.nlp.vocab, attr="NORM")
        for key, phrases in rules.norm_phrases.items():
            if key.startswith("S:") and key not in anchors:
                continue
            # the phrases are NORM strings, so their hashes are the pattern: PhraseMatcher
            # takes hash sequences as it takes Docs (spaCy's own unpickling does this), and
            # building 15,000 Docs would cost half the load time
            patterns: list[Any] = [tuple(strings.add(w) for w in words) for words in phrases]
            matcher.add(key, patterns)
            self._keys[strings[key]] = _split_key(key)
        return matcher

    def _pattern_matcher(self, rules: CompiledRules) -> Matcher | None:
        """The codebook's few token patterns; skipped on docs without a digit when every
        pattern needs one (a Matcher pass costs as much as the PhraseMatcher's)."""
        if not rules.patterns:
            return None
        matcher = Matcher(self.nlp.vocab)
        for key, patterns in rules.patterns.items():
            matcher.add(key, patterns)
            self._keys[self.nlp.vocab.strings[key]] = _split_key(key)
        self._patterns_need_digits = all(
            _needs_digit(p) for patterns in rules.patterns.values() for p in patterns
        )
        return matcher

    def _index_sequences(self, rules: CompiledRules) -> None:
        """Slot phrases as sets of norm-hash tuples by length, and sequences by anchor."""
        strings = self.nlp.vocab.strings
        tables: dict[str, dict[int, set[tuple[int, ...]]]] = {}
        for key, phrases in rules.norm_phrases.items():
            if key.startswith("S:"):
                table = tables.setdefault(key, {})
                for words in phrases:
                    hashes = tuple(strings.add(w) for w in words)
                    table.setdefault(len(hashes), set()).add(hashes)
        self._sequences_by_first = {}
        for key, slots, anchor in rules.sequences:
            kind, name = _split_key(key)
            entry = (key, kind, name, slots, anchor)
            self._sequences_by_first.setdefault(slots[anchor], []).append(entry)
            for slot in slots:
                if slot.endswith("?"):  # skipping an optional slot is one way through
                    tables[slot[:-1]].setdefault(0, set()).add(())
        self._slot_tables = tables

    def _tokenized(self, rules: CompiledRules) -> CompiledRules:
        """The rules with their surface phrases replaced by unique NORM token sequences."""
        norm_phrases = {}
        for key, phrases in rules.phrases.items():
            tokenizer: Any = self.nlp.tokenizer
            unique = {tuple(t.norm_ for t in doc) for doc in tokenizer.pipe(phrases)}
            norm_phrases[key] = [list(words) for words in sorted(unique)]
        return dataclasses.replace(rules, phrases={}, norm_phrases=norm_phrases)

    def _add_token_norms(self, token_norms: dict[str, str]) -> None:
        """Read "stn" as "station" everywhere: phrases, cues and the model see its NORM.

        spaCy's own mechanism: the vocab's "lexeme_norm" lookups table, which is saved with
        the vocab and applied to every new lexeme (case forms listed, as keys are exact)."""
        vocab = self.nlp.vocab
        lookups = vocab.lookups
        created = not lookups.has_table(NORM_TABLE)
        table = lookups.get_table(NORM_TABLE) if not created else lookups.add_table(NORM_TABLE)
        for variant, norm in token_norms.items():
            for form in (variant, variant.capitalize(), variant.upper()):
                if table.get(form) != norm:
                    table[form] = norm
                    if form in vocab:  # a lexeme made before the table keeps its norm
                        vocab[form].norm_ = norm
        if created:
            vocab.lookups = lookups  # the setter installs the table as the NORM getter

    # -- tagging ------------------------------------------------------------------------

    def __call__(self, doc: Doc) -> Doc:
        if self.rules is None or self._matcher is None:
            raise ValueError(Errors.E001)
        hits, cues, norms = self._match(doc)
        key = self.spans_key
        if not hits:
            doc.user_data[RESULT_KEY] = ([], [], [])
            if self.write_spans:
                doc.spans[key] = []
            return doc
        strings = self.nlp.vocab.strings
        scopes = Scopes(
            n_tokens=len(doc),
            norm=lambda i: strings[norms[i]],
            cues=cues,
            hits=hits,
            theme_groups=self.rules.theme_groups,
            cued_groups=self._cued_groups,
            located_groups=self._located_groups,
            fillers=self._fillers,
            non_locating=self._non_locating,
        )
        result = analyse(scopes)
        doc.user_data[RESULT_KEY] = (result.positive, result.denied, result.weak)
        if not self.write_spans:
            return doc
        labels = self._labels  # theme ids as string-store hashes: no look-up per span
        doc.spans[key] = [Span(doc, h.start, h.end, label=labels[h.theme]) for h in result.positive]
        # the other two groups are written only when they have spans (most docs: none)
        if result.denied:
            doc.spans[f"{key}_denied"] = [
                Span(doc, h.start, h.end, label=labels[h.theme]) for h in result.denied
            ]
        if result.weak:
            doc.spans[f"{key}_weak"] = [
                Span(doc, h.start, h.end, label=labels[h.theme]) for h in result.weak
            ]
        return doc

    def pipe(self, docs: Iterable[Doc], batch_size: int = 128) -> Iterable[Doc]:
        for doc in docs:
            yield self(doc)

    def _match(self, doc: Doc) -> tuple[list[Hit], dict[str, list[tuple[int, int]]], list[int]]:
        assert self._matcher is not None
        matches = self._matcher(doc)
        # the norms, read once: sequences and scopes look at them by position
        norms: list[int] = doc.to_array(NORM).tolist() if len(doc) else []
        if self._token_matcher is not None and (
            not self._patterns_need_digits or self._has_digit(norms)
        ):
            matches += self._token_matcher(doc)
        hits: list[Hit] = []
        nots: dict[str, list[tuple[int, int]]] = {}
        cues: dict[str, list[tuple[int, int]]] = {}
        slots: dict[str, list[tuple[int, int]]] = {}
        keys = self._keys
        for match_id, start, end in matches:
            kind, name = keys[match_id]
            if kind is STRONG or kind is CUED:
                hits.append(Hit(name, start, end, kind is CUED))
            elif kind is NOT:
                nots.setdefault(name, []).append((start, end))
            elif kind is SLOT:
                slots.setdefault(name, []).append((start, end))
            else:
                cues.setdefault(name, []).append((start, end))
        if slots:
            self._join_sequences(norms, slots, hits, nots, cues)
        return _dedupe(_drop_not_phrases(hits, nots)), cues, norms

    def _join_sequences(
        self,
        norms: list[int],
        triggers: dict[str, list[tuple[int, int]]],
        hits: list[Hit],
        nots: dict[str, list[tuple[int, int]]],
        cues: dict[str, list[tuple[int, int]]],
    ) -> None:
        for anchor_key, spans in triggers.items():
            for _key, kind, name, keys, anchor in self._sequences_by_first.get(anchor_key, ()):
                found = self._follow(norms, spans, keys[anchor + 1 :])
                if anchor and found:
                    found = self._precede(norms, found, keys[:anchor])
                for start, end in found:
                    if kind is STRONG or kind is CUED:
                        hits.append(Hit(name, start, end, kind is CUED))
                    elif kind is NOT:
                        nots.setdefault(name, []).append((start, end))
                    else:
                        cues.setdefault(name, []).append((start, end))

    def _follow(
        self, norms: list[int], spans: list[tuple[int, int]], keys: list[str]
    ) -> list[tuple[int, int]]:
        """Extend the first slot's spans through the later slots, token to token."""
        current = spans
        for key in keys:
            table = self._slot_tables[key.rstrip("?")]
            current = [
                (start, end + length)
                for start, end in current
                for length, phrases in table.items()
                if tuple(norms[end : end + length]) in phrases
            ]
            if not current:
                break
        return current

    def _has_digit(self, norms: list[int]) -> bool:
        # doc.text would build the text token by token; norms are one array read, and
        # whether a norm has a digit is remembered (the vocabulary of answers is small)
        memo = self._digit_memo
        for norm in norms:
            has = memo.get(norm)
            if has is None:
                has = memo[norm] = bool(_DIGIT.search(self.nlp.vocab.strings[norm]))
            if has:
                return True
        return False

    def _precede(
        self, norms: list[int], spans: list[tuple[int, int]], keys: list[str]
    ) -> list[tuple[int, int]]:
        """Extend spans backwards through the slots before the anchor."""
        current = spans
        for key in reversed(keys):
            table = self._slot_tables[key.rstrip("?")]
            current = [
                (start - length, end)
                for start, end in current
                for length, phrases in table.items()
                if start >= length and tuple(norms[start - length : start]) in phrases
            ]
            if not current:
                break
        return current

    # -- serialisation ------------------------------------------------------------------

    def to_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> None:
        if self.rules is None:
            raise ValueError(Errors.E001)
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        srsly.write_json(path / RULES_FILE, self.rules.to_dict())

    def from_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> "ThemeRules":
        file = Path(path) / RULES_FILE
        if not file.exists():
            raise ValueError(Errors.E002.format(path=file))
        self.set_rules(CompiledRules.from_dict(srsly.read_json(file)))
        return self

    def to_bytes(self, *, exclude: Iterable[str] = ()) -> bytes:
        if self.rules is None:
            raise ValueError(Errors.E001)
        return srsly.msgpack_dumps(self.rules.to_dict())

    def from_bytes(self, data: bytes, *, exclude: Iterable[str] = ()) -> "ThemeRules":
        self.set_rules(CompiledRules.from_dict(srsly.msgpack_loads(data)))
        return self


SLOT, CUE = "S", "@"


def _split_key(key: str) -> tuple[str, str]:
    """A match key's kind, and the name it is filed under: the theme id for theme phrases,
    the whole key for cues and slots ("@negators", "A:asks", "S:1a2b")."""
    kind, _, name = key.partition(":")
    if key.startswith("@"):
        return CUE, key
    if kind == SLOT or kind not in (STRONG, CUED, NOT):
        return (SLOT if kind == SLOT else CUE), key
    # interned, so the hot loop can compare kinds with "is"
    return {STRONG: STRONG, CUED: CUED, NOT: NOT}[kind], name


def _needs_digit(pattern: list[dict[str, Any]]) -> bool:
    """Whether a token pattern can only match a doc that has a digit in it."""
    return any(
        token.get("LIKE_NUM") is True
        or token.get("IS_DIGIT") is True
        or (isinstance(token.get("SHAPE"), str) and "d" in token["SHAPE"])
        for token in pattern
    )


def _drop_not_phrases(hits: list[Hit], nots: dict[str, list[tuple[int, int]]]) -> list[Hit]:
    """Drop hits overlapping a not-phrase of their theme ("car park" is no park)."""
    if not nots:
        return hits
    return [h for h in hits if not any(s < h.end and h.start < e for s, e in nots.get(h.theme, ()))]


def _dedupe(hits: list[Hit]) -> list[Hit]:
    """One hit per stretch of a theme: overlapping hits of a theme merge into one, so a
    denial of "getting drunk" also covers the overlapping "drunk in the park"."""
    if len(hits) < 2:
        return hits
    hits.sort()  # by theme, then start
    kept: list[Hit] = [hits[0]]
    for hit in hits[1:]:
        last = kept[-1]
        if last.theme == hit.theme and hit.start < last.end:
            kept[-1] = Hit(hit.theme, last.start, max(last.end, hit.end), last.cued and hit.cued)
        else:
            kept.append(hit)
    return kept
