"""A store that misbehaves: redirects, echoes, trickles, floods, or refuses one graph.

Each story starts a tiny HTTP server on 127.0.0.1 (tests/stores.py FakeStore)
that plays the store, and runs wpgraph against it: credentials go only to the
host the user named and are never printed, every call ends by its deadline,
a flood is refused, and a push that fails halfway says so, graph by graph.
"""

from __future__ import annotations

import base64
import time

import pytest

from tests.stores import FakeStore, run_wpgraph

pytestmark = pytest.mark.server

USER, PASSWORD = "analyst", "s3cret-pw-42"
TOKEN = base64.b64encode(f"{USER}:{PASSWORD}".encode()).decode()
RUTLAND_GRAPH = "https://w3id.org/wpgraph/id/graph/plan/E06000017"


@pytest.fixture
def credentials(monkeypatch):
    monkeypatch.setenv("WPGRAPH_ENDPOINT_USER", USER)
    monkeypatch.setenv("WPGRAPH_ENDPOINT_PASSWORD", PASSWORD)


def authorization(request) -> str | None:
    return next((v for k, v in request["headers"].items() if k.lower() == "authorization"), None)


def basic_gate(then):
    """Ask for Basic credentials, then answer with ``then``."""
    def answer(handler, body):
        if handler.headers.get("Authorization") != f"Basic {TOKEN}":
            FakeStore.reply(handler, 401, b"who are you?", {"WWW-Authenticate": 'Basic realm="store"'})
        else:
            then(handler, body)
    return answer


def secret_free(text: str) -> bool:
    return PASSWORD not in text and TOKEN not in text


def test_basic_credentials_are_sent_when_the_store_asks_for_them(credentials, run_cli):
    with FakeStore(basic_gate(FakeStore.accept)) as store:
        code, out, err = run_cli("push", "--endpoint", f"{store.url}/query")
    assert code == 0, err
    assert any(authorization(r) == f"Basic {TOKEN}" for r in store.requests)
    assert secret_free(out + err)


def test_a_redirect_to_another_host_never_carries_the_credentials(credentials, run_cli):
    with FakeStore(lambda h, b: FakeStore.reply(h, 401, b"", {"WWW-Authenticate": 'Basic realm="x"'})) as elsewhere:
        def redirect(handler, body):
            FakeStore.reply(handler, 307, b"", {"Location": f"{elsewhere.url}/steal"})

        with FakeStore(basic_gate(redirect)) as home:
            for argv in (["query", "coverage", "--endpoint", f"{home.url}/query"],
                         ["push", "--endpoint", f"{home.url}/query"]):
                code, out, err = run_cli(*argv)
                assert code == 2, argv
                assert "only to the host you named" in err, err
                assert secret_free(out + err)
        assert any(authorization(r) for r in home.requests)
    assert elsewhere.requests, "the redirect was followed"
    assert all(authorization(r) is None for r in elsewhere.requests)


def echo(handler, body):
    """Answer 400 with the request read back: its Authorization header first, then the rest."""
    echoed = f"Authorization: {handler.headers.get('Authorization')}\n{handler.requestline}\n{handler.headers}"
    FakeStore.reply(handler, 400, echoed.encode() + body)


def test_a_store_that_echoes_the_request_does_not_get_the_credentials_printed(credentials, run_cli):
    with FakeStore(basic_gate(echo)) as store:
        for argv in (["query", "coverage", "--endpoint", f"{store.url}/query"],
                     ["push", "--endpoint", f"{store.url}/query"]):
            code, out, err = run_cli(*argv)
            assert code == 2 and "HTTP 400" in err, err
            assert "Authorization: ***" in err, err
            assert secret_free(out + err), err


def test_a_password_in_the_url_is_used_and_never_printed(run_cli):
    with FakeStore(basic_gate(echo)) as store:
        secret_url = f"http://{USER}:{PASSWORD}@127.0.0.1:{store.port}/query"
        code, out, err = run_cli("query", "coverage", "--endpoint", secret_url)
        assert code == 2 and "HTTP 400" in err and secret_free(out + err), err
    with FakeStore() as store:
        code, out, err = run_cli("push", "--endpoint", f"http://{USER}:{PASSWORD}@127.0.0.1:{store.port}/query")
        assert code == 0, err
        assert "http://***@127.0.0.1" in err and secret_free(out + err), err


def test_a_push_that_fails_for_one_graph_names_it_and_says_how_to_repeat(run_cli, dataset):
    def refuse_rutland(handler, body):
        if "plan%2FE06000017" in handler.path:
            FakeStore.reply(handler, 500, b"disk full")
        else:
            FakeStore.accept(handler, body)

    with FakeStore(refuse_rutland) as store:
        code, out, err = run_cli("push", "--endpoint", f"{store.url}/query")
    total = len(dataset.graphs)
    assert code == 2
    assert len(out.splitlines()) == total - 1 and RUTLAND_GRAPH not in out
    assert f"failed: {RUTLAND_GRAPH}: PUT" in err and "HTTP 500" in err and "disk full" in err, err
    assert f"{total - 1} of {total} graphs went in" in err and "repeat the same wpgraph push" in err, err
    assert "Traceback" not in err


def trickle(status_line_too: bool):
    """Send an answer one byte a second, for as long as the client listens."""
    def answer(handler, body):
        head = b"HTTP/1.1 200 OK\r\nContent-Type: application/sparql-results+json\r\nContent-Length: 100000\r\n\r\n"
        data = head if status_line_too else b""
        if not status_line_too:
            handler.wfile.write(head)
        handler.wfile.flush()
        try:
            while True:
                handler.wfile.write(data[:1] or b" ")
                handler.wfile.flush()
                data = data[1:]
                time.sleep(1)
        except OSError:
            return
    return answer


@pytest.mark.parametrize("status_line_too", [True, False], ids=["headers", "body"])
def test_a_store_that_sends_one_byte_a_second_is_cut_off_at_the_deadline(workdir, status_line_too):
    with FakeStore(trickle(status_line_too)) as store:
        for argv in (["query", "coverage", "--endpoint", f"{store.url}/query"],
                     ["push", "--endpoint", f"{store.url}/query"]):
            done = run_wpgraph(*argv, "--timeout", "2", cwd=workdir)
            assert done.returncode == 2, done.stderr
            assert "no complete answer within 2 s" in done.stderr, done.stderr
            assert "Traceback" not in done.stderr


def test_a_huge_answer_is_refused(workdir):
    def announced(handler, body):
        handler.send_response(200)
        handler.send_header("Content-Length", str(10**11))
        handler.end_headers()

    def endless(handler, body):
        handler.send_response(200)
        handler.send_header("Content-Type", "application/sparql-results+json")
        handler.send_header("Transfer-Encoding", "chunked")
        handler.end_headers()
        chunk = b" " * (1 << 20)
        try:
            while True:
                handler.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
        except OSError:
            return

    for answer in (announced, endless):
        with FakeStore(answer) as store:
            done = run_wpgraph("query", "coverage", "--endpoint", f"{store.url}/query", cwd=workdir)
        assert done.returncode == 2, done.stderr
        assert "over the limit" in done.stderr and "refused" in done.stderr, done.stderr


@pytest.mark.parametrize("algorithm, expected", [
    ("MD5", "8ca523f5e9506fed4657c9700eebdbec"),
    ("SHA-256", "753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1")])
def test_digest_answers_are_those_of_rfc_7616(algorithm, expected):
    from wpgraph.remote.auth import Credentials, DigestChallenge

    challenge = DigestChallenge({"realm": "http-auth@example.org", "qop": "auth, auth-int", "algorithm": algorithm,
                                 "nonce": "7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v",
                                 "opaque": "FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS"})
    header = challenge.header("GET", "/dir/index.html", Credentials("Mufasa", "Circle of Life"),
                              cnonce="f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ")
    assert f'response="{expected}"' in header and "nc=00000001" in header


def test_a_redirect_on_the_same_host_keeps_the_credentials(credentials, run_cli):
    def moved(handler, body):
        if handler.path.startswith("/store"):
            FakeStore.reply(handler, 308, b"", {"Location": handler.path.replace("/store", "/moved-store", 1)})
        else:
            FakeStore.accept(handler, body)

    with FakeStore(basic_gate(moved)) as store:
        code, out, err = run_cli("push", "--endpoint", f"{store.url}/query")
    assert code == 0, err
    arrived = [r for r in store.requests if r["path"].startswith("/moved-store") and r["method"] == "PUT"]
    assert arrived and all(authorization(r) == f"Basic {TOKEN}" for r in arrived)
    assert all(r["body"] for r in arrived), "a 308 keeps the method and the body"


@pytest.mark.parametrize("url", ["file:///etc/passwd", "http://[::1", "http://127.0.0.1:99999/q", "ftp://x/y"])
def test_an_endpoint_that_is_no_http_url_is_one_line(run_cli, url):
    for argv in (["query", "coverage", "--endpoint", url], ["push", "--endpoint", url]):
        code, out, err = run_cli(*argv)
        assert code == 2 and "not an http(s) URL" in err and len(err.strip().splitlines()) == 1, err


@pytest.mark.parametrize("location", ["file:///etc/passwd", "http://[::1", "gopher://127.0.0.1/"])
def test_a_redirect_to_no_http_url_is_one_line(run_cli, location):
    with FakeStore(lambda h, b: FakeStore.reply(h, 302, b"", {"Location": location})) as store:
        code, out, err = run_cli("query", "coverage", "--endpoint", f"{store.url}/query")
    assert code == 2 and "redirected to a URL that is not http(s)" in err, err
    assert len(err.strip().splitlines()) == 1
