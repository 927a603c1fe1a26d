"""Compile a codebook into the plain data the rule component matches with.

Most phrases expand into a few surface variants, added to one PhraseMatcher. A phrase whose
choices multiply past SEQUENCE_THRESHOLD ("(took|nicked|...) (my|your|...) (phone|bike|...)")
would add thousands of patterns, so it becomes a *sequence*: each choice is a slot of
phrases in the same PhraseMatcher, and the component joins slots that follow each other.
The result is JSON-serialisable: it is what the component saves with `to_disk`.
"""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass, field
from typing import Any

from spacy.matcher import Matcher
from spacy.vocab import Vocab

from nlp.codebook import CUE_LIST_FIELDS, Codebook, CodebookError
from nlp.expand import _CHOICE, PhraseExpander, expand_choices

SEQUENCE_THRESHOLD = 64
EXPAND_COMMON_MAX = 200
# Words too common to start matching a sequence with ("my" in "(took|nicked) (my|your) ...")
FUNCTION_WORDS = frozenset(
    """
        a an the and or but to of in on at by for with from up down out off over about my your his
        her their our its me you him them us we they i it is are was were be been being am do does
        did not no n't nt 's s have has had get got gets getting go goes going went make makes made
        this that these those there here so too very really just some any all more when where who
        what if then than as like
    """.split()  # noqa: SIM905 (a word list reads best as text)
)
COMMON_WORDS = frozenset(
    """
        people kids men lads boys girls someone somebody adults police bus school stop help home
        street year say said better station college staff
    """.split()  # noqa: SIM905 (a word list reads best as text)
)
STRONG, CUED, NOT = "T", "C", "X"
# cue lists matched as phrases, by their codebook name (negation fillers are not phrases)
MATCHED_CUES = tuple(field for field in CUE_LIST_FIELDS if field != "negation_fillers")
LITERAL_CUES = frozenset({"clause_boundaries", "sentence_boundaries"})


@dataclass
class CompiledRules:
    """Everything the rule component needs, as plain data (saved by `to_disk`)."""

    codebook_version: str
    theme_ids: list[str]
    theme_groups: dict[str, str]
    cued_groups: list[str]
    located_groups: list[str]
    # themes whose mentions never locate another place (their group suppresses located ones)
    non_locating: list[str] = field(default_factory=list)
    # match key -> surface phrases; keys: "T:theme", "C:theme", "X:theme", "@cue",
    # "A:group" (a group's ask cues) and "S:hash" (one slot of a sequence)
    phrases: dict[str, list[str]] = field(default_factory=dict)
    # the same phrases as NORM tokens, filled in by the component (which has the tokenizer);
    # a saved pipeline keeps only these, so loading needs no tokenizing
    norm_phrases: dict[str, list[list[str]]] = field(default_factory=dict)
    # (key, [slot keys], anchor): the anchor slot is the one matched by the PhraseMatcher
    # (its least common words); the others are checked around it; a slot key ending in
    # "?" may be skipped
    sequences: list[tuple[str, list[str], int]] = field(default_factory=list)
    patterns: dict[str, list[list[dict[str, Any]]]] = field(default_factory=dict)
    token_norms: dict[str, str] = field(default_factory=dict)
    fillers: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> CompiledRules:
        data = dict(data)
        data["sequences"] = [
            (key, list(slots), int(anchor)) for key, slots, anchor in data.get("sequences", [])
        ]
        return cls(**data)


def compile_rules(codebook: Codebook) -> CompiledRules:
    """Expand a codebook's phrases, cues and spellings into matchable data."""
    builder = _Builder(PhraseExpander(codebook.spellings))
    for theme in codebook.themes:
        for phrase in theme.phrases:
            builder.add(f"{STRONG}:{theme.id}", phrase, inflect=True)
        for phrase in theme.exact_phrases:
            builder.add(f"{STRONG}:{theme.id}", phrase, inflect=False)
        for phrase in theme.cued_phrases:
            builder.add(f"{CUED}:{theme.id}", phrase, inflect=True)
        for phrase in theme.not_phrases:
            builder.add(f"{NOT}:{theme.id}", phrase, inflect=True)
    for name in MATCHED_CUES:
        for phrase in codebook.cues.get(name, []):
            if name in LITERAL_CUES:
                builder.phrases.setdefault(f"@{name}", {})[phrase.lower()] = None
            else:
                builder.add(f"@{name}", phrase, inflect=False)
    for group in codebook.groups:
        for phrase in group.cues:
            builder.add(f"A:{group.id}", phrase, inflect=False)
    patterns = {}
    for theme in codebook.themes:
        if theme.patterns:
            _check_patterns(codebook, theme.id, theme.patterns)
            patterns[f"{STRONG}:{theme.id}"] = theme.patterns
    norms = builder.expander.token_norms
    return CompiledRules(
        codebook_version=codebook.version,
        theme_ids=codebook.theme_ids,
        theme_groups={t.id: t.group for t in codebook.themes},
        cued_groups=[g.id for g in codebook.groups if g.cues],
        located_groups=[g.id for g in codebook.groups if g.suppress_located],
        non_locating=[t.id for t in codebook.themes if not t.can_locate],
        phrases={key: list(values) for key, values in builder.phrases.items()},
        sequences=builder.sequences,
        patterns=patterns,
        token_norms=dict(sorted(norms.items())),
        fillers=sorted({norms.get(w, w) for w in codebook.cues.get("negation_fillers", [])}),
    )


class _Builder:
    def __init__(self, expander: PhraseExpander) -> None:
        self.expander = expander
        self.phrases: dict[str, dict[str, None]] = {}
        self.sequences: list[tuple[str, list[str], int]] = []
        self._seen_sequences: set[tuple[str, tuple[str, ...]]] = set()

    def add(self, key: str, phrase: str, inflect: bool) -> None:
        if _choice_product(phrase) <= SEQUENCE_THRESHOLD:
            target = self.phrases.setdefault(key, {})
            for variant in self.expander.expand(phrase, inflect=inflect):
                target[variant] = None
            return
        slots = [self._slot(segment, inflect) for segment in _segments(phrase)]
        slots = [s for s in slots if s]
        if len(slots) == 1 and not slots[0].endswith("?"):
            # a single big choice is just a list of phrases
            self.phrases.setdefault(key, {}).update(self.phrases[slots[0]])
            return
        if all(slot.endswith("?") for slot in slots):
            raise ValueError(f"phrase {phrase!r} has only optional parts")
        anchor = self._anchor(slots)
        if self._commonness(slots[anchor]) and _choice_product(phrase) <= EXPAND_COMMON_MAX:
            # every slot has a common word ("people", "bus"): matching any of them first
            # would cost a Python check on most answers; all its phrases cost nothing
            target = self.phrases.setdefault(key, {})
            for variant in self.expander.expand(phrase, inflect=inflect):
                target[variant] = None
            return
        entry = (key, tuple(slots))
        if entry not in self._seen_sequences:
            self._seen_sequences.add(entry)
            self.sequences.append((key, slots, anchor))

    def _anchor(self, slots: list[str]) -> int:
        """The required slot with the fewest common words: matching it first keeps
        matches rare ("phone" rather than "my" in "(took|nicked) (my|your) (phone|bike)")."""

        required = [i for i, slot in enumerate(slots) if not slot.endswith("?")]
        return min(required, key=lambda i: (self._commonness(slots[i]), i))

    def _commonness(self, slot: str) -> int:
        firsts = {v.split()[0] for v in self.phrases[slot.rstrip("?")]}
        return 10 * len(firsts & FUNCTION_WORDS) + len(firsts & COMMON_WORDS)

    def _slot(self, segment: str, inflect: bool) -> str:
        """The key of a slot's phrases, shared by identical slots; "?" marks optional."""
        is_choice = segment.startswith("(")
        options = expand_choices(segment) if is_choice else [segment]
        optional = is_choice and "" in [c.strip() for c in segment[1:-1].split("|")]
        variants: dict[str, None] = {}
        for option in options:
            for variant in self.expander.expand(option, inflect=inflect):
                variants[variant] = None
        if not variants:
            return ""
        digest = hashlib.sha1("\n".join(sorted(variants)).encode()).hexdigest()[:10]
        key = f"S:{digest}"
        self.phrases.setdefault(key, variants)
        return key + ("?" if optional else "")


def _choice_product(phrase: str) -> int:
    size = 1
    for choice in _CHOICE.findall(phrase):
        size *= len(choice.split("|"))
    return size


def _segments(phrase: str) -> list[str]:
    """A phrase split into its choices and the literal words between them."""
    out: list[str] = []
    for i, part in enumerate(_CHOICE.split(phrase)):
        if i % 2:
            out.append(f"({part})")
        elif part.strip():
            out.append(part.strip())
    return out


def _check_patterns(codebook: Codebook, theme_id: str, patterns: list) -> None:
    try:
        Matcher(Vocab(), validate=True).add(theme_id, patterns)
    except (ValueError, TypeError) as exc:
        raise CodebookError(
            codebook.path,
            f"not a valid spaCy Matcher pattern: {exc}",
            f"theme '{theme_id}' > patterns",
        ) from exc
