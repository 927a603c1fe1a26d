"""Migration 0009 repairs board summaries that the old code corrupted when first answers
arrived together (two values sharing one code), and says what it repaired."""

from __future__ import annotations

from alembic import command
from sqlalchemy import text
from sqlmodel import Session, select

from survey.core.database import alembic_config, make_engine, migrate
from survey.core.models import SummaryCode
from tests.support import board_counts_and_recount, recent_events, send


def _empty_database(database_url: str):
    """The test database taken back to before 0009 (the fixture migrated it to the head)."""
    engine = make_engine(database_url)
    command.downgrade(alembic_config(engine), "0008")
    return engine


def test_migration_repairs_shared_codes_and_says_so(database_url, definition):
    engine = _empty_database(database_url)
    with Session(engine, expire_on_commit=False) as db:
        for i, district in enumerate(["Swale", "Maidstone", "Tunbridge Wells"] * 2):
            answers = {"district": district, "age_band": "14-15"}
            send(db, definition, answers, f"r{i}", source="paper")
        # What the race left behind: three districts sharing one code.
        db.exec(text("UPDATE summary_code SET code = 5 WHERE kind = 'district'"))
        db.commit()
        shown, recount = board_counts_and_recount(db, "district")
        assert shown != recount  # the board reads wrong before the repair

    migrate(engine)

    with Session(engine) as db:
        shown, recount = board_counts_and_recount(db, "district")
        assert shown == recount == {"Swale": 2, "Maidstone": 2, "Tunbridge Wells": 2}
        codes = [c.code for c in db.exec(select(SummaryCode)).all() if c.kind == "district"]
        assert sorted(codes) == [1, 2, 3]
        [note] = recent_events(db, action="board.summaries_repaired")
        # Renumbered by name: Maidstone 1, Swale 2 (both moved), Tunbridge Wells 3 (stayed).
        assert note.detail == {"shared_codes": {"district": 2}, "summaries_repacked": 4}
    engine.dispose()


def test_migration_leaves_sound_summaries_alone(database_url, definition):
    engine = _empty_database(database_url)
    with Session(engine, expire_on_commit=False) as db:
        send(db, definition, {"district": "Swale"}, "r1", source="paper")
    migrate(engine)
    with Session(engine) as db:
        assert recent_events(db, action="board.summaries_repaired") == []
        shown, recount = board_counts_and_recount(db, "district")
        assert shown == recount == {"Swale": 1}
    engine.dispose()
