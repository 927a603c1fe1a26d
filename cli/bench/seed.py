"""Seeding a database with many synthetic responses for `youthvoice bench-dashboard`.

Rows go straight into `response` and `response_summary` with bulk inserts (the submit path
would take minutes for 100,000), marked as demo data.
"""

from __future__ import annotations

from datetime import date

import numpy as np
from sqlalchemy import func, insert, text
from sqlmodel import Session, select

from survey.core.dimensions import Dimensions
from survey.core.models import Response, ResponseSummary
from survey.questionnaire import Questionnaire
from survey.questionnaire_versions import ensure_questionnaire_version
from survey.response_summary import RESPONSES, bump, pack_key, summary_codes, theme_bits

BATCH = 5000


def seed_bench_responses(
    db: Session,
    n: int,
    *,
    dimensions: Dimensions,
    questionnaire: Questionnaire,
    theme_ids: list[str],
    first_month: date,
    months: int,
    seed: int = 7,
    accept_removed_questions: bool = False,
) -> int:
    """Add `n` synthetic responses spread over `months` months; returns how many."""
    rng = np.random.default_rng(seed)
    ensure_questionnaire_version(
        db, questionnaire, first_month, accept_removed_questions=accept_removed_questions
    )
    bits = theme_bits(db, theme_ids)
    codes = summary_codes(
        db,
        {
            "district": set(dimensions.district_names),
            "age_band": {a.id for a in dimensions.age_bands},
            "gender": {g.id for g in dimensions.genders},
            "venue_type": {"school"},
            "source": {"demo"},
        },
    )
    db.commit()
    start = int(db.exec(select(func.coalesce(func.max(Response.id), 0))).one() or 0)
    districts = np.array(dimensions.district_names)
    ages = np.array([a.id for a in dimensions.age_bands])
    genders = np.array([g.id for g in dimensions.genders])
    weights = np.array([d.aged_10_25 for d in dimensions.districts], dtype=float)
    theme_p = rng.uniform(0.03, 0.3, size=len(theme_ids))
    connection = db.connection()
    for offset in range(0, n, BATCH):
        size = min(BATCH, n - offset)
        ids = np.arange(start + offset + 1, start + offset + size + 1)
        month_index = rng.integers(0, months, size)
        chosen = rng.choice(len(districts), size, p=weights / weights.sum())
        masks = np.zeros(size, dtype=np.int64)
        for theme, p in zip(theme_ids, theme_p, strict=True):
            masks |= (rng.random(size) < p).astype(np.int64) << bits[theme]
        days = [_month(first_month, int(m)) for m in month_index]
        age_pick = rng.choice(ages, size)
        gender_pick = rng.choice(genders, size)
        unsafe = rng.random(size) < 0.6
        keys = [
            pack_key(
                d,
                {
                    "district": codes["district"][str(districts[c])],
                    "age_band": codes["age_band"][str(a)],
                    "gender": codes["gender"][str(g)],
                    "venue_type": codes["venue_type"]["school"],
                    "source": codes["source"]["demo"],
                },
                bool(u),
            )
            for d, c, a, g, u in zip(days, chosen, age_pick, gender_pick, unsafe, strict=True)
        ]
        connection.execute(
            insert(Response),
            [
                {
                    "id": int(i),
                    "submission_id": f"bench-{i}",
                    "submitted_on": d,
                    "questionnaire_version_id": questionnaire.version,
                    "time_band": "school_day",
                    "source": "demo",
                    "district": str(districts[c]),
                    "age_band": str(a),
                }
                for i, d, c, a in zip(ids, days, chosen, age_pick, strict=True)
            ],
        )
        connection.execute(
            insert(ResponseSummary),
            [
                {
                    "response_id": int(i),
                    "month": d,
                    "district": str(districts[c]),
                    "age_band": str(a),
                    "gender": str(g),
                    "venue_type": "school",
                    "source": "demo",
                    "feels_unsafe": bool(u),
                    "themes_mask": int(m),
                    "times_mask": int(t),
                    "dims_key": k,
                }
                for i, d, c, a, g, u, m, t, k in zip(
                    ids,
                    days,
                    chosen,
                    age_pick,
                    gender_pick,
                    unsafe,
                    masks,
                    rng.integers(0, 64, size),
                    keys,
                    strict=True,
                )
            ],
        )
    if connection.dialect.name == "postgresql":  # ids were given: move the sequence on
        connection.execute(
            text(
                "SELECT setval(pg_get_serial_sequence('response', 'id'), "
                "(SELECT max(id) FROM response))"
            )
        )
    bump(db, RESPONSES)
    db.commit()
    return n


def _month(first: date, index: int) -> date:
    year, month = divmod(first.month - 1 + index, 12)
    return date(first.year + year, month + 1, 1)
