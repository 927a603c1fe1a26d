"""The board's narrow view of each response (`response_summary`), kept current on write.

A response's summary is rebuilt whenever it or its themes change (submit, review, retag,
deletion), in the same transaction, and the 'responses' change counter is bumped so the
board's caches know to reload.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from sqlalchemy import delete, func
from sqlmodel import Session, col, select

from survey.core.database import upsert_into
from survey.core.dimensions import Dimensions, cached_dimensions
from survey.core.models import (
    Answer,
    DataChange,
    ParticipationSession,
    Response,
    ResponseSummary,
    SummaryCode,
    ThemeBit,
)
from survey.core.settings import get_settings
from survey.themes import present_themes

MAX_THEMES = 63  # bits of a signed 64-bit integer
RESPONSES = "responses"
# dims_key layout, low bit first: feels_unsafe (2 bits: 0 unknown, 1 no, 2 yes), then
# 6-bit codes for source, venue_type, gender, age_band and district, then the month
# (months since January 2000). Code 0 means "not given".
CODED = ("source", "venue_type", "gender", "age_band", "district")
CODE_BITS = 6
MONTH_SHIFT = 2 + CODE_BITS * len(CODED)


def pack_key(month: date, codes: dict[str, int], feels_unsafe: bool | None) -> int:
    key = (month.year - 2000) * 12 + month.month - 1
    for kind in reversed(CODED):
        key = key << CODE_BITS | codes[kind]
    return key << 2 | (0 if feels_unsafe is None else 2 if feels_unsafe else 1)


def summary_codes(db: Session, values: dict[str, set[str]]) -> dict[str, dict[str, int]]:
    """Codes for dimension values (1-63 per kind), assigning new ones as they appear."""
    known: dict[str, dict[str, int]] = {kind: {} for kind in CODED}
    for row in db.exec(select(SummaryCode)).all():
        known[row.kind][row.value] = row.code
    for kind, wanted in values.items():
        for value in sorted(wanted - set(known[kind])):
            known[kind][value] = _assign_code(db, kind, value)
    return known


def _assign_code(db: Session, kind: str, value: str) -> int:
    """Insert-or-get the code of a new value, safe while other writers assign codes too.

    A unique (kind, code) makes a clash with another writer's new code a conflict, which
    waits for that writer and then inserts nothing; the next try sees its code and takes
    the one after. Never read-all-then-len+1, which let two values share a code.
    """
    next_code = (
        select(func.coalesce(func.max(SummaryCode.code), 0) + 1)
        .where(SummaryCode.kind == kind)
        .scalar_subquery()
    )
    for _ in range(2**CODE_BITS):
        db.exec(
            upsert_into(db, SummaryCode)
            .values(kind=kind, value=value, code=next_code)
            .on_conflict_do_nothing()
        )
        code = db.exec(
            select(SummaryCode.code).where(SummaryCode.kind == kind, SummaryCode.value == value)
        ).first()
        if code is not None:
            if code >= 2**CODE_BITS:
                raise ValueError(f"too many different values of {kind} for the board")
            return code
    raise ValueError(f"could not give {kind} '{value}' a code for the board; try again")


def bump(db: Session, kind: str) -> None:
    """Note that data of this kind changed (in the caller's transaction)."""
    db.exec(
        upsert_into(db, DataChange)
        .values(kind=kind, counter=1)
        .on_conflict_do_update(index_elements=["kind"], set_={"counter": DataChange.counter + 1})
    )


def change_counter(db: Session, kind: str) -> int:
    return db.exec(select(DataChange.counter).where(DataChange.kind == kind)).first() or 0


def theme_bits(db: Session, theme_ids: Iterable[str]) -> dict[str, int]:
    """The bit of each theme, assigning new ones in order (at most 63 themes)."""
    bits = {t.theme_id: t.bit for t in db.exec(select(ThemeBit)).all()}
    for theme in sorted(set(theme_ids) - set(bits)):
        bits[theme] = _assign_bit(db, theme)
    return bits


def _assign_bit(db: Session, theme: str) -> int:
    """Insert-or-get a theme's bit; as `_assign_code`, safe under concurrent writers."""
    next_bit = select(func.coalesce(func.max(ThemeBit.bit), -1) + 1).scalar_subquery()
    for _ in range(MAX_THEMES + 1):
        db.exec(
            upsert_into(db, ThemeBit).values(theme_id=theme, bit=next_bit).on_conflict_do_nothing()
        )
        bit = db.exec(select(ThemeBit.bit).where(ThemeBit.theme_id == theme)).first()
        if bit is not None:
            if bit >= MAX_THEMES:
                raise ValueError(f"the board can count at most {MAX_THEMES} themes")
            return bit
    raise ValueError(f"could not give theme '{theme}' a bit for the board; try again")


def refresh_summaries(
    db: Session, response_ids: list[int], dimensions: Dimensions | None = None
) -> None:
    """Rebuild the summaries of these responses (not committed: the caller commits)."""
    if not response_ids:
        return
    dimensions = dimensions or cached_dimensions(get_settings().dimensions_path)
    db.flush()
    rows = db.exec(
        select(Response, ParticipationSession.venue_type)
        .join(
            ParticipationSession,
            col(ParticipationSession.id) == col(Response.session_id),
            isouter=True,
        )
        .where(col(Response.id).in_(response_ids))
    ).all()
    answers = db.exec(
        select(Answer.response_id, Answer.question_id, Answer.value).where(
            col(Answer.response_id).in_(response_ids),
            col(Answer.question_id).in_(("gender", "feels_unsafe_somewhere", "unsafe_times")),
        )
    ).all()
    themes = present_themes(db, response_ids)
    bits = theme_bits(db, {t for _, t in themes})
    band_bit = {band.id: i for i, band in enumerate(dimensions.time_bands)}
    masks: dict[int, int] = {}
    for response_id, theme in themes:
        masks[response_id] = masks.get(response_id, 0) | (1 << bits[theme])
    given: dict[int, dict[str, list[str]]] = {}
    for response_id, question_id, value in answers:
        given.setdefault(response_id, {}).setdefault(question_id, []).append(value)
    db.exec(delete(ResponseSummary).where(col(ResponseSummary.response_id).in_(response_ids)))
    summaries = [
        _summary(r, venue, given.get(r.id or 0, {}), masks.get(r.id or 0, 0), band_bit)
        for r, venue in rows
    ]
    codes = summary_codes(db, {k: {getattr(x, k) for x in summaries} - {None} for k in CODED})
    for summary in summaries:
        given_codes = {k: codes[k].get(getattr(summary, k) or "", 0) for k in CODED}
        summary.dims_key = pack_key(summary.month, given_codes, summary.feels_unsafe)
    db.add_all(summaries)
    bump(db, RESPONSES)


def _summary(
    response: Response,
    venue: str | None,
    given: dict[str, list[str]],
    mask: int,
    band_bit: dict[str, int],
) -> ResponseSummary:
    feels = given.get("feels_unsafe_somewhere", [None])[0]
    times = 0
    for band in given.get("unsafe_times", []):
        times |= 1 << band_bit[band] if band in band_bit else 0
    assert response.id is not None
    return ResponseSummary(
        response_id=response.id,
        month=response.submitted_on.replace(day=1),
        district=response.district,
        age_band=response.age_band,
        gender=given.get("gender", [None])[0],
        venue_type=venue,
        source=response.source,
        feels_unsafe=None if feels in (None, "prefer_not_to_say") else feels == "yes",
        themes_mask=mask,
        times_mask=times,
    )


def rebuild_missing_summaries(
    db: Session, dimensions: Dimensions | None = None, batch: int = 2000
) -> int:
    """Summarise responses stored before summaries existed; returns how many."""
    done = 0
    while True:
        missing = db.exec(
            select(Response.id)
            .where(col(Response.id).not_in(select(ResponseSummary.response_id)))
            .limit(batch)
        ).all()
        if not missing:
            return done
        refresh_summaries(db, [i for i in missing if i is not None], dimensions)
        db.commit()
        done += len(missing)


def summaries_missing(db: Session) -> bool:
    responses = db.exec(select(func.count()).select_from(Response)).one()
    summaries = db.exec(select(func.count()).select_from(ResponseSummary)).one()
    return responses != summaries
