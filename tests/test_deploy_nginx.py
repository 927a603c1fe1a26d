"""deploy/ as shipped: two Streamlit replicas on one PostgreSQL behind Debian's nginx, on
loopback (tests/two_replicas.py). The site file passes `nginx -t`; a crowd through nginx
reaches both replicas and every answer is stored once; a browser's route cookie keeps it on
one replica. (The live screen across replicas: tests/browser/test_two_replicas.py.)
"""

from __future__ import annotations

import re
import subprocess
import urllib.request
from pathlib import Path

import pytest

from cli.bench.load import LoadOptions, run_load
from cli.bench.replicas import DEPLOY_NGINX as DEPLOY
from tests.two_replicas import NEEDS_NGINX_AND_POSTGRES, NGINX, Replicas, replicas

__all__ = ["replicas"]  # the fixture
pytestmark = [pytest.mark.slow, *NEEDS_NGINX_AND_POSTGRES]


def test_the_nginx_configuration_as_shipped_is_valid(tmp_path: Path) -> None:
    """The site file a partnership installs, with its includes, passes `nginx -t` (its
    certificate paths swapped for a throwaway certificate made here)."""
    assert NGINX is not None
    certificate, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(
        [
            *("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1"),
            *("-subj", "/CN=voice.example.org", "-keyout", str(key), "-out", str(certificate)),
        ],
        check=True,
        capture_output=True,
    )
    site = (DEPLOY / "youthvoice-site.conf").read_text()
    site = site.replace("/etc/letsencrypt/live/voice.example.org/fullchain.pem", str(certificate))
    site = site.replace("/etc/letsencrypt/live/voice.example.org/privkey.pem", str(key))
    site = site.replace(
        "/etc/nginx/snippets/youthvoice-locations.conf", str(DEPLOY / "youthvoice-locations.conf")
    )
    site = site.replace("/var/log/nginx/", f"{tmp_path}/")
    (tmp_path / "site.conf").write_text(site)
    (tmp_path / "nginx.conf").write_text(
        f"pid {tmp_path}/nginx.pid;\nerror_log {tmp_path}/error.log;\nevents {{}}\n"
        f"http {{\n  include {DEPLOY / 'youthvoice-http.conf'};\n"
        f"  include {tmp_path / 'site.conf'};\n}}\n"
    )
    checked = subprocess.run(
        [NGINX, "-t", "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf")],
        capture_output=True,
        text=True,
    )
    assert checked.returncode == 0, checked.stderr


def test_a_crowd_through_nginx_is_spread_over_both_replicas_and_every_answer_is_stored(
    replicas: Replicas, capsys
) -> None:
    report = run_load(
        LoadOptions(
            young_people=24,
            think=(0.0, 1.0),
            url=replicas.url,
            server_pids=replicas.pids,
            database_url=replicas.database_url,
            bare_form=False,
        )
    )
    out = capsys.readouterr().out
    assert report.stored == 24 and report.lost == 0 and report.errors == 0, out
    assert "journeys completed 24/24" in out
    # Each phone's websocket went to one replica, and the crowd reached both.
    served = set(replicas.proxy.upstreams_of("/_stcore/stream"))
    assert served == {u.removeprefix("http://") for u in replicas.replica_urls}, served


def test_a_browser_stays_on_one_replica_through_its_route_cookie(replicas: Replicas) -> None:
    """A browser's first answer from nginx carries a route cookie that says nothing about
    the person; with it, every later request goes to the same replica (its uploads and its
    websocket reconnections find their session)."""
    with urllib.request.urlopen(replicas.url + "/") as first:
        cookie = first.headers.get("Set-Cookie", "")
    assert re.fullmatch(r"yvroute=[0-9a-f]{32}; Path=/; HttpOnly; SameSite=Strict; Secure", cookie)
    route = cookie.split(";")[0]
    before = len(replicas.proxy.upstreams_of("/_stcore/health"))
    for _ in range(12):
        request = urllib.request.Request(
            replicas.url + "/_stcore/health", headers={"Cookie": route}
        )
        with urllib.request.urlopen(request) as reply:
            assert reply.status == 200
            assert "yvroute" not in str(reply.headers.get_all("Set-Cookie")), reply.headers
    went_to = replicas.proxy.upstreams_of("/_stcore/health")[before:]
    assert len(went_to) == 12 and len(set(went_to)) == 1, went_to
