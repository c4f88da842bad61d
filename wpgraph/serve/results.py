"""SPARQL results as the protocol sends them: JSON, XML, CSV or TSV for SELECT and ASK, Turtle (and N-Triples,
RDF/XML) for CONSTRUCT and DESCRIBE, chosen from the request's ``Accept`` header or a ``format`` parameter.

A ``Result`` holds Oxigraph terms whichever store answered (the build's or a remote one), so one serialiser
serves both.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any
from xml.sax.saxutils import escape, quoteattr

import pyoxigraph as ox

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"

# media type -> short name; the first of each kind is its default
SOLUTION_TYPES = {"application/sparql-results+json": "json", "application/json": "json",
                  "application/sparql-results+xml": "xml", "application/xml": "xml", "text/xml": "xml",
                  "text/csv": "csv", "text/tab-separated-values": "tsv"}
GRAPH_TYPES = {"text/turtle": "turtle", "application/n-triples": "ntriples", "text/plain": "ntriples",
               "application/rdf+xml": "rdfxml"}
MEDIA = {"json": "application/sparql-results+json", "xml": "application/sparql-results+xml",
         "csv": "text/csv; charset=utf-8", "tsv": "text/tab-separated-values; charset=utf-8",
         "turtle": "text/turtle; charset=utf-8", "ntriples": "application/n-triples",
         "rdfxml": "application/rdf+xml"}
RDF_FORMATS = {"turtle": ox.RdfFormat.TURTLE, "ntriples": ox.RdfFormat.N_TRIPLES, "rdfxml": ox.RdfFormat.RDF_XML}


class NotAcceptable(Exception):
    """No format the client accepts fits the result."""


@dataclass
class Result:
    """A query's answer: ``kind`` is select, ask or graph."""

    kind: str
    variables: list[str] = field(default_factory=list)
    rows: list[list[Any]] = field(default_factory=list)  # Oxigraph terms or None, in variable order
    boolean: bool | None = None
    triples: list[ox.Triple] = field(default_factory=list)


def _accepted(accept: str) -> list[tuple[str, float]]:
    ranges = []
    for position, item in enumerate(accept.split(",")):
        parts = [p.strip() for p in item.split(";")]
        if not parts[0]:
            continue
        quality = 1.0
        for param in parts[1:]:
            key, _, value = param.partition("=")
            if key.strip() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        ranges.append((parts[0].lower(), quality, -position))
    ranges.sort(key=lambda r: (r[1], r[2]), reverse=True)
    return [(media, quality) for media, quality, _ in ranges if quality > 0]


def negotiate(kind: str, accept: str | None, fmt: str | None = None) -> str:
    """The short name of the format to send: ``fmt`` if given, else the best match for ``accept``."""
    table = GRAPH_TYPES if kind == "graph" else SOLUTION_TYPES
    names = set(table.values())
    if fmt:
        if fmt not in names:
            raise NotAcceptable(f"format {fmt!r} does not fit a {kind.upper()} result (one of "
                                f"{', '.join(sorted(names))})")
        return fmt
    default = next(iter(table.values()))
    if not accept:
        return default
    for media, _ in _accepted(accept):
        if media in table:
            return table[media]
        if media in ("*/*", "text/html", "application/*", "text/*"):  # browsers and generic clients
            return default
    raise NotAcceptable(f"none of the accepted types ({' '.join(accept.split())[:200]}) fits a {kind.upper()} "
                        f"result; this endpoint sends {', '.join(sorted(table))}")


def serialize(result: Result, fmt: str) -> tuple[bytes, str]:
    """(body, content type)."""
    if result.kind == "graph":
        from ..namespaces import PREFIXES

        prefixes = PREFIXES if fmt == "turtle" else None
        return ox.serialize(result.triples, format=RDF_FORMATS[fmt], prefixes=prefixes) or b"", MEDIA[fmt]
    writer = {"json": _json, "xml": _xml, "csv": _csv, "tsv": _tsv}[fmt]
    return writer(result).encode("utf-8"), MEDIA[fmt]


def _json_term(term: Any) -> dict[str, str]:
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Literal):
        out = {"type": "literal", "value": term.value}
        if term.language:
            out["xml:lang"] = term.language
        elif term.datatype.value != XSD_STRING:
            out["datatype"] = term.datatype.value
        return out
    return {"type": "triple", "value": str(term)}


def _json(result: Result) -> str:
    if result.kind == "ask":
        return json.dumps({"head": {}, "boolean": bool(result.boolean)}) + "\n"
    bindings = [{name: _json_term(term) for name, term in zip(result.variables, row, strict=True)
                 if term is not None} for row in result.rows]
    return json.dumps({"head": {"vars": result.variables}, "results": {"bindings": bindings}},
                      ensure_ascii=False) + "\n"


def _xml_term(term: Any) -> str:
    if isinstance(term, ox.NamedNode):
        return f"<uri>{escape(term.value)}</uri>"
    if isinstance(term, ox.BlankNode):
        return f"<bnode>{escape(term.value)}</bnode>"
    if isinstance(term, ox.Literal):
        if term.language:
            return f"<literal xml:lang={quoteattr(term.language)}>{escape(term.value)}</literal>"
        if term.datatype.value != XSD_STRING:
            return f"<literal datatype={quoteattr(term.datatype.value)}>{escape(term.value)}</literal>"
        return f"<literal>{escape(term.value)}</literal>"
    return f"<literal>{escape(str(term))}</literal>"


def _xml(result: Result) -> str:
    out = ['<?xml version="1.0" encoding="utf-8"?>', '<sparql xmlns="http://www.w3.org/2005/sparql-results#">']
    if result.kind == "ask":
        out += ["<head/>", f"<boolean>{'true' if result.boolean else 'false'}</boolean>", "</sparql>"]
        return "\n".join(out) + "\n"
    out.append("<head>" + "".join(f"<variable name={quoteattr(v)}/>" for v in result.variables) + "</head>")
    out.append("<results>")
    for row in result.rows:
        cells = "".join(f"<binding name={quoteattr(name)}>{_xml_term(term)}</binding>"
                        for name, term in zip(result.variables, row, strict=True) if term is not None)
        out.append(f"<result>{cells}</result>")
    out += ["</results>", "</sparql>"]
    return "\n".join(out) + "\n"


def _plain(term: Any) -> str:
    if term is None:
        return ""
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    return term.value if isinstance(term, (ox.NamedNode, ox.Literal)) else str(term)


def _table(header: Sequence[str], rows: Sequence[Sequence[str]], delimiter: str) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue()


def _csv(result: Result) -> str:
    if result.kind == "ask":
        return _table(["boolean"], [["true" if result.boolean else "false"]], ",")
    return _table(result.variables, [[_plain(t) for t in row] for row in result.rows], ",")


def _tsv(result: Result) -> str:
    if result.kind == "ask":
        return "?boolean\n" + ("true" if result.boolean else "false") + "\n"
    lines = ["\t".join(f"?{v}" for v in result.variables)]
    lines += ["\t".join("" if t is None else str(t) for t in row) for row in result.rows]
    return "\n".join(lines) + "\n"


def from_json(data: Any) -> Result:
    """A SPARQL JSON results document (from a remote endpoint) as a Result."""
    if not isinstance(data, dict):
        raise ValueError("not a SPARQL JSON results document")
    if "boolean" in data:
        return Result("ask", boolean=bool(data["boolean"]))
    variables = [str(v) for v in data.get("head", {}).get("vars", [])]
    rows = [[_term(binding.get(v)) for v in variables] for binding in data["results"]["bindings"]]
    return Result("select", variables=variables, rows=rows)


def _term(binding: dict[str, str] | None) -> Any:
    if binding is None:
        return None
    kind, value = binding.get("type"), binding.get("value", "")
    if kind == "uri":
        return ox.NamedNode(value)
    if kind == "bnode":
        return ox.BlankNode(value)
    if binding.get("xml:lang"):
        return ox.Literal(value, language=binding["xml:lang"])
    if binding.get("datatype"):
        return ox.Literal(value, datatype=ox.NamedNode(binding["datatype"]))
    return ox.Literal(value)
