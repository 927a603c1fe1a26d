"""The rules every data file follows: one loading rule (read once per process, read again
when the file's modification time or size changes) and one JSONL reader whose errors name
the file and the line."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from nlp.file_formats import read_jsonl as nlp_read_jsonl
from survey.core import data_files
from survey.core.data_files import DataFileError, read_jsonl, reloaded_on_change
from survey.core.dimensions import cached_dimensions
from survey.core.settings import PROJECT_ROOT, get_settings
from survey.staff.passwords import password_problem
from survey.startup import cached_survey_definition

DATA = PROJECT_ROOT / "data"


def _touch(path: Path, seconds_later: int = 10) -> None:
    """Move the file's modification time on (a clock tick may be coarser than a test)."""
    status = path.stat()
    later = status.st_mtime_ns + seconds_later * 1_000_000_000
    os.utime(path, ns=(status.st_atime_ns, later))


# --- the loading rule -------------------------------------------------------------------


@pytest.fixture
def counted(tmp_path: Path) -> tuple[Path, list[str]]:
    path = tmp_path / "list.txt"
    path.write_text("one\n", encoding="utf-8")
    return path, []


def test_loading_rule_reads_once_and_again_only_after_a_change(counted) -> None:
    path, reads = counted

    @reloaded_on_change(lambda p: [p])
    def load(p: Path) -> list[str]:
        reads.append(p.read_text(encoding="utf-8"))
        return p.read_text(encoding="utf-8").split()

    first = load(path)
    assert load(path) is first and load(path) is first  # unchanged: not read again
    assert load.is_current(path)
    assert len(reads) == 1

    path.write_text("one two\n", encoding="utf-8")  # an edit (another size)
    assert not load.is_current(path)
    assert load(path) == ["one", "two"]
    assert len(reads) == 2

    _touch(path)  # the same size, a newer modification time: read again
    assert load(path) is not first and len(reads) == 3
    assert load(path) == ["one", "two"] and len(reads) == 3


def test_loading_rule_looks_at_the_files_at_most_once_a_second(counted, monkeypatch) -> None:
    """A page run calls the loaders many times: within RECHECK_SECONDS of the last look the
    kept result is taken as it is; after it, an edit is seen."""
    path, reads = counted
    clock = [1000.0]
    monkeypatch.setattr(data_files, "RECHECK_SECONDS", 1.0)
    monkeypatch.setattr(data_files.time, "monotonic", lambda: clock[0])
    looked: list[int] = []

    def files(p: Path) -> list[Path]:
        looked.append(1)
        return [p]

    @reloaded_on_change(files)
    def load(p: Path) -> list[str]:
        reads.append(p.read_text(encoding="utf-8"))
        return p.read_text(encoding="utf-8").split()

    assert load(path) == ["one"]
    path.write_text("one two\n", encoding="utf-8")
    looked.clear()
    clock[0] += 0.5
    assert load(path) == ["one"] and load.is_current(path)  # within the second
    assert looked == [] and len(reads) == 1
    clock[0] += 0.6
    assert not load.is_current(path)
    assert load(path) == ["one", "two"] and len(reads) == 2  # after it: the edit is seen
    clock[0] += 0.1
    looked.clear()
    assert load(path) == ["one", "two"] and looked == []


def test_loading_rule_keeps_nothing_of_a_file_that_failed(counted) -> None:
    path, reads = counted

    @reloaded_on_change(lambda p: [p])
    def load(p: Path) -> str:
        reads.append("read")
        text = data_files.read_text(p)
        if "broken" in text:
            raise DataFileError(p, "broken")
        return text

    assert load(path) == "one\n"
    path.write_text("broken\n", encoding="utf-8")
    for _ in range(2):  # every use reports the problem again, until it is put right
        with pytest.raises(DataFileError, match="broken"):
            load(path)
    path.unlink()
    with pytest.raises(DataFileError, match="file not found"):
        load(path)
    path.write_text("fixed\n", encoding="utf-8")
    assert load(path) == "fixed\n" and load(path) == "fixed\n"
    assert len(reads) == 5


def test_loading_rule_the_shipped_loaders_follow_it(tmp_path: Path, monkeypatch) -> None:
    data = tmp_path / "data"
    shutil.copytree(DATA, data)
    monkeypatch.setenv("YOUTHVOICE_DATA_DIR", str(data))
    get_settings.cache_clear()
    try:
        settings = get_settings()
        dimensions = cached_dimensions(settings.dimensions_path)
        assert cached_dimensions(settings.dimensions_path) is dimensions
        definition = cached_survey_definition(settings)
        assert cached_survey_definition(settings) is definition

        # An edit to the questionnaire is picked up without a restart.
        path = settings.questionnaire_path
        text = path.read_text(encoding="utf-8")
        path.write_text(text.replace("How old are you?", "How old are you now?"), "utf-8")
        edited = cached_survey_definition(settings)
        assert edited is not definition
        assert edited.questionnaire.question("age_band").text == "How old are you now?"
        assert edited.questionnaire.version != definition.questionnaire.version
        assert cached_dimensions(settings.dimensions_path) is dimensions  # not edited

        # An edit to the dimensions reaches every loader built on them.
        raw = yaml.safe_load(settings.dimensions_path.read_text(encoding="utf-8"))
        raw["districts"][0]["population"] += 1
        settings.dimensions_path.write_text(yaml.safe_dump(raw), encoding="utf-8")
        _touch(settings.dimensions_path)
        assert cached_dimensions(settings.dimensions_path).districts[0].population == (
            dimensions.districts[0].population + 1
        )
        assert cached_survey_definition(settings).dimensions.districts[0].population == (
            dimensions.districts[0].population + 1
        )

        # The common passwords too: a line added is refused at the next check.
        passphrase = "margate seafront gulls"
        assert password_problem(passphrase, "sam") is None
        with (data / "common_passwords.txt").open("a", encoding="utf-8") as extra:
            extra.write(f"{passphrase}\n")
        assert password_problem(passphrase, "sam") is not None
    finally:
        get_settings.cache_clear()


# --- the one JSONL reader ----------------------------------------------------------------


@pytest.fixture
def jsonl(tmp_path: Path) -> Iterator[Path]:
    yield tmp_path / "rows.jsonl"


def test_jsonl_reader_gives_line_numbers_and_skips_blank_lines(jsonl: Path) -> None:
    jsonl.write_text('{"text": "a"}\n\n   \n{"text": "b", "themes": []}\r\n', encoding="utf-8")
    assert list(read_jsonl(jsonl)) == [(1, {"text": "a"}), (4, {"text": "b", "themes": []})]
    assert read_jsonl is nlp_read_jsonl  # one reader: nlp owns it, everything else imports it


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        (b'{"text": "a"}\n{"text": \n', "line 2: not valid JSON (Expecting value)"),
        (b'{"text": "a"}\n\n["a", "list"]\n', "line 3: expected a JSON object {...}, found a list"),
        (b'"just text"\n', "line 1: expected a JSON object {...}, found 'just text'"),
        (b'{"text": "caf\xe9"}\n', "line 1: not UTF-8 text (invalid continuation byte)"),
    ],
)
def test_jsonl_reader_errors_name_the_file_and_the_line(
    jsonl: Path, content: bytes, problem: str
) -> None:
    jsonl.write_bytes(content)
    with pytest.raises(DataFileError) as refused:
        list(read_jsonl(jsonl))
    assert str(refused.value) == f"{jsonl}: {problem}"


def test_jsonl_reader_names_a_missing_file(jsonl: Path) -> None:
    with pytest.raises(DataFileError) as refused:
        list(read_jsonl(jsonl))
    assert str(refused.value) == f"{jsonl}: file not found"
