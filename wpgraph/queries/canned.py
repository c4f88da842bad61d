"""Canned SPARQL queries, run by name on the embedded store or on any SPARQL 1.1 endpoint.

Each ``queries/*.rq`` file is plain SPARQL with a grlc-style header of ``#+``
lines (name, summary, description, tags, params, example). Parameters are
never pasted into the query text: each value becomes a typed RDF term
(a council becomes its IRI, a date an ``xsd:date`` literal, …), serialised by
Oxigraph with proper escaping, and bound with a ``VALUES`` block placed where the
query marks ``#@params`` (on its own line, inside the WHERE of the pattern that
uses the variables). The same text then runs locally and over HTTP, so both give
the same rows. Queries read the union of the named graphs: locally with
``use_default_graph_as_union``, remotely the endpoint must do the same
(Oxigraph: ``oxigraph serve --union-default-graph``).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from ..errors import InputError
from ..resources import bundled

PARAM_MARKER = re.compile(r"^[ \t]*#@params[ \t]*$", re.M)
PARAM_TYPES = ("string", "council", "partner", "date", "integer")
RESERVED = {"endpoint", "store", "build", "timeout"}
XSD = "http://www.w3.org/2001/XMLSchema#"
WP = "https://w3id.org/wpgraph/ns#"

Row = dict[str, Any]


@dataclass(frozen=True)
class Param:
    name: str
    type: str = "string"
    required: bool = False
    default: str | None = None
    description: str = ""
    enum: tuple[str, ...] = ()
    example: str | None = None
    var: str = ""  # the SPARQL variable bound; the name by default

    @property
    def variable(self) -> str:
        return self.var or self.name


@dataclass(frozen=True)
class CannedQuery:
    name: str
    summary: str
    description: str
    text: str
    path: Path | None = None
    tags: tuple[str, ...] = ()
    params: tuple[Param, ...] = ()
    example: str = ""
    variables: tuple[str, ...] = field(default=())
    lists: tuple[str, ...] = ()  # GROUP_CONCAT columns, whose item order engines do not fix
    list_separator: str = "; "

    def param(self, name: str) -> Param | None:
        return next((p for p in self.params if p.name == name), None)


# ---------------------------------------------------------------- headers


def _scalar(value: str) -> Any:
    value = value.strip()
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
        return value[1:-1]
    if value.startswith("[") and value.endswith("]"):
        return [_scalar(v) for v in value[1:-1].split(",") if v.strip()]
    if value.lower() in ("true", "false"):
        return value.lower() == "true"
    return value


def parse_header(text: str, source: str = "query") -> dict[str, Any]:
    """The ``#+`` header as a dict: a small YAML subset (``key: value``, ``[a, b]``, folded
    continuation lines, and ``params:`` as a list of ``- name: …`` mappings)."""
    lines = []
    for line in text.splitlines():
        if line.startswith("#+"):
            lines.append(line[2:].rstrip())
        elif line.strip() and not line.startswith("#"):
            break
    header: dict[str, Any] = {}
    key: str | None = None
    params: list[dict[str, Any]] | None = None
    for number, raw in enumerate(lines, start=1):
        if not raw.strip():
            continue
        indent = len(raw) - len(raw.lstrip())
        line = raw.strip()
        if indent <= 1 and ":" in line and not line.startswith("-"):
            key, _, value = line.partition(":")
            key = key.strip()
            params = [] if key == "params" else None
            header[key] = params if params is not None else _scalar(value) if value.strip() else ""
            continue
        if params is not None and line.startswith("- "):
            name_key, _, value = line[2:].partition(":")
            params.append({name_key.strip(): _scalar(value)})
            continue
        if params is not None and params and ":" in line:
            sub, _, value = line.partition(":")
            params[-1][sub.strip()] = _scalar(value)
            continue
        if key is not None and isinstance(header.get(key), str):
            header[key] = (header[key] + " " + line).strip()
            continue
        raise InputError(f"header line {number} not understood: {raw.strip()!r}", source)
    return header


def strip_header(text: str) -> str:
    """The query without its ``#+`` header lines (they are comments; some clients mis-parse them)."""
    return "\n".join(line for line in text.splitlines() if not line.startswith("#+")) + "\n"


def _projected(text: str) -> tuple[str, ...]:
    """The variables the outermost SELECT projects, in order (``?x`` and ``(… AS ?x)``)."""
    body = "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("#"))
    match = re.search(r"\bSELECT\s+(?:DISTINCT\s+|REDUCED\s+)?(.*?)\s*(?:WHERE\s*)?\{", body, re.S | re.I)
    if not match:
        return ()
    clause = re.sub(r"\([^()]*(?:\([^()]*\)[^()]*)*\s+AS\s+([?$]\w+)\s*\)", r" \1 ", match.group(1), flags=re.I)
    return tuple(dict.fromkeys(v[1:] for v in re.findall(r"[?$]\w+", clause)))


def load_query(path: str | Path, text: str | None = None) -> CannedQuery:
    """A query file with its header read; a file without a header is an ad-hoc query."""
    path = Path(path)
    if text is None:
        try:
            text = path.read_text(encoding="utf-8")
        except OSError as err:
            raise InputError(f"cannot read: {err.strerror or err}", path) from None
    header = parse_header(text, str(path))
    params = []
    for spec in header.get("params") or []:
        name = str(spec.get("name", ""))
        kind = str(spec.get("type", "string"))
        if not re.fullmatch(r"[A-Za-z_]\w*", name) or name in RESERVED or kind not in PARAM_TYPES:
            raise InputError(f"bad parameter in header: {spec}", path)
        enum = spec.get("enum") or []
        params.append(Param(name=name, type=kind, required=bool(spec.get("required", False)),
                            default=None if spec.get("default") in (None, "") else str(spec["default"]),
                            description=str(spec.get("description", "")),
                            enum=tuple(str(e) for e in (enum if isinstance(enum, list) else [enum])),
                            example=None if spec.get("example") is None else str(spec["example"]),
                            var=str(spec.get("var", ""))))
    tags = _as_list(header.get("tags"))
    return CannedQuery(name=str(header.get("name") or path.stem), summary=str(header.get("summary", "")),
                       description=str(header.get("description", "")), text=text, path=path,
                       tags=tuple(tags), params=tuple(params),
                       example=str(header.get("example", "")), variables=_projected(text),
                       lists=tuple(_as_list(header.get("lists"))),
                       list_separator=str(header.get("list-separator") or "; "))


def _as_list(value: Any) -> list[str]:
    if not value:
        return []
    return [str(v) for v in (value if isinstance(value, list) else [value])]


@cache
def _canned() -> dict[str, CannedQuery]:
    found = {}
    for path in sorted(bundled("queries").glob("*.rq")):
        query = load_query(path)
        found[query.name] = query
    return found


def list_queries() -> list[CannedQuery]:
    """Every canned query, by name."""
    return list(_canned().values())


def get_query(name: str) -> CannedQuery:
    try:
        return _canned()[name]
    except KeyError:
        raise InputError(f"no canned query {name!r} (known: {', '.join(_canned())})") from None


def describe(query: CannedQuery) -> str:
    """A query's header as people read it (``wpgraph query --describe``)."""
    out = [f"{query.name}: {query.summary}", "", query.description, ""]
    if query.params:
        out.append("Parameters:")
        for p in query.params:
            flags = ["required" if p.required else "optional", p.type]
            if p.default is not None:
                flags.append(f"default {p.default}")
            if p.enum:
                flags.append("one of " + "|".join(p.enum))
            out.append(f"  {p.name} ({', '.join(flags)}): {p.description}")
    else:
        out.append("Parameters: none")
    out.append(f"Columns: {' '.join(query.variables)}")
    if query.tags:
        out.append(f"Tags: {', '.join(query.tags)}")
    if query.example:
        out.append(f"Example: {query.example}")
    return "\n".join(out) + "\n"


# ---------------------------------------------------------------- running


class Runner:
    """Where a query runs: ``select(text)`` returns rows of plain values."""

    def select(self, text: str) -> list[Row]:  # pragma: no cover - interface
        raise NotImplementedError


class LocalRunner(Runner):
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


def _literal_value(lexical: str, datatype: str | None) -> Any:
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
        return _literal_value(term.value, term.datatype.value)
    return term.value if isinstance(term, ox.NamedNode) else str(term)


def json_value(binding: Mapping[str, str] | None) -> Any:
    """A SPARQL JSON results binding as the same plain Python value."""
    if binding is None:
        return None
    if binding.get("type") in ("literal", "typed-literal"):
        return _literal_value(binding["value"], binding.get("datatype"))
    return binding["value"]


# ---------------------------------------------------------------- binding


def _council_table(runner: Runner) -> list[Row]:
    return runner.select(f"""
        PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
        PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
        SELECT ?iri ?name WHERE {{
          ?iri a <{WP}Council> .
          {{ ?iri rdfs:label|skos:prefLabel|<{WP}shortName>|<{WP}gssCode> ?label }}
          BIND(STR(?label) AS ?name)
        }}""")


def _partner_table(runner: Runner) -> list[Row]:
    return runner.select(f"""
        PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
        SELECT ?iri ?name WHERE {{
          ?iri a <{WP}PartnerBody> ; skos:notation|skos:prefLabel|skos:altLabel ?label .
          BIND(STR(?label) AS ?name)
        }}""")


def _resolve(value: str, table: list[Row], what: str) -> str:
    wanted = " ".join(value.split()).casefold()
    hits = sorted({row["iri"] for row in table if str(row["name"]).casefold() == wanted})
    if len(hits) == 1:
        return hits[0]
    if len(hits) > 1:
        more = f" and {len(hits) - 3} more" if len(hits) > 3 else ""
        raise InputError(f"{what} {value!r} is ambiguous: {', '.join(hits[:3])}{more}")
    known = sorted({str(row["name"]) for row in table if not str(row["name"]).startswith("E")})[:12]
    raise InputError(f"unknown {what} {value!r}" + (f" (known: {', '.join(known)})" if known else ""))


def term_for(param: Param, value: str, runner: Runner) -> ox.NamedNode | ox.Literal:
    """The RDF term a parameter value stands for; never text to paste."""
    if param.enum and value not in param.enum:
        raise InputError(f"parameter {param.name}: {value!r} is not one of {', '.join(param.enum)}")
    if param.type == "council":
        return ox.NamedNode(_resolve(value, _council_table(runner), "council"))
    if param.type == "partner":
        return ox.NamedNode(_resolve(value, _partner_table(runner), "partner body"))
    if param.type == "date":
        try:
            day = dt.date.fromisoformat(value.strip())
        except ValueError:
            raise InputError(f"parameter {param.name}: {value!r} is not a date (YYYY-MM-DD)") from None
        return ox.Literal(day.isoformat(), datatype=ox.NamedNode(XSD + "date"))
    if param.type == "integer":
        try:
            return ox.Literal(str(int(value)), datatype=ox.NamedNode(XSD + "integer"))
        except ValueError:
            raise InputError(f"parameter {param.name}: {value!r} is not a whole number") from None
    return ox.Literal(value)


def values_block(bindings: Mapping[str, ox.NamedNode | ox.Literal]) -> str:
    """``VALUES (?a ?b) { (<iri> "lit"^^<dt>) }``: terms serialised by Oxigraph (N-Triples escaping)."""
    if not bindings:
        return ""
    names = " ".join(f"?{name}" for name in bindings)
    terms = " ".join(str(term) for term in bindings.values())
    return f"VALUES ({names}) {{ ({terms}) }}"


def bind_parameters(text: str, block: str) -> str:
    """Put the VALUES block at every ``#@params`` marker, or right after the first ``WHERE {``."""
    if not block:
        return text
    if PARAM_MARKER.search(text):
        return PARAM_MARKER.sub(lambda _: block, text)
    match = re.search(r"\bWHERE\s*\{", text, re.I)
    if not match:
        raise InputError("the query has no #@params marker and no WHERE { to bind parameters in")
    return text[: match.end()] + "\n" + block + "\n" + text[match.end():]


def prepare(query: CannedQuery, params: Mapping[str, Any], runner: Runner) -> str:
    """The query text with its parameters bound, after checking them against the header."""
    unknown = sorted(set(params) - {p.name for p in query.params})
    if unknown:
        known = ", ".join(p.name for p in query.params) or "none"
        raise InputError(f"query {query.name}: unknown parameter {', '.join(unknown)} (parameters: {known})")
    bindings: dict[str, ox.NamedNode | ox.Literal] = {}
    for param in query.params:
        value = params.get(param.name)
        if value is None or value == "":
            value = param.default
        if value is None:
            if param.required:
                raise InputError(f"query {query.name}: missing required parameter {param.name} "
                                 f"(e.g. --param {param.name}={param.example or '…'})")
            continue
        bindings[param.variable] = term_for(param, str(value), runner)
    return bind_parameters(query.text, values_block(bindings))


def _runner(endpoint: str | None, store: ox.Store | None, build: str | Path | None, timeout: float) -> Runner:
    if endpoint:
        return RemoteRunner(endpoint, timeout=timeout)
    if store is None:
        from ..dataset.store import open_store

        store = open_store(build)
    return LocalRunner(store)


def run_query(query: CannedQuery, params: Mapping[str, Any] | None = None, *, endpoint: str | None = None,
              store: ox.Store | None = None, build: str | Path | None = None, timeout: float = 30.0) -> list[Row]:
    """Run a (canned or ad-hoc) query; rows keyed by the query's variable names."""
    runner = _runner(endpoint, store, build, timeout)
    rows = runner.select(prepare(query, dict(params or {}), runner))
    return normalise_lists(rows, query.lists, query.list_separator)


def _natural(text: str) -> list[Any]:
    return [(0, int(part), "") if part.isdigit() else (1, 0, part) for part in re.split(r"(\d+)", text) if part]


def normalise_lists(rows: list[Row], columns: tuple[str, ...], separator: str) -> list[Row]:
    """Sort the items of GROUP_CONCAT columns (naturally: 1.9 before 1.10), so every engine gives the same rows."""
    for row in rows:
        for column in columns:
            value = row.get(column)
            if isinstance(value, str) and separator in value:
                row[column] = separator.join(sorted(value.split(separator), key=_natural))
    return rows


def query(name: str, endpoint: str | None = None, *, store: ox.Store | None = None, build: str | Path | None = None,
          timeout: float = 30.0, **params: Any) -> list[Row]:
    """Run a canned query by name: ``query("coverage", council="Rutland")``.

    Runs on the embedded store under ``build`` (default ``./build``), on an
    ``ox.Store`` you pass, or on a SPARQL 1.1 ``endpoint``.
    """
    return run_query(get_query(name), params, endpoint=endpoint, store=store, build=build, timeout=timeout)


def parse_param_args(items: list[str] | None) -> dict[str, str]:
    """``["council=Rutland", "asof=2020-12-01"]`` → dict; a malformed item is an InputError."""
    params: dict[str, str] = {}
    for item in items or []:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise InputError(f"--param {item!r}: expected NAME=VALUE")
        params[key.strip()] = value
    return params
