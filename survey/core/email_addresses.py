"""Email addresses: the one check of their form (staff accounts, alert email settings)."""

from __future__ import annotations

import re
from email.utils import formataddr, parseaddr

# local@domain.tld: no spaces, one @, a dot in the domain, nothing an SMTP header could be
# split on. Deliverability is the mail server's business; this catches typos and injection.
_ADDRESS = re.compile(
    r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
    r"@[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+"
)


def email_address(text: str, *, display_name: bool = False) -> str:
    """The address, trimmed (its domain in lower case); ValueError if it is not one.

    With `display_name`, "Youth voice <noreply@example.org>" is accepted too.
    """
    text = text.strip()
    if display_name and "<" in text:
        name, address = parseaddr(text)
        if not address or any(c in name for c in "\r\n"):
            raise ValueError(f"{text!r} is not an email address")
        return formataddr((name, email_address(address)))
    local, _, domain = text.rpartition("@")
    address = f"{local}@{domain.lower()}"
    if len(address) > 254 or len(local) > 64 or not _ADDRESS.fullmatch(address):
        raise ValueError(f"{text!r} is not an email address (like name@example.org)")
    return address
