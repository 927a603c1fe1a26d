"""The server's secret: the key of the keyed hashes that limits store (and of anything else
the server must sign). From YOUTHVOICE_SECRET_KEY, else a file made once beside the database.

Every replica of a deployment must share it: set YOUTHVOICE_SECRET_KEY there.
"""

from __future__ import annotations

import os
import secrets
from functools import lru_cache
from pathlib import Path

from survey.core.settings import Settings


def server_secret(settings: Settings) -> bytes:
    if settings.secret_key is not None:
        return settings.secret_key.get_secret_value().encode()
    return _secret_from_file(settings.secret_key_file)


@lru_cache(maxsize=4)
def _secret_from_file(path: Path) -> bytes:
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists():  # made once, readable by this user only
        made = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
        handle = os.open(made, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(handle, "w") as file:
            file.write(secrets.token_hex(32))
        try:  # a hard link appears whole or not at all: a racing process keeps the first
            os.link(made, path)
        except FileExistsError:
            pass
        finally:
            made.unlink()
    secret = path.read_text().strip()
    if len(secret) < 32:
        raise ValueError(f"{path}: the server secret is missing or too short (32+ characters)")
    return secret.encode()
