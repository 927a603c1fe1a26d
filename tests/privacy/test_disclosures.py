"""Safeguarding disclosures: first-person harm is flagged, reports and worry are not."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from survey.core.settings import get_settings
from survey.privacy.redaction import redact
from survey.safeguarding.disclosures import CuesError, detect_disclosure, load_cues, parse_cues

# (category, answer): written for these tests, not taken from any labelled file.
DISCLOSURES = [
    ("harm_at_home", "my dad hits me when he's been drinking"),
    ("harm_at_home", "i dont feel safe at home because of my step mum"),
    ("harm_at_home", "mum's new boyfriend chokes her and threw a plate at me"),
    ("harm_at_home", "im scared to go home most nights"),
    ("harm_at_home", "there's never any food in the house and mum is out for days"),
    ("harm_at_home", "my brother beats me up and my parents dont care"),
    ("harm_at_home", "they kicked me out last week and im sofa surfing"),
    ("harm_at_home", "my house isn't safe, my dad gets drunk and smashes things"),
    ("sexual_abuse_or_exploitation", "my cousin makes me do stuff i dont want to"),
    ("image_abuse", "a boy in my year shared my nudes with everyone"),
    ("image_abuse", "someone is blackmailing me with pictures"),
    ("image_abuse", "they said they'll post my pics unless i send more"),
    ("sexual_abuse_or_exploitation", "I was raped at a party in the summer"),
    ("sexual_abuse_or_exploitation", "older lads give us weed and vapes then want stuff for it"),
    ("sexual_abuse_or_exploitation", "my uncle touches me and tells me to keep quiet"),
    ("online_grooming", "this guy on roblox keeps asking me to send photos"),
    ("online_grooming", "a 30 year old man on tiktok wants to meet up and says not to tell my mum"),
    ("online_grooming", "he said its our secret and im not allowed to tell anyone"),
    ("online_grooming", "my boyfriend is 22 and im 14"),
    ("criminal_exploitation", "i have to sell for them or they will hurt me"),
    ("criminal_exploitation", "these older guys got me running bags to ramsgate"),
    ("criminal_exploitation", "I owe them £500 and they keep coming to my house"),
    ("criminal_exploitation", "they made me hold a knife for them in my school bag"),
    ("criminal_exploitation", "been going country for weeks"),
    ("self_harm_or_suicide", "sometimes i just want to die"),
    ("self_harm_or_suicide", "i've been cutting myself since year 8"),
    ("self_harm_or_suicide", "nobody would care if I wasnt here tbh, I'd be better off dead"),
    ("self_harm_or_suicide", "i feel suicidal most days"),
    ("self_harm_or_suicide", "I can't take it anymore"),
    ("self_harm_or_suicide", "honestly i dont wanna be alive anymore"),
    ("self_harm_or_suicide", "I wanna kms every time i walk into that school"),
    ("threatened_now", "a group of boys said they're gonna jump me after school on friday"),
    ("threatened_now", "someone sent me a video saying he will stab me"),
    ("threatened_now", "they're after me because of what my brother did"),
    ("threatened_now", "im getting threatened on snap every day"),
    ("threatened_now", "he said if he sees me in town again he'll stab me"),
    ("known_adult", "my football coach keeps texting me late at night"),
    ("known_adult", "my tutor said i look mature for my age and not to tell my parents"),
    ("known_adult", "our neighbour grabbed me and i dont want to go out"),
    ("known_adult", "my teacher dms me on snapchat"),
]

# Reports about others, past incidents with strangers, general worry, ordinary answers.
NOT_DISCLOSURES = [
    "my mate got groped on the train",
    "a man flashed me on the path last year",
    "i got jumped by some lads in year 8",
    "im worried about county lines in my area",
    "people sell drugs by the station",
    "loads of girls get asked for nudes, schools should teach consent",
    "knife crime is scary",
    "my mum worries when im out late",
    "i feel safe at home but not in town",
    "my friend self harms and i dont know how to help",
    "lads shout stuff at girls",
    "i think i could get stabbed one day if i go there",
    "fights every weekend outside the chicken shop",
    "my dad picks me up so i feel safer",
    "the teacher on the gate makes it safe",
    "my brother got robbed for his phone",
    "i saw someone get stabbed in chatham",
    "I love my mum and dad",
    "the youth worker texts us about sessions",
    "sometimes people threaten to fight but nothing happens",
    "my dad never hits me, he is sound",
    "gangs wait outside school",
    "people on xbox told me to kill myself, its toxic",
    "home time is when it kicks off",
    "my dad beat me at fifa lol",
    "my friend told me a man touched her on the bus",
    "people in my year vape and some sell them",
    "i heard about a stabbing last week near the station",
    "adults should listen more",
    "i worry my little brother will get into gangs",
    "online people can be scary",
    "we learned about grooming in PSHE and it was useful",
    "there was a drug raid on my road",
    "i used to get bullied but its better now",
    "the man at the shop is always nice to us",
    "my teacher helped me when i was being bullied",
    "my mum says i cant go out after dark",
    "the lads on bikes threaten people with knives",
    "theres a lot of self harm at my school and no support",
    "my cousin was in a gang and got stabbed",
    "if i see a fight i walk away",
    "stop and search makes me feel unsafe",
    "i think suicide prevention should be taught",
    "sometimes it feels pointless reporting things",
    "i got catcalled walking home",
    "older lads gave us a hard time at the park",
    "my dad gives me lifts so i dont have to get the bus",
    "my mum bought me a rape alarm",
    "the police pulled us over for no reason",
    "people post fights on snap",
    "i owe it to my younger brother to make things better",
    "i hate when people say young people are the problem",
    "my grandad was a police officer",
    "gangs threaten younger kids",
    "my brother was stabbed two years ago",
    "no point calling the police they never come",
    "there's no point in more CCTV",
    "i want to disappear when i walk past the lads",
    "people say they want to kill themselves as a joke",
    "the older boys at school are ok",
    "a 20 year old man was stabbed in town",
    "i picked my little brother up from school",
    "i met my friends on xbox and we play every night",
    "my mum's boyfriend is nice",
    "the teacher texts my mum when im late",
    "",
    "😭",
]

# More ways of saying it: flagged, whatever the category.
MORE_DISCLOSURES = [
    "my step dad throws stuff at me when hes angry",
    "im not allowed food if i do something wrong at home",
    "i sleep at my mates most nights cos my mum's fella is violent",
    "my mum screams at me and says i ruined her life and she slapped me last night",
    "someone screenshotted my nudes and now the whole school has seen them",
    "a man keeps messaging me on insta telling me im beautiful and asking for pics of my body",
    "a guy in his 20s picks me and my friend up from school and buys us vodka",
    "i met someone on discord who says hes 16 but i think hes older, he wants to meet",
    "if i dont deliver the packages they said theyll hurt my little sister",
    "i got arrested in margate for holding for some older lads",
    "i keep getting sent to other towns to drop stuff off",
    "ive got a debt i cant pay back and they keep threatening me",
    "im going to end it",
    "i take my dads pills to sleep and sometimes take too many on purpose",
    "every night i think about killing myself",
    "i burn myself with a lighter",
    "theres no point anymore",
    "the boys from the estate put my address on snap and said theyre coming round",
    "a lad pulled a knife on me yesterday and said hes not finished with me",
    "someone is stalking me and waiting outside my house",
    "my swimming instructor touches my legs and its weird",
    "mr davies asked me to come to his house alone",
    "my mums boyfriend comes into my room at night",
    "my dad drinks and then he goes for me",
    "i get hit at home a lot",
    "my mum doesnt feed us properly and the house is filthy",
    "a grown man keeps sending me money on cashapp and wants me to come to his flat",
    "my ex is 19 and he still makes me send him videos",
    "he said he would send my pics to my mum if i blocked him",
    "some older boys gave me a phone and now i have to answer it and go where they say",
    "im in debt to a dealer and he says i have to work it off",
    "i got robbed on purpose so now i owe them",
    "i hate myself and want to disappear",
    "ive been hurting myself again",
    "i tried to kill myself last month",
    "i dont see a way out",
    "a gang said they will kill me if i go to the police",
    "theres a video of them saying theyll shank me",
    "my football manager touched me in the changing room",
    "the man who runs the boxing gym gives me lifts and says i'm his favourite and not to tell",
    "i dont want to live like this anymore",
    "ive been self-harming for a year",
    "i am scared my stepdad will kill my mum",
]


@pytest.mark.parametrize(("category", "text"), DISCLOSURES)
def test_disclosures_flag_each_category(category: str, text: str) -> None:
    result = detect_disclosure(text)
    assert result.flagged
    assert category in result.categories


@pytest.mark.parametrize("text", MORE_DISCLOSURES)
def test_disclosures_flag_other_wordings(text: str) -> None:
    assert detect_disclosure(text).flagged


@pytest.mark.parametrize("text", NOT_DISCLOSURES)
def test_disclosures_leave_reports_and_worry_unflagged(text: str) -> None:
    result = detect_disclosure(text)
    assert not result.flagged
    assert result.categories == [] and result.evidence == []


def test_disclosures_evidence_points_into_the_text() -> None:
    text = "Honestly?  I DON'T want to be here anymore."
    result = detect_disclosure(text)
    assert result.categories == ["self_harm_or_suicide"]
    (evidence,) = result.evidence
    assert text[evidence["start"] : evidence["end"]] == evidence["text"]
    assert evidence["text"] == "DON'T want to be here"
    assert evidence["category"] == "self_harm_or_suicide"


@pytest.mark.parametrize(("category", "text"), DISCLOSURES)
def test_disclosures_survive_redaction(category: str, text: str) -> None:
    # Detection runs after redaction on submit, so placeholders must not hide a disclosure.
    assert category in detect_disclosure(redact(text).text).categories


def test_disclosures_named_adult_after_redaction() -> None:
    text = "Mr Jenkins my form tutor keeps messaging me on insta and says its our secret"
    assert "known_adult" in detect_disclosure(redact(text).text).categories


@pytest.mark.parametrize(
    "text",
    ["i want to kms " * 7_000, "x" * 100_000, "😀" * 100_000, "my dad hits me. " * 6_000],
    ids=["many-cues", "letters", "emoji", "many-sentences"],
)
def test_disclosures_handle_100k_characters(text: str) -> None:
    # Speed is measured by `youthvoice bench-privacy`, not asserted here.
    result = detect_disclosure(text[:100_000])
    assert len(result.evidence) <= 10 * len(result.categories)


def test_disclosures_cues_file_loads_every_category() -> None:
    book = load_cues()
    assert set(book.labels) == {
        "harm_at_home",
        "sexual_abuse_or_exploitation",
        "image_abuse",
        "online_grooming",
        "criminal_exploitation",
        "self_harm_or_suicide",
        "threatened_now",
        "known_adult",
        "carrying_weapon",
    }


SHIPPED = (get_settings().data_dir / "safeguarding_cues.yaml").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (lambda t: t.replace("kms\\b'", "kms(\\b'"), "self_harm_or_suicide.*not a valid regular"),
        (lambda t: t.replace("{pics} of me", "{pix} of me"), "uses {pix}"),
        (lambda t: t.replace("    label: Harm at home\n", ""), "harm_at_home.*label"),
        (lambda t: t.replace("    label: Online grooming", "    lable: x"), "unknown key"),
        (lambda t: t.replace("'\\bkms\\b'", "'(?:)?'"), "matches empty text"),
        (lambda t: t.replace("categories:", "kategories:"), "categories: Field required"),
        (lambda t: t + "\n  broken: [", "not valid YAML"),
        (lambda t: t.replace("      - all:\n", "      - any:\n"), "all: \\["),
    ],
)
def test_disclosures_cues_file_errors_name_file_and_category(
    tmp_path: Path, edit: Callable[[str], str], message: str
) -> None:
    path = tmp_path / "safeguarding_cues.yaml"
    edited = edit(SHIPPED)
    assert edited != SHIPPED
    path.write_text(edited, encoding="utf-8")
    with pytest.raises(CuesError, match=message) as info:
        parse_cues(path)
    assert str(path) in str(info.value)


def test_disclosures_missing_cues_file(tmp_path: Path) -> None:
    with pytest.raises(CuesError, match=r"nope\.yaml: file not found"):
        parse_cues(tmp_path / "nope.yaml")


def test_disclosures_use_an_edited_cues_file(tmp_path: Path) -> None:
    path = tmp_path / "cues.yaml"
    path.write_text(
        "categories:\n  test_only:\n    label: Test\n    cues: ['\\bpineapple\\b']\n",
        encoding="utf-8",
    )
    book = parse_cues(path)
    assert detect_disclosure("PINEAPPLE!", cues=book).categories == ["test_only"]
    assert not detect_disclosure("my dad hits me", cues=book).flagged
