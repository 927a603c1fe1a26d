"""Tell staff, before a room full of phones finds out, when the join link cannot work."""

from __future__ import annotations

import streamlit as st

from survey.core.public_address import AddressLevel, address_check
from ui.resources import settings


def show_address_notice() -> None:
    """A warning when phones cannot reach the join link (YOUTHVOICE_PUBLIC_URL) where this
    server listens, a quieter hint when only this computer can; nothing when it looks right.

    The server's own options are the truth here, not YOUTHVOICE_HOST: whatever started it
    (`make run`, a systemd unit, a bare `streamlit run`, which listens everywhere).
    """
    config = settings()
    check = address_check(
        config.public_url,
        st.get_option("server.address"),
        int(st.get_option("server.port")),
        behind_proxy=config.forwarded_for_trusted,
    )
    if check is None:
        return
    # Our own words and the operator's settings (no spaces, quotes or <> in the URL).
    if check.level == AddressLevel.WARNING:
        st.warning(check.message, icon="⚠️")
    else:
        st.caption(f"ℹ️ {check.message}")
