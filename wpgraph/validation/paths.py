"""SHACL property paths, read from a shapes graph and written as SPARQL property paths.

A SHACL path is an IRI (a predicate) or a blank-node structure: a list (a
sequence), ``sh:alternativePath`` (a list of alternatives), ``sh:inversePath``,
``sh:zeroOrMorePath``, ``sh:oneOrMorePath`` or ``sh:zeroOrOnePath``. Each maps
one to one onto SPARQL 1.1 property path syntax, which is what the compiled
queries use; the same text names a path in findings, whichever engine made them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pyoxigraph as ox

SH = "http://www.w3.org/ns/shacl#"
RDF_FIRST = "http://www.w3.org/1999/02/22-rdf-syntax-ns#first"
RDF_REST = "http://www.w3.org/1999/02/22-rdf-syntax-ns#rest"
RDF_NIL = "http://www.w3.org/1999/02/22-rdf-syntax-ns#nil"

Term = ox.NamedNode | ox.BlankNode | ox.Literal


class PathError(ValueError):
    """A path the SHACL specification does not allow (or this reader cannot follow)."""


@dataclass(frozen=True)
class Path:
    """``kind``: predicate, inverse, sequence, alternative, zeroOrMore, oneOrMore, zeroOrOne."""

    kind: str
    iri: str | None = None
    members: tuple[Path, ...] = ()

    @property
    def predicate(self) -> str | None:
        """The IRI of a one-predicate path, else None."""
        return self.iri if self.kind == "predicate" else None

    def sparql(self) -> str:
        """SPARQL 1.1 property path text."""
        if self.kind == "predicate":
            return f"<{self.iri}>"
        if self.kind == "inverse":
            return f"^{self.members[0].sparql()}"
        if self.kind == "sequence":
            return "(" + "/".join(m.sparql() for m in self.members) + ")"
        if self.kind == "alternative":
            return "(" + "|".join(m.sparql() for m in self.members) + ")"
        suffix = {"zeroOrMore": "*", "oneOrMore": "+", "zeroOrOne": "?"}[self.kind]
        return f"({self.members[0].sparql()}){suffix}"

    def text(self) -> str:
        """How findings name the path: the predicate's IRI, or the SPARQL path text."""
        return self.iri if self.kind == "predicate" and self.iri else self.sparql()


Lookup = Callable[[Term, str], list[Term]]


def read_list(node: Term, values: Lookup) -> list[Term]:
    """The members of an RDF list, or a PathError if the node is not a well-formed list."""
    members: list[Term] = []
    seen: set[str] = set()
    while not (isinstance(node, ox.NamedNode) and node.value == RDF_NIL):
        if str(node) in seen:
            raise PathError("a cyclic RDF list")
        seen.add(str(node))
        first, rest = values(node, RDF_FIRST), values(node, RDF_REST)
        if len(first) != 1 or len(rest) != 1:
            raise PathError("a malformed RDF list")
        members.append(first[0])
        node = rest[0]
    return members


def read_path(node: Term, values: Lookup, depth: int = 0) -> Path:
    """The path a shapes-graph node stands for."""
    if depth > 32:
        raise PathError("a path nested too deep")
    if isinstance(node, ox.NamedNode):
        return Path("predicate", node.value)
    if isinstance(node, ox.Literal):
        raise PathError("a literal is not a path")
    if values(node, RDF_FIRST):
        members = tuple(read_path(m, values, depth + 1) for m in read_list(node, values))
        if len(members) < 2:
            raise PathError("a sequence path needs at least two members")
        return Path("sequence", members=members)
    for predicate, kind in (("alternativePath", "alternative"), ("inversePath", "inverse"),
                            ("zeroOrMorePath", "zeroOrMore"), ("oneOrMorePath", "oneOrMore"),
                            ("zeroOrOnePath", "zeroOrOne")):
        found = values(node, SH + predicate)
        if not found:
            continue
        if len(found) != 1:
            raise PathError(f"sh:{predicate} has more than one value")
        if kind == "alternative":
            members = tuple(read_path(m, values, depth + 1) for m in read_list(found[0], values))
            if len(members) < 2:
                raise PathError("an alternative path needs at least two members")
            return Path(kind, members=members)
        return Path(kind, members=(read_path(found[0], values, depth + 1),))
    raise PathError(f"{node} is not a SHACL path")
