"""A query of your own is kept on a leash: no SERVICE calls unless allowed, a deadline, and Ctrl-C.

Oxigraph runs a query in Rust, out of Python's reach; these stories run an
explosive query (a product of the whole graph with itself, four times over) in
a real ``wpgraph`` process, and a query that would call another host.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest

from tests.stores import FakeStore, run_wpgraph
from wpgraph.queries.registry import list_queries
from wpgraph.queries.service import calls_service

EXPLOSIVE = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }\n"


def service_queries(url: str) -> list[str]:
    return [f"SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}",
            f"# a comment first\nselect ?s where {{ {{ ?s a ?t }} UNION {{ service silent <{url}> {{ ?s ?p ?o }} }} }}",
            f"PREFIX x: <{url}#>\nSELECT ?s WHERE {{ OPTIONAL {{ SERVICE x:here {{ ?s ?p ?o }} }} }}"]


def test_a_query_file_that_calls_another_host_is_refused_and_no_request_leaves(tmp_path, run_cli):
    with FakeStore() as elsewhere:
        for number, text in enumerate(service_queries(f"{elsewhere.url}/sparql")):
            path = tmp_path / f"q{number}.rq"
            path.write_text(text, encoding="utf-8")
            for extra in ([], ["--endpoint", f"{elsewhere.url}/query"]):
                code, out, err = run_cli("query", "--file", path, *extra)
                assert code == 2, text
                assert "SERVICE" in err and "--allow-service" in err and str(path) in err, err
    assert elsewhere.requests == []


def test_the_word_service_in_a_comment_or_a_string_is_no_call(tmp_path, run_cli):
    path = tmp_path / "harmless.rq"
    path.write_text('# SERVICE <http://127.0.0.1:9/> { }\nSELECT ?s WHERE { ?s ?p "SERVICE <http://x/> { }" }\n',
                    encoding="utf-8")
    code, out, err = run_cli("query", "--file", path)
    assert code == 0, err


def test_the_refusal_reads_the_query_not_its_text():
    assert calls_service("SELECT * { SERVICE <http://h/> { ?s ?p ?o } } ORDER BY ?s garbage(")  # rdflib cannot parse
    assert not calls_service('SELECT * { ?s ?p """SERVICE <http://h/> {}""" } #SERVICE')
    assert not any(calls_service(q.text) for q in list_queries())


def test_an_allowed_service_call_that_fails_is_one_line(tmp_path, run_cli):
    with FakeStore(lambda h, b: FakeStore.reply(h, 500, b"no")) as elsewhere:
        path = tmp_path / "service.rq"
        path.write_text(service_queries(f"{elsewhere.url}/sparql")[0], encoding="utf-8")
        code, out, err = run_cli("query", "--file", path, "--allow-service")
    assert elsewhere.requests, "the call was allowed"
    assert code == 2 and out == ""
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err, err


def test_an_explosive_query_stops_at_its_timeout(tmp_path, workdir):
    path = tmp_path / "explosive.rq"
    path.write_text(EXPLOSIVE, encoding="utf-8")
    done = run_wpgraph("query", "--file", str(path), "--timeout", "1", cwd=workdir)
    assert done.returncode == 2, done.stderr
    assert done.stderr.strip() == ("wpgraph query: the query did not finish within 1 s and was abandoned "
                                   "(--timeout SECONDS allows longer)"), done.stderr


def cpu_seconds(pid: int) -> float:
    with open(f"/proc/{pid}/stat", encoding="ascii") as handle:
        fields = handle.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc to see the query at work")
def test_ctrl_c_stops_a_running_query_with_one_line(tmp_path, workdir):
    path = tmp_path / "explosive.rq"
    path.write_text(EXPLOSIVE, encoding="utf-8")
    process = subprocess.Popen([sys.executable, "-m", "wpgraph", "query", "--file", str(path), "--timeout", "3600"],
                               cwd=workdir, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        # wait until the query is at work (start-up takes about one CPU second), then press Ctrl-C
        deadline = time.monotonic() + 120
        while cpu_seconds(process.pid) < 4 and process.poll() is None and time.monotonic() < deadline:
            time.sleep(0.2)
        assert process.poll() is None, process.communicate()
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert process.returncode == 130, err
    assert err == "wpgraph query: interrupted\n" and out == ""


def test_a_query_abandoned_at_its_timeout_keeps_its_build_read_locked_until_it_ends(tmp_path):
    """From Python the abandoned query runs on in its thread: no writer may change the store under it."""
    import fcntl

    import wpgraph
    from tests.conftest import write_plan_folder
    from wpgraph.errors import InputError
    from wpgraph.queries.registry import load_query

    folder = tmp_path / "build"
    wpgraph.build([write_plan_folder(tmp_path / "borsetshire")], build=folder)
    themes = "GRAPH <https://w3id.org/wpgraph/id/graph/vocab/themes>"
    text = (f"SELECT (COUNT(*) AS ?n) WHERE {{ {themes} {{ ?a ?b ?c }} {themes} {{ ?d ?e ?f }} "
            f"{themes} {{ ?g ?h ?i }} {themes} {{ ?j ?k ?l }} }}")  # some millions of rows: seconds, not ms
    with pytest.raises(InputError, match="did not finish within"):
        wpgraph.run_sparql(load_query(tmp_path / "slow.rq", text), build=folder, timeout=0.001)
    descriptor = os.open(folder / ".lock", os.O_RDWR)
    try:
        with pytest.raises(BlockingIOError):
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)  # a writer waits for the abandoned query
        fcntl.flock(descriptor, fcntl.LOCK_EX)  # and gets the folder once it has ended
        fcntl.flock(descriptor, fcntl.LOCK_UN)
    finally:
        os.close(descriptor)
