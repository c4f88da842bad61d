"""Real triple stores for tests, started on 127.0.0.1 on free ports: the Oxigraph server and Virtuoso.

Also the yardstick the store tests share: every canned query, with its example
parameters and once per bundled council, gives the same rows (values, their
Python types and missing values alike) on the store as on the embedded one.
"""

from __future__ import annotations

import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

from tests.conftest import require_tool
from wpgraph.queries.registry import get_query, list_queries
from wpgraph.queries.run import run_query, runner_for

COUNCILS = ("Rutland", "Wandsworth", "Cheshire East", "Leicestershire")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_http(url: str, process: subprocess.Popen, what: str, seconds: float = 60) -> None:
    """Poll until the server answers any HTTP status (a start-up guard, not an assertion on time)."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except urllib.error.HTTPError:
            return
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                stop(process)
                raise RuntimeError(f"{what} did not start") from None
            time.sleep(0.1)


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


class Oxigraph:
    """``oxigraph serve`` on a free port; ``union``: the default graph is the union of the named graphs."""

    def __init__(self, location: Path, union: bool = True) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.endpoint = f"{self.url}/query"
        argv = [require_tool("oxigraph"), "serve", "--location", str(location), "--bind", f"127.0.0.1:{self.port}"]
        self.process = subprocess.Popen(argv + (["--union-default-graph"] if union else []),
                                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_for_http(f"{self.url}/query?query=ASK%7B%7D", self.process, "oxigraph serve", 20)

    def stop(self) -> None:
        stop(self.process)


VIRTUOSO_INI = """\
[Database]
DatabaseFile = {dir}/virtuoso.db
ErrorLogFile = {dir}/virtuoso.log
LockFile = {dir}/virtuoso.lck
TransactionFile = {dir}/virtuoso.trx
xa_persistent_file = {dir}/virtuoso.pxa
ErrorLogLevel = 7
FileExtend = 200
Striping = 0
TempStorage = TempDatabase
[TempDatabase]
DatabaseFile = {dir}/virtuoso-temp.db
TransactionFile = {dir}/virtuoso-temp.trx
Striping = 0
[Parameters]
ServerPort = 127.0.0.1:{sql_port}
DisableUnixSocket = 1
MaxClientConnections = 5
CheckpointInterval = 0
CaseMode = 2
DirsAllowed = .
NumberOfBuffers = 10000
MaxDirtyBuffers = 6000
ThreadsPerQuery = 2
[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerRoot = {dir}
MaxClientConnections = 5
ServerThreads = 5
EnabledGzipContent = 0
[SPARQL]
ResultSetMaxRows = 1000000
MaxQueryExecutionTime = 120
"""


class Virtuoso:
    """Debian's Virtuoso with its own virtuoso.ini in ``folder``: a dba password and a user who may write.

    ``endpoint`` reads anonymously, ``auth_endpoint`` and ``graph_store`` take Digest only.
    """

    USER, PASSWORD, DBA_PASSWORD = "wp-pusher", "pw-4-virtuoso", "dba-pw-7"

    def __init__(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        self.sql_port, self.http_port = free_port(), free_port()
        (folder / "virtuoso.ini").write_text(VIRTUOSO_INI.format(dir=folder, sql_port=self.sql_port,
                                                                 http_port=self.http_port), encoding="utf-8")
        self.url = f"http://127.0.0.1:{self.http_port}"
        self.endpoint, self.auth_endpoint = f"{self.url}/sparql", f"{self.url}/sparql-auth"
        self.graph_store = f"{self.url}/sparql-graph-crud-auth"
        self.process = subprocess.Popen([require_tool("virtuoso-t"), "-f", "-c", str(folder / "virtuoso.ini")],
                                        cwd=folder, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_for_http(f"{self.endpoint}?query=ASK%7B%7D", self.process, "virtuoso-t")
        self.sql(f"USER_CREATE ('{self.USER}', '{self.PASSWORD}');\n"
                 f"GRANT SPARQL_UPDATE TO \"{self.USER}\";\n"
                 f"USER_SET_PASSWORD ('dba', '{self.DBA_PASSWORD}');\n", password="dba")

    def sql(self, statements: str, password: str | None = None) -> str:
        done = subprocess.run([require_tool("isql-vt"), f"127.0.0.1:{self.sql_port}", "dba",
                               password or self.DBA_PASSWORD], input=statements, capture_output=True,
                              text=True, timeout=60, check=True)
        if "*** Error" in done.stdout + done.stderr:
            raise RuntimeError(done.stdout + done.stderr)
        return done.stdout

    def stop(self) -> None:
        stop(self.process)


def typed(rows: list[dict[str, Any]]) -> list[dict[str, tuple[str, Any]]]:
    """Rows with each value's Python type beside it: True and 1 differ, as do None and ""."""
    return [{k: (type(v).__name__, v) for k, v in row.items()} for row in rows]


def query_cases() -> list[tuple[str, dict[str, str]]]:
    """Every canned query with its example parameters, and queries about one council once per bundled council."""
    cases = []
    for canned in list_queries():
        example = {p.name: p.example for p in canned.params if p.example}
        cases.append((canned.name, example))
        councils = [p for p in canned.params if p.type == "council"]
        if len(councils) == 1:
            cases += [(canned.name, {**example, councils[0].name: c}) for c in COUNCILS]
    return cases


def differences(store, endpoint: str) -> list[str]:
    """The cases whose rows differ between the embedded store and the endpoint (empty: the same everywhere)."""
    found = []
    for name, params in query_cases():
        local = typed(run_query(get_query(name), params, runner_for(store=store)))
        remote = typed(run_query(get_query(name), params, runner_for(endpoint=endpoint)))
        if local != remote:
            first = next((f"{a} != {b}" for a, b in zip(local, remote, strict=False) if a != b),
                         f"{len(local)} rows != {len(remote)} rows")
            found.append(f"{name} {params}: {first}"[:400])
    return found


class FakeStore:
    """A tiny HTTP server on 127.0.0.1 that plays a misbehaving store; it records every request it gets.

    ``answer(handler)`` decides each reply; the default is a Graph Store that takes every PUT.
    """

    def __init__(self, answer=None) -> None:
        import http.server
        import threading

        self.requests: list[dict[str, Any]] = []
        self.closing = threading.Event()
        store = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: Any) -> None:
                pass

            def _any(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                store.requests.append({"method": self.command, "path": self.path, "headers": dict(self.headers),
                                       "body": body})
                (answer or FakeStore.accept)(self, body)

            do_GET = do_POST = do_PUT = _any

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    @staticmethod
    def reply(handler, status: int, body: bytes = b"", headers: dict[str, str] | None = None) -> None:
        handler.send_response(status)
        for key, value in (headers or {}).items():
            handler.send_header(key, value)
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        handler.wfile.write(body)

    @staticmethod
    def accept(handler, body: bytes) -> None:
        FakeStore.reply(handler, 204)

    def stop(self) -> None:
        self.closing.set()
        self.server.shutdown()
        self.server.server_close()

    def __enter__(self) -> FakeStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def run_wpgraph(*argv: str, cwd: Path, env: dict[str, str] | None = None,
                guard: float = 120) -> subprocess.CompletedProcess:
    """``wpgraph ARGV`` in its own process; ``guard``: a hang fails the test instead of holding it forever."""
    import os
    import sys

    full = {**os.environ, **(env or {})}
    return subprocess.run([sys.executable, "-m", "wpgraph", *argv], cwd=cwd, env=full, capture_output=True,
                          text=True, timeout=guard)
