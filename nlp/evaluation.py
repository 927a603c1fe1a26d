"""Score a tagger against labelled rows: per-theme precision, recall, F1; micro and macro F1.

Macro F1 averages over themes with support >= MACRO_MIN_SUPPORT, so a theme with one or two
gold examples cannot swing it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict, StrictStr

from nlp.file_formats import read_jsonl, validate_row

if TYPE_CHECKING:
    from nlp.tagger import Tagger

MACRO_MIN_SUPPORT = 3


@dataclass(frozen=True)
class ThemeScore:
    precision: float
    recall: float
    f1: float
    support: int
    tp: int
    fp: int
    fn: int


@dataclass(frozen=True)
class EvaluationReport:
    micro_f1: float
    macro_f1: float
    per_theme: dict[str, ThemeScore] = field(default_factory=dict)
    n_texts: int = 0
    micro_precision: float = 0.0
    micro_recall: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


class _TextRow(BaseModel):
    model_config = ConfigDict(extra="allow")
    text: StrictStr


class _LabelledRow(_TextRow):
    themes: list[StrictStr]


def read_texts(path: Path) -> list[str]:
    """The `text` of each line of a JSONL file (`youthvoice tag --file`)."""
    return [validate_row(path, number, row, _TextRow).text for number, row in read_jsonl(path)]


def read_rows(path: Path) -> list[dict[str, Any]]:
    """Labelled rows from a JSONL file with `text` and `themes` on each line; a bad line is
    a DataFileError naming the file and the line."""
    rows = []
    for number, row in read_jsonl(path):
        validate_row(path, number, row, _LabelledRow)
        rows.append(row)
    return rows


def evaluate_tagger(tagger: Tagger, rows: Sequence[Mapping[str, Any]]) -> EvaluationReport:
    """Tag each row's text and compare with its gold `themes`."""
    predicted = [{t.theme_id for t in tags} for tags in tagger.tag_many(r["text"] for r in rows)]
    gold = [set(r["themes"]) for r in rows]
    return score(gold, predicted, order=tagger.theme_ids)


def score(
    gold: Sequence[set[str]], predicted: Sequence[set[str]], order: Sequence[str] = ()
) -> EvaluationReport:
    """Precision, recall and F1 from gold and predicted theme sets, per theme and overall."""
    themes = list(dict.fromkeys([*order, *sorted(set().union(*gold, *predicted))]))
    per_theme = {}
    for theme in themes:
        tp = sum(theme in g and theme in p for g, p in zip(gold, predicted, strict=True))
        fp = sum(theme not in g and theme in p for g, p in zip(gold, predicted, strict=True))
        fn = sum(theme in g and theme not in p for g, p in zip(gold, predicted, strict=True))
        if tp + fp + fn:
            per_theme[theme] = _theme_score(tp, fp, fn)
    tp = sum(s.tp for s in per_theme.values())
    fp = sum(s.fp for s in per_theme.values())
    fn = sum(s.fn for s in per_theme.values())
    micro = _theme_score(tp, fp, fn)
    counted = [s.f1 for s in per_theme.values() if s.support >= MACRO_MIN_SUPPORT]
    macro = sum(counted) / len(counted) if counted else 0.0
    return EvaluationReport(
        micro_f1=round(micro.f1, 4),
        macro_f1=round(macro, 4),
        per_theme=per_theme,
        n_texts=len(gold),
        micro_precision=micro.precision,
        micro_recall=micro.recall,
    )


def _theme_score(tp: int, fp: int, fn: int) -> ThemeScore:
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return ThemeScore(round(precision, 4), round(recall, 4), round(f1, 4), tp + fn, tp, fp, fn)


def format_report(report: EvaluationReport) -> str:
    """A plain-text table of the report, for the command line."""
    lines = [f"{'theme':<34} {'prec':>6} {'rec':>6} {'f1':>6} {'support':>8}"]
    for theme, s in report.per_theme.items():
        lines.append(
            f"{theme:<34} {s.precision:>6.3f} {s.recall:>6.3f} {s.f1:>6.3f} {s.support:>8}"
        )
    lines.append("")
    lines.append(
        f"micro: precision {report.micro_precision:.3f} recall {report.micro_recall:.3f} "
        f"f1 {report.micro_f1:.3f}"
    )
    lines.append(f"macro f1 (themes with support >= {MACRO_MIN_SUPPORT}): {report.macro_f1:.3f}")
    lines.append(f"texts: {report.n_texts}")
    return "\n".join(lines)
