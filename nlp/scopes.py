"""Decide which theme matches a writer means: negation, contrast, others' worries, locators.

The rule component hands over token spans: theme hits, and cue spans found by the same
PhraseMatcher (boundaries, denials, reassurances, ...). Each hit is then:

- denied, when
  * another person's worry introduces it ("my mum thinks the high street is bad"),
  * a denial comes before it in its clause ("not scared of the lads"),
  * "not" stands a few filler words before it ("it's not the park"), unless that "not" is
    itself a contrast ("safe at school but not on the bus", "fine in the day, not at night"),
  * a denial follows it closely ("the lads don't bother me"), or for an ask a rejection
    ("cameras won't help", "the police never come"),
  * a reassurance covers it ("the park is fine", "I feel safe at school"), unless a
    qualifier follows that names nothing of the same group ("fine in the day but at night"),
  * it only locates another place ("the alley by the station": the station is denied);
- weak, when it is an ask that needs a cue ("more", "should", ...) and has none, and the
  answer is not a bare list ("police and cctv");
- positive otherwise.

Every look-up is a bisect over sorted spans, so a 100,000-character answer stays fast.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

POSITIVE, DENIED, WEAK = "positive", "denied", "weak"
POST_WINDOW = 4  # tokens between a hit and a denial or reassurance after it
NOT_WINDOW = 3  # filler tokens allowed between "not" and what it denies
BLOCKER_WINDOW = 3  # tokens before a reassurance where "not", "to", ... undo it
LOCATOR_GAP = 2
# a reassurance followed by one of these covers what comes after it ("safe at school")
PRE_REASSURANCE_LINKS = frozenset(
    """
        at in on around round near walking going by outside with where everywhere when using
        getting
    """.split()  # noqa: SIM905 (a word list reads best as text)
)
# "not" after these is a contrast, not a denial ("safe at school but not on the bus")
CONTRASTING_NOT = frozenset({"but", "except", ",", "though", "tho"})
ADDITIVE_AFTER_NOT = frozenset({"just", "only"})
# "near my house" is a located phrase; "at lunch" is not
POSSESSIVES = frozenset({"my", "our", "the", "his", "her", "their", "your", "me"})
COUNTERFACTUAL = frozenset({"if", "wish", "unless"})
# an answer (or a clause) made only of asks and these words is a list of wants
# ("police and cctv", "cctv at every bus stop", "youth workers on the streets")
LIST_WORDS = frozenset(
    """
        and or & + , . ! the a an some more in at on around about of to for everywhere all areas
        area places place please pls maybe also plus - / with lots loads probably honestly defo
        definitely idk i think guess like every each other main local our my streets street roads
        road there near by behind outside along through next especially mainly evenings evening
        weekends weekend summer winter holidays holiday day days time times nights mornings monday
        tuesday wednesday thursday friday saturday sunday night late dark down up into round
        village villages town towns estate estates city
    """.split()  # noqa: SIM905 (a word list reads best as text)
)
LIST_MAX_TOKENS = 16
LIST_HIT_MAX_TOKENS = 4  # "the lights are always smashed" is a statement, not a list item


class Hit(NamedTuple):
    """A theme phrase found at tokens [start, end); cued when it needs an ask cue."""

    theme: str
    start: int
    end: int
    cued: bool = False


@dataclass
class Analysis:
    positive: list[Hit] = field(default_factory=list)
    denied: list[Hit] = field(default_factory=list)
    weak: list[Hit] = field(default_factory=list)


class Spans:
    """One kind of cue span, sorted, with the two look-ups the rules need."""

    __slots__ = ("by_end", "by_start", "ends", "starts")

    def __init__(self, spans: Sequence[tuple[int, int]]) -> None:
        self.by_start = sorted(spans)
        self.starts = [s for s, _ in self.by_start]
        # among spans ending together the longest comes last: "at the end of", not "of"
        self.by_end = sorted(spans, key=lambda span: (span[1], -span[0]))
        self.ends = [e for _, e in self.by_end]

    def last_ending_by(self, pos: int) -> tuple[int, int] | None:
        i = bisect_right(self.ends, pos)
        return self.by_end[i - 1] if i else None

    def first_starting_from(self, pos: int) -> tuple[int, int] | None:
        i = bisect_left(self.starts, pos)
        return self.by_start[i] if i < len(self.by_start) else None

    def last_starting_before(self, pos: int) -> tuple[int, int] | None:
        i = bisect_left(self.starts, pos)
        return self.by_start[i - 1] if i else None


EMPTY = Spans(())


class Scopes:
    """The cue spans of one doc, and the decisions that use them."""

    def __init__(
        self,
        n_tokens: int,
        norm: Callable[[int], str],
        cues: dict[str, list[tuple[int, int]]],
        hits: list[Hit],
        theme_groups: dict[str, str],
        cued_groups: frozenset[str],
        located_groups: frozenset[str],
        fillers: frozenset[str],
        non_locating: frozenset[str] = frozenset(),
    ) -> None:
        self.n = n_tokens
        self.norm = norm
        self.groups = theme_groups
        self.cued_groups = cued_groups
        self.located_groups = located_groups
        self.fillers = fillers
        self.hits = hits
        boundaries = cues.get("@clause_boundaries", []) + cues.get("@sentence_boundaries", [])
        contrast = cues.get("@contrast", [])
        self.clause_starts = sorted({e for _, e in boundaries} | {s for s, _ in contrast})
        self.sentence_starts = sorted({e for _, e in cues.get("@sentence_boundaries", [])})
        self._clause_start_set = set(self.clause_starts)
        self._cues = cues
        self.kind: dict[str, Spans] = {}  # built on first use: most docs need few kinds
        self._reassurance: Spans | None = None
        self.non_locating = non_locating
        # the indexes below are built on first use: most hits need none of them
        self._group_hits: dict[tuple[str, bool], Spans] = {}
        self._covered: set[int] | None = None
        self._list_clauses: dict[int, bool] = {}

    def group_hits(self, group: str, anchors_only: bool = False) -> Spans:
        """The hits of a group; anchors_only leaves out themes that locate nothing."""
        spans = self._group_hits.get((group, anchors_only))
        if spans is None:
            spans = self._group_hits[(group, anchors_only)] = Spans(
                [
                    (h.start, h.end)
                    for h in self.hits
                    if self.groups.get(h.theme) == group
                    and not (anchors_only and h.theme in self.non_locating)
                ]
            )
        return spans

    def clause(self, pos: int) -> int:
        return bisect_right(self.clause_starts, pos)

    def sentence(self, pos: int) -> int:
        return bisect_right(self.sentence_starts, pos)

    def cue(self, name: str) -> Spans:
        spans = self.kind.get(name)
        if spans is None:
            found = self._cues.get(name)
            spans = self.kind[name] = Spans(found) if found else EMPTY
        return spans

    @property
    def reassurance(self) -> Spans:
        """Reassurances not undone by a blocker just before them ("don't feel safe")."""
        if self._reassurance is None:
            blockers = self.cue("@reassurance_blockers")
            valid = [r for r in self._cues.get("@reassurance", []) if not _blocked(r, blockers)]
            self._reassurance = Spans(valid) if valid else EMPTY
        return self._reassurance

    def status(self, hit: Hit) -> str:
        group = self.groups.get(hit.theme, "")
        is_ask = group in self.cued_groups
        has = self._cues.__contains__  # a check whose cues are absent is skipped
        if (
            (has("@others_worry") and self.others_worry(hit))
            or (has("@deny_following") and self.denied_before(hit, "@deny_following"))
            or (
                is_ask
                and has("@ask_rejections_before")
                and self.denied_before(hit, "@ask_rejections_before")
            )
            or (has("@negators") and self.negated(hit))
            or (has("@deny_preceding") and self.denied_after(hit, "@deny_preceding"))
            or (is_ask and has("@ask_rejections") and self.denied_after(hit, "@ask_rejections"))
            or (has("@reassurance") and self.reassured(hit, group))
            or (group in self.located_groups and has("@locators") and self.located(hit, group))
        ):
            return DENIED
        if hit.cued and not self.has_ask_cue(hit, group) and not self.list_like():
            return WEAK
        return POSITIVE

    def others_worry(self, hit: Hit) -> bool:
        worry = self.cue("@others_worry").last_ending_by(hit.start)
        if not worry or self.sentence(worry[0]) != self.sentence(hit.start):
            return False
        qualifier = self.cue("@qualifiers").first_starting_from(worry[1])
        return not (qualifier and qualifier[0] < hit.start)

    def denied_before(self, hit: Hit, name: str) -> bool:
        cue = self.cue(name).last_ending_by(hit.start)
        # the cue's last word decides its clause: "not just cameras" is one denial
        return bool(cue and self.clause(cue[1] - 1) == self.clause(hit.start))

    def denied_after(self, hit: Hit, name: str) -> bool:
        cue = self.cue(name).first_starting_from(hit.end)
        return bool(
            cue
            and cue[0] - hit.end <= POST_WINDOW
            and self.clause(cue[0]) == self.clause(hit.start)
        )

    def negated(self, hit: Hit) -> bool:
        neg = self.cue("@negators").last_ending_by(hit.start)
        if not neg or hit.start - neg[1] > NOT_WINDOW:
            return False
        if self.clause(neg[0]) != self.clause(hit.start):
            return False
        if any(self.norm(i) not in self.fillers for i in range(neg[1], hit.start)):
            return False
        if neg[0] > 0 and self.norm(neg[0] - 1) in CONTRASTING_NOT:
            return False
        if neg[1] < self.n and self.norm(neg[1]) in ADDITIVE_AFTER_NOT:
            return False
        # "if the alleys weren't so dark" says that they are
        if any(self.norm(i) in COUNTERFACTUAL for i in range(max(0, neg[0] - 4), neg[0])):
            return False
        # "fine in the day, not at night": the "not" contrasts with a reassurance
        earlier = self.reassurance.last_ending_by(neg[0])
        return not (earlier and self.sentence(earlier[0]) == self.sentence(neg[0]))

    def reassured(self, hit: Hit, group: str) -> bool:
        cue = self.reassurance.first_starting_from(hit.end)
        after = (
            cue is not None
            and cue[0] - hit.end <= POST_WINDOW
            and self.clause(cue[0]) == self.clause(hit.start)
        )
        if not after:
            cue = self.reassurance.last_ending_by(hit.start)
            before = (
                cue is not None
                and self.clause(cue[0]) == self.clause(hit.start)
                and cue[1] < self.n
                and self.norm(cue[1]) in PRE_REASSURANCE_LINKS
            )
            if not before:
                return False
        assert cue is not None
        return not self.qualified(max(cue[1], hit.end), group)

    def qualified(self, pos: int, group: str) -> bool:
        """A qualifier soon after pos (this sentence or the next: "fine in the day. at night
        though...") whose part of the answer names nothing of the same group."""
        qualifier = self.cue("@qualifiers").first_starting_from(pos)
        # only a qualifier that opens a clause: "fine at night" is no qualification
        if not qualifier or (qualifier[0] and self._clause_start_set.isdisjoint((qualifier[0],))):
            return False
        sentence = self.sentence(qualifier[0])
        if sentence == self.sentence(pos):
            region = qualifier[0]
        elif sentence == self.sentence(pos) + 1:
            region = self.sentence_starts[sentence - 1]
        else:
            return False
        other = self.group_hits(group).first_starting_from(region)
        return not (other and self.sentence(other[0]) == sentence)

    def located(self, hit: Hit, group: str) -> bool:
        """The hit only says where another place is: "the alley by [the flats]", and
        "the park [near my house]" when the phrase itself starts with the locator."""
        locator = self.cue("@locators").first_starting_from(hit.start)
        inside = (
            locator is not None
            and locator[0] == hit.start
            and locator[1] < hit.end
            and self.norm(locator[1]) in POSSESSIVES
        )
        if not inside:
            locator = self.cue("@locators").last_ending_by(hit.start)
        if locator is None or (not inside and hit.start - locator[1] > LOCATOR_GAP):
            return False
        place = self.group_hits(group, anchors_only=True).last_ending_by(locator[0])
        return bool(
            place
            and locator[0] - place[1] <= 1
            and place[0] != hit.start
            and self.clause(place[0]) == self.clause(hit.start)
        )

    def has_ask_cue(self, hit: Hit, group: str) -> bool:
        """A cue for the hit's group before it in its sentence, or after it in its clause;
        or, when the hit's clause is a bare list ("lighting in the alleys, more police"),
        anywhere in its sentence."""
        cues = self.cue(f"A:{group}")
        sentence = self.sentence(hit.start)
        before = cues.last_starting_before(hit.end)
        if before and self.sentence(before[0]) == sentence:
            return True
        after = cues.first_starting_from(hit.end)
        if after and self.clause(after[0]) == self.clause(hit.start):
            return True
        return bool(after and self.sentence(after[0]) == sentence and self.list_clause(hit.start))

    def list_like(self) -> bool:
        """A short answer made only of theme mentions and list words: every ask is wanted."""
        return self.n <= LIST_MAX_TOKENS and all(self._listy(i) for i in range(self.n))

    def list_clause(self, pos: int) -> bool:
        clause = self.clause(pos)
        if clause not in self._list_clauses:
            start = self.clause_starts[clause - 1] if clause else 0
            end = self.clause_starts[clause] if clause < len(self.clause_starts) else self.n
            self._list_clauses[clause] = all(self._listy(i) for i in range(start, min(end, self.n)))
        return self._list_clauses[clause]

    def _listy(self, i: int) -> bool:
        if self._covered is None:
            # tokens of short ask and place mentions: what a list of wants is made of
            listable = self.cued_groups | self.located_groups
            self._covered = {
                i
                for h in self.hits
                if self.groups.get(h.theme) in listable and h.end - h.start <= LIST_HIT_MAX_TOKENS
                for i in range(h.start, h.end)
            }
        norm = self.norm(i)
        return i in self._covered or norm in LIST_WORDS or not norm.strip()


def _blocked(span: tuple[int, int], blockers: Spans) -> bool:
    blocker = blockers.last_ending_by(span[0])
    return bool(blocker and span[0] - blocker[1] <= BLOCKER_WINDOW - 1)


def analyse(scopes: Scopes) -> Analysis:
    """Sort every hit into positive, denied or weak."""
    result = Analysis()
    for hit in scopes.hits:
        status = scopes.status(hit)
        getattr(result, status).append(hit)
    return result
