"""Streamlit replicas behind Debian's nginx on loopback, configured with deploy/nginx's shipped
files word for word: `youthvoice bench-load --replicas N` and the two-replica tests.

Only the site around the shipped files is ours: loopback ports, no TLS, a temporary prefix
(nginx's temporary folders and pid there, so no root is needed) and an access log that names
the replica each request went to (the shipped log format names no one; this one is a test's).
"""

from __future__ import annotations

import contextlib
import shutil
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from survey.core.settings import PROJECT_ROOT

DEPLOY_NGINX = PROJECT_ROOT / "deploy" / "nginx"

_CONF = """\
daemon off;
master_process on;
worker_processes 1;
pid {prefix}/nginx.pid;
error_log {prefix}/error.log warn;
events {{ worker_connections 4096; }}
http {{
    client_body_temp_path {prefix}/body;
    proxy_temp_path {prefix}/proxy;
    fastcgi_temp_path {prefix}/fastcgi;
    uwsgi_temp_path {prefix}/uwsgi;
    scgi_temp_path {prefix}/scgi;
    include {http_conf};
    log_format replica '$uri $status $upstream_addr';
    upstream youthvoice {{
        hash $youthvoice_route consistent;
{servers}
    }}
    server {{
        listen 127.0.0.1:{port};
        access_log {prefix}/access.log replica;
        include {locations_conf};
    }}
}}
"""


class NginxMissing(RuntimeError):
    pass


def nginx_binary() -> str | None:
    found = shutil.which("nginx")
    if found:
        return found
    return next((p for p in ("/usr/sbin/nginx", "/sbin/nginx") if Path(p).exists()), None)


@dataclass(frozen=True)
class Proxy:
    url: str
    access_log: Path

    def upstreams_of(self, path: str) -> list[str]:
        """The replica ("127.0.0.1:PORT") each logged request for `path` went to."""
        lines = self.access_log.read_text().splitlines() if self.access_log.exists() else []
        return [line.split()[-1] for line in lines if line.split()[:1] == [path]]


@contextlib.contextmanager
def behind_nginx(replica_urls: list[str], folder: Path, port: int) -> Iterator[Proxy]:
    """nginx on 127.0.0.1:`port` spreading browsers over these replicas, as deployed."""
    nginx = nginx_binary()
    if nginx is None:
        raise NginxMissing("nginx is not installed (Debian: apt-get install nginx-light)")
    prefix = folder / "nginx"
    for sub in ("", "body", "proxy", "fastcgi", "uwsgi", "scgi"):
        (prefix / sub).mkdir(parents=True, exist_ok=True)
        (prefix / sub).chmod(0o777)  # nginx's workers run as nobody when started by root
    servers = "\n".join(f"        server {url.removeprefix('http://')};" for url in replica_urls)
    conf = prefix / "nginx.conf"
    conf.write_text(
        _CONF.format(
            prefix=prefix,
            http_conf=DEPLOY_NGINX / "youthvoice-http.conf",
            locations_conf=DEPLOY_NGINX / "youthvoice-locations.conf",
            servers=servers,
            port=port,
        )
    )
    process = subprocess.Popen(
        [nginx, "-p", str(prefix), "-c", str(conf)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_until_proxying(url, process, prefix / "error.log")
        yield Proxy(url, prefix / "access.log")
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _wait_until_proxying(url: str, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            text = log.read_text() if log.exists() else ""
            raise RuntimeError(f"nginx exited at start:\n{text[-2000:]}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as reply:
                if reply.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("nginx did not proxy to the replicas within 30 s")
