"""Migration 0009 repairs board summaries that the old code corrupted when first answers
arrived together (two values sharing one code), and says what it repaired.

Each test builds a database of its own at revision 0008, writes what the old code wrote
(with plain SQL: today's models describe a newer schema), and upgrades it."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from datetime import date

import pytest
from alembic import command
from sqlalchemy import text
from sqlalchemy.engine import Engine, make_url
from sqlmodel import Session, select

from survey.core.database import alembic_config, make_engine, migrate
from survey.core.models import SummaryCode
from survey.response_summary import pack_key
from tests.conftest import BACKENDS, TEST_DATABASE_URL
from tests.support import board_counts_and_recount, recent_events

DISTRICTS = ["Swale", "Maidstone", "Tunbridge Wells"]


@pytest.fixture(params=BACKENDS)
def at_0008(request: pytest.FixtureRequest, tmp_path) -> Iterator[Engine]:
    if request.param == "sqlite":
        engine = make_engine(f"sqlite:///{tmp_path / 'old.db'}")
        command.upgrade(alembic_config(engine), "0008")
        yield engine
        engine.dispose()
        return
    assert TEST_DATABASE_URL
    name = f"youthvoice_repair_{uuid.uuid4().hex[:8]}"
    admin = make_engine(TEST_DATABASE_URL)
    with admin.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(TEST_DATABASE_URL).set(database=name).render_as_string(hide_password=False)
    engine = make_engine(url)
    command.upgrade(alembic_config(engine), "0008")
    try:
        yield engine
    finally:
        engine.dispose()
        with admin.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def _old_answers(engine: Engine, districts: list[str], codes: dict[str, int]) -> None:
    """Responses and their summaries as the old code stored them, keyed by `codes`."""
    month = date(2026, 3, 1)
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO questionnaire_version (id, questionnaire_id, version_label, "
                "definition, first_used_on) VALUES ('q1', 'q', 'v1', :d, :on)"
            ),
            {"d": json.dumps({}), "on": month},
        )
        conn.execute(text("INSERT INTO data_change (kind, counter) VALUES ('responses', 1)"))
        conn.execute(
            text("INSERT INTO summary_code (kind, value, code) VALUES ('source', 'paper', 1)")
        )
        for district, code in codes.items():
            conn.execute(
                text("INSERT INTO summary_code (kind, value, code) VALUES ('district', :v, :c)"),
                {"v": district, "c": code},
            )
        for i, district in enumerate(districts, start=1):
            conn.execute(
                text(
                    "INSERT INTO response (id, submission_id, questionnaire_version_id, "
                    "submitted_on, time_band, source, district) "
                    "VALUES (:id, :sid, 'q1', :on, 'school_day', 'paper', :district)"
                ),
                {"id": i, "sid": f"r{i}", "on": month, "district": district},
            )
            key_codes = {
                "source": 1,
                "venue_type": 0,
                "gender": 0,
                "age_band": 0,
                "district": codes[district],
            }
            conn.execute(
                text(
                    "INSERT INTO response_summary (response_id, month, district, source, "
                    "themes_mask, times_mask, dims_key) "
                    "VALUES (:id, :month, :district, 'paper', 0, 0, :key)"
                ),
                {
                    "id": i,
                    "month": month,
                    "district": district,
                    "key": pack_key(month, key_codes, None),
                },
            )


def test_migration_repairs_shared_codes_and_says_so(at_0008):
    # The race left three districts sharing code 5 (each writer read the codes before the
    # others had committed theirs).
    _old_answers(at_0008, DISTRICTS * 2, {d: 5 for d in DISTRICTS})

    migrate(at_0008)

    with Session(at_0008) as db:
        shown, recount = board_counts_and_recount(db, "district")
        assert shown == recount == {"Swale": 2, "Maidstone": 2, "Tunbridge Wells": 2}
        codes = [c.code for c in db.exec(select(SummaryCode)).all() if c.kind == "district"]
        assert sorted(codes) == [1, 2, 3]
        [note] = recent_events(db, action="board.summaries_repaired")
        # Renumbered by name: Maidstone 1, Swale 2, Tunbridge Wells 3: all six re-packed.
        assert note.detail == {"shared_codes": {"district": 2}, "summaries_repacked": 6}


def test_migration_leaves_sound_summaries_alone(at_0008):
    _old_answers(at_0008, DISTRICTS, {d: i for i, d in enumerate(DISTRICTS, start=1)})
    migrate(at_0008)
    with Session(at_0008) as db:
        assert recent_events(db, action="board.summaries_repaired") == []
        shown, recount = board_counts_and_recount(db, "district")
        assert shown == recount == {d: 1 for d in DISTRICTS}
