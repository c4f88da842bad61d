"""Where a query runs: the build's embedded Oxigraph store, or any SPARQL 1.1 endpoint.

Both return rows of plain Python values (IRIs and strings as ``str``, numbers
as ``int``/``float``, booleans as ``bool``, dates as ISO text), so that the same
query gives the same rows embedded and remote.
"""

from __future__ import annotations

import threading
import urllib.parse
from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any

import pyoxigraph as ox

from ..errors import InputError
from .registry import strip_header

XSD = "http://www.w3.org/2001/XMLSchema#"
Row = dict[str, Any]
DEFAULT_LOCAL_TIMEOUT = 60.0
DEFAULT_REMOTE_TIMEOUT = 60.0


class Runner:
    """Where a query runs: ``select(text)`` returns rows of plain values."""

    def select(self, text: str) -> list[Row]:  # pragma: no cover - interface
        raise NotImplementedError


class LocalRunner(Runner):
    """An Oxigraph store, queried over the union of its named graphs, within ``timeout`` seconds.

    Oxigraph evaluates a query in Rust, where Python cannot interrupt it: the
    query runs in a worker thread while the calling thread waits for it, so a
    deadline or Ctrl-C (KeyboardInterrupt) ends the wait at once. An abandoned
    worker stops when its query does (the command line exits at once); what
    must outlive it (the build's read lock) is handed to ``when_idle``.
    """

    def __init__(self, store: ox.Store, timeout: float | None = DEFAULT_LOCAL_TIMEOUT) -> None:
        self.store = store
        self.timeout = timeout
        self._guard = threading.Lock()
        self._running = 0
        self._pending: list[Callable[[], None]] = []

    def _evaluate(self, text: str) -> list[Row]:
        try:
            solutions = self.store.query(text, use_default_graph_as_union=True)
        except SyntaxError as err:
            raise InputError(f"SPARQL syntax error: {' '.join(str(err).split())}") from None
        if not isinstance(solutions, ox.QuerySolutions):
            raise InputError("only SELECT queries are supported")
        names = [v.value for v in solutions.variables]
        return [dict(zip(names, map(python_value, s), strict=True)) for s in solutions]  # in that order

    def when_idle(self, callback: Callable[[], None]) -> None:
        """Call ``callback`` now, or when an abandoned query has ended (e.g. close the build it reads)."""
        with self._guard:
            if self._running:
                self._pending.append(callback)
                return
        callback()

    def _finished(self) -> None:
        with self._guard:
            self._running -= 1
            pending, self._pending = (self._pending, []) if not self._running else ([], self._pending)
        for callback in pending:
            callback()

    def select(self, text: str) -> list[Row]:
        outcome: dict[str, Any] = {}
        done = threading.Event()

        def work() -> None:
            try:
                outcome["rows"] = self._evaluate(text)
            except InputError as err:
                outcome["error"] = err
            except Exception as err:  # noqa: BLE001 - e.g. a SERVICE call that failed: one line, no traceback
                outcome["error"] = InputError(f"the query failed: {type(err).__name__}: {err}")
            finally:
                done.set()
                self._finished()

        with self._guard:
            self._running += 1
        threading.Thread(target=work, name="wpgraph-query", daemon=True).start()
        if not done.wait(self.timeout):
            raise InputError(f"the query did not finish within {self.timeout:g} s and was abandoned "
                             "(--timeout SECONDS allows longer)")
        if "error" in outcome:
            raise outcome["error"]
        return outcome["rows"]


class RemoteRunner(Runner):
    """A SPARQL 1.1 endpoint over HTTP (POST, SPARQL JSON results), through the careful client."""

    def __init__(self, endpoint: str, timeout: float = DEFAULT_REMOTE_TIMEOUT) -> None:
        from ..remote.client import HttpClient, mask_url, split_url

        self.url, credentials = split_url(endpoint)
        self.endpoint = mask_url(self.url)
        self.client = HttpClient(timeout=timeout, credentials=credentials)

    def select(self, text: str) -> list[Row]:
        import json

        body = urllib.parse.urlencode({"query": strip_header(text)}).encode("utf-8")
        response = self.client.request("POST", self.url, body=body, headers={
            "Content-Type": "application/x-www-form-urlencoded; charset=utf-8",
            "Accept": "application/sparql-results+json"})
        try:
            result = json.loads(response.body)
        except (ValueError, UnicodeDecodeError):
            result = None
        if not isinstance(result, dict) or not isinstance(result.get("results"), dict) \
                or not isinstance(result["results"].get("bindings"), list):
            raise InputError(f"SPARQL endpoint {self.endpoint}: the answer is not a SPARQL JSON SELECT result")
        names = (result.get("head") or {}).get("vars") or []
        return [{n: json_value(b.get(n)) for n in names} for b in result["results"]["bindings"]]


_INTEGERS = {XSD + t for t in ("integer", "int", "long", "short", "byte", "nonNegativeInteger", "positiveInteger",
                               "negativeInteger", "nonPositiveInteger", "unsignedInt", "unsignedLong",
                               "unsignedShort", "unsignedByte")}


_TEXT = {XSD + "string", "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"}


def literal_value(lexical: str, datatype: str | None) -> Any:
    try:
        if datatype in _INTEGERS:
            return int(lexical)
        if datatype == XSD + "decimal":
            number = Decimal(lexical)
            return int(number) if number == number.to_integral_value() else float(number)
        if datatype in (XSD + "double", XSD + "float"):
            return float(lexical)
        if datatype == XSD + "boolean":
            return lexical in ("true", "1")
    except (ValueError, ArithmeticError):
        return lexical
    return lexical  # strings, language strings, dates (ISO text) and anything else


def python_value(term: Any) -> Any:
    """An Oxigraph term as a plain Python value: IRIs and strings as str, numbers as int/float, dates ISO."""
    if term is None:
        return None
    if isinstance(term, ox.Literal):
        datatype = term.datatype.value
        return term.value if datatype in _TEXT else literal_value(term.value, datatype)
    return term.value if isinstance(term, ox.NamedNode) else str(term)


def json_value(binding: Mapping[str, str] | None) -> Any:
    """A SPARQL JSON results binding as the same plain Python value."""
    if binding is None:
        return None
    if binding.get("type") in ("literal", "typed-literal"):
        return literal_value(binding["value"], binding.get("datatype"))
    return binding["value"]
