"""A real Oxigraph server: push the dataset, run every canned query there and locally, same rows."""

from __future__ import annotations

import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

from tests.conftest import require_tool
from wpgraph.errors import InputError
from wpgraph.queries.registry import get_query, list_queries
from wpgraph.queries.run import run_query, runner_for

pytestmark = pytest.mark.server


def oxigraph_binary() -> str:
    return require_tool("oxigraph")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    def __init__(self, location: Path) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.endpoint = f"{self.url}/query"
        self.process = subprocess.Popen(
            [oxigraph_binary(), "serve", "--location", str(location), "--bind", f"127.0.0.1:{self.port}",
             "--union-default-graph"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        deadline = time.monotonic() + 20
        while True:
            try:
                with urllib.request.urlopen(f"{self.url}/query?query=ASK%7B%7D", timeout=1):
                    return
            except OSError:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    self.stop()
                    raise RuntimeError("oxigraph serve did not start") from None
                time.sleep(0.05)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


@pytest.fixture
def server(tmp_path):
    running = Server(tmp_path / "oxigraph")
    yield running
    running.stop()


@pytest.fixture(scope="module")
def local_store(built):
    return built.store


def query(name: str, store=None, endpoint: str | None = None, timeout: float = 30.0, **params):
    return run_query(get_query(name), params, runner_for(store=store, endpoint=endpoint, timeout=timeout))


def triple_count(endpoint: str) -> int:
    rows = query_count(endpoint)
    return rows


def query_count(endpoint: str) -> int:
    from wpgraph.queries.runners import RemoteRunner

    return RemoteRunner(endpoint).select("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")[0]["n"]


def example_params(name: str) -> dict[str, str]:
    params = {p.name: p.example for p in get_query(name).params if p.example}
    return params


def test_push_then_every_canned_query_gives_the_same_rows(server, local_store, run_cli, dataset):
    code, out, err = run_cli("push", "--endpoint", server.endpoint)
    assert code == 0, err
    assert len(out.splitlines()) == len(dataset.graphs)
    assert triple_count(server.endpoint) == len(dataset)
    for canned in list_queries():
        params = example_params(canned.name)
        local = query(canned.name, store=local_store, **params)
        remote = query(canned.name, endpoint=server.endpoint, **params)
        assert remote == local, canned.name
        assert local, canned.name


def test_pushing_twice_replaces_and_never_duplicates(server, run_cli, dataset):
    assert run_cli("push", "--endpoint", server.endpoint)[0] == 0
    first = triple_count(server.endpoint)
    assert run_cli("push", "--endpoint", server.endpoint)[0] == 0
    assert triple_count(server.endpoint) == first == len(dataset)


def test_remote_query_by_cli(server, run_cli):
    assert run_cli("push", "--endpoint", server.endpoint)[0] == 0
    code, out, err = run_cli("query", "council-responses", "--param", "council=rutland", "--format", "csv",
                             "--endpoint", server.endpoint)
    assert code == 0, err
    assert "2.7,2.10,met" in out


def test_hostile_value_does_not_touch_the_server(server, run_cli):
    assert run_cli("push", "--endpoint", server.endpoint)[0] == 0
    before = triple_count(server.endpoint)
    with pytest.raises(InputError, match="unknown requirement"):
        query("requirement", endpoint=server.endpoint, ref='x" } ; DROP ALL ; {')
    with pytest.raises(InputError, match="unknown council"):
        query("coverage", endpoint=server.endpoint, council='x" } ; DROP ALL ; {')
    assert triple_count(server.endpoint) == before


def test_credentials_are_never_printed(server, run_cli, monkeypatch):
    monkeypatch.setenv("WPGRAPH_ENDPOINT_USER", "analyst")
    monkeypatch.setenv("WPGRAPH_ENDPOINT_PASSWORD", "s3cret-pw")
    code, out, err = run_cli("push", "--endpoint", server.endpoint)
    assert code == 0
    assert "s3cret-pw" not in out + err
    server.stop()
    code, out, err = run_cli("query", "coverage", "--endpoint", server.endpoint)
    assert code == 2 and "s3cret-pw" not in out + err


def test_stopped_server_is_one_line_and_exit_2(server, run_cli):
    server.stop()
    for argv in (["push", "--endpoint", server.endpoint, "--timeout", "5"],
                 ["query", "coverage", "--endpoint", server.endpoint, "--timeout", "5"]):
        code, out, err = run_cli(*argv)
        assert code == 2, argv
        assert out == "" and len(err.strip().splitlines()) == 1, err
        assert "unreachable" in err or "refused" in err.lower(), err
    with pytest.raises(InputError):
        query("coverage", endpoint=server.endpoint, timeout=5)
