"""Where the web app reads: the build's Oxigraph store (opened per request through ``wpgraph.open_build``, so a
rebuilt or refreshed build is seen at once and ``wpgraph build`` is never locked out for long) or a remote SPARQL
endpoint. Canned queries go through ``wpgraph.run_sparql``; ad-hoc SPARQL runs with a time limit and a row limit.

``in_memory``: the build's dataset is read into a store in memory once (a few seconds at national scale), and
queries run on it several times faster than on the store on disk. Each request still opens the build on disk,
which refreshes it if a plan changed and takes its read lock for a moment; when the build is not the one in
memory any more, that request reads it in again. The lock is not held between requests.

The time limit: the query runs in a worker thread (Oxigraph releases the GIL), the request waits at most
``timeout`` seconds, and a query still running then is told to stop at its next result row. A query that computes
long before its first row (a huge aggregate) cannot be interrupted inside Oxigraph; it goes on in its worker,
which stays busy, and at most ``workers`` such queries run at once: beyond that the endpoint answers "busy".
"""

from __future__ import annotations

import contextlib
import json
import threading
import time
import urllib.parse
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyoxigraph as ox

from ..errors import InputError
from .results import Result, from_json

if TYPE_CHECKING:
    from ..dataset.build import Build


class QueryLimit(Exception):
    """A query went beyond the time or size the server allows (``status``: the HTTP status to answer)."""

    def __init__(self, message: str, status: int = 503) -> None:
        super().__init__(message)
        self.status = status


@dataclass
class Backend:
    """The dataset the app serves: a build folder, or a SPARQL endpoint that holds the dataset."""

    build: Path | None = None
    endpoint: str | None = None
    timeout: float = 30.0
    max_rows: int = 100_000
    workers: int = 4
    in_memory: bool = False
    _pool: ThreadPoolExecutor | None = field(default=None, repr=False)
    _slots: threading.BoundedSemaphore | None = field(default=None, repr=False)
    _memory: tuple[str, Build] | None = field(default=None, repr=False)  # (the build's manifest digest, the session)
    _reading: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def __post_init__(self) -> None:
        if (self.build is None) == (self.endpoint is None):
            raise ValueError("serve a build folder or an endpoint (exactly one)")
        self._pool = ThreadPoolExecutor(max_workers=self.workers, thread_name_prefix="wpgraph-sparql")
        self._slots = threading.BoundedSemaphore(self.workers)

    @property
    def describes(self) -> str:
        from ..remote.client import mask_url

        return f"endpoint {mask_url(self.endpoint)}" if self.endpoint else f"build {self.build}"

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=False, cancel_futures=True)
        self._memory = None

    @contextlib.contextmanager
    def opened(self) -> Iterator[Build]:
        """The build to read for one request: opened for it, or (``in_memory``) the one in memory, read again
        first if the build has changed."""
        from ..entrypoints import open_build

        with open_build(self.build or "build") as on_disk:
            if not self.in_memory:
                yield on_disk
                return
            session = self._session(on_disk)
        yield session

    def _session(self, on_disk: Build) -> Build:
        """The build in memory that matches ``on_disk`` (open, so its lock keeps it whole while it is read)."""
        from ..dataset.build import Build, in_memory_store
        from ..dataset.manifest import MANIFEST_FILE
        from ..dataset.sources import file_sha256

        assert on_disk.folder is not None
        digest = file_sha256(on_disk.folder / MANIFEST_FILE)
        with self._reading:  # one request reads a changed build in; the others wait for it, then use it
            if self._memory is None or self._memory[0] != digest:
                self._memory = None  # the old session goes as soon as the requests using it are done
                self._memory = (digest, Build(on_disk.manifest, in_memory_store(on_disk.folder), on_disk.folder))
            return self._memory[1]

    # ------------------------------------------------------------------ canned queries and validation

    def rows(self, name: str, **params: Any) -> list[dict[str, Any]]:
        """A canned query's rows (an InputError for an unknown query or parameter value)."""
        from ..entrypoints import run_sparql
        from ..queries.registry import get_query

        if self.endpoint:
            return run_sparql(get_query(name), params, endpoint=self.endpoint, timeout=self.timeout)
        if not self.in_memory:  # run_sparql opens the build, and keeps it open while a timed-out query runs on
            return run_sparql(get_query(name), params, build=self.build or "build", timeout=self.timeout)
        with self.opened() as built:
            return run_sparql(get_query(name), params, build=built, timeout=self.timeout)

    def rows_for(self, name: str, **by_type: Any) -> list[dict[str, Any]]:
        """A canned query's rows, each value given by its parameter's type (``council=``, ``partner=``,
        ``requirement=``): the pages do not depend on what a query's header names its parameters."""
        from ..queries.registry import get_query

        query = get_query(name)
        params = {}
        for kind, value in by_type.items():
            param = next((p for p in query.params if p.type == kind), None)
            if param is None:
                raise InputError(f"query {name} has no {kind} parameter")
            params[param.name] = value
        return self.rows(name, **params)

    def example_text(self, query: Any) -> str:
        """The query's text with the example values of its header bound (unbound where an example does not resolve)."""
        from ..queries.binding import prepare
        from ..queries.run import runner_for

        examples = {p.name: p.example for p in query.params if p.example}
        try:
            if self.endpoint:
                return prepare(query, examples, runner_for(endpoint=self.endpoint, timeout=self.timeout))
            with self.opened() as built:
                return prepare(query, examples, runner_for(store=built.store))
        except InputError:
            return str(query.text)

    def council_findings(self, council: str) -> dict[str, Any] | None:
        """One council's validation verdicts and findings (its plans in the build); None when serving an endpoint.
        (How each theme is covered is the coverage query's, which reads the build's derived coverage.)"""
        from ..entrypoints import open_build, validate
        from ..queries.binding import term_for
        from ..queries.registry import Param
        from ..queries.run import runner_for

        if self.build is None:
            return None
        with open_build(self.build) as built:
            iri = term_for(Param("council", type="council"), council, runner_for(store=built.store)).value
            plans = {entry.plan for entry in built.manifest.inputs if entry.council == iri}
        report = validate(build=self.build)
        verdicts = [plan for plan in report.plans if plan.plan in plans]
        return {"plans": verdicts, "findings": [f for plan in verdicts for f in report.findings_for(plan)]}

    # ------------------------------------------------------------------ ad-hoc SPARQL

    def execute(self, text: str, kind: str, default_graphs: list[str], named_graphs: list[str]) -> Result:
        """Run a read-only query (``kind``: select, ask or graph) within the time and row limits."""
        assert self._pool is not None and self._slots is not None
        if not self._slots.acquire(blocking=False):
            raise QueryLimit(f"busy: {self.workers} queries are still running; try again later")
        stop = threading.Event()
        deadline = time.monotonic() + self.timeout
        try:
            future = self._pool.submit(self._guarded, text, kind, default_graphs, named_graphs, stop, deadline)
        except RuntimeError:
            self._slots.release()
            raise QueryLimit("the server is shutting down") from None
        try:
            return future.result(timeout=self.timeout)
        except FutureTimeout:
            stop.set()
            raise QueryLimit(f"the query ran longer than this server's limit of {self.timeout:g} s") from None

    def _guarded(self, text: str, kind: str, default_graphs: list[str], named_graphs: list[str],
                 stop: threading.Event, deadline: float) -> Result:
        assert self._slots is not None
        try:
            if self.endpoint:
                return self._remote(text, kind, default_graphs, named_graphs)
            return self._local(text, default_graphs, named_graphs, stop, deadline)
        finally:
            self._slots.release()

    def _local(self, text: str, default_graphs: list[str], named_graphs: list[str], stop: threading.Event,
               deadline: float) -> Result:
        options: dict[str, Any] = {}
        try:
            if default_graphs:
                options["default_graph"] = [ox.NamedNode(g) for g in default_graphs]
            else:
                options["use_default_graph_as_union"] = True
            if named_graphs:
                options["named_graphs"] = [ox.NamedNode(g) for g in named_graphs]
        except ValueError as err:
            raise InputError(f"not an IRI: {err}") from None
        with self.opened() as built:
            try:
                answer = built.store.query(text, **options)
            except SyntaxError as err:
                raise InputError(f"SPARQL syntax error: {' '.join(str(err).split())}") from None
            except OSError as err:
                raise InputError(f"the query failed: {' '.join(str(err).split())}") from None
            if isinstance(answer, ox.QueryBoolean):
                return Result("ask", boolean=bool(answer))
            variables = [v.value for v in answer.variables] if isinstance(answer, ox.QuerySolutions) else None
            items, error = self._drain(answer, variables, stop, deadline)
            del answer  # Oxigraph's iterators must be dropped on the thread that made them
        if error is not None:
            raise error
        if variables is None:
            return Result("graph", triples=items)
        return Result("select", variables=variables, rows=items)

    def _drain(self, answer: Any, variables: list[str] | None, stop: threading.Event,
               deadline: float) -> tuple[list[Any], QueryLimit | None]:
        """The answer's rows (or triples) up to the limits, and the limit reached, if one was."""
        items: list[Any] = []
        for item in answer:
            if len(items) >= self.max_rows:
                return [], QueryLimit(f"the result has more than this server's limit of {self.max_rows} rows: "
                                      "add a LIMIT, or page with LIMIT and OFFSET", status=400)
            if stop.is_set() or time.monotonic() > deadline:
                return [], QueryLimit(f"the query ran longer than this server's limit of {self.timeout:g} s")
            items.append(item if variables is None else [item[v] for v in variables])
        return items, None

    def _remote(self, text: str, kind: str, default_graphs: list[str], named_graphs: list[str]) -> Result:
        from ..remote.client import HttpClient, split_url

        url, credentials = split_url(str(self.endpoint))
        form = [("query", text)] + [("default-graph-uri", g) for g in default_graphs] + \
            [("named-graph-uri", g) for g in named_graphs]
        accept = "application/n-triples" if kind == "graph" else "application/sparql-results+json"
        client = HttpClient(timeout=self.timeout, credentials=credentials)
        body = client.request("POST", url, body=urllib.parse.urlencode(form).encode("utf-8"), headers={
            "Content-Type": "application/x-www-form-urlencoded; charset=utf-8", "Accept": accept}).body
        try:
            if kind == "graph":
                triples = [q.triple for q in ox.parse(body, format=ox.RdfFormat.N_TRIPLES)]
                result = Result("graph", triples=triples)
                size = len(triples)
            else:
                result = from_json(json.loads(body))
                size = len(result.rows)
        except (ValueError, KeyError, SyntaxError) as err:
            raise InputError(f"SPARQL endpoint {client.shown(url)}: an answer wpgraph cannot read ({err})") from None
        if size > self.max_rows:
            raise QueryLimit(f"the result has more than this server's limit of {self.max_rows} rows: add a LIMIT, "
                             "or page with LIMIT and OFFSET", status=400)
        return result
