"""wpgraph serve: the real app under uvicorn on 127.0.0.1, over the bundled build and over a build holding a
user's own plan; the SPARQL protocol, the web API and its OpenAPI document, and the pages in headless Chromium."""

from __future__ import annotations

import csv
import io
import json
import re
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest

import wpgraph
from tests.conftest import IN_CI, require_tool, write_plan_folder, write_template
from tests.stores import free_port
from wpgraph.queries.registry import get_query, list_queries

try:
    import uvicorn
except ImportError:  # the serve extra (in the test extra too): a failure in CI, a skip with the reason elsewhere
    if IN_CI:
        raise
    pytest.skip("wpgraph serve needs the serve extra: pip install -e '.[serve]'", allow_module_level=True)

pytestmark = pytest.mark.serve

SPARQL_NS = "{http://www.w3.org/2005/sparql-results#}"
# A plan whose text would break a page that did not escape it.
HOSTILE = "In place <!-- not a comment --> </script><script>window.hacked=1</script> \"quoted\" 'single' & more"


class RunningApp:
    """The app under uvicorn in a thread, on 127.0.0.1 and a free port."""

    def __init__(self, **options) -> None:
        from wpgraph.serve import create_app

        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        config = uvicorn.Config(create_app(**options), host="127.0.0.1", port=self.port, log_level="warning")
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)
        self.thread.start()
        deadline = time.monotonic() + 30
        while not self.server.started:
            if not self.thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("the app did not start")
            time.sleep(0.05)

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=30)

    def get(self, path: str, accept: str | None = None, data: bytes | None = None,
            content_type: str | None = None, method: str | None = None) -> tuple[int, str, bytes]:
        """(status, content type, body) of one request; an HTTP error status is returned, not raised."""
        request = urllib.request.Request(self.url + path, data=data, method=method)
        if accept:
            request.add_header("Accept", accept)
        if content_type:
            request.add_header("Content-Type", content_type)
        try:
            with urllib.request.urlopen(request, timeout=60) as response:
                return response.status, response.headers.get("Content-Type", ""), response.read()
        except urllib.error.HTTPError as err:
            return err.code, err.headers.get("Content-Type", ""), err.read()


@pytest.fixture(scope="module")
def app(bundled_build):
    running = RunningApp(build=bundled_build)
    yield running
    running.stop()


@pytest.fixture(scope="module")
def own_build(tmp_path_factory) -> Path:
    """A build holding a user's own plan (Borsetshire, made up, with text that would break an unescaped page)
    beside the bundled ones."""
    folder = tmp_path_factory.mktemp("own")
    rows = [{"ref": f"1.{i}"} for i in range(1, 6)]
    rows[1] = {"ref": "1.2", "status": HOSTILE, "met": "Partly",
               "gaps": "Recruit </script><script>window.hacked=1</script> staff <!--",
               "who": "Head of \"Care\"", "when": "31/01/2021"}
    rows.append({"ref": "2.1", "met": "No", "gaps": "Write the policy", "who": "DASS", "when": "01/11/2020"})
    write_plan_folder(folder / "borsetshire", rows=rows)
    wpgraph.build([folder / "borsetshire"], bundled=True, build=folder / "build")
    return folder / "build"


@pytest.fixture(scope="module")
def own_app(own_build):
    running = RunningApp(build=own_build)
    yield running
    running.stop()


def sparql(app: RunningApp, query: str, accept: str | None = None, method: str = "GET") -> tuple[int, str, bytes]:
    if method == "GET":
        return app.get("/sparql?" + urllib.parse.urlencode({"query": query}), accept=accept)
    return app.get("/sparql", accept=accept, data=urllib.parse.urlencode({"query": query}).encode(),
                   content_type="application/x-www-form-urlencoded")


def one_line(body: bytes) -> str:
    text = body.decode("utf-8")
    assert text.endswith("\n") and text.count("\n") == 1, text
    assert "Traceback" not in text
    return text.strip()


COUNCILS_QUERY = """PREFIX wp: <https://w3id.org/wpgraph/ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?council ?label WHERE { ?council a wp:Council ; rdfs:label ?label } ORDER BY ?label"""


# ------------------------------------------------------------------------------------------------ /sparql

def test_a_select_in_every_results_format_gives_the_same_rows(app, built):
    solutions = list(built.store.query(COUNCILS_QUERY, use_default_graph_as_union=True))
    expected = [(s["council"].value, s["label"].value) for s in solutions]
    as_terms = [(str(s["council"]), str(s["label"])) for s in solutions]  # N-Triples syntax, as TSV has it
    assert len(expected) >= 4

    status, media, body = sparql(app, COUNCILS_QUERY)  # no Accept: SPARQL JSON
    assert (status, media) == (200, "application/sparql-results+json")
    data = json.loads(body)
    assert data["head"]["vars"] == ["council", "label"]
    assert [(b["council"]["value"], b["label"]["value"]) for b in data["results"]["bindings"]] == expected

    status, media, body = sparql(app, COUNCILS_QUERY, accept="text/csv")
    assert (status, media.split(";")[0]) == (200, "text/csv")
    rows = list(csv.reader(io.StringIO(body.decode("utf-8"))))
    assert rows[0] == ["council", "label"] and [tuple(r) for r in rows[1:]] == expected

    status, media, body = sparql(app, COUNCILS_QUERY, accept="text/tab-separated-values", method="POST")
    assert (status, media.split(";")[0]) == (200, "text/tab-separated-values")
    lines = body.decode("utf-8").splitlines()
    assert lines[0] == "?council\t?label"
    assert [tuple(line.split("\t")) for line in lines[1:]] == as_terms

    status, media, body = sparql(app, COUNCILS_QUERY, accept="application/sparql-results+xml;q=0.9, text/html;q=0.1")
    assert (status, media) == (200, "application/sparql-results+xml")
    root = ET.fromstring(body)
    results = root.findall(f"{SPARQL_NS}results/{SPARQL_NS}result")
    assert [(r.find(f"{SPARQL_NS}binding[@name='council']/{SPARQL_NS}uri").text,
             r.find(f"{SPARQL_NS}binding[@name='label']/{SPARQL_NS}literal").text) for r in results] == expected


def test_an_analyst_s_sparqlwrapper_reads_the_endpoint_as_any_sparql_store(app, built):
    """SPARQLWrapper, the Python SPARQL client of the design card, is what an analyst's notebook uses: SELECT in
    JSON, XML and CSV, ASK, CONSTRUCT as Turtle, by GET and by POST; an update is refused."""
    from SPARQLWrapper import CSV, JSON, POST, TURTLE, XML, SPARQLWrapper
    from SPARQLWrapper.SPARQLExceptions import SPARQLWrapperException

    expected = [(s["council"].value, s["label"].value)
                for s in built.store.query(COUNCILS_QUERY, use_default_graph_as_union=True)]

    def client(query: str, fmt: str, method: str = "GET") -> Any:
        wrapper = SPARQLWrapper(app.url + "/sparql")
        wrapper.setQuery(query)
        wrapper.setReturnFormat(fmt)
        wrapper.setMethod(method)
        return wrapper.query().convert()

    for method in ("GET", POST):
        data = client(COUNCILS_QUERY, JSON, method)
        assert [(b["council"]["value"], b["label"]["value"]) for b in data["results"]["bindings"]] == expected
    document = client(COUNCILS_QUERY, XML)  # a DOM document
    assert [node.firstChild.data for node in document.getElementsByTagName("literal")] == [e[1] for e in expected]
    rows = list(csv.reader(io.StringIO(client(COUNCILS_QUERY, CSV).decode("utf-8"))))
    assert [tuple(r) for r in rows[1:]] == expected
    assert client("ASK { ?c a <https://w3id.org/wpgraph/ns#Council> }", JSON)["boolean"] is True
    construct = ("PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> CONSTRUCT { ?c rdfs:label ?label } "
                 "WHERE { ?c a <https://w3id.org/wpgraph/ns#Council> ; rdfs:label ?label }")
    turtle = client(construct, TURTLE)
    graph = ox.parse(turtle, format=ox.RdfFormat.TURTLE)
    assert sorted(t.object.value for t in graph) == sorted(e[1] for e in expected)
    wrapper = SPARQLWrapper(app.url + "/sparql")
    wrapper.setQuery("INSERT DATA { <urn:a> <urn:b> <urn:c> }")
    wrapper.setMethod(POST)
    with pytest.raises((SPARQLWrapperException, urllib.error.HTTPError)):
        wrapper.query()
    assert client("ASK { <urn:a> <urn:b> <urn:c> }", JSON)["boolean"] is False


def test_get_post_form_and_post_query_body_agree(app):
    _, _, by_get = sparql(app, COUNCILS_QUERY)
    _, _, by_form = sparql(app, COUNCILS_QUERY, method="POST")
    status, _, by_body = app.get("/sparql", data=COUNCILS_QUERY.encode(), content_type="application/sparql-query")
    assert status == 200
    assert json.loads(by_get) == json.loads(by_form) == json.loads(by_body)


def test_construct_is_turtle_and_ask_is_a_boolean(app):
    query = ("PREFIX wp: <https://w3id.org/wpgraph/ns#> CONSTRUCT { ?c a wp:Council } WHERE { ?c a wp:Council }")
    status, media, body = sparql(app, query)
    assert (status, media.split(";")[0]) == (200, "text/turtle")
    triples = list(ox.parse(body, format=ox.RdfFormat.TURTLE))
    assert len(triples) >= 4
    status, media, body = sparql(app, query, accept="application/n-triples")
    assert status == 200 and len(body.decode().strip().splitlines()) == len(triples)
    status, _, body = sparql(app, "ASK { ?s a <https://w3id.org/wpgraph/ns#Council> }")
    assert status == 200 and json.loads(body) == {"head": {}, "boolean": True}
    status, _, body = sparql(app, COUNCILS_QUERY, accept="text/turtle")
    assert status == 406, body


def test_updates_are_refused_and_the_store_is_unchanged(app, built):
    count = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
    before = json.loads(sparql(app, count)[2])["results"]["bindings"][0]["n"]["value"]
    insert = "INSERT DATA { GRAPH <urn:x> { <urn:a> <urn:b> <urn:c> } }"
    attempts = [
        app.get("/sparql", data=urllib.parse.urlencode({"update": insert}).encode(),
                content_type="application/x-www-form-urlencoded"),
        app.get("/sparql", data=insert.encode(), content_type="application/sparql-update"),
        sparql(app, insert, method="POST"),
        sparql(app, "PREFIX x: <urn:x#>\n# a comment\nDELETE WHERE { ?s ?p ?o }"),
        app.get("/sparql?" + urllib.parse.urlencode({"update": "DROP ALL"})),
    ]
    for status, _, body in attempts:
        assert status == 405, body
        assert "read-only" in one_line(body)
    after = json.loads(sparql(app, count)[2])["results"]["bindings"][0]["n"]["value"]
    assert after == before


def test_hostile_requests_get_a_400_with_one_line(app):
    cases = {
        "syntax": sparql(app, "SELECT * WHERE { ?s ?p "),
        "not a query": sparql(app, "HELLO"),
        "service": sparql(app, "SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }"),
        "two queries": app.get("/sparql?query=ASK%7B%7D&query=ASK%7B%7D"),
        "no query": app.get("/sparql", accept="application/json"),
        "nul": sparql(app, "ASK {}\x00"),
        "bad graph": app.get("/sparql?" + urllib.parse.urlencode({"query": "ASK {}",
                                                                  "default-graph-uri": "not an iri"})),
        "bad format": app.get("/sparql?" + urllib.parse.urlencode({"query": "ASK {}", "format": "pdf"})),
        "not utf-8": app.get("/sparql", data=b"ASK { \xff }", content_type="application/sparql-query"),
        "huge": app.get("/sparql", data=b"ASK {}" + b" " * 300_000, content_type="application/sparql-query"),
        "odd body": app.get("/sparql", data=b"ASK {}", content_type="application/octet-stream"),
    }
    for case, (status, media, body) in cases.items():
        assert 400 <= status < 500, (case, status, body)
        assert media.startswith("text/plain"), case
        assert one_line(body), case
    assert "SERVICE" in one_line(cases["service"][2])
    assert cases["syntax"][0] == 400 and "syntax" in one_line(cases["syntax"][2])


def test_a_result_larger_than_the_limit_is_refused_and_a_slow_query_stops(bundled_build):
    small = RunningApp(build=bundled_build, max_rows=10, timeout=0.5)
    try:
        status, _, body = sparql(small, "SELECT * WHERE { ?s ?p ?o }")
        assert status == 400 and "limit of 10 rows" in one_line(body)
        status, _, body = sparql(small, "SELECT * WHERE { ?s ?p ?o } LIMIT 10")
        assert status == 200 and len(json.loads(body)["results"]["bindings"]) == 10
    finally:
        small.stop()
    slow = RunningApp(build=bundled_build, max_rows=10**12, timeout=0.5)
    try:  # rows stream for far longer than half a second: the server stops at its limit
        status, _, body = sparql(slow, "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }")
        assert status == 503 and "limit of 0.5 s" in one_line(body)
    finally:
        slow.stop()


def test_when_every_query_worker_is_busy_the_endpoint_says_so(app):
    backend = app.server.config.app.state.backend
    taken = [backend._slots.acquire(blocking=False) for _ in range(backend.workers)]  # as runaway queries would
    try:
        assert all(taken)
        status, _, body = sparql(app, "ASK {}")
        assert status == 503 and one_line(body).startswith("busy:")
    finally:
        for ok in taken:
            if ok:
                backend._slots.release()
    assert sparql(app, "ASK {}")[0] == 200


# ------------------------------------------------------------------------------------------------ /api

def examples(name: str) -> dict[str, str]:
    return {p.name: p.example for p in get_query(name).params if p.example}


def param(name: str, kind: str, index: int = 0) -> str:
    """The name a query's header gives its (index-th) parameter of a type."""
    return [p.name for p in get_query(name).params if p.type == kind][index]


@pytest.mark.parametrize("name", [q.name for q in list_queries()])
def test_every_canned_query_answers_json_csv_and_xlsx_with_the_rows_of_the_python_api(app, bundled_build, name):
    from openpyxl import load_workbook

    params = examples(name)
    expected = wpgraph.query(name, build=bundled_build, **params)
    path = f"/api/{name}?" + urllib.parse.urlencode(params)
    status, media, body = app.get(path)
    assert (status, media) == (200, "application/json"), body
    data = json.loads(body)
    assert data["columns"] == list(get_query(name).variables)
    assert data["rows"] == json.loads(json.dumps(expected, default=str))

    status, media, body = app.get(path, accept="text/csv")
    assert (status, media.split(";")[0]) == (200, "text/csv")
    table = list(csv.reader(io.StringIO(body.decode("utf-8"))))
    assert table[0] == data["columns"] and len(table) == len(expected) + 1

    status, media, body = app.get(path + "&format=xlsx")
    assert status == 200 and media.startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(body)).active
    cells = list(sheet.iter_rows(values_only=True))
    assert list(cells[0]) == data["columns"] and len(cells) == len(expected) + 1


def test_a_server_holding_the_build_in_memory_answers_as_on_disk_and_follows_a_changed_plan(tmp_path):
    """An analyst serves her build from memory: every canned query and an ad-hoc query answer as they do from the
    store on disk; when she changes her plan, the next request sees it (the build is refreshed and read in again)."""
    plan = write_plan_folder(tmp_path / "plans" / "borsetshire")
    wpgraph.build([plan], bundled=True, build=tmp_path / "build")
    on_disk, in_memory = RunningApp(build=tmp_path / "build"), RunningApp(build=tmp_path / "build", in_memory=True)
    try:
        for canned in list_queries():
            path = f"/api/{canned.name}?" + urllib.parse.urlencode(examples(canned.name))
            assert in_memory.get(path) == on_disk.get(path), canned.name
        assert sparql(in_memory, COUNCILS_QUERY, "text/csv") == sparql(on_disk, COUNCILS_QUERY, "text/csv")
        gaps = "/api/open-actions?" + urllib.parse.urlencode({param("open-actions", "council"): "Borsetshire"})
        status, _, body = in_memory.get(gaps)
        assert status == 200 and json.loads(body)["rows"] == []
        write_plan_folder(tmp_path / "plans" / "borsetshire", rows=[
            {"ref": "1.1"}, {"ref": "1.2", "met": "No", "gaps": "Recruit staff", "who": "DASS", "when": "31/01/2021"}])
        status, _, body = in_memory.get(gaps)
        assert status == 200 and [row["requirement"] for row in json.loads(body)["rows"]] == ["1.2"], body
        assert in_memory.get(gaps) == on_disk.get(gaps)
    finally:
        on_disk.stop()
        in_memory.stop()


def test_in_memory_the_build_is_read_once_and_again_only_when_it_changes(tmp_path):
    from wpgraph.serve.backend import Backend

    plan = write_plan_folder(tmp_path / "plans" / "borsetshire")
    wpgraph.build([plan], build=tmp_path / "build")
    backend = Backend(build=tmp_path / "build", in_memory=True)
    try:
        with backend.opened() as first, backend.opened() as second:
            assert first is second and first.folder == tmp_path / "build"
        write_plan_folder(tmp_path / "plans" / "borsetshire", rows=[{"ref": "1.1"}])
        with backend.opened() as after:
            assert after is not first
            assert after.manifest.inputs[0].sha256 != first.manifest.inputs[0].sha256
    finally:
        backend.close()
    on_disk = Backend(build=tmp_path / "build")
    try:
        with on_disk.opened() as one, on_disk.opened() as other:
            assert one is not other  # on disk, each request opens the build
    finally:
        on_disk.close()


def test_unknown_values_get_the_cli_s_one_line(app, run_cli):
    code, _, err = run_cli("query", "coverage", "--param", f"{param('coverage', 'council')}=Nowhere")
    assert code == 2
    status, _, body = app.get(f"/api/coverage?{param('coverage', 'council')}=Nowhere")
    assert status == 404
    assert one_line(body) == err.strip().removeprefix("wpgraph query: ")

    status, _, body = app.get(f"/api/open-actions?{param('open-actions', 'date')}=2020-02-30")
    assert status == 400 and "not a date" in one_line(body)
    status, _, body = app.get("/api/coverage?colour=red")
    assert status == 400 and "unknown parameter colour" in one_line(body)
    status, _, body = app.get(f"/api/coverage?{param('coverage', 'council')}=Rutland&"
                              f"{param('coverage', 'council')}=Wandsworth")
    assert status == 400 and "twice" in one_line(body)
    status, _, body = app.get("/api/no-such-query")
    assert status == 404 and "no canned query" in one_line(body)
    status, _, body = app.get(f"/api/compare?{param('compare', 'council')}=Rutland")
    assert status == 400 and f"missing required parameter {param('compare', 'council', 1)}" in one_line(body)


def test_odd_api_requests_and_unknown_pages_are_one_line_or_an_escaped_page(app):
    status, _, body = app.get("/api/coverage?format=pdf")
    assert status == 400 and "format 'pdf' is not one of json, csv, xlsx" == one_line(body)
    status, _, body = app.get("/nothing/here")
    assert status == 404 and one_line(body) == "/nothing/here: Not Found"
    status, _, body = app.get("/api/coverage", method="DELETE")
    assert status == 405 and one_line(body)
    status, _, page = app.get("/council/%3Cb%3Ebold", accept="text/html")
    assert status == 404 and b"&lt;b&gt;bold" in page and b"<b>bold" not in page


def test_wpgraph_query_can_use_the_app_as_its_endpoint(app, run_cli):
    given = [f"--param={name}={value}" for name, value in examples("compare").items()]
    local = run_cli("query", "compare", *given, "--format", "csv")
    remote = run_cli("query", "compare", *given, "--format", "csv", "--endpoint", app.url + "/sparql")
    assert remote[0] == 0, remote[2]
    assert remote[1] == local[1] and len(local[1].splitlines()) > 80


def test_a_value_is_bound_as_a_term_never_pasted(app):
    status, _, body = app.get("/api/coverage?" + urllib.parse.urlencode({param("coverage", "council"):
                                                                          "Rutland' } } #"}))
    assert status == 404 and "unknown council" in one_line(body)


def test_the_openapi_document_is_valid_and_has_every_query_and_parameter(app):
    from openapi_spec_validator import validate

    status, _, body = app.get("/api/openapi.json")
    assert status == 200
    document = json.loads(body)
    validate(document)
    assert set(document["paths"]) == {f"/api/{q.name}" for q in list_queries()}
    for query in list_queries():
        operation = document["paths"][f"/api/{query.name}"]["get"]
        declared = {p["name"]: p for p in operation["parameters"]}
        assert set(declared) == {p.name for p in query.params} | {"format"}
        for param in query.params:
            assert declared[param.name]["required"] == param.required


# ------------------------------------------------------------------------------------------------ a user's plan

def test_the_user_s_plan_is_on_every_page(own_app):
    status, _, body = own_app.get(f"/api/coverage?{param('coverage', 'council')}=Borsetshire")
    assert status == 200 and {r["council"] for r in json.loads(body)["rows"]} == {"Borsetshire"}
    status, _, page = own_app.get("/")
    assert status == 200 and b'href="/council/Borsetshire"' in page
    status, _, page = own_app.get("/council/Borsetshire?as_of=2020-12-01")
    text = page.decode("utf-8")
    assert status == 200
    # the page shows the plain text (wp:plainText drops the tags); what is left of the markup is escaped
    assert "window.hacked=1" in text and "staff &lt;!--" in text
    assert "</script> staff" not in text and "<!-- not a comment" not in text and "window.hacked=1</script>" not in text
    assert 'id="overdue-count">1<' in text  # the 2.1 action due 1 November 2020; 1.2's (31 January 2021) is not yet
    status, _, page = own_app.get("/council/Borsetshire?as_of=2021-02-01")
    assert 'id="overdue-count">2<' in page.decode("utf-8")
    status, _, page = own_app.get("/council/Borsetshire?as_of=someday")
    assert status == 400 and b"not a date" in page
    status, _, page = own_app.get("/council/Nowhere")
    assert status == 404 and b"unknown council" in page
    status, _, page = own_app.get("/requirement/1.2")
    assert status == 200 and b"Borsetshire" in page and b"partly met" in page
    status, _, page = own_app.get("/requirement/9.99")
    assert status == 404


def test_the_council_page_counts_direct_and_credited_answers_as_validation_does(app, bundled_build):
    report = wpgraph.validate(build=bundled_build)
    for plan in report.plans:
        short = {"E06000017": "Rutland", "E09000032": "Wandsworth"}.get(plan.gss or "")
        if short is None:
            continue
        status, _, page = app.get(f"/council/{short}")
        text = page.decode("utf-8")
        direct = sum(int(n) for n in re.findall(r'<td class="direct">(\d+)</td>', text))
        credited = sum(int(n) for n in re.findall(r'<td class="credited">(\d+)</td>', text))
        assert status == 200 and (direct, credited) == (plan.direct, plan.credited)
        assert direct + credited == plan.addressed
        assert f'id="answered">{plan.addressed}<' in text
        assert text.count('<tr class="violation">') == plan.counts["violation"]


def upload(app: RunningApp, path: Path, **fields: str) -> tuple[int, str, bytes]:
    boundary = "----wpgraphtest"
    parts = [f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode()
             for k, v in fields.items()]
    parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{path.name}"\r\n'
                 f"Content-Type: application/octet-stream\r\n\r\n".encode() + path.read_bytes() + b"\r\n")
    body = b"".join(parts) + f"--{boundary}--\r\n".encode()
    return app.get("/check", data=body, content_type=f"multipart/form-data; boundary={boundary}")


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_an_uploaded_template_shows_its_findings_and_nothing_is_kept(app, tmp_path, suffix):
    import tempfile

    template = write_template(tmp_path / f"ours{suffix}", rows=[{"ref": "1.1"}, {"ref": "1.2", "met": "No"}])
    cli = wpgraph.validate([template], council="Borsetshire County Council")
    before = set(Path(tempfile.gettempdir()).glob("wpgraph-check-*"))
    status, _, page = upload(app, template, council="Borsetshire County Council")
    text = page.decode("utf-8")
    assert status == 200
    plan = cli.plans[0]
    assert f"<strong>{plan.counts['violation']} violations</strong>" in text
    assert text.count('<tr class="violation">') == plan.counts["violation"]
    assert set(Path(tempfile.gettempdir()).glob("wpgraph-check-*")) == before


def test_an_upload_that_is_not_a_template_or_too_large_is_one_line(app, tmp_path):
    notes = tmp_path / "notes.txt"
    notes.write_text("hello", encoding="utf-8")
    status, _, page = upload(app, notes)
    assert status == 400 and b"a template is a .csv or .xlsx file" in page
    big = tmp_path / "big.csv"
    big.write_bytes(b"x" * 2_100_000)
    status, _, page = upload(app, big)
    assert status == 400 and b"limit of 2000 kB" in page
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    status, _, page = upload(app, empty)
    error = re.search(r'<p class="error" id="error">(.*?)</p>', page.decode("utf-8")).group(1)
    assert status == 400 and error.startswith("empty.csv: ") and "wpgraph-check-" not in error, error
    status, _, page = app.get("/check", data=b"--x\r\nnonsense", content_type="multipart/form-data; boundary=x")
    assert status == 400 and b'class="error"' in page


def test_the_vendored_libraries_are_what_their_version_files_say_with_their_licences():
    import hashlib

    vendor = Path(wpgraph.__file__).parent / "_vendor"
    for name in ("yasgui", "swagger-ui"):
        folder = vendor / name
        stated = dict(re.findall(r"^(\S+) sha256: ([0-9a-f]{64})$", (folder / "VERSION").read_text(), re.M))
        files = {k: v for k, v in stated.items() if k != "tarball"}
        assert files and (folder / "LICENSE").is_file()
        for file, digest in files.items():
            assert hashlib.sha256((folder / file).read_bytes()).hexdigest() == digest, file


# ------------------------------------------------------------------------------------------------ the command

def test_wpgraph_serve_listens_on_127_0_0_1_and_a_taken_port_is_exit_2(workdir, run_cli):
    """(The first server holds the build in memory: the command's --in-memory.)"""
    code, _, err = run_cli("serve", "--in-memory", "--endpoint", "http://127.0.0.1:9/sparql")
    assert code == 2 and err.strip() == ("wpgraph serve: --in-memory reads a build into memory; an endpoint holds its "
                                         "own data")
    port = free_port()
    process = subprocess.Popen([sys.executable, "-m", "wpgraph", "serve", "--port", str(port), "--in-memory"],
                               cwd=workdir,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/coverage?format=csv", timeout=5) as r:
                    assert r.read().startswith(b"council,theme")
                    break
            except OSError:
                assert process.poll() is None and time.monotonic() < deadline, process.communicate()
                time.sleep(0.1)
        taken = subprocess.run([sys.executable, "-m", "wpgraph", "serve", "--port", str(port)], cwd=workdir,
                               capture_output=True, text=True, timeout=120)
        assert taken.returncode == 2
        assert taken.stderr.strip().splitlines()[-1].startswith("wpgraph serve: cannot listen on 127.0.0.1:")
        assert "Traceback" not in taken.stderr
    finally:
        process.terminate()
        process.wait(timeout=30)
    assert "http://127.0.0.1:" in process.stdout.read().decode()


@pytest.mark.server
def test_serving_a_remote_endpoint_gives_the_same_answers(bundled_build, run_cli, app):
    from tests.stores import Oxigraph

    server = Oxigraph(bundled_build.parent / "oxigraph-for-serve")
    try:
        code, _, err = run_cli("push", "--endpoint", server.endpoint)
        assert code == 0, err
        remote = RunningApp(endpoint=server.endpoint)
        try:
            for name in ("coverage", "requirement", "open-actions"):
                path = f"/api/{name}?" + urllib.parse.urlencode(examples(name))
                assert json.loads(remote.get(path)[2]) == json.loads(app.get(path)[2])
            assert json.loads(sparql(remote, COUNCILS_QUERY)[2]) == json.loads(sparql(app, COUNCILS_QUERY)[2])
            construct = "CONSTRUCT { ?c a <https://w3id.org/wpgraph/ns#Council> } WHERE { ?c a " \
                        "<https://w3id.org/wpgraph/ns#Council> }"
            graphs = [set(ox.parse(sparql(side, construct, accept="application/n-triples")[2],
                                   format=ox.RdfFormat.N_TRIPLES)) for side in (remote, app)]
            assert graphs[0] == graphs[1] and len(graphs[0]) >= 4
            status, _, body = sparql(remote, "INSERT DATA { <urn:a> <urn:b> <urn:c> }")
            assert status == 405
            status, _, page = remote.get("/council/Rutland")
            assert status == 200 and b"Validation reads a build" in page
        finally:
            remote.stop()
    finally:
        server.stop()


# ------------------------------------------------------------------------------------------------ in a browser

@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    """Headless Debian Chromium through Debian's chromedriver (given explicitly: Selenium downloads nothing)."""
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
    except ImportError:
        if IN_CI:
            raise
        pytest.skip("the browser tests need selenium (the test extra)")

    from tests.test_export import CHROMIUM_FLAGS

    chromium, chromedriver = require_tool("chromium"), require_tool("chromedriver")
    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for flag in CHROMIUM_FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}")
    options.add_argument("--window-size=1400,900")
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(executable_path=chromedriver), options=options)
    yield driver
    driver.quit()


def console(driver) -> list[str]:
    """Every console message and uncaught error since the last call (warnings and logs included)."""
    return [f"{entry['level']}: {entry['message']}" for entry in driver.get_log("browser")]


def wait_for(driver, css: str, count: int = 1):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    WebDriverWait(driver, 60).until(lambda d: len(d.find_elements(By.CSS_SELECTOR, css)) >= count)
    return driver.find_elements(By.CSS_SELECTOR, css)


@pytest.mark.browser
def test_the_console_check_would_see_an_error(browser, own_app):
    browser.get(own_app.url + "/")
    console(browser)
    browser.execute_script("setTimeout(function () { undefinedFunction(); }, 0)")
    time.sleep(0.5)  # lets the error happen; not a timed assertion
    assert any("undefinedFunction" in line for line in console(browser))


@pytest.mark.browser
def test_every_page_renders_without_console_messages(browser, own_app):
    pages = {"/": "#heatmap td.cell", "/council/Borsetshire?as_of=2020-12-01": "#actions-table tbody tr",
             "/requirement/1.2": "#answers tbody tr", "/check": "#check-form",
             "/sparql": ".yasqe .CodeMirror", "/api": "#swagger-ui .opblock"}
    for path, ready in pages.items():
        console(browser)
        browser.get(own_app.url + path)
        wait_for(browser, ready)
        assert browser.execute_script("return window.hacked") is None, path
        assert console(browser) == [], path
        fetched = browser.execute_script("return performance.getEntriesByType('resource').map(e => e.name)")
        assert fetched and all(url.startswith(own_app.url + "/") for url in fetched), (path, fetched)


@pytest.mark.browser
def test_the_heatmap_has_a_cell_per_council_and_requirement_and_a_click_opens_the_requirement(browser, own_app):
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By

    councils = {r["council"] for r in json.loads(own_app.get("/api/coverage")[2])["rows"]}
    requirements = [r for r in wpgraph.catalogue() if r.is_council_requirement]
    browser.get(own_app.url + "/")
    cells = wait_for(browser, "#heatmap td.cell")
    assert len(councils) == 5 and len(requirements) == 86
    assert len(cells) == len(councils) * len(requirements)
    assert {c.get_attribute("data-council") for c in cells} == councils

    cell = browser.find_element(By.CSS_SELECTOR, 'td.cell[data-council="Borsetshire"][data-ref="1.2"]')
    ActionChains(browser).move_to_element(cell).perform()
    tooltip = browser.find_element(By.ID, "tooltip")
    assert tooltip.is_displayed()
    text = tooltip.text
    assert "Borsetshire" in text and "partly met" in text and 'Head of "Care"' in text
    assert requirements[0].text[:20] not in text  # the hovered requirement's own text:
    assert next(r.text for r in requirements if r.reference == "1.2")[:40] in text

    cell.click()
    wait_for(browser, "#answers tbody tr")
    assert browser.current_url.endswith("/requirement/1.2")
    assert browser.find_element(By.ID, "ref").text == "1.2"
    assert console(browser) == []


@pytest.mark.browser
def test_an_upload_in_the_browser_shows_the_findings(browser, own_app, tmp_path):
    from selenium.webdriver.common.by import By

    template = write_template(tmp_path / "ours.xlsx", rows=[{"ref": "1.1"}, {"ref": "1.2", "met": "No"}])
    expected = wpgraph.validate([template], council="Borsetshire County Council").plans[0].counts["violation"]
    browser.get(own_app.url + "/check")
    browser.find_element(By.NAME, "file").send_keys(str(template))
    browser.find_element(By.NAME, "council").send_keys("Borsetshire County Council")
    browser.find_element(By.CSS_SELECTOR, "#check-form button").click()
    wait_for(browser, "#report")
    assert len(browser.find_elements(By.CSS_SELECTOR, "tr.violation")) == expected > 0
    assert console(browser) == []


@pytest.mark.browser
def test_the_query_editor_has_every_canned_query_and_runs_one(browser, own_app):
    from selenium.webdriver.common.by import By

    browser.get(own_app.url + "/sparql")
    wait_for(browser, ".yasqe .CodeMirror")
    names = [t.text.strip().split("\n")[0] for t in browser.find_elements(By.CSS_SELECTOR, ".tabsList .tab")]
    assert [n for n in names if n] == [q.name for q in list_queries()]
    browser.find_element(By.CSS_SELECTOR, ".yasqe_queryButton").click()
    rows = wait_for(browser, ".yasr tbody tr")
    assert len(rows) == len(wpgraph.query(list_queries()[0].name, build=own_app_build(own_app),
                                          **examples(list_queries()[0].name)))
    assert console(browser) == []


def own_app_build(app: RunningApp) -> Path:
    return app.server.config.app.state.backend.build


@pytest.mark.browser
def test_the_api_page_runs_a_query_from_the_browser(browser, own_app):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    browser.get(own_app.url + "/api")
    operation = wait_for(browser, "#swagger-ui .opblock-get")
    paths = [o.find_element(By.CSS_SELECTOR, ".opblock-summary-path").text.replace("\u200b", "") for o in operation]
    assert sorted(paths) == sorted(f"/api/{q.name}" for q in list_queries())
    block = next(o for o, p in zip(operation, paths, strict=True) if p == "/api/coverage")
    block.find_element(By.CSS_SELECTOR, ".opblock-summary").click()
    wait_for(browser, ".opblock-get.is-open .try-out__btn")[0].click()
    wait_for(browser, ".opblock-get.is-open button.execute")[0].click()
    status = wait_for(browser, ".opblock-get.is-open .live-responses-table tbody .response-col_status")[0]
    WebDriverWait(browser, 60).until(lambda _: status.text.strip() != "")
    assert status.text.strip() == "200"
    body = browser.find_element(By.CSS_SELECTOR, ".opblock-get.is-open .live-responses-table .microlight").text
    assert '"Borsetshire"' in body
    assert console(browser) == []


def test_an_unreachable_endpoint_is_one_line_and_its_password_never_shown():
    closed = free_port()
    remote = RunningApp(endpoint=f"http://analyst:s3cret-pw@127.0.0.1:{closed}/query")
    try:
        status, _, body = remote.get("/api/coverage")
        assert status == 400 and "127.0.0.1" in one_line(body) and "s3cret" not in one_line(body)
        status, _, body = sparql(remote, "ASK {}")
        assert status == 400 and "s3cret" not in one_line(body)
        status, _, page = remote.get("/", accept="text/html")
        assert status == 400 and b"127.0.0.1" in page and b"s3cret" not in page
    finally:
        remote.stop()
