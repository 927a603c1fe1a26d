"""`youthvoice bench-load`: what it drives and what it refuses (never how fast: that is the
command's own output)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from sqlmodel import func, select

from cli.bench.load import LoadOptions, random_answers, run_load
from cli.bench.streamlit_client import NotLoopback, loopback_only
from cli.main import main
from survey.core.models import Response


@pytest.mark.parametrize(
    "url",
    [
        "http://10.0.0.5:8501",
        "http://192.168.1.20:8501",
        "http://example.org",
        "http://127.0.0.1.example.org:8501",
        "ftp://127.0.0.1",
    ],
)
def test_bench_load_refuses_a_host_that_is_not_loopback(url: str, capsys) -> None:
    with pytest.raises(NotLoopback):
        loopback_only(url)
    assert main(["bench-load", "--url", url, "-n", "1"]) == 2
    assert "bench-load:" in capsys.readouterr().err


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:8501",
        "http://localhost:8501/",
        "http://[::1]:8501",
        "http://127.0.0.2",
        "https://127.0.0.1:8443",  # nginx's TLS in front of replicas, on loopback
    ],
)
def test_bench_load_takes_a_loopback_address(url: str) -> None:
    loopback_only(url)


def test_bench_load_refuses_a_postgres_server_elsewhere_and_a_crowd_too_big(capsys) -> None:
    assert main(["bench-load", "--postgres", "postgresql://postgres@db.example.org/x"]) == 2
    assert main(["bench-load", "-n", "100000"]) == 2
    err = capsys.readouterr().err
    assert "loopback" in err and "--young-people must be 1 to 500" in err


def test_bench_load_bare_form_stores_a_response_once(
    app_database: str, db, tagger, definition
) -> None:
    import asyncio
    import random

    import httpx

    from cli.bench.bare_form import app, lifespan

    async def fill_in_and_send_twice() -> None:
        transport = httpx.ASGITransport(app=app)
        async with (
            lifespan(app),
            httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1") as client,
        ):
            page = await client.get("/")
            assert page.status_code == 200 and "Send my answers" in page.text
            submission = re.search(r'name="submission_id" value="([^"]+)"', page.text)
            assert submission is not None
            fields: dict[str, list[str]] = {"submission_id": [submission.group(1)]}
            for name, value in random_answers(definition.questionnaire, random.Random(3)):
                fields.setdefault(name, []).append(value)
            for _ in range(2):  # a second press of the same form stores nothing more
                sent = await client.post("/send", data=fields)
                assert sent.status_code == 200 and "saved" in sent.text

    asyncio.run(fill_in_and_send_twice())
    assert db.exec(select(func.count()).select_from(Response)).one() == 1


@pytest.mark.slow  # starts a real Streamlit server
def test_bench_load_drives_one_whole_journey_against_a_real_server(
    theme_model_dir: Path, capsys
) -> None:
    # The bench starts the app on a free port with a fresh database, warms it with one
    # journey, then drives one young person through the whole survey over the websocket.
    report = run_load(LoadOptions(young_people=1, think=(0, 0), bare_form=False))
    out = capsys.readouterr().out
    assert report.stored == 1 and report.lost == 0 and report.errors == 0, out
    for step in ("first page", "start", "send"):
        assert re.search(rf"^  {step} +1 +\d+", out, re.M), out
    assert re.search(r"^  next +[4-9] ", out, re.M), out  # each part's Next, 4 or 5 of them
    assert "journeys completed 1/1; responses stored 1 (read from the database); lost 0" in out
    assert re.search(r"server CPU [\d.]+ s in \d+ s: [\d.]+ ms per journey", out), out
    assert len(re.findall(r"^load average (before|after): ", out, re.M)) == 2
