"""How fast the `youthvoice` command starts (`youthvoice bench-cli`).

Each command is run as a fresh process, as a person at a terminal runs it, a number of times
after one untimed warm-up run (which fills the disk cache, and trains the theme model if
there is none yet). Wall time is measured around the whole process; peak memory is the
child's own maximum resident size, from wait4. The machine's load average is printed before
and after: on a busy machine the figures are not comparable with an idle one's.

Only the standard library: this module must not itself slow down the command it measures.
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

# What a person runs most: the help, and tagging one short answer.
DEFAULT_COMMANDS: tuple[tuple[str, ...], ...] = (("--help",), ("tag", "town"))


@dataclass(frozen=True)
class StartupTimes:
    args: tuple[str, ...]
    wall_seconds: tuple[float, ...]
    peak_rss_kb: tuple[int, ...]

    @property
    def median_seconds(self) -> float:
        return statistics.median(self.wall_seconds)

    @property
    def min_seconds(self) -> float:
        return min(self.wall_seconds)

    @property
    def peak_rss_mb(self) -> float:
        return max(self.peak_rss_kb) / 1024


def youthvoice_command() -> list[str]:
    """The installed `youthvoice` script beside this Python, else `python -m cli.main`."""
    script = shutil.which("youthvoice", path=str(Path(sys.executable).parent))
    return [script] if script else [sys.executable, "-m", "cli.main"]


def run_once(command: Sequence[str]) -> tuple[float, int]:
    """Wall seconds and peak RSS (KB) of one run of `command`; its output is discarded."""
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    assert process.stderr is not None
    errors = process.stderr.read()  # never fills the pipe; empty for a healthy run
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)  # Popen must not wait again
    process.stderr.close()
    if process.returncode != 0:
        message = errors.decode(errors="replace").strip().splitlines()[-1:] or [""]
        raise RuntimeError(f"{' '.join(command)} exited with {process.returncode}: {message[0]}")
    return seconds, usage.ru_maxrss  # KiB on Linux


def measure(
    args: Sequence[str], runs: int, *, warm_up: bool = True, command: Sequence[str] = ()
) -> StartupTimes:
    full = [*(command or youthvoice_command()), *args]
    if warm_up:
        run_once(full)
    results = [run_once(full) for _ in range(runs)]
    return StartupTimes(tuple(args), tuple(s for s, _ in results), tuple(kb for _, kb in results))


def load_average() -> str:
    one, five, fifteen = os.getloadavg()
    return f"{one:.2f} {five:.2f} {fifteen:.2f} (1, 5, 15 min; {os.cpu_count()} cores)"


def format_times(times: StartupTimes) -> str:
    return (
        f"youthvoice {' '.join(times.args)}: median {times.median_seconds:.2f} s, "
        f"min {times.min_seconds:.2f} s, peak RSS {times.peak_rss_mb:.0f} MB "
        f"({len(times.wall_seconds)} run{'' if len(times.wall_seconds) == 1 else 's'})"
    )


def run(
    runs: int, commands: Sequence[Sequence[str]] = DEFAULT_COMMANDS, *, warm_up: bool = True
) -> list[str]:
    """Measure each command; the report's lines, printed as they come."""
    lines = [f"load average before: {load_average()}"]
    print(lines[-1], flush=True)
    for args in commands:
        lines.append(format_times(measure(args, runs, warm_up=warm_up)))
        print(lines[-1], flush=True)
    lines.append(f"load average after: {load_average()}")
    print(lines[-1], flush=True)
    return lines


if __name__ == "__main__":  # before the command exists: python -m cli.bench.startup [RUNS]
    run(int(sys.argv[1]) if len(sys.argv) > 1 else 10)
