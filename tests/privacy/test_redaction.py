"""Redaction: each kind of personal data goes, place names and ordinary words stay."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from survey.core.settings import get_settings
from survey.privacy.redaction import PLACEHOLDERS, LexiconError, load_lexicon, redact

# (text, [(kind, the personal data as written)]): all invented; phones from Ofcom's drama range.
PERSONAL_DATA = [
    # names after a cue, a title, or from the name lists
    ("me and my mate Amira got chased out of the park by some older boys", [("name", "Amira")]),
    ("my friend tyler got his phone nicked at the bus stop", [("name", "tyler")]),
    ("theres a lad called Brandon Hughes who waits for us", [("name", "Brandon Hughes")]),
    ("a girl named Precious keeps starting fights", [("name", "Precious")]),
    ("my bestie jess says the alley is creepy", [("name", "jess")]),
    ("Oscar from year 10 brought a knife in", [("name", "Oscar")]),
    ("kacper in my class got jumped on the way home", [("name", "kacper")]),
    ("Mrs Okafor never does anything when we report it", [("name", "Mrs Okafor")]),
    ("mr jenkins ignores the bullying", [("name", "mr jenkins")]),
    ("Mr. Thompson the head of year just shrugs", [("name", "Mr. Thompson")]),
    ("Ms Kaur is the only teacher who listens", [("name", "Ms Kaur")]),
    ("Dr Ahmed at the surgery said to fill this in", [("name", "Dr Ahmed")]),
    ("Miss B always sorts things out", [("name", "Miss B")]),
    ("Sir Wilson, our PE teacher, shouts at us", [("name", "Sir Wilson")]),
    ("Our head teacher Mrs Davies-Smith doesn't care", [("name", "Mrs Davies-Smith")]),
    ("the teacher mr k is alright", [("name", "mr k")]),
    ("my stepdad Lee drinks a lot", [("name", "Lee")]),
    ("i was with Fatima and Zainab when the men shouted", [("name", "Fatima"), ("name", "Zainab")]),
    ("Jayden and his mates hang round the shops", [("name", "Jayden")]),
    ("youth workers like Shanice make the club feel safe", [("name", "Shanice")]),
    ("I told Tom about it but he laughed", [("name", "Tom")]),
    ("my cousin Will got stabbed last year", [("name", "Will")]),
    ("a man called Gary offered us weed", [("name", "Gary")]),
    ("Liam Patel said he'd batter me", [("name", "Liam Patel")]),
    ("a boy in year 8 called Muhammad Ali gets picked on", [("name", "Muhammad Ali")]),
    ("oliwia and me walk home together because its safer", [("name", "oliwia")]),
    ("someone called Zayden keeps adding me on snap", [("name", "Zayden")]),
    ("Chloe's brother sells weed in the park", [("name", "Chloe")]),
    ("at chloes house its fine but walking back is scary", [("name", "chloe")]),
    ("Grace Adeyemi from year 11 got followed", [("name", "Grace Adeyemi")]),
    ("MY MATE CHLOE GOT FOLLOWED HOME BY A MAN IN A CAR", [("name", "CHLOE")]),
    ("Ms O'Sullivan on the gate makes it feel safer", [("name", "Ms O'Sullivan")]),
    ("i think Kyle R is dealing at school", [("name", "Kyle R")]),
    ("jayden keeps threatening me on the way home", [("name", "jayden")]),
    ("got battered by jake and his mates", [("name", "jake")]),
    ("me n josh got robbed", [("name", "josh")]),
    ("Tyler-James keeps starting on people", [("name", "Tyler-James")]),
    ("a girl called zara o'connor got jumped", [("name", "zara o'connor")]),
    ("her name is Keisha", [("name", "Keisha")]),
    ("he's called Ionut", [("name", "Ionut")]),
    ("this lad Dwayne from the estate carries a blade", [("name", "Dwayne")]),
    ("there's a youth worker, Abdi, who is amazing", [("name", "Abdi")]),
    ("my brother Mo got stabbed", [("name", "Mo")]),
    # phones
    ("call me on 07700 900456 and ill tell you everything", [("phone", "07700 900456")]),
    ("my number is 07700900789", [("phone", "07700900789")]),
    ("ring 07700-900-321 if you want info", [("phone", "07700-900-321")]),
    ("+447700900654 is my whatsapp", [("phone", "+447700900654")]),
    ("contact me +44 (0)7700 900 222", [("phone", "+44 (0)7700 900 222")]),
    ("our landline is 01634 960123", [("phone", "01634 960123")]),
    ("(01622) 960 456 is my nans house", [("phone", "(01622) 960 456")]),
    ("you can reach my mum on 020 7946 0123", [("phone", "020 7946 0123")]),
    ("0044 7700 900111 text me", [("phone", "0044 7700 900111")]),
    # emails
    ("my email is kai.mitchell07@hotmail.co.uk", [("email", "kai.mitchell07@hotmail.co.uk")]),
    ("email ME at Sam_Jones@outlook.com pls", [("email", "Sam_Jones@outlook.com")]),
    ("its jadebrown at gmail dot com", [("email", "jadebrown at gmail dot com")]),
    # handles
    ("add me @kai.m_07 and ill send you the vids", [("handle", "@kai.m_07")]),
    ("my snap is jadexox if u want to talk", [("handle", "jadexox")]),
    ("snap: tyler_2k9", [("handle", "tyler_2k9")]),
    ("insta - lilyrose.x", [("handle", "lilyrose.x")]),
    (
        "theres a page called gillingham_exposed that posts fights",
        [("handle", "gillingham_exposed")],
    ),
    ("my tiktok is @darcey.dances", [("handle", "@darcey.dances")]),
    ("my discord is shadowkiller99", [("handle", "shadowkiller99")]),
    # postcodes
    ("i live in ME4 4QG near the lines", [("postcode", "ME4 4QG")]),
    ("postcode ct91xz", [("postcode", "ct91xz")]),
    ("the alley behind tn23 5ab", [("postcode", "tn23 5ab")]),
    ("round my way, DA11 0AA, its all dealers", [("postcode", "DA11 0AA")]),
    ("MY POSTCODE IS ME7 1NX", [("postcode", "ME7 1NX")]),
    # house addresses
    ("I live at 22 Station Road and people sit on our wall", [("address", "22 Station Road")]),
    ("come to 3a Victoria Avenue", [("address", "3a Victoria Avenue")]),
    ("my house 14 canterbury street gets egged", [("address", "14 canterbury street")]),
    ("i live at 9 oak close, its quiet", [("address", "9 oak close")]),
    ("Flat 4, 12 High Street is where it happens", [("address", "Flat 4, 12 High Street")]),
    ("flat 12 Arden House has people smoking on the stairs", [("address", "flat 12 Arden House")]),
    ("we live at 12 The Grove in Gillingham", [("address", "12 The Grove")]),
    ("an account called sophie.exposed posts about me", [("handle", "sophie.exposed")]),
    ("I LIVE AT 14 CANTERBURY STREET", [("address", "14 CANTERBURY STREET")]),
    (
        "I live at 7 Oak Close ME4 4QG, text 07700 900123",
        [("address", "7 Oak Close"), ("postcode", "ME4 4QG"), ("phone", "07700 900123")],
    ),
]

# Answers with no personal data: they must come back unchanged.
NOT_PERSONAL = [
    # place names, including ones that look like names
    "the underpass near Chatham station is really dark",
    "Victoria Park at night, theres no lights",
    "outside Jack's Bar when it kicks out",
    "Earl St by the kebab shop",
    "Mote Park and the woods behind it",
    "at Bluewater groups of lads follow girls around",
    "in Herne Bay the seafront is full of drunk men",
    "Tunbridge Wells is fine but the station isnt",
    "the Pentagon centre, Chatham",
    "Westwood Cross on a saturday",
    "The Leas in Folkestone is lovely in the day",
    "Albert Road is dark",
    "Gordon Road underpass",
    "walking down Nelson Road at night",
    "Kings Hill is boring but safe",
    "St Mary's Island is quiet",
    "King George's Field",
    "Jacksons Recreation Ground is dodgy",
    "William Harvey hospital car park",
    "Sir Joseph Williamson's Mathematical School bus stop",
    "the Victoria pub on the corner",
    "the 24 hour garage on London Road",
    "Rochester High Street on a friday night",
    # shops, brands, public figures
    "McDonald's in Maidstone after school is chaos",
    "outside Sainsbury's people beg for money",
    "Costa in the high street is the only safe place",
    "drinking Stella in the park",
    "Andrew Tate fans at school say awful things to girls",
    "since Sarah Everard i dont walk alone",
    "Harry Potter world",
    # names that are also ordinary words, at a sentence start or capitalised
    "Will there ever be more police? probably not",
    "May is when the fights start again",
    "Grace and hope are nice words but we need action",
    "Mark my words someone will get stabbed",
    "got jacked for my phone by the station",
    "Summer holidays are the worst, nothing to do",
    "the Sky sports bar on the high street gets rowdy",
    "Rob the shop? no they rob people",
    "June to August is the worst",
    "Faith groups could help",
    "taking the mick out of my accent",
    "the nick is right next to the station and they still do nothing",
    "to be frank the police are useless",
    "everyone wears jordans and north face",
    "people selling charlie outside the pub",
    "some karen shouted at us for nothing",
    # numbers that are not phones, postcodes or addresses
    "3 lads down the road started on us",
    "we waited 20 minutes for the bus",
    "on the 166 after 10 its dodgy",
    "there were 4 police cars on the road",
    "b4 2nd period the toilets are full of vapers",
    "call Childline on 0800 1111",
    "A2 underpass and the M2 bridge",
    # handles that are not handles
    "on snap people post fights",
    "my insta is private so its fine",
    "meet @ the station, or @5pm",
    # nothing at all
    "idk",
    "NOWHERE I FEEL SAFE EVERYWHERE",
    "<script>alert(1)</script>",
    "😭😭😭",
]


# More answers in other wordings: (text, the personal data in it), kinds not checked.
MORE_PERSONAL_DATA = [
    ("theres this boy Harrison who keeps filming girls", ["Harrison"]),
    ("Mrs Begum the dinner lady is lovely", ["Mrs Begum"]),
    (
        "i got followed home by a man, my mum rang 07700 900987 which is her work phone",
        ["07700 900987"],
    ),
    ("Tia and Jasmine get catcalled every day", ["Tia", "Jasmine"]),
    ("on the way to maddies house", ["maddie"]),
    ("Kieran Walsh and his gang hang round the co-op", ["Kieran Walsh"]),
    ("send ideas to youthideas2024@yahoo.com", ["youthideas2024@yahoo.com"]),
    ("near my nans at 45 Gordon Road", ["45 Gordon Road"]),
    ("my little brother Alfie is scared to walk to school", ["Alfie"]),
    ("Mr Okonkwo the PE teacher breaks up fights", ["Mr Okonkwo"]),
    ("Coach Dan is the only adult i trust", ["Dan"]),
    ("i want to talk to someone, my ig is @sienna_x0", ["@sienna_x0"]),
    ("me and aisha always get stared at", ["aisha"]),
    ("lives on ME8 6AB, dealers everywhere", ["ME8 6AB"]),
    ("My name is Ruby and I am 13", ["Ruby"]),
    ("Deniz from my form got his bike nicked", ["Deniz"]),
    ("tell Mr Khan to do more", ["Mr Khan"]),
    ("my snapchat username is ellie.b23", ["ellie.b23"]),
    ("bradley hit me at the park", ["bradley"]),
    ("our road, 12 Beech Grove, has no street lights", ["12 Beech Grove"]),
    ("Jade's mum picks us up so we feel safe", ["Jade"]),
    ("Ms Thompson-Reid is the safeguarding lead", ["Ms Thompson-Reid"]),
    ("call my dad 01843 960 555", ["01843 960 555"]),
    ("me and Callum got rushed by the station", ["Callum"]),
    ("Our youth worker Precious is the best", ["Precious"]),
    ("i told miss jones and nothing happened", ["miss jones"]),
    ("ask for Sophie at reception", ["Sophie"]),
    ("Ellie-Mae got her phone taken", ["Ellie-Mae"]),
    ("FOLLOW ME @TOMMYSHELBY99", ["@TOMMYSHELBY99"]),
    ("Dear Mr Patel, please add lights", ["Mr Patel"]),
]

# More answers naming places, shops, apps, clubs and public figures: unchanged.
MORE_NOT_PERSONAL = [
    "walking past the Lidl in Strood at night",
    "the path by the Medway river near Rochester Castle",
    "Bouverie Place in Folkestone after dark",
    "people are scared of the lads who hang around Tesco",
    "Sheerness seafront is dead at night",
    "Folkestone Central station car park",
    "Whitstable harbour is fine",
    "the Harvey grammar bus",
    "Gravesend town pier",
    "outside Wetherspoons in Ashford",
    "Maidstone East station underpass",
    "the Great Lines heritage park",
    "the alley behind Morrisons",
    "Victoria Road and the estate",
    "my uncle and aunt live nearby, so its fine",
    "Granville Road is very dark",
    "Dover Priory station",
    "the Leas lift",
    "near Boots on the High Street",
    "Summerhill park",
    "Snodland station at 11pm",
    "Larkfield Tesco car park",
    "Fremlin Walk toilets",
    "Chatham Waterfront bus station",
    "Ramsgate harbour arches",
    "Kingsmead park in Canterbury",
    "Sturry Road",
    "Hempstead Valley shopping centre",
    "the Margate Winter Gardens",
    "Jackson Avenue flats",
    "Beckenham Place Park",
    "Kent Police should do more",
    "Medway Council needs to fix the lights",
    "Girls in Year 9 get followed",
    "Boys think its funny",
    "Drunk men outside the Wheatsheaf",
    "The Barge pub in Gillingham",
    "lads from Walderslade come down",
    "Joss Bay at night is scary",
    "My School is fine",
    "Netflix and TikTok make it worse",
    "Britain needs more youth clubs",
    "Muslim and Black kids get stopped",
    "Polish people get abuse",
    "Dartford Bridge",
    "The Elms estate",
    "Park Wood estate in Maidstone",
    "Shepherd Neame brewery",
    "Riverside Country Park",
    "people playing Fortnite and GTA all night then going out",
    "Call of Duty lobbies are full of racist grown men",
    "Roblox has weirdos in it",
    "Minecraft servers are fine",
    "on Discord people send gore",
    "Among Us lol",
    "Love Island and Andrew Tate make boys think its ok",
    "Peaky Blinders haircuts everywhere",
    "TikTok live is where the fights get streamed",
    "Man United fans on match day",
    "Arsenal fans outside the pub",
    "Spurs v Chelsea night was mad",
    "Charlton fans on the train",
    "after the Gillingham game",
    "the Santander bikes",
    "Lime bikes left everywhere",
    "Uber drivers staring",
    "the Greggs by Chatham bus station",
    "JD Sports on the high street",
    "Specsavers doorway",
    "outside Poundland",
    "the Co-op on my road",
    "Asda car park at night",
    "Holmesdale school field",
    "Bishop of Rochester Academy gates",
    "Christ Church uni students",
    "the University of Kent campus",
    "Kent Uni",
    "Canterbury Christ Church University",
    "Hospital car park at William Harvey",
    "Darent Valley hospital bus stop",
    "Queen Elizabeth the Queen Mother hospital",
    "QEQM",
    "Medway Maritime Hospital",
    "the Marlowe theatre",
    "Dickens festival in Rochester",
    "Broadstairs folk week",
    "Margate Pride",
    "Sweeps festival",
    "Bonfire night on the beach",
    "Christmas markets",
    "Ramadan and Eid",
    "Jesus Christ people shout at us",
    "Oh my God the station is grim",
    "Jeez the buses",
    "Ugh",
    "Bruv the police dont care",
    "Mate honestly",
    "Sorry I dont know",
    "Thank you for asking",
    "Nobody listens",
    "Mummy and daddy",
    "Nan's house is safe",
    "My Dad picks me up",
    "Mum says dont go",
    "Tyson Fury poster",
    "Jamie Oliver school dinners lol",
    "Paddy Power betting shop",
    "Ladbrokes and William Hill on the high street",
    "outside William Hill",
    "the Harvester",
    "Toby Carvery",
    "at the Oliver Twist pub",
    "Morgan's bar",
    "Charlie's bar in Margate",
    "Sam's chicken",
    "Mr Simms",
    "Dr Martens",
    "Stone Island lads",
    "North Face puffers",
    "Canada Goose",
    "Victoria line",
    "Elizabeth line",
    "Southeastern trains",
    "Stagecoach buses",
    "Arriva buses",
    "the Fastrack",
    "Chatham Dockyard",
    "Rochester Cathedral",
    "Leeds Castle",
    "Dover Castle",
    "Upnor Castle",
    "Sandwich Bay",
]


@pytest.mark.parametrize(("text", "expected"), PERSONAL_DATA)
def test_redaction_removes_personal_data(text: str, expected: list[tuple[str, str]]) -> None:
    result = redact(text)
    for kind, data in expected:
        assert data not in result.text
        assert PLACEHOLDERS[kind] in result.text
    assert sorted(k for k, _, _ in result.replacements) == sorted(k for k, _ in expected)


@pytest.mark.parametrize(("text", "expected"), MORE_PERSONAL_DATA)
def test_redaction_removes_personal_data_in_other_wordings(text: str, expected: list[str]) -> None:
    redacted = redact(text).text
    assert [data for data in expected if data in redacted] == []


@pytest.mark.parametrize("text", NOT_PERSONAL + MORE_NOT_PERSONAL)
def test_redaction_keeps_text_without_personal_data(text: str) -> None:
    result = redact(text)
    assert result.text == text
    assert result.replacements == []


def test_redaction_replacements_point_into_the_original_and_hold_no_data() -> None:
    text = "my mate Chloe, 07700 900123, snap: kai_m"
    result = redact(text)
    assert [text[s:e] for _, s, e in result.replacements] == ["Chloe", "07700 900123", "kai_m"]
    assert result.text == "my mate [NAME], [PHONE], snap: [HANDLE]"
    assert "Chloe" not in repr(result) and "07700" not in repr(result)


def test_redaction_title_is_part_of_the_name() -> None:
    assert redact("Mr Harris said no").text == "[NAME] said no"


def test_redaction_is_idempotent() -> None:
    once = redact("Josh Reeves, 07700 900123, 7 Manor Close DA1 3QR, jo@x.com").text
    assert redact(once).text == once


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", ""),
        ("   ", "   "),
        ("my mate Ch\u200bloe got followed", "my mate [NAME] got followed"),
        ("<p>My mate <b>Chloe</b> got followed</p>", "<p>My mate <b>[NAME]</b> got followed</p>"),
        ("😡 Aaliyah keeps posting about me 😭", "😡 [NAME] keeps posting about me 😭"),
        ("ring me on ０７７００ ９００４５６", "ring me on [PHONE]"),
        ("text 07700\u00a0900\u00a0456 ok", "text [PHONE] ok"),
        ("Ｃｈｌｏｅ said", "[NAME] said"),
    ],
)
def test_redaction_bad_input(text: str, expected: str) -> None:
    assert redact(text).text == expected


@pytest.mark.parametrize(
    "text",
    [
        "a" * 100_000,
        "0 " * 50_000,
        "Mr " * 33_000,
        "<b>" * 33_000,
        "😀" * 100_000,
        "\u200b" * 100_000,
        ("my mate Chloe got followed near Chatham 07700 900123 ME4 4QG " * 2000)[:100_000],
    ],
    ids=["letters", "digits", "titles", "html", "emoji", "zero-width", "mixed"],
)
def test_redaction_handles_100k_characters(text: str) -> None:
    # Speed is measured by `youthvoice bench-privacy`, not asserted here.
    redacted = redact(text).text
    assert "Chloe" not in redacted and "07700 900123" not in redacted


def _copy_data(tmp_path: Path) -> Path:
    data = tmp_path / "data"
    shutil.copytree(get_settings().data_dir / "names", data / "names")
    shutil.copy(get_settings().data_dir / "redaction.yaml", data / "redaction.yaml")
    return data


def test_redaction_lexicon_loads_shipped_lists() -> None:
    lex = load_lexicon()
    assert len(lex.first) > 1000 and len(lex.surnames) > 500
    assert {"chloe", "mohammed", "oluwaseun", "kacper"} <= lex.first
    assert "chatham" in lex.places


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (lambda t: t.replace("places:", "placez:"), "places: Field required"),
        (lambda t: t + "\nextra_words: [a]\n", "unknown key"),
        (
            lambda t: t.replace("slang_names: [", "slang_names: [[], "),
            "slang_names > item 1: Input should be a valid string",
        ),
        (
            lambda t: t.replace("name_cues_after:\n  strong:", "name_cues_after:\n  firm:"),
            "name_cues_after > strong: Field required",
        ),
        (lambda t: t + "\n  - [unclosed", "YAML"),
    ],
)
def test_redaction_lexicon_reports_bad_word_lists(
    tmp_path: Path, edit: Callable[[str], str], message: str
) -> None:
    data = _copy_data(tmp_path)
    path = data / "redaction.yaml"
    path.write_text(edit(path.read_text(encoding="utf-8")), encoding="utf-8")
    with pytest.raises(LexiconError, match=message) as info:
        load_lexicon(data)
    assert "redaction.yaml" in str(info.value)


def test_redaction_lexicon_reports_a_missing_name_list(tmp_path: Path) -> None:
    data = _copy_data(tmp_path)
    (data / "names" / "surnames.txt").unlink()
    with pytest.raises(LexiconError, match=r"surnames\.txt"):
        load_lexicon(data)
