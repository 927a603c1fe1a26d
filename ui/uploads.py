"""Uploaded files on disk: a page checks and imports copies, read a chunk at a time, never
the uploaded bytes whole. A copy goes when its upload is removed or imported; copies left by
a browser that closed first are swept away later."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Sequence
from pathlib import Path

import streamlit as st
from streamlit.runtime.uploaded_file_manager import UploadedFile

from incidents.reading import discard_spooled, discard_stale_spools, spool_upload
from ui.resources import settings

_COPIES = "uploads_on_disk"  # session state: upload file_id -> path of its copy
# A copy unused this long belongs to a browser that went away before importing it.
STALE_AFTER_SECONDS = 12 * 60 * 60


def upload_folder() -> Path:
    """Where uploads are copied: YOUTHVOICE_UPLOAD_DIR, else the system's temporary folder."""
    return settings().upload_dir or Path(tempfile.gettempdir()) / "youthvoice-uploads"


def uploads_on_disk(uploads: Sequence[UploadedFile]) -> list[Path]:
    """A copy on disk of each upload (made once per upload), in the same order; the copies
    of uploads no longer in the widget are deleted."""
    copies: dict[str, Path] = st.session_state.setdefault(_COPIES, {})
    current = {upload.file_id for upload in uploads}
    for file_id in [f for f in copies if f not in current]:
        discard_spooled(copies.pop(file_id))
    for upload in uploads:
        copy = copies.get(upload.file_id)
        if copy is not None and copy.exists():
            os.utime(copy.parent)  # still in use: not stale
            continue
        discard_stale_spools(upload_folder(), older_than_seconds=STALE_AFTER_SECONDS)
        upload.seek(0)  # a copy made earlier (then swept) read it to the end
        copies[upload.file_id] = spool_upload(upload, upload.name, upload_folder())
    return [copies[upload.file_id] for upload in uploads]


def forget_uploads_on_disk() -> None:
    """Delete every copy this browser session made (after an import)."""
    for copy in st.session_state.pop(_COPIES, {}).values():
        discard_spooled(copy)
