"""Binding a query's parameters: each value becomes a typed RDF term, never text pasted into the query.

A council given by name, short name or GSS code becomes its IRI, a
requirement reference its requirement's IRI, a date an ``xsd:date`` literal,
and so on; the terms are serialised by Oxigraph (with N-Triples escaping) into
a ``VALUES`` block placed where the query marks ``#@params``. The same text
then runs embedded and over HTTP, where there is no other way to bind.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from typing import Any

import pyoxigraph as ox

from ..errors import InputError
from ..names import resolve_name
from ..namespaces import WP_NS
from .registry import CannedQuery, Param
from .runners import XSD, Row, Runner

PARAM_MARKER = re.compile(r"^[ \t]*#@params[ \t]*$", re.M)
Term = ox.NamedNode | ox.Literal


def _council_table(runner: Runner) -> list[Row]:
    return runner.select(f"""
        PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
        PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
        SELECT ?iri ?name WHERE {{
          ?iri a <{WP_NS}Council> .
          {{ ?iri rdfs:label|skos:prefLabel|<{WP_NS}shortName>|<{WP_NS}gssCode> ?label }}
          BIND(STR(?label) AS ?name)
        }}""")


def _partner_table(runner: Runner) -> list[Row]:
    return runner.select(f"""
        PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
        SELECT ?iri ?name WHERE {{
          ?iri a <{WP_NS}PartnerBody> ; skos:notation|skos:prefLabel|skos:altLabel ?label .
          BIND(STR(?label) AS ?name)
        }}""")


def _requirement_table(runner: Runner) -> list[Row]:
    return runner.select(f"""
        SELECT ?iri ?name WHERE {{
          ?iri a <{WP_NS}Requirement> ; <{WP_NS}reference> ?label .
          BIND(STR(?label) AS ?name)
        }}""")


def _resolve(value: str, table: list[Row], what: str) -> str:
    names = [(str(row["iri"]), str(row["name"])) for row in table]
    names += [(iri, iri) for iri in {iri for iri, _ in names}]  # an IRI stands for itself (grlc's enumerations)
    return resolve_name(value.strip(), names, what)


def _literal(param: Param, lexical: str) -> Term:
    """A literal in the form the query's variable asks for (grlc's suffix): plain, language-tagged or typed."""
    if param.form == "lang":
        return ox.Literal(lexical, language=param.lang)
    if param.form.startswith("http"):
        return ox.Literal(lexical, datatype=ox.NamedNode(param.form))
    return ox.Literal(lexical)


def term_for(param: Param, value: str, runner: Runner) -> Term:
    """The RDF term a parameter value stands for; never text to paste."""
    if param.enum and value not in param.enum:
        raise InputError(f"parameter {param.name}: {value!r} is not one of {', '.join(param.enum)}")
    if param.type == "council":
        return ox.NamedNode(_resolve(value, _council_table(runner), "council"))
    if param.type == "partner":
        return ox.NamedNode(_resolve(value, _partner_table(runner), "partner body"))
    if param.type == "requirement":
        table = _requirement_table(runner)
        iri = _resolve(value, table, "requirement")
        if param.form == "literal":  # bound by its reference, as the catalogue writes it
            return ox.Literal(next(str(row["name"]) for row in table if str(row["iri"]) == iri))
        return ox.NamedNode(iri)
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
    return _literal(param, value)


def values_block(bindings: Mapping[str, Term]) -> str:
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
    bindings: dict[str, Term] = {}
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


def parse_param_args(items: list[str] | None) -> dict[str, str]:
    """``["council=Rutland", "asof=2020-12-01"]`` → dict; a malformed or repeated item is an InputError."""
    params: dict[str, str] = {}
    for item in items or []:
        key, sep, value = item.partition("=")
        key = key.strip()
        if not sep or not key:
            raise InputError(f"--param {item!r}: expected NAME=VALUE")
        if key in params:
            raise InputError(f"--param {key} is given twice ({params[key]!r} and {value!r}): give each parameter once")
        params[key] = value
    return params
