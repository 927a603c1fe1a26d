"""The guards for games, sport, jokes, exams, rough play and laughter, each tested on its own.

For each guard: the answers it excuses are flagged by the cues when that guard is taken out
(so the guard, not luck, is what keeps them quiet), and are not flagged with it in; and the
real disclosures that share its words still are ("except" patterns, and categories a guard
does not silence). Every answer was written for these tests.
"""

from __future__ import annotations

from dataclasses import replace

import pytest

from survey.safeguarding.disclosures import CueBook, detect_disclosure, load_cues, normalise

# guard id -> answers it excuses; the ones marked True fire a cue or the classifier when that
# guard is taken out (the others are quiet anyway: the guard is a second line for them).
EXCUSED = {
    "games": [
        ("my cousin punched me in a game of bulldog", True),
        ("my dad smashed me at chess", True),
        ("my brother kicked me in wii sports boxing", True),
        ("kids in the lobby say theyll find me but its just trash talk", True),
        ("my brother beat me at fifa again", False),
        ("i got killed loads in fortnite last night", False),
        ("my sister stabbed me in among us", False),
    ],
    "sport": [
        ("my brother kicked me at football practice", True),
        ("my dad hit me with the ball in a tackle at rugby", True),
        ("we got battered 6-0 at football on sunday", False),
        ("got punched in the face at boxing training", False),
        ("my coach pushes us hard at training", False),
    ],
    "jokes": [
        ("my mum will kill me if i get home late", True),
        ("if i lose another charger my mum will kill me", True),
        ("my sister will kill me if i eat her chocolate", True),
        ("im dying lol", False),
        ("that video killed me", False),
    ],
    "exams": [
        ("revision is killing me", False),
        ("im dying under all this coursework", False),
        ("exams are the death of me", False),
        ("failed my mock kill me now", False),
    ],
    "play": [
        ("my little brother keeps hitting me for a laugh", True),
        ("my brother punches me for fun", True),
        ("my sister kicks me when were messing about", True),
    ],
}
CASES = [(g, t, fires) for g, items in EXCUSED.items() for t, fires in items]

# Real disclosures that share a guard's words: still flagged.
STILL_FLAGGED = [
    ("games", "a man on fortnite keeps asking me for pics"),
    ("games", "a lad on xbox said hes going to stab me at school tomorrow"),
    ("sport", "my step dad gave me a black eye and i had to say it was football"),
    ("sport", "my coach touched me in the changing rooms"),
    ("jokes", "my dad said he will kill me if i tell anyone what he does"),
    ("exams", "i want to end my life, the exams are too much"),
    ("play", "my dad hits me for fun when hes drunk"),
]


def _without(book: CueBook, guard: str) -> CueBook:
    return replace(book, guards=tuple(g for g in book.guards if g.id != guard))


def test_guards_every_shipped_guard_is_tested() -> None:
    assert {g.id for g in load_cues().guards} == {*EXCUSED, "laughter"}


@pytest.mark.parametrize(("guard", "text", "fires"), CASES)
def test_guards_recognise_and_excuse_what_they_are_for(guard: str, text: str, fires: bool) -> None:
    book = load_cues()
    (shipped,) = [g for g in book.guards if g.id == guard]
    assert any(p.search(normalise(text)) for p in shipped.when), "the guard misses it"
    assert not detect_disclosure(text).flagged
    # Without this guard, the marked ones are flagged: the guard is what keeps them quiet.
    assert detect_disclosure(text, cues=_without(book, guard)).flagged == fires


@pytest.mark.parametrize(("guard", "text"), STILL_FLAGGED)
def test_guards_let_real_disclosures_through(guard: str, text: str) -> None:
    assert guard in {g.id for g in load_cues().guards}
    assert detect_disclosure(text).flagged


def test_guards_laughter_turns_an_alert_into_a_check() -> None:
    text = "i want to die lol"
    book = load_cues()
    assert detect_disclosure(text, cues=_without(book, "laughter")).band == "alert"
    # Masked with a laugh, it may still be meant: a worker reads it, no alarm is raised.
    assert detect_disclosure(text).band == "check"
    assert detect_disclosure("i want to die").band == "alert"


def test_guards_silence_only_their_categories() -> None:
    # The games guard keeps "killed" in a game quiet, not grooming said in the same breath.
    result = detect_disclosure("i got killed in roblox and then a man asked me for nudes")
    assert result.flagged and "threatened_now" not in result.categories


def test_guards_excuse_the_classifier_too() -> None:
    # No cue fires on these; without the guards the classifier would flag them.
    book = load_cues()
    for text in ("my dad smashed me at chess",):
        assert not detect_disclosure(text, cues=book, use_model=False).flagged
        assert detect_disclosure(text, cues=replace(book, guards=())).band == "check"
        assert not detect_disclosure(text).flagged
