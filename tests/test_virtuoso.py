"""Virtuoso, as Debian packages it: Digest-only endpoints, 1/0 booleans and "" for an empty list.

The test starts its own Virtuoso on 127.0.0.1 (its own virtuoso.ini in a
temporary folder, a dba password and a user allowed to write, set with isql),
pushes the bundled build with that user's credentials, and reads every canned
query back: the rows are those of the embedded store, value for value, type
for type.
"""

from __future__ import annotations

import pytest

from tests.stores import Virtuoso, differences

pytestmark = pytest.mark.server


@pytest.fixture(scope="module")
def virtuoso(tmp_path_factory):
    server = Virtuoso(tmp_path_factory.mktemp("virtuoso"))
    yield server
    server.stop()


@pytest.fixture
def as_pusher(monkeypatch):
    monkeypatch.setenv("WPGRAPH_ENDPOINT_USER", Virtuoso.USER)
    monkeypatch.setenv("WPGRAPH_ENDPOINT_PASSWORD", Virtuoso.PASSWORD)


def push(run_cli, virtuoso, *extra):
    return run_cli("push", "--endpoint", virtuoso.endpoint, "--graph-store", virtuoso.graph_store, *extra)


def test_a_push_with_digest_credentials_then_every_query_gives_the_embedded_rows(virtuoso, as_pusher, run_cli,
                                                                                built, dataset):
    code, out, err = push(run_cli, virtuoso)
    assert code == 0, err
    assert len(out.splitlines()) == len(dataset.graphs)
    assert Virtuoso.PASSWORD not in out + err
    assert differences(built.store, virtuoso.endpoint) == []


def test_a_query_through_the_digest_endpoint_with_credentials(virtuoso, as_pusher, run_cli):
    assert push(run_cli, virtuoso)[0] == 0
    code, out, err = run_cli("query", "compare", "-p", "a=Rutland", "-p", "b=Wandsworth", "--format", "json",
                             "--endpoint", virtuoso.auth_endpoint)
    assert code == 0, err
    assert '"same": true' in out and '"same": 1' not in out


def test_a_wrong_password_is_told_apart_from_a_missing_one(virtuoso, run_cli, monkeypatch):
    code, out, err = push(run_cli, virtuoso)
    assert code == 2 and "set WPGRAPH_ENDPOINT_USER" in err, err
    monkeypatch.setenv("WPGRAPH_ENDPOINT_USER", Virtuoso.USER)
    monkeypatch.setenv("WPGRAPH_ENDPOINT_PASSWORD", "not-the-password")
    code, out, err = push(run_cli, virtuoso)
    assert code == 2 and "refused the user name or password (Digest)" in err, err
    assert len(err.strip().splitlines()) == 1 and "not-the-password" not in err


def test_credentials_in_the_url_work_and_are_never_printed(virtuoso, run_cli):
    secret_url = virtuoso.graph_store.replace("http://", f"http://{Virtuoso.USER}:{Virtuoso.PASSWORD}@")
    code, out, err = run_cli("push", "--endpoint", virtuoso.endpoint, "--graph-store", secret_url)
    assert code == 0, err
    assert Virtuoso.PASSWORD not in out + err and "***@" in err


def test_every_true_false_column_is_declared_so_that_1_and_0_read_back_as_booleans(built):
    from tests.stores import query_cases
    from wpgraph.queries.registry import get_query
    from wpgraph.queries.run import run_query, runner_for

    for name, params in query_cases():
        canned = get_query(name)
        for row in run_query(canned, params, runner_for(store=built.store)):
            flags = {column for column, value in row.items() if isinstance(value, bool)}
            assert flags <= set(canned.booleans), f"{name}: add '#+ booleans: {sorted(flags)}' to its header"
