"""The product's own words when the database cannot be reached, never Streamlit's error box.

Stopping the run (rather than failing it) also keeps every widget's state: what a worker
typed or uploaded is still there when they try again.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager

import streamlit as st
from sqlalchemy.exc import SQLAlchemyError

log = logging.getLogger(__name__)

OUTAGE = (
    "The database can't be reached just now, so this couldn't be done. Nothing you entered "
    "is lost: it is still here. Please try again in a minute."
)


@contextmanager
def outage_in_plain_words() -> Iterator[None]:
    try:
        yield
    except SQLAlchemyError:
        log.exception("the database could not be reached")  # no answers are logged here
        st.error(OUTAGE)
        st.stop()
