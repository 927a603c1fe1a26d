"""A bad data file, setting or database on the command line: one plain message, no traceback.

Each data file is corrupted in a copy of `data/` (YOUTHVOICE_DATA_DIR) in the ways a person
editing it gets it wrong, and the command that reads that file is run.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from cli.main import main
from survey.core.settings import PROJECT_ROOT, get_settings
from survey.staff.passwords import load_common_passwords

DATA = PROJECT_ROOT / "data"
NOT_YAML = "title: [an unclosed list\nsections: {\n"
A_LIST = "- just\n- a list\n"


@dataclass(frozen=True)
class Case:
    file: str  # under data/
    how: str
    command: tuple[str, ...]
    corrupt: Callable[[Path], None]
    fresh_models: bool = False  # the command would train: keep it out of var/models

    def __str__(self) -> str:
        return f"{self.file}:{self.how}"


def _missing(path: Path) -> None:
    path.unlink()


def _text(text: str) -> Callable[[Path], None]:
    def write(path: Path) -> None:
        path.write_text(text, encoding="utf-8")

    return write


def _bytes(data: bytes) -> Callable[[Path], None]:
    def write(path: Path) -> None:
        path.write_bytes(data)

    return write


def _replace(old: str, new: str) -> Callable[[Path], None]:
    def edit(path: Path) -> None:
        text = path.read_text(encoding="utf-8")
        assert old in text, f"{old!r} is not in {path.name}: update this test"
        path.write_text(text.replace(old, new, 1), encoding="utf-8")

    return edit


def _append(extra: str) -> Callable[[Path], None]:
    def edit(path: Path) -> None:
        path.write_text(path.read_text(encoding="utf-8") + extra, encoding="utf-8")

    return edit


PREPARE = ("prepare", "--no-demo")
PREPARE_DEMO = ("prepare",)
TAG = ("tag", "town centre at night")
PRIVACY = ("evaluate-privacy", "{tmp}/labelled.jsonl")
IMPORT = ("import-incidents", "--check", "{tmp}/2026-01-kent-street.csv")
IMPORT_PARTNER = ("import-incidents", "--check", "--mapping", "ae_istv", "{tmp}/ae.csv")
BOARD_PACK = ("board-pack", "--out", "{tmp}/pack.html")
CREATE_USER = ("create-user", "--role", "worker", "--username", "sam", "--password-stdin")

_USUAL = [
    ("missing", _missing),
    ("not YAML", _text(NOT_YAML)),
    ("empty", _text("")),
    ("a list, not a mapping", _text(A_LIST)),
    ("not UTF-8", _bytes(b"name: caf\xe9\n")),
]


def _usual(file: str, command: tuple[str, ...], **kw: bool) -> list[Case]:
    return [Case(file, how, command, corrupt, **kw) for how, corrupt in _USUAL]


CASES = [
    *_usual("dimensions.yaml", PREPARE),
    Case(
        "dimensions.yaml", "wrong type", PREPARE, _replace("population: 132700", "population: lots")
    ),
    *_usual("questionnaire.yaml", PREPARE),
    Case(
        "questionnaire.yaml",
        "unknown id",
        PREPARE,
        _replace("choices_from: genders", "choices_from: gendres"),
    ),
    Case(
        "questionnaire.yaml",
        "wrong type",
        PREPARE,
        _replace("sections:", "sections: 3\nold_sections:"),
    ),
    *_usual("help_contacts.yaml", PREPARE),
    Case("help_contacts.yaml", "wrong type", PREPARE, _replace("national:", "national: 999\nold:")),
    *_usual("safeguarding_cues.yaml", PRIVACY),
    Case("safeguarding_cues.yaml", "unknown id", PRIVACY, _replace("{family}", "{famliy}")),
    Case("safeguarding_cues.yaml", "bad regex", PRIVACY, _replace("{family}", "(unclosed")),
    *_usual("redaction.yaml", PRIVACY),
    Case("redaction.yaml", "unknown key", PRIVACY, _append("\nplaecs: [somewhere]\n")),
    Case("names/first_names.txt", "missing", PRIVACY, _missing),
    Case("names/first_names.txt", "empty", PRIVACY, _text("# nothing\n")),
    Case("names/surnames.txt", "not UTF-8", PRIVACY, _bytes(b"smith\nsm\xefth\n")),
    *_usual("codebook.yaml", TAG, fresh_models=True),
    Case("codebook.yaml", "unknown id", TAG, _replace("group: places", "group: plcaes"), True),
    Case("codebook.yaml", "wrong type", TAG, _replace("schema: 1", "schema: one"), True),
    Case("training/feel_safer.jsonl", "not JSON", TAG, _append("{not json\n"), True),
    Case("training/feel_safer.jsonl", "a list, not an object", TAG, _append("[1, 2]\n"), True),
    Case(
        "training/feel_safer.jsonl",
        "unknown id",
        TAG,
        _append('{"text": "x", "themes": ["no.such"]}\n'),
        True,
    ),
    Case(
        "training/feel_safer.jsonl",
        "not UTF-8",
        TAG,
        _bytes(b'{"text": "caf\xe9", "themes": []}\n'),
        True,
    ),
    *_usual("police_uk_crime_types.yaml", IMPORT),
    Case(
        "police_uk_crime_types.yaml",
        "unknown id",
        IMPORT,
        _replace("strands: [youth_violence, sv_da]", "strands: [youth_violence, sv_dv]"),
    ),
    *_usual("police_uk_locations.yaml", IMPORT),
    Case(
        "police_uk_locations.yaml",
        "unknown id",
        IMPORT,
        _replace("Beach: place.seafront", "Beach: place.seasfront"),
    ),
    *_usual("partner_mappings/ae_istv.yaml", IMPORT_PARTNER),
    Case(
        "partner_mappings/ae_istv.yaml",
        "unknown id",
        IMPORT_PARTNER,
        _replace("Shepway: Folkestone and Hythe", "Shepway: Shepway Town"),
    ),
    *_usual("theme_incident_links.yaml", BOARD_PACK),
    Case(
        "theme_incident_links.yaml",
        "unknown id",
        BOARD_PACK,
        _replace("behaviour.robbery:", "behaviour.robery:"),
    ),
    Case(
        "theme_incident_links.yaml", "wrong type", BOARD_PACK, _replace("links:", "links: 3\nold:")
    ),
    *_usual("demo/free_text.yaml", PREPARE_DEMO),
    Case(
        "demo/free_text.yaml",
        "unknown id",
        PREPARE_DEMO,
        _replace("unsafe_place_text:", "unsafe_plaec_text:"),
    ),
    *_usual("demo/incident_profile.yaml", PREPARE_DEMO),
    Case(
        "demo/incident_profile.yaml",
        "unknown id",
        PREPARE_DEMO,
        _replace("Thanet: 1.65", "Thannet: 1.65"),
    ),
    Case(
        "demo/incident_profile.yaml",
        "wrong type",
        PREPARE_DEMO,
        _replace("months: 36", "months: many"),
    ),
    Case("common_passwords.txt", "missing", CREATE_USER, _missing),
    Case("common_passwords.txt", "empty", CREATE_USER, _text("# nothing here\n")),
    Case("common_passwords.txt", "not UTF-8", CREATE_USER, _bytes(b"password1234\npa\xefword\n")),
]


@pytest.fixture
def data_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A copy of data/ that the settings point at, a fresh SQLite database, input files."""
    data = tmp_path / "data"
    shutil.copytree(DATA, data)
    monkeypatch.setenv("YOUTHVOICE_DATA_DIR", str(data))
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'youthvoice.db'}")
    (tmp_path / "labelled.jsonl").write_text('{"text": "call sam on 07700 900123"}\n')
    header = "Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,"
    header += "LSOA code,LSOA name,Crime type,Last outcome category,Context\n"
    (tmp_path / "2026-01-kent-street.csv").write_text(header)
    (tmp_path / "ae.csv").write_text("Date of assault,Location district\n")
    get_settings.cache_clear()
    load_common_passwords.cache_clear()
    yield data
    get_settings.cache_clear()
    load_common_passwords.cache_clear()


def _run(argv: tuple[str, ...], tmp: Path, monkeypatch: pytest.MonkeyPatch) -> int:
    monkeypatch.setattr("sys.stdin", _Stdin("a long enough passphrase\n"))
    return main([a.replace("{tmp}", str(tmp)) for a in argv])


class _Stdin:
    def __init__(self, text: str) -> None:
        self.text = text

    def readline(self) -> str:
        return self.text

    def read(self) -> str:
        return self.text


@pytest.mark.parametrize("case", CASES, ids=str)
def test_cli_errors_a_bad_data_file_is_one_plain_message(
    case: Case, data_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys
):
    if case.fresh_models:
        monkeypatch.setenv("YOUTHVOICE_MODELS_DIR", str(tmp_path / "models"))
    case.corrupt(data_copy / case.file)
    code = _run(case.command, tmp_path, monkeypatch)
    err = capsys.readouterr().err
    assert code != 0, err
    assert "Traceback" not in err
    message = err.strip().splitlines()[-1]
    assert Path(case.file).name in message, err
    assert str(data_copy) in message  # the whole path: which copy of data/ is wrong


def test_cli_errors_debug_prints_the_traceback_too(data_copy: Path, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("YOUTHVOICE_MODELS_DIR", str(tmp_path / "models"))
    (data_copy / "codebook.yaml").write_text(NOT_YAML, encoding="utf-8")
    code = main(["--debug", *TAG])
    err = capsys.readouterr().err
    assert code != 0
    assert "Traceback" in err and "codebook.yaml" in err.strip().splitlines()[-1]


@pytest.mark.parametrize(
    ("url", "says"),
    [
        ("not a database url", "DATABASE_URL"),
        ("nosuchdb://user:secret@localhost/x", "DATABASE_URL"),
        ("postgresql+psycopg://user:secret@127.0.0.1:1/youthvoice", "127.0.0.1:1"),
        ("sqlite:////proc/no/such/dir/youthvoice.db", "DATABASE_URL"),
    ],
)
def test_cli_errors_a_database_that_cannot_be_used_is_one_plain_message(
    url: str, says: str, monkeypatch: pytest.MonkeyPatch, capsys
):
    monkeypatch.setenv("DATABASE_URL", url)
    get_settings.cache_clear()
    try:
        code = main(["migrate"])
    finally:
        get_settings.cache_clear()
    err = capsys.readouterr().err
    assert code != 0
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1, err
    assert says in err and "secret" not in err


def test_cli_errors_a_bad_setting_is_one_plain_message(monkeypatch: pytest.MonkeyPatch, capsys):
    monkeypatch.setenv("YOUTHVOICE_SMALL_NUMBER_THRESHOLD", "five")
    get_settings.cache_clear()
    try:
        code = main(["migrate"])
    finally:
        get_settings.cache_clear()
    err = capsys.readouterr().err
    assert code != 0
    assert "Traceback" not in err and "YOUTHVOICE_SMALL_NUMBER_THRESHOLD" in err, err
