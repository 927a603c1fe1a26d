"""The admin overview: are responses arriving, from where, on which questionnaire version."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
from sqlalchemy import func
from sqlmodel import Session, col, select

from survey.core.models import QuestionnaireVersion, Response

NOT_GIVEN = "Not given"


@dataclass(frozen=True)
class ResponseOverview:
    total: int
    demo: int
    by_day: pd.DataFrame  # columns: day, responses
    by_district: pd.DataFrame  # columns: district, responses
    by_version: pd.DataFrame  # columns: version, label, first_used_on, responses


def response_overview(db: Session) -> ResponseOverview:
    """Counts of stored responses per day, per district and per questionnaire version."""
    total = db.exec(select(func.count()).select_from(Response)).one()
    demo = db.exec(
        select(func.count()).select_from(Response).where(Response.source == "demo")
    ).one()
    by_day = pd.DataFrame(
        db.exec(
            select(col(Response.submitted_on), func.count())
            .group_by(col(Response.submitted_on))
            .order_by(col(Response.submitted_on))
        ).all(),
        columns=["day", "responses"],
    )
    by_day["day"] = pd.to_datetime(by_day["day"])
    by_district = pd.DataFrame(
        db.exec(select(Response.district, func.count()).group_by(Response.district)).all(),
        columns=["district", "responses"],
    ).fillna({"district": NOT_GIVEN})
    by_district = by_district.sort_values(["responses", "district"], ascending=[False, True])
    by_version = pd.DataFrame(
        db.exec(
            select(
                col(QuestionnaireVersion.id),
                col(QuestionnaireVersion.version_label),
                col(QuestionnaireVersion.first_used_on),
                func.count(col(Response.id)),
            )
            .join(Response, isouter=True)
            .group_by(
                QuestionnaireVersion.id,
                QuestionnaireVersion.version_label,
                col(QuestionnaireVersion.first_used_on),
            )
            .order_by(col(QuestionnaireVersion.first_used_on))
        ).all(),
        columns=["version", "label", "first_used_on", "responses"],
    )
    return ResponseOverview(total, demo, by_day, by_district.reset_index(drop=True), by_version)
