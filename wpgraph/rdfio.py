"""Reading and writing RDF strictly and deterministically.

Input is parsed with Oxigraph's parser, which rejects every W3C negative-syntax
Turtle test (rdflib 7.6 accepts 39 of them, some into silently wrong data).
Output is sorted before it is serialised, so the same graph always gives the
same bytes. rdflib is imported only by the functions that bridge to it (the
pySHACL engine, the networkx views and the tests use rdflib graphs), so that a
command working on the store alone does not pay for importing it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyoxigraph as ox

from .errors import InputError
from .namespaces import PREFIXES

if TYPE_CHECKING:
    from rdflib import Graph, URIRef

RDF_SUFFIXES = {".ttl": "Turtle", ".trig": "TriG", ".nt": "N-Triples", ".nq": "N-Quads", ".jsonld": "JSON-LD",
                ".rdf": "RDF/XML", ".owl": "RDF/XML", ".n3": "N3"}
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"

OxTerm = ox.NamedNode | ox.BlankNode | ox.Literal


def rdf_format(path: Path) -> ox.RdfFormat:
    """The RDF format a file's suffix names, or an InputError."""
    suffix = path.suffix.lower()
    fmt = ox.RdfFormat.from_extension(suffix.lstrip(".")) if suffix in RDF_SUFFIXES else None
    if fmt is None:
        raise InputError(f"not an RDF file wpgraph reads (use one of {', '.join(sorted(RDF_SUFFIXES))})", path)
    return fmt


@dataclass(frozen=True)
class ParsedRdf:
    """An RDF file as Oxigraph quads, with the prefixes it declared and its bytes (to point at lines)."""

    quads: list[ox.Quad]
    prefixes: dict[str, str]
    data: bytes


# The bound on a plan file someone brings (a bundled plan is about 3,000 triples):
# bigger files are refused before or while parsing, so memory stays bounded
# (docs/limits.md gives the figures).
PLAN_MAX_BYTES = 64 * 1024 * 1024
PLAN_MAX_TRIPLES = 800_000  # a 20,000-row template maps to about 680,000 triples


def _stable_blank_nodes(quads: list[ox.Quad], data: bytes) -> list[ox.Quad]:
    """The parser names blank nodes at random; name them after the file's digest and their order in it, so the
    same file gives the same blank nodes in every process (the build's TriG is byte-identical run to run)."""
    stem = "b" + hashlib.sha256(data).hexdigest()[:16] + "x"
    names: dict[ox.BlankNode, ox.BlankNode] = {}

    def stable(term: Any) -> Any:
        if isinstance(term, ox.BlankNode):
            if term not in names:
                names[term] = ox.BlankNode(f"{stem}{len(names)}")
            return names[term]
        return term

    return [ox.Quad(stable(q.subject), q.predicate, stable(q.object), q.graph_name) for q in quads]


def parse_oxigraph(path: str | Path, data: bytes | None = None, bounded: bool = False) -> ParsedRdf:
    """Parse an RDF file strictly with Oxigraph; a syntax error is an InputError naming file and line.

    ``bounded``: a plan file from outside, refused above PLAN_MAX_BYTES or PLAN_MAX_TRIPLES.
    """
    path = Path(path)
    fmt = rdf_format(path)
    try:
        if data is None:
            if bounded and path.stat().st_size > PLAN_MAX_BYTES:
                raise InputError(f"{path.stat().st_size // (1024 * 1024)} MB is more than a plan file may be "
                                 f"({PLAN_MAX_BYTES // (1024 * 1024)} MB)", path)
            data = path.read_bytes()
        parser = ox.parse(data, format=fmt, base_iri=path.resolve().as_uri())
        quads = []
        blank = False
        for quad in parser:
            quads.append(quad)
            blank = blank or isinstance(quad.subject, ox.BlankNode) or isinstance(quad.object, ox.BlankNode)
            if bounded and len(quads) > PLAN_MAX_TRIPLES:
                raise InputError(f"more than {PLAN_MAX_TRIPLES:,} triples, more than a plan file may hold", path)
        prefixes = dict(parser.prefixes or {})
        if blank:
            quads = _stable_blank_nodes(quads, data)
    except MemoryError as err:  # Oxigraph's parser buffer: a term over 16 MB
        raise InputError(f"cannot parse as {fmt.name}: {err} (a term longer than the parser takes)", path) from None
    except OSError as err:
        raise InputError(f"cannot read: {err.strerror or err}", path) from None
    except SyntaxError as err:
        message = str(err).split(" (", 1)[0] if err.lineno else str(err)
        message = message.replace("Parser error at ", "syntax error at ")
        raise InputError(message, path) from None
    except ValueError as err:  # e.g. invalid UTF-8
        raise InputError(f"cannot parse as {fmt.name}: {err}", path) from None
    return ParsedRdf(quads, prefixes, data)


def triple_key(triple: ox.Triple | ox.Quad) -> tuple[str, str, str]:
    return (str(triple.subject), str(triple.predicate), str(triple.object))


def canonical_triples(triples: Iterable[ox.Triple | ox.Quad]) -> list[ox.Triple]:
    """The triples once each, in a canonical order."""
    unique = {triple_key(t): ox.Triple(t.subject, t.predicate, t.object) for t in triples}
    return [unique[key] for key in sorted(unique)]


def serialize_turtle_triples(triples: Iterable[ox.Triple | ox.Quad]) -> bytes:
    """Canonical Turtle: sorted statements, the project's prefixes, byte-identical for equal input."""
    return ox.serialize(canonical_triples(triples), format=ox.RdfFormat.TURTLE, prefixes=PREFIXES) or b""


# ---------------------------------------------------------------- the bridge to rdflib

def to_rdflib(term: Any) -> Any:
    """An Oxigraph term as the rdflib term (None for the default graph); typed Any, as rdflib's own API is."""
    from rdflib import BNode, Literal, URIRef

    if term is None or isinstance(term, ox.DefaultGraph):
        return None
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if term.language:
        return Literal(term.value, lang=term.language)
    datatype = term.datatype.value
    if datatype == XSD_STRING:
        return Literal(term.value)
    return Literal(term.value, datatype=URIRef(datatype))


def to_oxigraph(term: Any) -> OxTerm:
    from rdflib import BNode, Literal, URIRef

    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype is not None:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    raise TypeError(f"not an RDF term: {term!r}")


def graph_triples(graph: Graph) -> list[ox.Triple]:
    """An rdflib graph's triples as Oxigraph triples."""
    return [ox.Triple(to_oxigraph(s), to_oxigraph(p), to_oxigraph(o)) for s, p, o in graph]  # type: ignore[arg-type]


def rdflib_graph(triples: Iterable[ox.Triple | ox.Quad]) -> Graph:
    """Oxigraph triples (or quads, graph names dropped) as one rdflib Graph."""
    from rdflib import Graph

    graph = Graph()
    for t in triples:
        graph.add((to_rdflib(t.subject), to_rdflib(t.predicate), to_rdflib(t.object)))
    return graph


def read_graph(path: str | Path) -> Graph:
    """One RDF file as an rdflib Graph (named graphs, if any, merged)."""
    return rdflib_graph(parse_oxigraph(path).quads)


def serialize_turtle(graph: Graph) -> bytes:
    """Canonical Turtle of an rdflib graph."""
    return serialize_turtle_triples(graph_triples(graph))


def oxigraph_quads(graph: Graph, name: URIRef | None = None) -> Iterator[ox.Quad]:
    """The triples of an rdflib graph as Oxigraph quads in graph ``name`` (None: the default graph)."""
    gname: ox.NamedNode | ox.DefaultGraph = ox.NamedNode(str(name)) if name is not None else ox.DefaultGraph()
    for t in graph_triples(graph):
        yield ox.Quad(t.subject, t.predicate, t.object, gname)
