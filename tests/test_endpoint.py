"""A real Oxigraph server: push the dataset, run every canned query there and locally, same rows."""

from __future__ import annotations

import pytest

from tests.stores import Oxigraph, differences
from wpgraph.errors import InputError
from wpgraph.queries.registry import get_query, list_queries
from wpgraph.queries.run import run_query, runner_for

pytestmark = pytest.mark.server


@pytest.fixture
def server(tmp_path):
    running = Oxigraph(tmp_path / "oxigraph")
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
        assert query(canned.name, store=local_store, **example_params(canned.name)), canned.name
    assert differences(local_store, server.endpoint) == []


def test_a_store_without_the_union_default_graph_says_how_to_expose_it(tmp_path, run_cli):
    bare = Oxigraph(tmp_path / "bare", union=False)
    try:
        code, out, err = run_cli("query", "coverage", "--param", "council=Rutland", "--endpoint", bare.endpoint)
        assert code == 2 and "holds no wpgraph data" in err and "wpgraph push" in err, err
        code, out, err = run_cli("push", "--endpoint", bare.endpoint)
        assert code == 0 and "note:" in err and "--union-default-graph" in err, err
        code, out, err = run_cli("query", "coverage", "--param", "council=Rutland", "--endpoint", bare.endpoint)
        assert code == 2 and out == "", out
        assert "--union-default-graph" in err and "unknown council" not in err, err
        assert len(err.strip().splitlines()) == 1
    finally:
        bare.stop()


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
