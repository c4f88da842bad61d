"""Where a query runs: the build's embedded Oxigraph store, or any SPARQL 1.1 endpoint.

Both return rows of plain Python values (IRIs and strings as ``str``, numbers
as ``int``/``float``, booleans as ``bool``, dates as ISO text), so that the same
query gives the same rows embedded and remote.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

import pyoxigraph as ox

from ..errors import InputError
from .registry import strip_header

XSD = "http://www.w3.org/2001/XMLSchema#"
Row = dict[str, Any]


class Runner:
    """Where a query runs: ``select(text)`` returns rows of plain values."""

    def select(self, text: str) -> list[Row]:  # pragma: no cover - interface
        raise NotImplementedError


class LocalRunner(Runner):
    """An Oxigraph store, queried over the union of its named graphs."""

    def __init__(self, store: ox.Store) -> None:
        self.store = store

    def select(self, text: str) -> list[Row]:
        try:
            solutions = self.store.query(text, use_default_graph_as_union=True)
        except SyntaxError as err:
            raise InputError(f"SPARQL syntax error: {' '.join(str(err).split())}") from None
        if not isinstance(solutions, ox.QuerySolutions):
            raise InputError("only SELECT queries are supported")
        names = [v.value for v in solutions.variables]
        return [{n: python_value(s[n]) for n in names} for s in solutions]


class RemoteRunner(Runner):
    """A SPARQL 1.1 endpoint through SPARQLWrapper; credentials from the environment."""

    def __init__(self, endpoint: str, timeout: float = 30.0) -> None:
        self.endpoint = endpoint
        self.timeout = timeout

    def select(self, text: str) -> list[Row]:
        from SPARQLWrapper import JSON, POST, SELECT, SPARQLWrapper

        from ..remote.http import credentials, describe_error

        client = SPARQLWrapper(self.endpoint)
        client.setQuery(strip_header(text))
        client.queryType = SELECT  # its own guess misreads queries whose comments hold SPARQL words
        client.setMethod(POST)
        client.setReturnFormat(JSON)
        client.setTimeout(int(max(1, self.timeout)))
        user, password = credentials()
        if user is not None:
            client.setCredentials(user, password or "")
        try:
            result = client.queryAndConvert()
        except Exception as err:  # noqa: BLE001 - SPARQLWrapper raises many kinds; all become one line
            raise InputError(f"SPARQL endpoint {self.endpoint}: {describe_error(err)}") from None
        if not isinstance(result, dict) or "results" not in result:
            raise InputError(f"SPARQL endpoint {self.endpoint}: not a SPARQL JSON SELECT result")
        names = result.get("head", {}).get("vars", [])
        return [{n: json_value(b.get(n)) for n in names} for b in result["results"]["bindings"]]


_INTEGERS = {XSD + t for t in ("integer", "int", "long", "short", "byte", "nonNegativeInteger", "positiveInteger",
                               "negativeInteger", "nonPositiveInteger", "unsignedInt", "unsignedLong",
                               "unsignedShort", "unsignedByte")}


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
        return literal_value(term.value, term.datatype.value)
    return term.value if isinstance(term, ox.NamedNode) else str(term)


def json_value(binding: Mapping[str, str] | None) -> Any:
    """A SPARQL JSON results binding as the same plain Python value."""
    if binding is None:
        return None
    if binding.get("type") in ("literal", "typed-literal"):
        return literal_value(binding["value"], binding.get("datatype"))
    return binding["value"]
