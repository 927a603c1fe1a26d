"""Can phones in the room reach the address the QR code shows?

The QR code, "Join at" and alert emails always use the public URL (`YOUTHVOICE_PUBLIC_URL`);
the server listens on a host and port (`YOUTHVOICE_HOST`, `YOUTHVOICE_PORT` for `make run`).
When the two disagree, a worker finds out in the room, with thirty phones failing to open
127.0.0.1. `address_check` says so beforehand: at start-up (`youthvoice prepare`) and on the
Sessions and Live screen pages.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from enum import StrEnum
from urllib.parse import urlsplit

# What a server listening "everywhere" binds to; an empty or unset address means the same
# to Streamlit.
ALL_INTERFACES = ("", "0.0.0.0", "::", "[::]")


class AddressLevel(StrEnum):
    WARNING = "warning"  # phones cannot join as things stand
    HINT = "hint"  # fine on this computer or behind a proxy here; otherwise phones cannot join


@dataclass(frozen=True)
class AddressCheck:
    level: AddressLevel
    message: str  # plain words naming the settings to change


def is_loopback(host: str | None) -> bool:
    """127.0.0.0/8, ::1, localhost (and *.localhost): only this computer can reach them."""
    if not host:
        return False
    name = host.strip("[]").lower().rstrip(".")
    if name == "localhost" or name.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:  # a host name: assume the network can reach it
        return False


def _url_port(public_url: str) -> int | None:
    parts = urlsplit(public_url)
    try:
        return parts.port or {"http": 80, "https": 443}.get(parts.scheme)
    except ValueError:  # a port that is not a number: the settings refuse that earlier
        return None


def address_check(
    public_url: str, host: str | None, port: int, *, behind_proxy: bool = False
) -> AddressCheck | None:
    """What is wrong with serving on `host`:`port` while join links point at `public_url`.

    `host` None or empty means every interface (Streamlit's default). `behind_proxy` (the
    YOUTHVOICE_FORWARDED_FOR_TRUSTED setting) says a proxy forwards to the server, so
    listening on loopback only is right. Returns None when nothing can be seen to be wrong:
    a public name with a server listening on the network (a proxy may well map ports, so
    they are not compared then).
    """
    public_host = urlsplit(public_url).hostname
    link_local = is_loopback(public_host)
    listening_local = is_loopback(host)
    everywhere = (host or "") in ALL_INTERFACES
    where = "every network interface" if everywhere else host
    if link_local and not listening_local:
        return AddressCheck(
            AddressLevel.WARNING,
            f"Join links and QR codes point to {public_url}, which only this computer can "
            f"open, but the server listens on {where}: phones in the room cannot join. Set "
            "YOUTHVOICE_PUBLIC_URL to the address phones use (this computer's address on "
            f"the room's network, e.g. http://192.168.1.20:{port}, or the site's https:// "
            "name) and start again.",
        )
    link_port = _url_port(public_url)
    if link_local and link_port != port:
        return AddressCheck(
            AddressLevel.WARNING,
            f"Join links and QR codes point to {public_url} (port {link_port}), but the "
            f"server listens on port {port}: the links open nothing. Give "
            f"YOUTHVOICE_PUBLIC_URL the port {port}, or set YOUTHVOICE_PORT={link_port}.",
        )
    if link_local:
        return AddressCheck(
            AddressLevel.HINT,
            f"Only this computer can open the app (it listens on {host}, and join links "
            f"point to {public_url}): fine for trying it out, but phones in a room cannot "
            "join. To run a session, set YOUTHVOICE_HOST=0.0.0.0 and YOUTHVOICE_PUBLIC_URL "
            f"to this computer's address on the room's network (e.g. http://192.168.1.20:"
            f"{port}), or serve it behind a proxy with its own https:// name.",
        )
    if listening_local and not behind_proxy:
        return AddressCheck(
            AddressLevel.HINT,
            f"The server listens on {host} only, so phones reach {public_url} only "
            "through a proxy on this computer (such as nginx) that forwards to port "
            f"{port}. Without one, set YOUTHVOICE_HOST=0.0.0.0 to listen on the network.",
        )
    return None
