"""Help contacts: national, partnership-wide or for named districts (checked against the one
vocabulary); a placeholder the partnership must fill in is never shown; every contact shown
has a real way to reach it, as links a phone opens."""

from __future__ import annotations

from pathlib import Path

import pytest

from survey.core.data_files import DataFileError
from survey.core.settings import Settings
from survey.safeguarding.help_contacts import cached_help_contacts, load_help_contacts

SHIPPED = Settings().data_dir / "help_contacts.yaml"
NATIONAL = """national:
  - name: Childline
    what: "Talk to a counsellor about anything."
    phone: "0800 1111"
    web: "https://www.childline.org.uk"
"""


def _file(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "help_contacts.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def _load(tmp_path: Path, text: str, definition):
    return load_help_contacts(_file(tmp_path, text), definition.dimensions)


def test_help_contacts_shipped_file_links_and_hides_its_placeholders(definition):
    contacts = load_help_contacts(SHIPPED, definition.dimensions)
    childline = contacts.national[0]
    assert childline.tel_href == "tel:08001111"
    assert childline.web == "https://www.childline.org.uk"
    assert childline.web_label == "childline.org.uk"
    shout = next(c for c in contacts.national if c.name == "Shout")
    assert shout.sms_href == "sms:85258?&body=SHOUT" and shout.text_label == "Text SHOUT to 85258"
    assert next(c for c in contacts.national if c.phone == "999").tel_href == "tel:999"
    # "Your local early help team" has no real route yet: marked, and never shown.
    early_help = [c for c in contacts.local if "early help" in c.name]
    assert early_help and all(c.placeholder for c in early_help)
    assert set(definition.dimensions.district_names) == {d for c in early_help for d in c.districts}
    for district in [*definition.dimensions.district_names, None, "not_sure"]:
        shown = contacts.for_district(district)
        assert shown and not any(c.placeholder for c in shown)
        assert all(c.phone or c.text or c.web for c in shown)
    assert "placeholder" in SHIPPED.read_text(encoding="utf-8").lower()


def test_help_contacts_local_ones_only_for_their_districts(tmp_path, definition):
    contacts = _load(
        tmp_path,
        NATIONAL
        + """partnership:
  - name: Kent Police (non-emergency)
    what: "To report something."
    phone: "101"
local:
  - name: Medway youth hub
    what: "Drop in after school."
    phone: "01634 000 111"
    districts: [Medway]
  - name: East Kent youth line
    what: "Someone to talk to."
    web: "https://youth.example.gov.uk/talk"
    districts: [Thanet, Dover]
""",
        definition,
    )
    names = {d: [c.name for c in contacts.for_district(d)] for d in ("Medway", "Thanet", None)}
    assert names["Medway"] == ["Childline", "Medway youth hub", "Kent Police (non-emergency)"]
    assert names["Thanet"] == ["Childline", "East Kent youth line", "Kent Police (non-emergency)"]
    assert names[None] == ["Childline", "Kent Police (non-emergency)"]
    assert contacts.local[0].tel_href == "tel:01634000111"


def test_help_contacts_unknown_district_names_file_entry_and_value(tmp_path, definition):
    text = NATIONAL + (
        "local:\n  - name: Medway youth hub\n    what: Drop in.\n"
        '    phone: "01634 000 111"\n    districts: [Medwy]\n'
    )
    with pytest.raises(DataFileError) as refused:
        _load(tmp_path, text, definition)
    message = str(refused.value)
    assert message.startswith(f"{tmp_path / 'help_contacts.yaml'}: ")
    assert "local 'Medway youth hub' > districts" in message
    assert "unknown district 'Medwy' (known: Ashford, " in message


@pytest.mark.parametrize(
    ("entry", "problem"),
    [
        # no way to reach it, and not marked as a placeholder
        ("  - name: Your local early help team\n    what: Support.\n", "gives no way to reach it"),
        # looks like a placeholder, but not marked as one
        (
            '  - name: Early help\n    what: Support.\n    phone: "0000 000 0000"\n',
            "looks like a placeholder",
        ),
        ("  - name: Early help\n    what: TODO ask the council\n    phone: '101'\n", "TODO"),
        ("  - name: Early help\n    what: Call <number>.\n    phone: '101'\n", "<number>"),
        ("  - name: Early help\n    what: Support.\n    phone: call us\n", "not a phone number"),
        ("  - name: Early help\n    what: Support.\n    web: kent.gov.uk\n", "whole"),
        ("  - name: Early help\n    what: Support.\n    text: {to: SHOUT}\n", "text > to"),
    ],
)
def test_help_contacts_a_contact_shown_must_be_real(tmp_path, definition, entry, problem):
    with pytest.raises(DataFileError, match=r"partnership '(Early help|Your)") as e:
        _load(tmp_path, NATIONAL + "partnership:\n" + entry, definition)
    assert problem in str(e.value)


def test_help_contacts_a_marked_placeholder_is_valid_and_never_shown(tmp_path, definition):
    contacts = _load(
        tmp_path,
        NATIONAL + "partnership:\n  - name: Early help\n    what: TODO\n    placeholder: true\n",
        definition,
    )
    assert [c.name for c in contacts.for_district(None)] == ["Childline"]


def test_help_contacts_need_one_national_contact_that_is_shown(tmp_path, definition):
    text = "national:\n  - name: Childline\n    what: Talk.\n    placeholder: true\n"
    with pytest.raises(DataFileError, match="every contact is a placeholder"):
        _load(tmp_path, text, definition)


def test_help_contacts_follow_the_loading_rule(tmp_path, definition):
    path = _file(tmp_path, NATIONAL)
    dimensions = Settings().dimensions_path
    first = cached_help_contacts(path, dimensions)
    assert cached_help_contacts(path, dimensions) is first
    path.write_text(NATIONAL.replace("Talk to a counsellor", "Talk to someone"), "utf-8")
    assert cached_help_contacts(path, dimensions).national[0].what.startswith("Talk to someone")
