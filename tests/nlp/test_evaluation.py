"""Scores: the arithmetic, and the bars on the shared development set (never trained on)."""

from __future__ import annotations

import pytest

from nlp.evaluation import evaluate_tagger, format_report, read_rows, score
from nlp.tagger import Tagger
from tests.nlp.conftest import DEV_FILE

MICRO_F1_BAR = 0.85
MACRO_F1_BAR = 0.80


def test_evaluation_scores_per_theme_micro_and_macro() -> None:
    gold = [{"a"}, {"a", "b"}, {"a"}, {"b"}, {"c"}, set()]
    predicted = [{"a"}, {"a"}, set(), {"b", "c"}, {"c"}, {"d"}]
    report = score(gold, predicted, order=["a", "b", "c", "d"])
    a = report.per_theme["a"]
    assert (a.tp, a.fp, a.fn, a.support) == (2, 0, 1, 3)
    assert a.precision == 1.0 and a.recall == pytest.approx(0.6667, abs=1e-4)
    assert report.per_theme["d"].support == 0
    # micro: tp 4, fp 2, fn 2
    assert report.micro_f1 == pytest.approx(0.6667, abs=1e-4)
    # macro counts only themes with support >= 3: just "a"
    assert report.macro_f1 == pytest.approx(a.f1)


def test_evaluation_report_formats_a_table() -> None:
    text = format_report(score([{"a"}], [{"a"}]))
    assert "micro:" in text and "macro f1" in text and "a " in text


def test_evaluation_reads_labelled_rows(tmp_path) -> None:  # type: ignore[no-untyped-def]
    file = tmp_path / "rows.jsonl"
    file.write_text('{"text": "x", "themes": []}\n\n{"text": "y", "themes": ["a"]}\n')
    assert [r["text"] for r in read_rows(file)] == ["x", "y"]
    file.write_text('{"text": "x"}\n')
    with pytest.raises(ValueError, match=r"rows\.jsonl: line 1: themes: Field required"):
        read_rows(file)


@pytest.mark.slow
def test_evaluation_dev_set_meets_the_bars(tagger: Tagger) -> None:
    """Fails if theme tagging on the development set drops below the agreed bars."""
    if not DEV_FILE.exists():
        pytest.skip(f"dev file {DEV_FILE} not found (set YOUTHVOICE_DEV_FILE)")
    report = evaluate_tagger(tagger, read_rows(DEV_FILE))
    assert report.micro_f1 >= MICRO_F1_BAR, format_report(report)
    assert report.macro_f1 >= MACRO_F1_BAR, format_report(report)
