"""A TCP relay between the app and PostgreSQL that a test can cut, as a stopped server or a
dropped network would, at the moment of its choosing: before the k-th SQL statement."""

from __future__ import annotations

import contextlib
import socket
import threading
from collections.abc import Iterator

from sqlalchemy import event
from sqlalchemy.engine import Engine, make_url


class DatabaseLink:
    def __init__(self, server_url: str) -> None:
        server = make_url(server_url)
        self._target = (server.host or "127.0.0.1", server.port or 5432)
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.port = self._listener.getsockname()[1]
        self.url = server.set(host="127.0.0.1", port=self.port).render_as_string(False)
        self._up = True
        self._open: list[socket.socket] = []
        self._lock = threading.Lock()
        self._cut_before: int | None = None
        self.statements = 0
        threading.Thread(target=self._accept, daemon=True).start()
        event.listen(Engine, "before_cursor_execute", self._before_statement)

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self._listener.accept()
            except OSError:
                return  # closed
            if not self._up:
                client.close()
                continue
            server = socket.create_connection(self._target)
            with self._lock:
                self._open += [client, server]
            for source, sink in ((client, server), (server, client)):
                threading.Thread(target=_pump, args=(source, sink), daemon=True).start()

    def cut(self) -> None:
        """The database goes away: open connections drop, new ones are refused."""
        self._up = False
        with self._lock:
            for sock in self._open:
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)
                sock.close()
            self._open.clear()

    def restore(self) -> None:
        self._up = True
        self._cut_before = None

    def cut_before_statement(self, number: int) -> None:
        """Cut the link just before the `number`-th statement from now (1 = the next)."""
        self.statements = 0
        self._cut_before = number

    def count_statements(self) -> None:
        self.statements = 0
        self._cut_before = None

    def _before_statement(self, conn, cursor, statement, parameters, context, many) -> None:
        if conn.engine.url.port != self.port:
            return
        self.statements += 1
        if self._cut_before is not None and self.statements == self._cut_before:
            self.cut()

    def close(self) -> None:
        event.remove(Engine, "before_cursor_execute", self._before_statement)
        self.cut()
        self._listener.close()


def _pump(source: socket.socket, sink: socket.socket) -> None:
    with contextlib.suppress(OSError):
        while data := source.recv(65536):
            sink.sendall(data)
    for sock in (source, sink):
        with contextlib.suppress(OSError):
            sock.shutdown(socket.SHUT_RDWR)


@contextlib.contextmanager
def database_link(server_url: str) -> Iterator[DatabaseLink]:
    link = DatabaseLink(server_url)
    try:
        yield link
    finally:
        link.close()
