"""A browser whose very first address is a page's own (a bookmark, a link in an email) is
served through app.py's navigation, never pages/ as a flat menu of every file.

Streamlit serves an app with a `pages/` folder the old way until app.py has run once;
AppTest starts every run that way, so a fresh AppTest whose first run asks for a page is
that first visit (ui/navigation.served_through_app; tests/browser/test_first_address.py
does it with a real browser and server).
"""

from __future__ import annotations

import ast

import pytest

from survey.core.settings import PROJECT_ROOT
from tests.support import app_test
from ui.navigation import THROUGH_APP

FIRST_ADDRESSES = {
    "pages/sign_in.py": "Staff sign in",
    "pages/you_said_we_did.py": "You said, we did",
    # A staff page: the sign-in form answers at its address ("Please sign in to see this
    # page"; tests/browser/test_lasting_sign_in.py signs in there and lands on the page).
    "pages/review_desk.py": "Staff sign in",
}


@pytest.mark.parametrize(("page", "title"), FIRST_ADDRESSES.items())
def test_first_address_a_page_url_is_served_through_app_py(
    app_database, theme_model_dir, page, title
):
    at = app_test("app.py")
    at.switch_page(page)  # before any run: the address the browser opened with
    at.run()
    assert not at.exception
    assert at.session_state[THROUGH_APP]  # app.py ran and built the navigation
    assert [t.value for t in at.title] == [title]
    assert not at.error  # no staff page ran to refuse a visitor who is not signed in
    asked = [i.value for i in at.info] == ["Please sign in to see this page."]
    assert asked == (page == "pages/review_desk.py")
    # The young people's navigation, not every file in pages/:
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page("pages/board_overview.py")


def _first_call(page: str) -> str:
    """The first function a page's module body calls (after its imports), as written."""
    tree = ast.parse((PROJECT_ROOT / page).read_text(encoding="utf-8"))
    for statement in tree.body:
        if isinstance(statement, ast.Import | ast.ImportFrom | ast.FunctionDef):
            continue
        call = next((n for n in ast.walk(statement) if isinstance(n, ast.Call)), None)
        if call is not None:
            return ast.unparse(call.func)
    raise AssertionError(f"{page} calls nothing")


@pytest.mark.parametrize("page", sorted(p.name for p in (PROJECT_ROOT / "pages").glob("*.py")))
def test_first_address_every_page_starts_by_checking_it_came_through_app_py(page):
    # staff_page() calls served_through_app() first (ui/staff_gate.py).
    assert _first_call(f"pages/{page}") in {"served_through_app", "staff_page"}
