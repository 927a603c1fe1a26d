"""What a session said: the live screen's counts and the one-page session report.

Counts below the small-number threshold are suppressed in everything shown or shared,
and the only free text is approved quotes.
"""

from __future__ import annotations

import html
from dataclasses import dataclass

import pandas as pd
from sqlmodel import Session, col, select

from survey.core.models import Answer, Response
from survey.participation.quotes import approved_quotes
from survey.participation.sessions import VENUE_TYPES, SessionView, session_for_staff
from survey.privacy.exports import safe_csv
from survey.privacy.small_numbers import suppress_small_counts, suppression_note
from survey.questionnaire import Questionnaire
from survey.staff.permissions import Permission, StaffMember, require
from survey.themes import present_themes


def _response_ids(db: Session, session_id: int) -> list[int]:
    query = select(Response.id).where(Response.session_id == session_id)
    return [i for i in db.exec(query).all() if i is not None]


def theme_counts_for(db: Session, response_ids: list[int], labels: dict[str, str]) -> pd.DataFrame:
    """Responses per theme (after review), largest first: columns theme, responses."""
    counts = pd.Series([t for _, t in present_themes(db, response_ids)], dtype=object)
    table = counts.value_counts().rename_axis("theme").reset_index(name="responses")
    table["theme"] = table["theme"].map(lambda t: labels.get(t, t))
    return table.sort_values(["responses", "theme"], ascending=[False, True], ignore_index=True)


def live_theme_counts(
    db: Session, session_id: int, labels: dict[str, str], threshold: int
) -> tuple[int, pd.DataFrame]:
    """For the projected screen: the number of answers, and themes named by at least
    `threshold` responses (fewer could point at someone in the room)."""
    ids = _response_ids(db, session_id)
    themes = theme_counts_for(db, ids, labels)
    return len(ids), themes[themes["responses"] >= threshold].reset_index(drop=True)


@dataclass(frozen=True)
class SessionReport:
    session: SessionView
    answers: int
    sections: dict[str, pd.DataFrame]  # title -> (item, responses as display text)
    quotes: list[str]
    note: str


def _choice_counts(
    db: Session, ids: list[int], questionnaire: Questionnaire, qid: str
) -> pd.DataFrame:
    values = db.exec(
        select(Answer.value).where(col(Answer.response_id).in_(ids), Answer.question_id == qid)
    ).all()
    question = questionnaire.question(qid)
    table = (
        pd.Series(values, dtype=object)
        .value_counts()
        .rename_axis("item")
        .reset_index(name="responses")
    )
    table["item"] = table["item"].map(question.label_for)
    return table


def session_report(
    db: Session,
    member: StaffMember,
    session: SessionView,
    questionnaire: Questionnaire,
    labels: dict[str, str],
    threshold: int,
) -> SessionReport:
    """The one-page summary of a session, small numbers suppressed: for the worker who runs
    it (RUN_SESSIONS), or with MANAGE_EVERY_SESSION."""
    require(member, Permission.RUN_SESSIONS)
    session = session_for_staff(db, member, session.id)  # refuses another worker's session
    ids = _response_ids(db, session.id)
    raw = {
        "Top themes": theme_counts_for(db, ids, labels).rename(columns={"theme": "item"}).head(10),
        "Where they feel unsafe": _choice_counts(db, ids, questionnaire, "unsafe_places"),
        "When": _choice_counts(db, ids, questionnaire, "unsafe_times"),
        "Who or what": _choice_counts(db, ids, questionnaire, "unsafe_because"),
        "What would help": _choice_counts(db, ids, questionnaire, "feel_safer_choices"),
    }
    sections = {
        title: suppress_small_counts(table, threshold=threshold, count_columns=["responses"])
        for title, table in raw.items()
    }
    quotes = [q.text for q in approved_quotes(db, session_id=session.id)]
    answers = len(ids)
    return SessionReport(session, answers, sections, quotes, suppression_note(threshold))


def report_csv(report: SessionReport) -> bytes:
    """The report's tables as one CSV: section, item, responses."""
    frames = [table.assign(section=title) for title, table in report.sections.items()]
    frames.append(
        pd.DataFrame(
            {
                "section": ["Approved quotes"] * len(report.quotes),
                "item": report.quotes,
                "responses": [""] * len(report.quotes),
            }
        )
    )
    table = pd.concat(frames, ignore_index=True)[["section", "item", "responses"]]
    return safe_csv(table)


def report_html(report: SessionReport) -> str:
    """A self-contained page (no scripts, no external files) a worker can share."""
    s = report.session
    esc = html.escape
    parts = [
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>",
        f"<title>{esc(s.name)}: what young people said</title>",
        "<style>body{font-family:system-ui,sans-serif;max-width:46rem;margin:2rem auto;"
        "color:#1a1a1a;line-height:1.5}table{border-collapse:collapse;width:100%;margin:.5rem 0 "
        "1.5rem}td,th{border-bottom:1px solid #ccc;padding:.3rem;text-align:left}"
        "blockquote{border-left:4px solid #0B4F8A;margin:.5rem 0;padding:.2rem 1rem}"
        "@media print{body{margin:0}}</style></head><body>",
        f"<h1>{esc(s.name)}</h1>",
        f"<p>{esc(VENUE_TYPES.get(s.venue_type, s.venue_type))} in {esc(s.district)}, "
        f"{s.held_on:%d %B %Y}. <strong>{report.answers}</strong> young people answered.</p>",
    ]
    for title, table in report.sections.items():
        parts.append(f"<h2>{esc(title)}</h2>")
        if table.empty:
            parts.append("<p>No answers.</p>")
            continue
        rows = "".join(
            f"<tr><td>{esc(str(r.item))}</td><td>{esc(str(r.responses))}</td></tr>"
            for r in table.itertuples()
        )
        parts.append(f"<table><tr><th>Answer</th><th>Young people</th></tr>{rows}</table>")
    parts.append("<h2>In their words</h2>")
    parts += [f"<blockquote>{esc(q)}</blockquote>" for q in report.quotes] or [
        "<p>No quotes have been approved.</p>"
    ]
    parts.append(f"<p><small>{esc(report.note)}</small></p></body></html>")
    return "\n".join(parts)
