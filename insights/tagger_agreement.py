"""How far the tagger agrees with reviewers, theme by theme, so the codebook can be
improved where they disagree; and reviewed answers as training examples."""

from __future__ import annotations

import pandas as pd
from sqlmodel import Session, col, select

from survey.core.models import Answer, Response, ResponseTheme
from survey.themes import REVIEWER, TAGGER_SOURCES


def _reviewed_labels(
    db: Session, tagged_questions: set[str]
) -> tuple[list[tuple[int, str, str]], set[tuple[int, str, str]], set[tuple[int, str, str]]]:
    """Reviewed answers, and the (response, question, theme) triples tagger and reviewer hold."""
    answers = db.exec(
        select(Answer.response_id, Answer.question_id, Answer.value)
        .join(Response, col(Response.id) == col(Answer.response_id))
        .where(
            col(Response.reviewed_at).is_not(None), col(Answer.question_id).in_(tagged_questions)
        )
    ).all()
    ids = sorted({response_id for response_id, _, _ in answers})
    rows = db.exec(select(ResponseTheme).where(col(ResponseTheme.response_id).in_(ids))).all()
    tagger = {
        (r.response_id, r.question_id, r.theme_id) for r in rows if r.source in TAGGER_SOURCES
    }
    decided = {
        (r.response_id, r.question_id, r.theme_id): r.present for r in rows if r.source == REVIEWER
    }
    reviewer = {key for key in tagger if decided.get(key, True)}
    reviewer |= {key for key, present in decided.items() if present}
    return [(r, q, v) for r, q, v in answers], tagger, reviewer


def agreement_by_theme(
    db: Session, tagged_questions: set[str], theme_ids: list[str]
) -> pd.DataFrame:
    """Per theme over reviewed answers: counts, the tagger's precision and recall against
    the reviewers, and Cohen's kappa between them."""
    answers, tagger, reviewer = _reviewed_labels(db, tagged_questions)
    rows = []
    for theme in theme_ids:
        tp = fp = fn = tn = 0
        for response_id, question_id, _ in answers:
            key = (response_id, question_id, theme)
            t, r = key in tagger, key in reviewer
            tp, fp, fn, tn = (
                tp + (t and r),
                fp + (t and not r),
                fn + (r and not t),
                tn + (not t and not r),
            )
        rows.append(
            {
                "theme": theme,
                "answers": len(answers),
                "tagger": tp + fp,
                "reviewers": tp + fn,
                "agree": tp + tn,
                "precision": _ratio(tp, tp + fp),
                "recall": _ratio(tp, tp + fn),
                "kappa": cohens_kappa(tp, fp, fn, tn),
            }
        )
    return pd.DataFrame(rows)


def cohens_kappa(tp: int, fp: int, fn: int, tn: int) -> float | None:
    """Cohen's kappa for two raters' yes/no labels; None when it is undefined."""
    n = tp + fp + fn + tn
    if n == 0:
        return None
    observed = (tp + tn) / n
    expected = ((tp + fp) * (tp + fn) + (fn + tn) * (fp + tn)) / (n * n)
    if expected == 1:
        return 1.0 if observed == 1 else None
    return round((observed - expected) / (1 - expected), 3)


def _ratio(a: int, b: int) -> float | None:
    return round(a / b, 3) if b else None


def reviewed_examples(db: Session, tagged_questions: set[str]) -> list[tuple[str, list[str]]]:
    """Reviewed answers with the reviewers' themes, for `youthvoice train`."""
    answers, _, reviewer = _reviewed_labels(db, tagged_questions)
    themes: dict[tuple[int, str], list[str]] = {}
    for response_id, question_id, theme in sorted(reviewer):
        themes.setdefault((response_id, question_id), []).append(theme)
    return [(text, themes.get((rid, qid), [])) for rid, qid, text in answers]
