"""Incident data (analyst): upload police.uk or partner files, check the mapping and the
errors, confirm the import, and undo an import from the history."""

import streamlit as st

from incidents.aggregates import has_demo_incidents
from incidents.history import UndoRefused, import_history, undo_import, undoable_imports
from incidents.importing import import_choices, import_uploads
from incidents.reading import UnreadableFile
from incidents.report import STORED, ImportReport, report_tables
from survey.core.data_files import DataFileError
from survey.staff.permissions import Permission, may
from ui.plain_text import as_plain_markdown
from ui.resources import db_session, settings
from ui.staff_gate import staff_page
from ui.uploads import forget_uploads_on_disk, uploads_on_disk

member = staff_page(Permission.IMPORT_INCIDENTS)
st.title("Incident data")
if notice := st.session_state.pop("incident_notice", None):
    st.success(notice)


def show_report(report: ImportReport) -> None:
    (st.success if report.status == STORED else st.info)(report.message)
    tables = report_tables(report)
    if report.error_count:
        st.error(f"{report.error_count:,} rows have errors (file, line and reason):")
        st.dataframe(tables["errors"], hide_index=True, width="stretch")
    if report.skipped_outside_area or report.skipped_no_location:
        st.write(
            f"Skipped {report.skipped_outside_area:,} rows outside the area and "
            f"{report.skipped_no_location:,} published without a location."
        )
    if not tables["unmapped"].empty:
        st.warning("Values the mapping does not know (stored as unknown; add them to the mapping):")
        st.dataframe(tables["unmapped"], hide_index=True, width="stretch")
    with st.expander("How the rows map onto districts, place types and categories"):
        st.dataframe(tables["mapping"], hide_index=True, width="stretch")
        if report.street_locations.rows:
            st.caption(
                f"{report.street_locations.rows:,} rows are at street names "
                f"({report.street_locations.distinct:,} streets), which carry no place type. "
                "The most frequent:"
            )
            st.dataframe(tables["streets"], hide_index=True)


st.subheader("Import files")
choices = import_choices(settings().data_dir)
choice = st.selectbox("Kind of file", list(choices), format_func=choices.__getitem__)
uploads = st.file_uploader(
    "CSV files, or the zip of a police.uk download", type=["csv", "zip"], accept_multiple_files=True
)
# Checked and imported from copies on disk, a chunk at a time: a file of hundreds of MB
# must not be copied in memory. Removing an upload deletes its copy.
files = uploads_on_disk(uploads or [])
only_good = st.checkbox("Import only the good rows (skip the rows with errors)")
if uploads:
    options = {
        "settings": settings(),
        "choice": choice,
        "only_good_rows": only_good,
    }
    # The check reads every file: do it once per selection, not on every rerun.
    check_key = (choice, only_good, tuple(u.file_id for u in uploads))
    try:
        if st.session_state.get("incident_check_key") != check_key:
            with db_session() as db:
                checked = import_uploads(db, member, files, **options, dry_run=True)
            st.session_state["incident_check"] = checked
            st.session_state["incident_check_key"] = check_key
    except (DataFileError, UnreadableFile) as problem:  # it may name an uploaded file
        st.error(as_plain_markdown(problem))
        st.stop()
    report: ImportReport = st.session_state["incident_check"]
    slot = st.container()
    if st.button("Import", type="primary", disabled=not report.can_import):
        with db_session() as db:
            report = import_uploads(db, member, files, **options)
        forget_uploads_on_disk()
        st.session_state.pop("incident_check_key", None)
    with slot:
        show_report(report)

st.subheader("Import history")
with db_session() as db:
    history = import_history(db)
    undoable = undoable_imports(db)
    demo = has_demo_incidents(db)
if demo:
    st.warning("Includes synthetic demo data: undo the demo import before relying on the figures.")
if history.empty:
    st.info("No incident data imported yet.")
    st.stop()
st.dataframe(history, hide_index=True, width="stretch")
if undoable and may(member, Permission.UNDO_IMPORTS):
    chosen = st.selectbox("Undo an import", list(undoable), format_func=undoable.__getitem__)
    if st.button("Undo this import"):
        try:
            with db_session() as db:
                result = undo_import(db, member, chosen)
        except UndoRefused as refusal:
            st.error(str(refusal))
        else:
            st.session_state["incident_notice"] = (
                f"Undid import #{result.import_id}: removed {result.removed:,} incidents, "
                f"brought back {result.restored:,} rows it had replaced."
            )
            st.rerun()
