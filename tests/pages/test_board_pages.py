from __future__ import annotations

from datetime import date

from survey.participation.actions import record_action
from survey.staff.users import Role
from tests.board_fixtures import add_incidents, add_responses
from tests.support import app_test, click, staff


def _as(member, page: str):
    at = app_test(page)
    at.session_state["staff_user_id"] = member.id
    return at.run()


def _fill(db, definition) -> None:
    add_responses(db, definition, "Dover", ["groups_of_men", "fights"], 8)
    add_responses(db, definition, "Swale", ["weapons"], 6)
    add_responses(db, definition, "Thanet", ["weapons"], 2)
    add_incidents(db, "Dover", 30, place="place.transport_hub", band="late")


def test_board_pages_overview_shows_figures_charts_and_follows_filters(
    app_database, db, definition
):
    _fill(db, definition)
    at = _as(staff(db, "bea", Role.BOARD), "pages/board_overview.py")
    assert not at.exception
    assert at.metric[0].value == "16"
    assert len(at.get("vega_lite_chart")) == 6
    titles = " ".join(str(c.proto.spec) for c in at.get("vega_lite_chart"))
    assert "Where do young people feel unsafe, and where is violence recorded?" in titles
    table = at.dataframe[0].value.set_index("District")
    assert table.loc["Thanet", "Responses"] == "<5"
    at.multiselect(key="board_districts").set_value(["Dover"]).run()
    assert at.metric[0].value == "8"
    assert list(at.dataframe[0].value["District"]) == ["Dover"]
    click(at, "Prepare the board pack")
    assert len(at.get("download_button")) == 2


def test_board_pages_label_demo_data(app_database, db, definition):
    add_incidents(db, "Dover", 30, source="demo")
    at = _as(staff(db, "bea", Role.BOARD), "pages/board_overview.py")
    assert "synthetic demo data" in at.warning[0].value


def test_board_pages_theme_summaries_and_district_view(app_database, db, definition):
    _fill(db, definition)
    board = staff(db, "bea", Role.BOARD)
    themes = _as(board, "pages/board_themes.py")
    assert not themes.exception
    assert themes.subheader[0].value == "Groups of men" or any(
        s.value == "Groups of men" for s in themes.subheader
    )
    district = _as(board, "pages/board_district.py")
    assert not district.exception
    district.selectbox(key="board_district").set_value("Dover").run()
    assert district.title[0].value == "District view: Dover"
    assert "Whole area" in district.dataframe[0].value.columns


def test_board_pages_actions_recorded_and_shown_to_young_people(app_database, db, definition):
    board = staff(db, "bea", Role.BOARD)
    at = _as(board, "pages/actions.py")
    at.text_area[0].input("More lights by the <script>x</script> station")
    at.text_area[1].input("New lights in Dover station underpass")
    at.text_input[0].input("Dover CSP")
    click(at, "Record action")
    assert "Action recorded" in at.success[0].value
    public = app_test("pages/you_said_we_did.py").run()
    assert not public.exception
    texts = [t.value for t in public.text]
    assert "More lights by the <script>x</script> station" in texts  # shown as plain text
    record_action(
        db,
        board,
        theme_id="ask.transport",
        district="Swale",
        asked="Later buses",
        done="Asked the operator",
        owner="KCC",
        status="planned",
        action_date=date(2026, 2, 1),
        theme_ids=["ask.transport"],
        districts=["Swale"],
    )
    public.selectbox[0].set_value("Dover").run()
    assert "Later buses" not in [t.value for t in public.text]
