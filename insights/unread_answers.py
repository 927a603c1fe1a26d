"""Answers no machine could read: free text in another language goes to a person (the check
queue) and carries no themes, so every count of themes leaves it out. Readers are told how
many, so a district with many such answers is not read as one that said little."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func
from sqlmodel import Session, col, select

from survey.core.models import Response


@dataclass(frozen=True)
class UnreadAnswers:
    responses: int  # responses with free text that was not machine-read
    languages: dict[str, int]  # language (as detected) -> responses, most first

    def in_words(self, count_shown: str | None = None) -> str:
        """'3 answers (Polish 2, Urdu 1) were in a language the tagger cannot read: …'"""
        if not self.responses:
            return ""
        count = count_shown or f"{self.responses:,}"
        answers = "answer was" if self.responses == 1 else "answers were"
        languages = ", ".join(f"{name} {n}" for name, n in self.languages.items())
        detail = f" ({languages})" if languages and count_shown is None else ""
        return (
            f"{count} {answers}{detail} in a language the tagger cannot read: they carry no "
            "themes here, and a worker read them from the check queue."
        )


def unread_answers(
    db: Session,
    *,
    districts: tuple[str, ...] | list[str] = (),
    month_from: date | None = None,
    month_to: date | None = None,
) -> UnreadAnswers:
    """How many responses (in these districts and months; empty: all) were not machine-read."""
    query = select(Response.text_language, func.count()).where(
        col(Response.text_language).is_not(None)
    )
    if districts:
        query = query.where(col(Response.district).in_(list(districts)))
    if month_from:
        query = query.where(col(Response.submitted_on) >= month_from)
    if month_to:  # the first day of the last month: every day of that month counts
        next_month = date(month_to.year + month_to.month // 12, month_to.month % 12 + 1, 1)
        query = query.where(col(Response.submitted_on) < next_month)
    rows = db.exec(query.group_by(col(Response.text_language))).all()
    counts: Counter[str] = Counter()
    for languages, n in rows:  # "Polish, Urdu" when two answers were in two languages
        for language in str(languages).split(", "):
            counts[language] += n
    return UnreadAnswers(sum(n for _, n in rows), dict(counts.most_common()))
