"""Incident data commands: import-incidents, undo-import, list-imports, bench-import,
bench-upload.

The importers (pandas, the database) are imported inside the handlers, so other commands
(and --help) do not pay for them.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path
from typing import Any

from survey.staff.permissions import operator

# The operator at the server imports and undoes as an admin would; the audit log names them so.
OPERATOR = operator("command line")


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "import-incidents",
        help="import police.uk street-level crime files (or zips), or partner CSVs with --mapping",
        description="Import incident files as one unit: everything is checked first, and a "
        "file with bad rows stores nothing unless --only-good-rows. Files already imported "
        "are skipped; a police.uk month imported again replaces the earlier rows.",
    )
    parser.add_argument("files", nargs="+", metavar="FILE", help="CSV or zip files")
    parser.add_argument(
        "--mapping", help="partner mapping: a YAML path or a name in data/partner_mappings/"
    )
    parser.add_argument(
        "--only-good-rows", action="store_true", help="store the rows without errors"
    )
    parser.add_argument("--check", action="store_true", help="check and report; store nothing")
    parser.add_argument("--json", action="store_true", help="print the report as JSON")
    parser.set_defaults(handler=run_import)

    undo = subparsers.add_parser("undo-import", help="undo an incident import as a unit")
    undo.add_argument("import_id", type=int, metavar="ID")
    undo.add_argument("--json", action="store_true")
    undo.set_defaults(handler=run_undo)

    listing = subparsers.add_parser("list-imports", help="list incident imports, newest first")
    listing.add_argument("--limit", type=int, default=50)
    listing.add_argument("--json", action="store_true")
    listing.set_defaults(handler=run_list)

    bench = subparsers.add_parser(
        "bench-import", help="time importing a generated police.uk file into DATABASE_URL"
    )
    bench.add_argument("--rows", type=int, default=1_000_000)
    bench.add_argument("--keep", action="store_true", help="keep the imported rows")
    bench.add_argument("--seed", type=int, default=1)
    bench.set_defaults(handler=run_bench_import)

    upload = subparsers.add_parser(
        "bench-upload",
        help="peak memory of checking and importing a generated police.uk upload, as the "
        "import page does, read from memory (the old way) and from a copy on disk",
    )
    upload.add_argument("--rows", type=int, default=750_000, help="750,000 rows is ~150 MB")
    upload.add_argument("--seed", type=int, default=1)
    upload.set_defaults(handler=run_bench_upload)


def run_import(args: argparse.Namespace) -> int:
    from sqlmodel import Session

    from cli.context import open_engine
    from incidents.importing import import_files
    from incidents.partner_mapping import load_partner_mapping, partner_mapping_path
    from incidents.reading import UnreadableFile, files_from_paths
    from incidents.report import CHECKED, REFUSED, format_report
    from incidents.vocabulary import vocabulary_from_settings
    from survey.core.data_files import DataFileError
    from survey.core.settings import get_settings

    settings = get_settings()
    try:
        vocabulary = vocabulary_from_settings(settings)
        mapping = mapping_name = None
        if args.mapping:
            path = partner_mapping_path(settings.data_dir, args.mapping)
            mapping, mapping_name = load_partner_mapping(path, vocabulary), path.stem
        files = files_from_paths(args.files)
    except (DataFileError, UnreadableFile, OSError) as problem:
        return _fail(args, str(problem))
    with Session(open_engine(), expire_on_commit=False) as db:
        report = import_files(
            db,
            OPERATOR,
            files,
            vocabulary=vocabulary,
            mapping=mapping,
            mapping_name=mapping_name,
            only_good_rows=args.only_good_rows,
            dry_run=args.check,
        )
    _print(args, report.to_dict(), format_report(report))
    refused = report.status == REFUSED or (report.status == CHECKED and report.error_count > 0)
    return 1 if refused else 0


def run_undo(args: argparse.Namespace) -> int:
    from sqlmodel import Session

    from cli.context import open_engine
    from incidents.history import UndoRefused, undo_import

    with Session(open_engine(), expire_on_commit=False) as db:
        try:
            result = undo_import(db, OPERATOR, args.import_id)
        except UndoRefused as refusal:
            return _fail(args, str(refusal))
    text = (
        f"Undid import #{result.import_id}: removed {result.removed:,} incidents, "
        f"restored {result.restored:,} rows it had replaced."
    )
    _print(
        args,
        {"import_id": result.import_id, "removed": result.removed, "restored": result.restored},
        text,
    )
    return 0


def run_list(args: argparse.Namespace) -> int:
    from sqlmodel import Session

    from cli.context import open_engine
    from incidents.history import import_history

    with Session(open_engine(), expire_on_commit=False) as db:
        history = import_history(db, limit=args.limit)
    if args.json:
        print(history.to_json(orient="records", date_format="iso"))
    elif history.empty:
        print("No incident imports yet.")
    else:
        print(history.drop(columns=["undone_by"]).to_string(index=False))
    return 0


def run_bench_import(args: argparse.Namespace) -> int:
    from cli.context import open_engine
    from incidents.bench import run_bench
    from incidents.vocabulary import vocabulary_from_settings
    from survey.core.settings import get_settings

    engine = open_engine()
    print(
        f"Generating {args.rows:,} police.uk rows and importing them into "
        f"{engine.url.render_as_string(hide_password=True)} ...",
        flush=True,
    )
    result = run_bench(
        engine,
        vocabulary_from_settings(get_settings()),
        rows=args.rows,
        keep=args.keep,
        seed=args.seed,
    )
    report = result.report
    print(
        f"Read {result.rows:,} rows, stored {report.stored:,} ({report.status}) "
        f"in {result.seconds:.1f} s: {result.rows_per_second:,.0f} rows/s."
    )
    print(
        f"Peak memory {result.peak_memory_mb:.0f} MB "
        f"(before the import {result.memory_before_mb:.0f} MB)."
    )
    if result.undo_seconds is not None:
        print(f"Undo of the import took {result.undo_seconds:.1f} s.")
    return 0 if report.stored else 1


def run_bench_upload(args: argparse.Namespace) -> int:
    from cli.bench.upload import run_upload_bench
    from incidents.bench import write_police_uk_file
    from incidents.vocabulary import vocabulary_from_settings
    from survey.core.settings import get_settings

    with tempfile.TemporaryDirectory(prefix="youthvoice-bench-upload-") as folder:
        path = Path(folder) / f"bench-{args.rows}-street.csv"
        write_police_uk_file(
            path, args.rows, vocabulary_from_settings(get_settings()), seed=args.seed
        )
        print(f"Generated {path.stat().st_size / 2**20:,.0f} MB of police.uk rows ...", flush=True)
        results = run_upload_bench(path)
    for r in results:
        print(
            f"{r['way']:>9}: peak RSS {r['peak_mb']:,.0f} MB; RSS before the upload "
            f"{r['before_upload_mb']:,.0f} MB, holding it {r['holding_upload_mb']:,.0f} MB, "
            f"after the import {r['after_mb']:,.0f} MB; checked and imported {r['rows']:,} "
            f"rows ({r['status']}) in {r['seconds']} s"
        )
    return 0


def _print(args: argparse.Namespace, data: dict[str, Any], text: str) -> None:
    print(json.dumps(data, default=str, indent=2) if args.json else text)


def _fail(args: argparse.Namespace, message: str) -> int:
    if args.json:
        print(json.dumps({"status": "error", "message": message}))
    print(message, file=sys.stderr)
    return 2
