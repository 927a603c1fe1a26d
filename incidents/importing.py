"""Importing incident files: check everything, then store all of it or none of it.

One import is a batch of files (several monthly files, or the CSV files of a zip). The whole
batch is read in one streaming pass inside one transaction: rows are written as they are read
until the first bad row; then writing stops, reading goes on to report every bad row, and the
transaction is rolled back. Only when the analyst asks for "only the good rows" are the good
rows of a file with errors stored. Files already imported (same sha256) are skipped. A police.uk
month already stored for the same force is replaced (the old rows are marked superseded, so
undoing the new import brings them back).
"""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import nullcontext
from pathlib import Path

from sqlmodel import Session

from incidents import partner, police_uk
from incidents.aggregates import refresh_counts
from incidents.models import IncidentImport
from incidents.partner_mapping import (
    PartnerMapping,
    list_partner_mappings,
    load_partner_mapping,
    partner_mapping_path,
)
from incidents.reading import InputFile, UnreadableFile, content_hash, files_from_spooled
from incidents.report import (
    ALREADY_IMPORTED,
    CHECKED,
    NOTHING_TO_STORE,
    REFUSED,
    STORED,
    FileSummary,
    ImportReport,
)
from incidents.storing import (
    CHUNK_ROWS,
    IncidentWriter,
    Slices,
    add_import_file,
    already_imported,
    count_live,
    new_import,
    slices_json,
    supersede,
)
from incidents.vocabulary import IncidentVocabulary, vocabulary_from_settings
from survey.core.audit import record_event
from survey.core.settings import Settings
from survey.staff.permissions import Permission, StaffMember, require

Mapper = police_uk.PoliceUkMapper | partner.PartnerMapper


def import_files(
    db: Session,
    member: StaffMember,
    files: Sequence[InputFile],
    *,
    vocabulary: IncidentVocabulary,
    mapping: PartnerMapping | None = None,
    mapping_name: str | None = None,
    only_good_rows: bool = False,
    dry_run: bool = False,
) -> ImportReport:
    """Import police.uk files (no mapping) or partner files (with their mapping) as one unit,
    for a member who may import incident data (a check too: checking reads the files).

    With `dry_run` nothing is written: the report says what would be stored and replaced.
    Commits on success; rolls back and stores nothing when rows have errors, unless
    `only_good_rows`.
    """
    require(member, Permission.IMPORT_INCIDENTS)
    actor = member.username
    kind, source = (partner.KIND, mapping.source) if mapping else (police_uk.KIND, police_uk.SOURCE)
    report = ImportReport(kind=kind, source=source, only_good_rows=only_good_rows)
    to_read = _files_to_read(db, files, report, police_uk_files=mapping is None)
    if not to_read:
        report.status = ALREADY_IMPORTED if report.duplicates else NOTHING_TO_STORE
        return report
    mapper, columns = _mapper(mapping, vocabulary, report)
    import_id = 0  # a dry run tags nothing and writes nothing
    if not dry_run:
        import_id = new_import(
            db, kind=kind, source=source, file_name=_batch_name(to_read), actor=actor,
            mapping=mapping_name, only_good_rows=only_good_rows,
        ).id or 0  # fmt: skip
    report.good_rows = _stream(db, to_read, mapper, columns, import_id, report)
    mapper.finish()
    report.months = sorted({m.strftime("%Y-%m") for _, m in mapper.slices})
    replaces = mapping is None or mapping.replace_overlapping_months
    if report.error_count and not only_good_rows:
        report.status = REFUSED
    elif report.good_rows == 0:
        report.status = NOTHING_TO_STORE
    else:
        report.stored = report.good_rows
        if dry_run or not replaces:  # a real replacing import counts what it replaces itself
            _note_overlaps(db, report, mapper.slices, replaces, import_id)
    if report.status != CHECKED or dry_run:
        db.rollback()  # nothing of a refused import or a dry run stays
        return report
    _finish(db, report, import_id, mapper.slices, to_read, replaces, actor)
    return report


def _mapper(
    mapping: PartnerMapping | None, vocabulary: IncidentVocabulary, report: ImportReport
) -> tuple[Mapper, Sequence[str]]:
    if mapping is None:
        return police_uk.PoliceUkMapper(vocabulary, report), police_uk.COLUMNS
    return partner.PartnerMapper(mapping, vocabulary, report), partner.partner_columns(mapping)


def _files_to_read(
    db: Session, files: Sequence[InputFile], report: ImportReport, *, police_uk_files: bool
) -> list[tuple[InputFile, FileSummary]]:
    """Hash each file; skip the ones already imported and, in a police.uk zip, other files."""
    candidates: list[tuple[InputFile, FileSummary]] = []
    for file in files:
        if police_uk_files and file.in_archive and police_uk.is_other_police_uk_file(file.name):
            report.files.append(FileSummary(file.name, "", status="ignored"))
            continue
        summary = FileSummary(file.name, content_hash(file))
        report.files.append(summary)
        candidates.append((file, summary))
    stored = already_imported(db, (s.content_hash for _, s in candidates))
    seen: set[str] = set()
    to_read = []
    for file, summary in candidates:
        if summary.content_hash in stored or summary.content_hash in seen:
            summary.status = ALREADY_IMPORTED
            summary.duplicate_of = stored.get(summary.content_hash)
            report.duplicates += 1
            continue
        seen.add(summary.content_hash)
        to_read.append((file, summary))
    return to_read


def _stream(
    db: Session,
    files: list[tuple[InputFile, FileSummary]],
    mapper: Mapper,
    columns: Sequence[str],
    import_id: int,
    report: ImportReport,
) -> int:
    """Read every file; write rows while the import can still succeed. Returns good rows."""
    good = 0
    writing = import_id != 0  # a dry run never writes
    buffer: list[tuple[object, ...]] = []
    with IncidentWriter(db, columns) if writing else nullcontext() as writer:
        for file, summary in files:
            reader = mapper.reader(file)
            try:
                for row in mapper.rows(reader, import_id):
                    good += 1
                    if not writing:
                        continue
                    buffer.append(row)
                    if len(buffer) >= CHUNK_ROWS:
                        writing = _flush(writer, buffer, report)
            except UnreadableFile as problem:
                report.add_error(file.name, 1, str(problem))
                summary.status = "unreadable"
            summary.encoding, summary.rows = reader.encoding, reader.rows_read
            report.rows_read += reader.rows_read
        if writing and buffer:
            _flush(writer, buffer, report)
    return good


def _flush(
    writer: IncidentWriter | None, buffer: list[tuple[object, ...]], report: ImportReport
) -> bool:
    """Write the buffered rows unless the import can no longer succeed; say whether it can."""
    # Once a row is bad the import is refused (unless only the good rows are wanted), so
    # writing more would only be rolled back: stop, and keep reading to report every error.
    still = report.only_good_rows or report.error_count == 0
    if still and writer is not None:
        writer.write(buffer)
    buffer.clear()
    return still


def _note_overlaps(
    db: Session, report: ImportReport, slices: Slices, replaces: bool, import_id: int
) -> None:
    """How many live rows of the same months a replacing import would replace; for one that
    adds to them, a warning, since importing a revised extract would then double count."""
    if not slices:
        return
    live = count_live(db, report.source, slices.keys(), excluding=import_id)
    if replaces:
        report.replaced = live
    elif live:
        report.warnings.append(
            f"these months already hold {live:,} incidents from earlier imports of "
            f"'{report.source}'; if this file replaces them, undo those imports"
        )


def _finish(
    db: Session,
    report: ImportReport,
    import_id: int,
    slices: Slices,
    files: list[tuple[InputFile, FileSummary]],
    replaces: bool,
    actor: str | None,
) -> None:
    if replaces:
        report.replaced = supersede(db, import_id, report.source, slices.keys())
    refresh_counts(db, report.source, {month for _, month in slices})
    record = db.get(IncidentImport, import_id)
    assert record is not None
    record.rows_read, record.rows_stored = report.rows_read, report.stored
    record.rows_skipped, record.rows_replaced = report.rows_skipped, report.replaced
    record.months = slices_json(slices)
    report.import_id, report.status = import_id, STORED
    record.report = _stored_summary(report)
    for file, summary in files:
        add_import_file(
            db,
            import_id,
            name=file.name,
            content_hash=summary.content_hash,
            encoding=summary.encoding,
            rows=summary.rows,
        )
    record_event(
        db,
        action="incidents.imported",
        actor=actor,
        target=f"incident_import:{import_id}",
        detail={
            "files": [f.name for f, _ in files],
            "stored": report.stored,
            "skipped": report.rows_skipped,
            "replaced": report.replaced,
        },
    )
    db.commit()


def _stored_summary(report: ImportReport) -> dict[str, object]:
    summary = report.to_dict()
    summary["errors"] = summary["errors"][:100]  # the full list was shown at import time
    return summary


def _batch_name(files: list[tuple[InputFile, FileSummary]]) -> str:
    first = files[0][0].name
    return first if len(files) == 1 else f"{first} and {len(files) - 1} more"


POLICE_UK_CHOICE = "police.uk"


def import_choices(data_dir: Path) -> dict[str, str]:
    """The kinds of file the import page offers: police.uk, then each partner mapping."""
    choices = {POLICE_UK_CHOICE: "police.uk street-level crime (CSV files or the download zip)"}
    choices.update(dict(list_partner_mappings(data_dir)))
    return choices


def import_uploads(
    db: Session,
    member: StaffMember,
    uploads: Sequence[Path],
    *,
    settings: Settings,
    choice: str,
    only_good_rows: bool = False,
    dry_run: bool = False,
) -> ImportReport:
    """Import uploaded files, copied to disk by spool_upload (so they are read a chunk at a
    time, never whole into memory), as police.uk (choice "police.uk") or with the partner
    mapping of that name; loads the mapping files from the settings' data folder."""
    require(member, Permission.IMPORT_INCIDENTS)
    vocabulary = vocabulary_from_settings(settings)
    mapping = None
    if choice != POLICE_UK_CHOICE:
        path = partner_mapping_path(settings.data_dir, choice)
        mapping = load_partner_mapping(path, vocabulary)
    return import_files(
        db,
        member,
        files_from_spooled(uploads),
        vocabulary=vocabulary,
        mapping=mapping,
        mapping_name=None if mapping is None else choice,
        only_good_rows=only_good_rows,
        dry_run=dry_run,
    )
