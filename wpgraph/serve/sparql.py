"""``/sparql``: the SPARQL 1.1 Protocol, read-only, and the query editor page (YASGUI) with the canned queries.

GET with ``?query=``, POST as a form (``query=``) or as ``application/sparql-query``; ``default-graph-uri`` and
``named-graph-uri`` as the protocol defines them (default: the union of every named graph). Updates (an
``update`` parameter, ``application/sparql-update``, or INSERT/DELETE/LOAD/… as the operation) are refused, and
so are SERVICE calls (this server fetches nothing on a query's behalf). A bad request is a 400 with one line.
"""

from __future__ import annotations

import re
import threading
from typing import Any

from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response

from ..errors import InputError
from ..queries.service import calls_service
from .backend import Backend, QueryLimit
from .results import NotAcceptable, negotiate, serialize

MAX_QUERY_BYTES = 200_000
_PARSING = threading.Lock()
UPDATE_WORDS = ("INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD", "WITH")
QUERY_WORDS = {"SELECT": "select", "ASK": "ask", "CONSTRUCT": "graph", "DESCRIBE": "graph"}
_MASK = re.compile(r'"""(?:[^"\\]|\\.|"(?!""))*"""|\'\'\'(?:[^\'\\]|\\.|\'(?!\'\'))*\'\'\'|"(?:[^"\\\n]|\\.)*"'
                   r"|'(?:[^'\\\n]|\\.)*'|<[^<>\"{}|^`\\\s]*>|#[^\n]*", re.S)


class BadRequest(Exception):
    """A request this endpoint refuses: one line, and the HTTP status to answer with."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(" ".join(message.split()))
        self.status = status


def one_line(message: str, status: int, **headers: str) -> PlainTextResponse:
    return PlainTextResponse(" ".join(str(message).split()) + "\n", status_code=status, headers=headers or None)


def content_length(request: Request) -> int:
    """The request's declared body size (0 when it declares none it can be held to)."""
    value = request.headers.get("content-length", "")
    return int(value) if value.isdigit() else 0


def operation(text: str) -> str:
    """The query's form (select, ask or graph) from its first keyword after the prologue; updates refused."""
    masked = _MASK.sub(" ", text)
    body = re.sub(r"^\s*(?:(?:PREFIX\s+[\w.-]*:\s*|BASE\s*)\s*)*", "", masked, flags=re.I)
    first = re.match(r"\s*([A-Za-z]+)", body)
    word = first.group(1).upper() if first else ""
    if word in UPDATE_WORDS:
        raise BadRequest(f"this endpoint is read-only: {word} is a SPARQL update, and updates are refused", 405)
    if word not in QUERY_WORDS:
        raise BadRequest("not a SPARQL query: it must be a SELECT, ASK, CONSTRUCT or DESCRIBE")
    with _PARSING:  # rdflib's parser, one query at a time, off the event loop (the caller runs this in a thread)
        service = calls_service(text)
    if service:
        raise BadRequest("SERVICE is refused: this endpoint queries its own dataset only")
    return QUERY_WORDS[word]


def _single(values: list[str], name: str) -> str | None:
    if len(values) > 1:
        raise BadRequest(f"give the {name} parameter once, not {len(values)} times")
    return values[0] if values else None


async def _read(request: Request) -> tuple[str, list[str], list[str], str | None]:
    """(query text, default graphs, named graphs, format parameter) from a GET or POST."""
    params: list[tuple[str, str]] = list(request.query_params.multi_items())
    text: str | None = None
    if request.method == "POST":
        kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
        length = content_length(request)
        if length > MAX_QUERY_BYTES:
            raise BadRequest(f"the request is larger than {MAX_QUERY_BYTES} bytes", 413)
        if kind == "application/sparql-update":
            raise BadRequest("this endpoint is read-only: SPARQL updates are refused", 405)
        if kind == "application/sparql-query":
            body = await request.body()
            if len(body) > MAX_QUERY_BYTES:
                raise BadRequest(f"the request is larger than {MAX_QUERY_BYTES} bytes", 413)
            try:
                text = body.decode("utf-8")
            except UnicodeDecodeError:
                raise BadRequest("the query is not UTF-8 text") from None
        elif kind == "application/x-www-form-urlencoded":
            form = await request.form()
            params += [(k, v) for k, v in form.multi_items() if isinstance(v, str)]
        else:
            raise BadRequest("POST a query as application/x-www-form-urlencoded (query=…) or as "
                             "application/sparql-query", 415)
    values: dict[str, list[str]] = {}
    for key, value in params:
        values.setdefault(key, []).append(value)
    if "update" in values:
        raise BadRequest("this endpoint is read-only: SPARQL updates are refused", 405)
    given = _single(values.get("query", []), "query")
    if text is not None and given is not None:
        raise BadRequest("give the query in the body or as a parameter, not both")
    text = text if text is not None else given
    if text is None or not text.strip():
        raise BadRequest("no query: give one as ?query=… (GET) or in a POST")
    if len(text.encode("utf-8")) > MAX_QUERY_BYTES:
        raise BadRequest(f"the query is longer than {MAX_QUERY_BYTES} bytes", 413)
    if "\x00" in text:
        raise BadRequest("the query holds a NUL character")
    return text, values.get("default-graph-uri", []), values.get("named-graph-uri", []), \
        _single(values.get("format", []), "format")


async def endpoint(request: Request) -> Response:
    """GET/POST /sparql: answer a query; a GET with no query from a browser gets the editor page."""
    from starlette.concurrency import run_in_threadpool

    backend: Backend = request.app.state.backend
    accept = request.headers.get("accept", "")
    if request.method == "GET" and "query" not in request.query_params and "update" not in request.query_params \
            and "text/html" in accept:
        tabs = await run_in_threadpool(editor_tabs, backend)
        return request.app.state.pages.render(request, "sparql.html", editor_tabs=tabs)
    try:
        text, default_graphs, named_graphs, fmt = await _read(request)
        kind = await run_in_threadpool(operation, text)
        chosen = negotiate(kind, accept, fmt)
        result = await run_in_threadpool(backend.execute, text, kind, default_graphs, named_graphs)
        body, media = serialize(result, chosen)
    except BadRequest as err:
        return one_line(str(err), err.status, **({"Allow": "GET, POST"} if err.status == 405 else {}))
    except NotAcceptable as err:
        return one_line(str(err), 406)
    except QueryLimit as err:
        return one_line(str(err), err.status)
    except InputError as err:
        return one_line(str(err), 400)
    return Response(body, media_type=media, headers={"Vary": "Accept"})


def editor_tabs(backend: Backend) -> list[dict[str, Any]]:
    """The canned queries as YASGUI tabs, without their ``#+`` header, each with its header's example values bound
    (as the API binds them: a VALUES block of typed terms)."""
    from ..queries.registry import list_queries, strip_header

    return [{"name": q.name, "summary": q.summary, "query": strip_header(backend.example_text(q)).strip() + "\n"}
            for q in list_queries()]


def prefixes(request: Request) -> Response:
    """wpgraph's prefixes as prefix.cc's JSON, for the editor's prefix completion (instead of fetching prefix.cc)."""
    from starlette.responses import JSONResponse

    from ..namespaces import PREFIXES

    return JSONResponse(dict(PREFIXES))
