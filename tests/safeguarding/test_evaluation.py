"""The safeguarding targets on the project's held-out split, its ordinary answers and the dev
file; how `evaluate-safeguarding` counts and prints them; and `tag`'s band."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from cli.main import main
from survey.core.settings import PROJECT_ROOT, get_settings
from survey.safeguarding.evaluation import (
    TARGETS,
    LabelledAnswer,
    evaluate_safeguarding,
    read_labelled,
    wilson,
)
from tests.support import dev_file

FOLDER = get_settings().data_dir / "safeguarding"
DEV_FILE = dev_file()


def _report(path: Path) -> dict[str, Any]:
    return evaluate_safeguarding(read_labelled(path))


@pytest.fixture(scope="module")
def heldout_report() -> dict[str, Any]:
    return _report(FOLDER / "heldout.jsonl")


@pytest.fixture(scope="module")
def dev_report() -> dict[str, Any]:
    if not DEV_FILE.exists():
        pytest.skip(f"the labelled dev file is missing: {DEV_FILE}")
    return _report(DEV_FILE)


# --- the targets (slow: they run the check over every labelled line) ----------------------


@pytest.mark.slow
def test_evaluation_heldout_split_meets_the_targets(heldout_report: dict[str, Any]) -> None:
    report = heldout_report
    assert report["union"]["recall"]["value"] >= TARGETS["union_recall_min"], report["misses"]
    assert report["union"]["precision"]["value"] >= TARGETS["union_precision_min"]
    assert report["alert"]["precision"]["value"] >= TARGETS["alert_precision_min"]
    assert report["passed"]


@pytest.mark.slow
def test_evaluation_dev_file_meets_the_targets(dev_report: dict[str, Any]) -> None:
    report = dev_report
    assert report["union"]["recall"]["value"] >= TARGETS["union_recall_min"], report["misses"]
    assert report["union"]["precision"]["value"] >= TARGETS["union_precision_min"], report[
        "false_alarms"
    ]
    assert report["alert"]["precision"]["value"] >= TARGETS["alert_precision_min"]


@pytest.mark.slow
def test_evaluation_check_band_catches_few_ordinary_answers() -> None:
    report = _report(FOLDER / "ordinary.jsonl")
    assert report["positives"] == 0
    caught = report["negatives_caught"]
    assert caught["check"]["value"] <= TARGETS["ordinary_check_rate_max"], report["false_alarms"]
    assert caught["alert"]["count"] == 0, report["false_alarms"]
    assert report["passed"]


# --- what is counted ---------------------------------------------------------------------


def test_evaluation_wilson_interval() -> None:
    assert wilson(0, 0) == (0.0, 1.0)
    low, high = wilson(0, 10)
    assert low == 0.0 and high == pytest.approx(0.2775, abs=1e-4)
    low, high = wilson(5, 10)
    assert (low, high) == (pytest.approx(0.2366, abs=1e-4), pytest.approx(0.7634, abs=1e-4))
    low, high = wilson(13, 13)
    assert low == pytest.approx(0.7719, abs=1e-4) and high == pytest.approx(1.0)


def _rows(*specs: tuple[str, str | None, bool]) -> list[LabelledAnswer]:
    return [
        LabelledAnswer(id=f"r{n}", text=text, label=label, positive=positive)
        for n, (text, label, positive) in enumerate(specs, 1)
    ]


def test_evaluation_counts_per_band_and_union() -> None:
    rows = _rows(
        ("i cut myself", "alert", True),  # alert, right
        ("i carry a knife for protection", "check", True),  # check, right
        ("i keep a blade on me", "alert", True),  # check for an alert line: caught, not alert
        ("everything is grand thanks", "alert", True),  # missed
        ("the park is dark", "none", False),
        ("i want to kill myself", "none", False),  # a false alarm (labels can be wrong)
    )
    report = evaluate_safeguarding(rows)
    assert report["union"]["recall"]["count"] == 3 and report["union"]["recall"]["of"] == 4
    assert report["union"]["precision"]["count"] == 3 and report["union"]["precision"]["of"] == 4
    assert report["alert"]["precision"]["of"] == 2 and report["alert"]["precision"]["count"] == 1
    assert report["alert"]["recall"]["count"] == 1 and report["alert"]["recall"]["of"] == 3
    assert report["check"]["recall"]["count"] == 1 and report["check"]["recall"]["of"] == 1
    assert report["negatives_caught"]["alert"]["count"] == 1
    assert [m["id"] for m in report["misses"]] == ["r4"]
    assert [m["id"] for m in report["false_alarms"]] == ["r6"]
    assert report["checks"]["union_recall"] is False and not report["passed"]


def test_evaluation_reads_both_label_formats(tmp_path: Path) -> None:
    path = tmp_path / "mixed.jsonl"
    lines = [
        {"id": "a", "text": "i cut myself", "safeguarding": True},
        {"id": "b", "text": "the park is dark", "band": "none", "category": None},
        {"id": "c", "text": "i carry a blade", "band": "check", "category": "carrying_weapon"},
    ]
    path.write_text("\n".join(json.dumps(line) for line in lines) + "\n", encoding="utf-8")
    rows = read_labelled(path)
    assert [(r.label, r.positive) for r in rows] == [(None, True), ("none", False), ("check", True)]


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ('{"text": "x"}', "needs a label"),
        ('{"text": "x", "band": "alert"}', "needs a 'category'"),
        ('{"text": "x", "band": "maybe", "category": "c"}', "band"),
        ("{not json", "not valid JSON"),
    ],
)
def test_evaluation_cli_reports_a_bad_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], line: str, message: str
) -> None:
    path = tmp_path / "rows.jsonl"
    path.write_text('{"text": "ok", "safeguarding": false}\n' + line + "\n", encoding="utf-8")
    assert main(["evaluate-safeguarding", str(path)]) == 2
    err = capsys.readouterr().err
    assert f"{path}: line 2" in err and message in err


def test_evaluation_cli_prints_bands_intervals_and_misses(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "rows.jsonl"
    lines = [
        {"id": "s1", "text": "i cut myself", "safeguarding": True},
        {"id": "s2", "text": "everything is grand thanks", "safeguarding": True},
        {"id": "s3", "text": "the park is dark", "safeguarding": False},
    ]
    path.write_text("\n".join(json.dumps(line) for line in lines), encoding="utf-8")
    assert main(["evaluate-safeguarding", str(path)]) == 1  # recall 0.5: a target missed
    out = capsys.readouterr().out
    assert "union (alert or check) recall    0.500 (1/2; 95% CI 0.095-0.905)" in out
    assert "alert precision" in out and "check precision" in out
    assert "misses: 1\n  s2 (True -> None): everything is grand thanks" in out
    assert out.rstrip().endswith("FAIL")
    assert main(["evaluate-safeguarding", str(path), "--json"]) == 1
    report = json.loads(capsys.readouterr().out)
    assert report["union"]["recall"]["ci95"] == [0.0945, 0.9055]
    assert report["checks"] == {
        "union_recall": False,
        "union_precision": True,
        "alert_precision": True,
    }


def test_evaluation_cli_on_ordinary_answers_checks_the_false_alarm_rate(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "ordinary.jsonl"
    lines = [{"text": t, "band": "none"} for t in ("more buses", "the park is dark", "idk")]
    path.write_text("\n".join(json.dumps(line) for line in lines), encoding="utf-8")
    assert main(["evaluate-safeguarding", str(path)]) == 0
    out = capsys.readouterr().out
    assert "negatives caught by check        0.000 (0/3;" in out and "PASS" in out


def test_evaluation_cli_help_loads_nothing_heavy() -> None:
    probe = (
        "import contextlib, io, json, sys\nimport cli.main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    try:\n        cli.main.main(['evaluate-safeguarding', '--help'])\n"
        "    except SystemExit:\n        pass\n"
        "print(json.dumps(sorted(sys.modules)))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], cwd=PROJECT_ROOT, capture_output=True, text=True, check=True
    )
    loaded = set(json.loads(result.stdout.strip().splitlines()[-1]))
    heavy = {"numpy", "pydantic", "yaml", "spacy", "survey.safeguarding.disclosures"}
    assert loaded.isdisjoint(heavy), sorted(loaded & heavy)


def test_evaluation_tag_prints_the_band(
    capsys: pytest.CaptureFixture[str], theme_model_dir: Path
) -> None:
    assert main(["tag", "honestly i just want to die"]) == 0
    record = json.loads(capsys.readouterr().out)
    safeguarding = record["safeguarding"]
    assert safeguarding["flagged"] is True and safeguarding["band"] == "alert"
    assert safeguarding["evidence"][0]["text"] == "just want to die"
    assert main(["tag", "the bus station at night"]) == 0
    record = json.loads(capsys.readouterr().out)
    assert record["safeguarding"]["flagged"] is False and record["safeguarding"]["band"] is None
