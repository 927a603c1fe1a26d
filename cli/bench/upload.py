"""Peak memory of checking and importing an uploaded police.uk file the way the incident
import page does (`youthvoice bench-upload`), both ways:

- in-memory: the page before uploads went to disk: the upload's bytes, read whole;
- on-disk: the page now: the upload copied to disk a chunk at a time (spool_upload), then
  checked and imported from the copy (import_uploads), never read whole into memory.

The upload is a file object over the file's bytes, held in memory as the server holds an
upload (Streamlit's UploadedFile is such a BytesIO); the page's own code is not needed to
measure the domain's. Each way runs in a fresh process (a process's peak RSS only ever
grows), against its own new SQLite database, so neither touches DATABASE_URL and the second
is not skipped as a repeat.
"""

from __future__ import annotations

import io
import json
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy.engine import Engine
from sqlmodel import Session

from incidents.importing import POLICE_UK_CHOICE, import_files, import_uploads
from incidents.reading import discard_spooled, files_from_uploads, spool_upload
from incidents.report import ImportReport
from incidents.vocabulary import vocabulary_from_settings
from survey.core.database import make_engine, migrate
from survey.core.settings import Settings
from survey.staff.permissions import operator

WAYS = ("in-memory", "on-disk")
BENCH = operator("bench-upload")  # run on the server, like the command line


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def rss_mb() -> float:
    """The resident size now (Linux), to show what holding the upload itself costs."""
    try:
        pages = int(Path("/proc/self/statm").read_text().split()[1])
    except OSError:
        return float("nan")
    return pages * resource.getpagesize() / 2**20


def measure(way: str, csv_path: Path, folder: Path) -> dict[str, object]:
    """Check then import `csv_path` as an upload, one way; the figures in MB and seconds."""
    settings = Settings()
    engine = make_engine(f"sqlite:///{folder / f'{way}.db'}")
    migrate(engine)
    vocabulary = vocabulary_from_settings(settings)
    figures: dict[str, object] = {"way": way, "before_upload_mb": rss_mb()}
    upload = io.BytesIO(csv_path.read_bytes())  # from here only the upload holds the bytes
    size = upload.getbuffer().nbytes
    figures["holding_upload_mb"] = rss_mb()
    started = time.perf_counter()
    if way == "in-memory":
        files = files_from_uploads([(csv_path.name, upload.getvalue())])
        options: dict[str, Any] = {"vocabulary": vocabulary}
        reports = [_run(engine, import_files, files, options, dry) for dry in (True, False)]
    else:
        copy = spool_upload(upload, csv_path.name, folder / "uploads")
        options = {"settings": settings, "choice": POLICE_UK_CHOICE}
        reports = [_run(engine, import_uploads, [copy], options, dry) for dry in (True, False)]
        discard_spooled(copy)
    engine.dispose()
    figures["seconds"] = round(time.perf_counter() - started, 1)
    figures["peak_mb"] = peak_rss_mb()
    figures["after_mb"] = rss_mb()
    figures["upload_mb"] = round(size / 2**20, 1)
    figures["rows"] = reports[-1].rows_read
    figures["status"] = reports[-1].status
    return figures


def _run(
    engine: Engine,
    importer: Callable[..., ImportReport],
    files: object,
    options: dict[str, Any],
    dry: bool,
) -> ImportReport:
    """The check (a dry run) or the import, in its own session, as the page runs them."""
    with Session(engine, expire_on_commit=False) as db:
        return importer(db, BENCH, files, **options, dry_run=dry)


def run_upload_bench(csv_path: Path) -> list[dict[str, object]]:
    """Measure each way in its own process."""
    results = []
    for way in WAYS:
        with tempfile.TemporaryDirectory(prefix="youthvoice-bench-upload-") as folder:
            out = subprocess.run(
                [sys.executable, "-m", "cli.bench.upload", way, str(csv_path), folder],
                check=True,
                capture_output=True,
                text=True,
            ).stdout
        results.append(json.loads(out.strip().splitlines()[-1]))
    return results


if __name__ == "__main__":
    print(json.dumps(measure(sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3]))))
