"""`youthvoice bench-load`: young people doing the whole survey at once, over Streamlit's own
websocket protocol, with the bare form's cost beside it.

N phones (cli/bench/streamlit_client.py) each open the first page, press Start, answer and
press Next on every part, press Send and wait for the thank-you page; with a think time
before each press (seeded), or as a burst with none. Every step is timed; the responses
stored are counted in the database; the server's CPU is read from /proc for its process
(the bench starts one, on a free loopback port with a fresh database, or is given one).
Then, in the same run, the same number of clients send the same kind of answers to a bare
Starlette form (cli/bench/bare_form.py, started here with uvicorn) that calls the same
`submit_response`: its CPU per response is the floor that Streamlit's is compared with.

Bounded: at most MOST_YOUNG_PEOPLE phones, a timeout per step and a deadline for the run.
Loopback only: the app's address, and a PostgreSQL server it creates a database on, must
be this machine's.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import random
import resource
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cli.bench.replicas import behind_nginx
from cli.bench.startup import load_average
from cli.bench.streamlit_client import TEXTS, NotLoopback, Phone, StepFailed, journey, loopback_only
from survey.core.settings import PROJECT_ROOT

MOST_YOUNG_PEOPLE = 500
LONGEST_RUN_SECONDS = 1800
STEPS = ("first page", "start", "next", "send")
# How `make run` serves the app (the st.App in server.py; see the Makefile).
APP_ENTRY = "server.py"


@dataclass(frozen=True)
class LoadOptions:
    young_people: int
    think: tuple[float, float]  # seconds before each press; (0, 0): a burst
    seed: int = 1
    url: str | None = None  # None: the bench starts the app itself
    server_pids: tuple[int, ...] = ()
    database: str = "sqlite"  # the fresh database of a server the bench starts
    postgres_server: str | None = None
    database_url: str | None = None  # the given server's database, to count responses
    step_timeout: float = 60.0
    deadline: float = 600.0
    bare_form: bool = True
    replicas: int = 0  # 0: one server, reached directly; N: N replicas behind nginx (deploy/)

    def check(self) -> None:
        if not 1 <= self.young_people <= MOST_YOUNG_PEOPLE:
            raise ValueError(f"--young-people must be 1 to {MOST_YOUNG_PEOPLE}")
        low, high = self.think
        if low < 0 or high < low or high > 300:
            raise ValueError("--think must be LOW-HIGH seconds, 0 <= LOW <= HIGH <= 300")
        if not 0 < self.deadline <= LONGEST_RUN_SECONDS:
            raise ValueError(f"--deadline must be 1 to {LONGEST_RUN_SECONDS} seconds")
        if self.step_timeout <= 0:
            raise ValueError("--step-timeout must be positive")
        if not 0 <= self.replicas <= 8:
            raise ValueError("--replicas must be 0 to 8")
        if self.replicas and self.url is not None:
            raise ValueError("--replicas starts its own servers: leave out --url")
        if self.url is not None:
            loopback_only(self.url)
        if self.postgres_server is not None:
            _loopback_database(self.postgres_server)
        if self.database_url is not None:
            _loopback_database(self.database_url)


def _loopback_database(url: str) -> None:
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        return
    host = parsed.host or "localhost"
    loopback_only(f"http://{'[' + host + ']' if ':' in host else host}/")


# --- figures ---------------------------------------------------------------------------


def percentile(values: list[float], share: float) -> float:
    """The nearest-rank percentile (share 0..100) of a non-empty list."""
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * share // 100))
    return ordered[int(rank) - 1]


def timing_line(name: str, seconds: list[float]) -> str:
    if not seconds:
        return f"  {name:<16}{0:>6}"
    ms = [s * 1000 for s in seconds]
    p50, p95, p99 = (percentile(ms, p) for p in (50, 95, 99))
    return f"  {name:<16}{len(ms):>6}{p50:>9.0f}{p95:>9.0f}{p99:>9.0f}{max(ms):>9.0f}"


TIMING_HEADER = f"  {'step':<16}{'n':>6}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'max ms':>9}"


class ProcessCPU:
    """CPU seconds (user + system, every thread) and resident memory of processes, read
    from /proc."""

    def __init__(self, pids: tuple[int, ...]) -> None:
        self.pids = pids
        self._tick = os.sysconf("SC_CLK_TCK")

    def seconds(self) -> float:
        total = 0.0
        for pid in self.pids:
            with open(f"/proc/{pid}/stat") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / self._tick
        return total

    def rss_mb(self) -> float:
        total = 0
        for pid in self.pids:
            with open(f"/proc/{pid}/status") as status:
                total += next(int(line.split()[1]) for line in status if line.startswith("VmRSS:"))
        return total / 1024


def own_cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


# --- databases and servers -------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextlib.contextmanager
def fresh_database(kind: str, folder: Path, name: str, postgres_server: str) -> Iterator[str]:
    """An empty, migrated database (a SQLite file in `folder`, or a new PostgreSQL database
    on `postgres_server`, dropped afterwards); yields its URL."""
    from sqlalchemy import text
    from sqlalchemy.engine import make_url

    from survey.core.database import make_engine, migrate

    if kind == "sqlite":
        url = f"sqlite:///{folder / f'{name}.db'}"
        engine = make_engine(url)
        migrate(engine)
        engine.dispose()
        yield url
        return
    _loopback_database(postgres_server)
    server = make_url(postgres_server)
    database = f"youthvoice_bench_{name}_{uuid.uuid4().hex[:8]}"
    admin = make_engine(server.render_as_string(hide_password=False))
    with admin.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text(f'CREATE DATABASE "{database}"'))
    url = server.set(database=database).render_as_string(hide_password=False)
    try:
        engine = make_engine(url)
        migrate(engine)
        engine.dispose()
        yield url
    finally:
        with admin.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)'))
        admin.dispose()


def count_responses(database_url: str) -> int:
    from sqlmodel import Session, func, select

    from survey.core.database import make_engine
    from survey.core.models import Response

    engine = make_engine(database_url)
    try:
        with Session(engine) as db:
            return int(db.exec(select(func.count()).select_from(Response)).one())
    finally:
        engine.dispose()


@dataclass
class Server:
    process: subprocess.Popen
    url: str
    log: Path

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def _wait_until_answering(url: str, process: subprocess.Popen, log: Path, path: str) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server exited at start:\n{log.read_text()[-2000:]}")
        try:
            with urllib.request.urlopen(f"{url}{path}", timeout=2) as reply:
                if reply.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"the server did not answer within 120 s:\n{log.read_text()[-2000:]}")


@contextlib.contextmanager
def started(command: list[str], database_url: str, log: Path, ready_path: str) -> Iterator[Server]:
    """A server process on a free loopback port (`{port}` in the command), with this
    database; stopped afterwards."""
    port = free_port()
    env = {**os.environ, "DATABASE_URL": database_url}
    with log.open("w") as out:
        process = subprocess.Popen(
            [part.format(port=port) for part in command],
            cwd=PROJECT_ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    server = Server(process, f"http://127.0.0.1:{port}", log)
    try:
        _wait_until_answering(server.url, process, log, ready_path)
        yield server
    finally:
        server.stop()


def streamlit_command() -> list[str]:
    """The app as `make run` serves it, on loopback, at `{port}`."""
    return [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(PROJECT_ROOT / APP_ENTRY),
        "--server.address",
        "127.0.0.1",
        "--server.port",
        "{port}",
        "--server.headless",
        "true",
        "--browser.gatherUsageStats",
        "false",
    ]


def bare_form_command() -> list[str]:
    return [
        sys.executable,
        "-m",
        "uvicorn",
        "cli.bench.bare_form:app",
        "--host",
        "127.0.0.1",
        "--port",
        "{port}",
        "--log-level",
        "warning",
        "--no-access-log",
    ]


# --- the young people ------------------------------------------------------------------


@dataclass
class CrowdResult:
    steps: dict[str, list[float]] = field(default_factory=lambda: {s: [] for s in STEPS})
    completed: int = 0
    errors: Counter[str] = field(default_factory=Counter)
    wall_seconds: float = 0.0


async def _crowd(url: str, options: LoadOptions, result: CrowdResult) -> None:
    master = random.Random(options.seed)

    def record(step: str, seconds: float) -> None:
        result.steps.setdefault(step, []).append(seconds)

    async def one_young_person(rng: random.Random) -> None:
        try:
            async with Phone(url, options.step_timeout) as phone:
                await journey(phone, rng, options.think, record)
            result.completed += 1
        except StepFailed as failure:
            result.errors[str(failure)[:120]] += 1
        except (OSError, TimeoutError) as failure:
            result.errors[f"connection: {type(failure).__name__}"] += 1
        except Exception as failure:  # a websocket closed by the server, and the like
            result.errors[f"{type(failure).__name__}: {str(failure)[:80]}"] += 1

    tasks = [
        asyncio.create_task(one_young_person(random.Random(master.random())))
        for _ in range(options.young_people)
    ]
    started_at = time.perf_counter()
    _, pending = await asyncio.wait(tasks, timeout=options.deadline)
    for task in pending:
        task.cancel()
    if pending:
        await asyncio.gather(*pending, return_exceptions=True)
        result.errors[f"not finished within the {options.deadline:.0f} s deadline"] += len(pending)
    result.wall_seconds = time.perf_counter() - started_at


def drive_crowd(url: str, options: LoadOptions) -> CrowdResult:
    result = CrowdResult()
    asyncio.run(_crowd(url, options, result))
    return result


def warm_up(url: str, timeout: float) -> float:
    """One whole journey, untimed in the figures: the app's first run loads the tagger and
    the checks (a server that has just started would charge it to the first young person)."""
    started_at = time.perf_counter()
    options = LoadOptions(young_people=1, think=(0, 0), step_timeout=max(timeout, 180))
    result = drive_crowd(url, options)
    if result.completed != 1:
        raise RuntimeError(f"the warm-up journey failed: {dict(result.errors)}")
    return time.perf_counter() - started_at


# --- the bare form ---------------------------------------------------------------------


def random_answers(questionnaire: Any, rng: random.Random) -> list[tuple[str, str]]:
    """Form fields answering the survey as the phones do: part by part, only the questions
    the skip logic shows; a choice nine times in ten, each box three times in ten (never
    "rather not say" with others), text four times in five."""
    from survey.questionnaire import QuestionType, sections_ahead, visible_questions

    answers: dict[str, Any] = {}
    done: set[str] = set()
    while True:
        ahead = [s for s in sections_ahead(questionnaire, answers) if s.id not in done]
        if not ahead:
            break
        section = ahead[0]
        done.add(section.id)
        for question in visible_questions(section, answers):
            if question.type == QuestionType.FREE_TEXT:
                answers[question.id] = rng.choice(TEXTS) if rng.random() < 0.8 else None
            elif question.type == QuestionType.MULTI_CHOICE:
                answers[question.id] = [
                    c.value
                    for c in question.choices
                    if rng.random() < 0.3 and "rather not say" not in c.label.lower()
                ]
            else:
                answers[question.id] = (
                    rng.choice(question.options()) if rng.random() < 0.9 else None
                )
    fields: list[tuple[str, str]] = []
    for qid, value in answers.items():
        for one in value if isinstance(value, list) else [value]:
            if one is not None:
                fields.append((qid, one))
    return fields


@dataclass
class FormResult:
    posted: int = 0
    seconds: list[float] = field(default_factory=list)
    errors: Counter[str] = field(default_factory=Counter)
    wall_seconds: float = 0.0


async def _form_clients(
    url: str, clients: int, questionnaire: Any, seed: int, timeout: float, result: FormResult
) -> None:
    import re

    import httpx

    master = random.Random(seed)
    hidden = re.compile(r'name="submission_id" value="([^"]+)"')

    async def one_client(rng: random.Random) -> None:
        try:
            async with httpx.AsyncClient(base_url=url, timeout=timeout) as client:
                started_at = time.perf_counter()
                page = await client.get("/")
                page.raise_for_status()
                found = hidden.search(page.text)
                if found is None:
                    raise ValueError("no submission id on the form")
                fields = [("submission_id", found.group(1)), *random_answers(questionnaire, rng)]
                sent = await client.post("/send", data=_multi(fields))
                sent.raise_for_status()
                result.seconds.append(time.perf_counter() - started_at)
                result.posted += 1
        except Exception as failure:
            result.errors[f"{type(failure).__name__}: {str(failure)[:80]}"] += 1

    started_at = time.perf_counter()
    await asyncio.gather(*(one_client(random.Random(master.random())) for _ in range(clients)))
    result.wall_seconds = time.perf_counter() - started_at


def _multi(fields: list[tuple[str, str]]) -> dict[str, list[str]]:
    grouped: dict[str, list[str]] = {}
    for name, value in fields:
        grouped.setdefault(name, []).append(value)
    return grouped


def drive_form(url: str, clients: int, questionnaire: Any, seed: int, timeout: float) -> FormResult:
    result = FormResult()
    asyncio.run(_form_clients(url, clients, questionnaire, seed, timeout, result))
    return result


# --- the run ---------------------------------------------------------------------------


@dataclass
class LoadReport:
    lines: list[str]
    streamlit_cpu_ms: float | None
    bare_cpu_ms: float | None
    stored: int
    lost: int
    errors: int

    @property
    def ratio(self) -> float | None:
        if not self.streamlit_cpu_ms or not self.bare_cpu_ms:
            return None
        return self.streamlit_cpu_ms / self.bare_cpu_ms


def run_load(options: LoadOptions, say: Callable[[str], None] = print) -> LoadReport:
    """Drive the crowd (and the bare form) and print the figures as they come."""
    from survey.core.settings import get_settings
    from survey.startup import load_survey_definition

    options.check()
    lines: list[str] = []

    def out(line: str) -> None:
        lines.append(line)
        say(line)

    settings = get_settings()
    questionnaire = load_survey_definition(settings).questionnaire
    postgres = options.postgres_server or os.environ.get(
        "TEST_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/postgres"
    )
    out(f"load average before: {load_average()}")
    mode = (
        "a burst (no think time)"
        if options.think[1] == 0
        else f"think time {options.think[0]:g}-{options.think[1]:g} s before each press"
    )
    folder = Path(tempfile.mkdtemp(prefix="youthvoice-bench-load-"))
    try:
        with contextlib.ExitStack() as stack:
            if options.url is None:
                database_url = stack.enter_context(
                    fresh_database(options.database, folder, "app", postgres)
                )
                servers = [
                    stack.enter_context(
                        started(
                            streamlit_command(),
                            database_url,
                            folder / f"streamlit-{i}.log",
                            "/_stcore/health",
                        )
                    )
                    for i in range(max(options.replicas, 1))
                ]
                pids: tuple[int, ...] = tuple(s.process.pid for s in servers)
                replica_urls = [s.url for s in servers] if options.replicas else []
                if options.replicas:
                    proxy = stack.enter_context(
                        behind_nginx([s.url for s in servers], folder, free_port())
                    )
                    url = proxy.url
                    where = (
                        f"{options.replicas} replica(s) started by the bench behind nginx "
                        f"(deploy/nginx) on {url}, a fresh {options.database} database"
                    )
                else:
                    url = servers[0].url
                    where = f"started by the bench on {url}, a fresh {options.database} database"
            else:
                url, pids, replica_urls = options.url, options.server_pids, []
                database_url = options.database_url or settings.database_url
                where = f"given: {url}"
            cpu = ProcessCPU(pids) if pids else None
            out(
                f"Streamlit: {options.young_people} young people, the whole survey, {mode}, "
                f"seed {options.seed}; server {where}"
                + (f", pid {', '.join(map(str, pids))}" if pids else " (no pid: no CPU figure)")
            )
            # Each replica warmed on its own: through nginx, the one journey reaches one.
            for warm_url in replica_urls or [url]:
                seconds = warm_up(warm_url, options.step_timeout)
                out(f"  warm-up journey (not counted): {seconds:.1f} s")
            stored_before = count_responses(database_url)
            cpu_before = cpu.seconds() if cpu else 0.0
            own_before = own_cpu_seconds()
            crowd = drive_crowd(url, options)
            cpu_used = cpu.seconds() - cpu_before if cpu else None
            own_used = own_cpu_seconds() - own_before
            stored = count_responses(database_url) - stored_before
            out(TIMING_HEADER)
            for step in STEPS:
                out(timing_line(step, crowd.steps.get(step, [])))
            after_first = [s for step in STEPS[1:] for s in crowd.steps.get(step, [])]
            out(timing_line("every press", after_first))
            lost = options.young_people - stored
            errors = sum(crowd.errors.values())
            out(
                f"  journeys completed {crowd.completed}/{options.young_people}; responses "
                f"stored {stored} (read from the database); lost {lost}; errors {errors}"
            )
            for message, count in crowd.errors.most_common(5):
                out(f"    {count} × {message}")
            streamlit_ms = None
            if cpu is not None and cpu_used is not None and crowd.completed:
                streamlit_ms = cpu_used * 1000 / crowd.completed
                out(
                    f"  server CPU {cpu_used:.1f} s in {crowd.wall_seconds:.0f} s: "
                    f"{streamlit_ms:.1f} ms per journey; server memory {cpu.rss_mb():.0f} MB; "
                    f"the bench's own CPU {own_used:.1f} s"
                )
        bare_ms = None
        if options.bare_form:
            bare_ms = _bare_form(options, questionnaire, folder, postgres, out)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    report = LoadReport(lines, streamlit_ms, bare_ms, stored, lost, errors)
    if report.ratio is not None:
        out(
            f"Streamlit's CPU per journey is {report.ratio:.1f}× the bare form's per response "
            f"({streamlit_ms:.1f} ms / {bare_ms:.1f} ms)"
        )
    out(f"load average after: {load_average()}")
    return report


def _bare_form(
    options: LoadOptions,
    questionnaire: Any,
    folder: Path,
    postgres: str,
    out: Callable[[str], None],
) -> float | None:
    kind = options.database if options.url is None else _kind(options.database_url)
    with (
        fresh_database(kind, folder, "form", postgres) as database_url,
        started(bare_form_command(), database_url, folder / "form.log", "/") as server,
    ):
        out(
            f"Bare form (Starlette + uvicorn, the same submit_response): {options.young_people} "
            f"clients at once over HTTP on {server.url}, pid {server.process.pid}, a fresh "
            f"{kind} database"
        )
        warm = drive_form(server.url, 1, questionnaire, options.seed + 1, options.step_timeout)
        if warm.posted != 1:
            raise RuntimeError(f"the bare form's warm-up failed: {dict(warm.errors)}")
        cpu = ProcessCPU((server.process.pid,))
        stored_before = count_responses(database_url)
        cpu_before = cpu.seconds()
        result = drive_form(
            server.url, options.young_people, questionnaire, options.seed, options.step_timeout
        )
        cpu_used = cpu.seconds() - cpu_before
        stored = count_responses(database_url) - stored_before
    out(TIMING_HEADER)
    out(timing_line("form and send", result.seconds))
    out(
        f"  responses stored {stored} (read from the database); errors "
        f"{sum(result.errors.values())}"
    )
    for message, count in result.errors.most_common(3):
        out(f"    {count} × {message}")
    if not stored:
        return None
    per_response = cpu_used * 1000 / stored
    out(f"  server CPU {cpu_used:.2f} s: {per_response:.1f} ms per response")
    return per_response


def _kind(database_url: str | None) -> str:
    from sqlalchemy.engine import make_url

    from survey.core.settings import get_settings

    url = make_url(database_url or get_settings().database_url)
    return "sqlite" if url.get_backend_name() == "sqlite" else "postgresql"


__all__ = ["LoadOptions", "NotLoopback", "run_load"]
