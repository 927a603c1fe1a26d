"""Two Streamlit replicas on one PostgreSQL behind Debian's nginx on loopback, configured
with deploy/nginx's shipped files word for word (cli/bench/replicas.py). Used by
tests/test_deploy_nginx.py and tests/browser/test_two_replicas.py; skipped, saying why,
without nginx (`make test` installs Debian's nginx-light when run as root, as CI does) or
without a PostgreSQL server."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from cli.bench.load import free_port, fresh_database, started, streamlit_command
from cli.bench.replicas import Proxy, behind_nginx, nginx_binary

NGINX = nginx_binary()
POSTGRES = os.environ.get("TEST_DATABASE_URL")

NEEDS_NGINX_AND_POSTGRES = [
    pytest.mark.skipif(
        NGINX is None,
        reason="Two replicas behind nginx SKIPPED: nginx is not installed. Enable with "
        "`sudo apt-get install nginx-light` (or run `make test` as root, which installs it).",
    ),
    pytest.mark.skipif(
        POSTGRES is None,
        reason="Two replicas behind nginx SKIPPED: replicas share a PostgreSQL database; "
        "set TEST_DATABASE_URL (.ci/run does when a server answers on 127.0.0.1:5432).",
    ),
]


@dataclass(frozen=True)
class Replicas:
    proxy: Proxy  # nginx
    replica_urls: tuple[str, str]
    pids: tuple[int, int]
    database_url: str

    @property
    def url(self) -> str:
        return self.proxy.url


@pytest.fixture(scope="module")
def replicas(tmp_path_factory, theme_model_dir: Path) -> Iterator[Replicas]:
    # theme_model_dir: the model is trained (into this run's models folder, which both
    # replicas inherit) before they start.
    assert POSTGRES is not None
    folder = tmp_path_factory.mktemp("replicas")
    with (
        fresh_database("postgresql", folder, "replicas", POSTGRES) as database_url,
        started(streamlit_command(), database_url, folder / "a.log", "/_stcore/health") as a,
        started(streamlit_command(), database_url, folder / "b.log", "/_stcore/health") as b,
        behind_nginx([a.url, b.url], folder, free_port()) as proxy,
    ):
        yield Replicas(proxy, (a.url, b.url), (a.process.pid, b.process.pid), database_url)
