"""The tagging commands: tag, tag --file, evaluate --json, train, and training on demand."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cli.main import main
from tests.nlp.conftest import CODEBOOK, DEV_FILE, TRAINING


def paths(models_dir: Path) -> list[str]:
    return [
        "--codebook",
        str(CODEBOOK),
        "--training-dir",
        str(TRAINING),
        "--models-dir",
        str(models_dir),
    ]


def run(capsys: pytest.CaptureFixture[str], argv: list[str]) -> tuple[int, str, str]:
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_tagging_tag_prints_one_json_object(
    capsys: pytest.CaptureFixture[str], model_dir: Path
) -> None:
    text = "the park is fine, its the bus stn at nite"
    code, out, _ = run(capsys, ["tag", text, *paths(model_dir.parent)])
    assert code == 0
    lines = out.splitlines()
    assert len(lines) == 1
    record = json.loads(lines[0])
    assert list(record)[:2] == ["text", "themes"]  # stable keys first; others may follow
    assert record["text"] == text
    ids = [theme["id"] for theme in record["themes"]]
    assert ids == ["place.transport_hub", "time.night"]
    for theme in record["themes"]:
        assert list(theme) == ["id", "source", "score", "evidence"]
        for evidence in theme["evidence"]:
            assert list(evidence) == ["text", "start", "end"]
            assert text[evidence["start"] : evidence["end"]] == evidence["text"]


def test_cli_tagging_tag_file_keeps_input_order(
    capsys: pytest.CaptureFixture[str], model_dir: Path, tmp_path: Path
) -> None:
    texts = ["idk", "the station at night", "", "more police please", "the rec 😡"] * 3
    file = tmp_path / "answers.jsonl"
    file.write_text("\n".join(json.dumps({"id": i, "text": t}) for i, t in enumerate(texts)))
    code, out, _ = run(capsys, ["tag", "--file", str(file), *paths(model_dir.parent)])
    assert code == 0
    records = [json.loads(line) for line in out.splitlines()]
    assert [r["text"] for r in records] == texts
    assert records[0]["themes"] == [] and records[2]["themes"] == []
    assert [t["id"] for t in records[3]["themes"]] == ["ask.police_presence"]


def test_cli_tagging_tag_needs_text_or_file(
    capsys: pytest.CaptureFixture[str], model_dir: Path
) -> None:
    code, _, err = run(capsys, ["tag", *paths(model_dir.parent)])
    assert code == 2 and "TEXT or --file" in err


def test_cli_tagging_evaluate_json_has_the_stable_keys(
    capsys: pytest.CaptureFixture[str], model_dir: Path, tmp_path: Path
) -> None:
    rows = [
        {"text": "the station at night", "themes": ["place.transport_hub", "time.night"]},
        {"text": "more police", "themes": ["ask.police_presence"]},
        {"text": "idk", "themes": []},
    ]
    file = tmp_path / "labelled.jsonl"
    file.write_text("\n".join(json.dumps(r) for r in rows))
    code, out, _ = run(capsys, ["evaluate", str(file), "--json", *paths(model_dir.parent)])
    assert code == 0
    report = json.loads(out)
    assert list(report) == ["micro_f1", "macro_f1", "per_theme"]
    assert report["micro_f1"] == 1.0
    assert set(report["per_theme"]["time.night"]) == {"precision", "recall", "f1", "support"}


def test_cli_tagging_evaluate_prints_a_table(
    capsys: pytest.CaptureFixture[str], model_dir: Path
) -> None:
    if not DEV_FILE.exists():
        pytest.skip(f"dev file {DEV_FILE} not found")
    code, out, _ = run(capsys, ["evaluate", str(DEV_FILE), *paths(model_dir.parent)])
    assert code == 0
    assert "place.transport_hub" in out and "micro:" in out and "macro f1" in out


@pytest.mark.slow
def test_cli_tagging_trains_a_missing_model_first(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, out, err = run(capsys, ["tag", "the park at night", *paths(tmp_path)])
    assert code == 0
    assert "note: no trained theme model yet" in err
    assert {t["id"] for t in json.loads(out)["themes"]} == {"place.park", "time.night"}
    code, out, _ = run(capsys, ["train", *paths(tmp_path)])  # already there: reused
    assert code == 0 and "model:" in out
    assert len(list(tmp_path.glob("themes-*"))) == 1
