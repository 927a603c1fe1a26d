from __future__ import annotations

import csv
import io
import re
import zipfile
from datetime import date
from html.parser import HTMLParser

import pytest

from cli.main import main
from insights.board.context import BoardFilter, load_board_context
from insights.board.data import load_board_data
from insights.board.pack import build_board_pack
from survey.core.settings import Settings
from survey.participation.actions import list_actions, record_action
from survey.participation.quotes import approve_quote
from survey.staff.users import AccessDenied, Role
from tests.board_fixtures import add_incidents, add_responses
from tests.self_contained import loads_from_anywhere
from tests.support import new_session, send, staff

CTX = load_board_context(Settings())


class _Sections(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.headings: list[str] = []
        self.tags: set[str] = set()
        self._in = False

    def handle_starttag(self, tag, attrs):
        self.tags.add(tag)
        self._in = tag in ("h2", "h3")

    def handle_data(self, data):
        if self._in:
            self.headings.append(data.strip())
            self._in = False


@pytest.fixture
def filled(db, definition, tagger):
    add_responses(db, definition, "Dover", ["groups_of_men"], 9)
    add_responses(db, definition, "Swale", ["weapons"], 2)
    add_incidents(db, "Dover", 50, place="place.transport_hub")
    worker, board = staff(db, "wendy", Role.WORKER), staff(db, "bea", Role.BOARD)
    session = new_session(db, worker, definition, district="Dover")
    rid = send(
        db,
        definition,
        {
            "district": "Dover",
            "unsafe_place_text": "men shout <b>at</b> us",
            "unsafe_because": ["groups_of_men"],
        },
        "q",
        tagger=tagger,
        session_id=session.id,
    )
    approve_quote(db, worker, response_id=rid, question_id="unsafe_place_text")
    record_action(
        db,
        board,
        theme_id="people.groups_of_men",
        district="Dover",
        asked="Men shout at girls at the station",
        done="Street pastors on Fridays",
        owner="Dover CSP",
        status="in_progress",
        action_date=date(2026, 3, 20),
        theme_ids=list(CTX.theme_labels),
        districts=CTX.dimensions.district_names,
    )
    return board


def test_board_pack_has_every_section_and_suppresses_small_numbers(db, filled):
    pack = build_board_pack(
        db, load_board_data(db, CTX), BoardFilter(), CTX, today=date(2026, 4, 1)
    )
    parser = _Sections()
    parser.feed(pack.html)
    for heading in [
        "Headline figures",
        "What young people raise",
        "Districts",
        "Places",
        "Times of day",
        "Month by month",
        "Strands of the strategy",
        "Theme summaries",
        "You said, we did: actions",
    ]:
        assert heading in parser.headings
    assert "svg" in parser.tags and "script" not in parser.tags  # charts inline, no scripts
    assert loads_from_anywhere(pack.html) == []  # one file: no fonts, images or styles fetched
    assert "Groups of men" in parser.headings
    assert "men shout &lt;b&gt;at&lt;/b&gt; us" in pack.html  # the approved quote, escaped
    assert "Street pastors on Fridays" in pack.html
    districts = pack.tables["districts"].set_index("district")
    assert districts.loc["Swale", "responses"] == "<5"
    assert "<td>Swale</td><td>2</td>" not in pack.html  # Swale's 2 responses never show
    assert "<td>Swale</td><td>&lt;5</td>" in pack.html


def test_board_pack_csv_zip_holds_the_tables_suppressed(db, filled):
    pack = build_board_pack(
        db, load_board_data(db, CTX), BoardFilter(), CTX, today=date(2026, 4, 1)
    )
    with zipfile.ZipFile(io.BytesIO(pack.csv_zip)) as archive:
        names = set(archive.namelist())
        districts = list(
            csv.DictReader(io.StringIO(archive.read("districts.csv").decode("utf-8-sig")))
        )
    assert {"theme_prevalence.csv", "districts.csv", "actions.csv"} <= names
    swale = next(r for r in districts if r["district"] == "Swale")
    assert swale["responses"] == "<5"


def test_board_pack_command_writes_the_file_for_one_district(
    app_database, db, filled, tmp_path, capsys
):
    out, tables = tmp_path / "pack.html", tmp_path / "pack.zip"
    assert (
        main(
            [
                "board-pack",
                "--district",
                "Dover",
                "--from",
                "2026-01",
                "--to",
                "2026-12",
                "--out",
                str(out),
                "--csv",
                str(tables),
            ]
        )
        == 0
    )
    page = out.read_text(encoding="utf-8")
    assert "Dover, January 2026 to December 2026" in page
    assert zipfile.is_zipfile(tables)
    assert main(["board-pack", "--district", "Atlantis", "--out", str(out)]) == 2
    assert "Unknown district" in capsys.readouterr().err


def test_board_actions_are_recorded_by_board_members_only(db, filled, definition):
    worker = staff(db, "will", Role.WORKER)
    with pytest.raises(AccessDenied):
        record_action(
            db,
            worker,
            theme_id="people.groups_of_men",
            district=None,
            asked="a",
            done="b",
            owner="c",
            status="done",
            action_date=date(2026, 1, 1),
            theme_ids=list(CTX.theme_labels),
            districts=[],
        )
    with pytest.raises(ValueError, match=re.escape("say what was or will be done")):
        record_action(
            db,
            filled,
            theme_id="people.groups_of_men",
            district=None,
            asked="a",
            done=" ",
            owner="c",
            status="done",
            action_date=date(2026, 1, 1),
            theme_ids=list(CTX.theme_labels),
            districts=[],
        )
    assert [a.done for a in list_actions(db, district="Dover")] == ["Street pastors on Fridays"]
    assert list_actions(db, district="Swale") == []


@pytest.mark.slow  # a benchmark command
def test_bench_dashboard_command_seeds_and_prints_both_figures(app_database, capsys):
    assert (
        main(["bench-dashboard", "--responses", "300", "--incidents", "2000", "--reruns", "4"]) == 0
    )
    out = capsys.readouterr().out
    assert re.search(r"^rerun median: \d+ ms$", out, re.M)
    assert re.search(r"^first aggregation: \d+ ms$", out, re.M)
