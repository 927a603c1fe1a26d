"""Tables for the theme explorer: the codebook, and the themes of stored responses."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import pandas as pd
from sqlalchemy import func
from sqlmodel import Session, col, select

from nlp.codebook import Codebook
from survey.core.models import Answer, Response, ResponseTheme, SafeguardingAlert


def codebook_table(codebook: Codebook) -> pd.DataFrame:
    """One row per theme: group, id, label, description, strands and example phrases."""
    groups = {g.id: g.label for g in codebook.groups}
    return pd.DataFrame(
        [
            {
                "group": groups.get(t.group, t.group),
                "theme": t.id,
                "label": t.label,
                "description": t.description,
                "strands": ", ".join(t.strands),
                "example phrases": ", ".join((t.phrases + t.exact_phrases)[:8]),
            }
            for t in codebook.themes
        ]
    )


@dataclass(frozen=True)
class ThemeFilter:
    themes: list[str] = field(default_factory=list)
    districts: list[str] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    date_from: date | None = None
    date_to: date | None = None


def _filtered(query, f: ThemeFilter):  # type: ignore[no-untyped-def]
    if f.themes:
        query = query.where(col(ResponseTheme.theme_id).in_(f.themes))
    if f.districts:
        query = query.where(col(Response.district).in_(f.districts))
    if f.sources:
        query = query.where(col(ResponseTheme.source).in_(f.sources))
    if f.date_from:
        query = query.where(col(Response.submitted_on) >= f.date_from)
    if f.date_to:
        query = query.where(col(Response.submitted_on) <= f.date_to)
    return query


def theme_counts(db: Session, f: ThemeFilter) -> pd.DataFrame:
    """How many responses carry each theme (a response counts once per theme)."""
    query = (
        select(ResponseTheme.theme_id, func.count(func.distinct(ResponseTheme.response_id)))
        .join(Response, col(Response.id) == col(ResponseTheme.response_id))
        .group_by(col(ResponseTheme.theme_id))
    )
    rows = db.exec(_filtered(query, f)).all()
    table = pd.DataFrame(rows, columns=["theme", "responses"])
    return table.sort_values(["responses", "theme"], ascending=[False, True]).reset_index(drop=True)


def tagged_answers(db: Session, f: ThemeFilter, *, limit: int = 200) -> pd.DataFrame:
    """The newest tagged free-text answers matching the filter, with their themes."""
    query = (
        select(  # type: ignore[call-overload]  # sqlmodel types select() up to 4 columns
            col(Response.id),
            col(Response.submitted_on),
            col(Response.district),
            col(ResponseTheme.question_id),
            col(ResponseTheme.theme_id),
            col(ResponseTheme.source),
            col(ResponseTheme.score),
        )
        .join(Response, col(Response.id) == col(ResponseTheme.response_id))
        .order_by(col(Response.submitted_on).desc(), col(Response.id).desc())
    )
    tags = pd.DataFrame(
        db.exec(_filtered(query, f)).all(),
        columns=["response", "date", "district", "question", "theme", "source", "score"],
    )
    # Possible disclosures are read in the audited alert queue, never browsed here.
    flagged = set(db.exec(select(SafeguardingAlert.response_id)).all())
    tags = tags[~tags["response"].isin(flagged)]
    if tags.empty:
        return pd.DataFrame(columns=["response", "date", "district", "text", "themes"])
    keys = tags[["response", "question"]].drop_duplicates().head(limit)
    texts = pd.DataFrame(
        db.exec(
            select(Answer.response_id, Answer.question_id, Answer.value).where(
                col(Answer.response_id).in_(keys["response"].tolist())
            )
        ).all(),
        columns=["response", "question", "text"],
    )
    themes = (
        tags.groupby(["response", "question"])["theme"]
        .apply(lambda s: ", ".join(sorted(set(s))))
        .reset_index(name="themes")
    )
    table = keys.merge(tags[["response", "date", "district"]].drop_duplicates(), on="response")
    table = table.merge(texts, on=["response", "question"]).merge(
        themes, on=["response", "question"]
    )
    return table[["response", "date", "district", "text", "themes"]]
