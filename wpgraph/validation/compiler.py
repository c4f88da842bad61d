"""SHACL shapes compiled to SPARQL: one query per constraint, over every focus node at once.

The shapes in ``shapes/`` stay the single source of truth; this module reads
them (``shapes_model``) and writes, for each constraint of each shape that has
targets, one SELECT whose solutions are exactly the validation results SHACL
defines for it (the SPARQL definitions of the Recommendation's constraint
components, with the focus and value nodes bound by patterns instead of one
query per node):

* the focus nodes are a pattern over the targets (``sh:targetClass`` with
  ``rdfs:subClassOf*``, ``sh:targetNode``, ``sh:targetSubjectsOf/ObjectsOf``,
  implicit class targets); a property shape's value nodes are its path as a
  SPARQL property path;
* value-level components (``sh:class``, ``sh:datatype``, ``sh:in``, ranges,
  lengths, ``sh:pattern``, ``sh:node``, ``sh:not``, ``sh:and``, ``sh:or``,
  ``sh:xone``, …) are a FILTER on each value; the logical ones nest the
  "does this node violate that shape" test of the shapes they name as
  ``EXISTS`` expressions, recursively;
* counting components (``sh:minCount``, ``sh:maxCount``, qualified counts) are
  aggregates grouped by focus node; ``sh:minCount 1`` is a MINUS, which
  Oxigraph runs in one pass where ``NOT EXISTS`` grows with the data;
* SHACL-SPARQL constraints are their own SELECT, with ``$this`` joined to the
  focus pattern where that is the same as pre-binding it, and pre-bound per
  focus node (Oxigraph's substitutions) where it may not be.

A shape that uses something compiled here cannot express (a recursive shape,
a blank node as a constant, ``$shapesGraph``, custom components, …) is not
compiled: ``CompiledShapes.delegated`` lists it with the reason, and the engine
hands it to pySHACL.

The module stays whole because the compiled parts must agree on one scheme of
variables and one meaning of "violates": splitting the component writers from
the query assembly would spread that contract over several files.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial

import pyoxigraph as ox

from ..errors import InputError
from .paths import Path, Term
from .shapes_model import SH, Constraint, Shape, ShapesModel

RDF_TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
SUBCLASS = "<http://www.w3.org/2000/01/rdf-schema#subClassOf>"
XSD = "http://www.w3.org/2001/XMLSchema#"
RDF_LANGSTRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
# datatypes whose lexical forms Oxigraph checks when casting to them
# datatypes whose lexical forms a cast checks (xsd:string is not one: every string is one of its lexical forms,
# and the cast would copy each long text of the dataset only to agree)
CASTABLE = {XSD + t for t in ("boolean", "decimal", "integer", "double", "float", "date", "time",
                              "dateTime", "duration", "dayTimeDuration", "yearMonthDuration")}
INTEGER_RANGES = {"int": (-2**31, 2**31 - 1), "long": (-2**63, 2**63 - 1), "short": (-2**15, 2**15 - 1),
                  "byte": (-128, 127), "nonNegativeInteger": (0, None), "positiveInteger": (1, None),
                  "nonPositiveInteger": (None, 0), "negativeInteger": (None, -1),
                  "unsignedLong": (0, 2**64 - 1), "unsignedInt": (0, 2**32 - 1), "unsignedShort": (0, 2**16 - 1),
                  "unsignedByte": (0, 255)}
# Datatypes Oxigraph rewrites when it stores a literal ("1"^^xsd:int is kept as "1"^^xsd:integer):
# sh:datatype cannot be checked against them on the store, so such shapes go to pySHACL.
STORE_REWRITES = {XSD + t for t in INTEGER_RANGES} | {XSD + "dateTimeStamp"}
# value-level components that are sets of values (a class's members, a nested shape's conformers, logical
# combinations); every other value-level component is a test of each value alone (value_condition)
SET_VALUE_COMPONENTS = {"ClassConstraintComponent", "NodeConstraintComponent", "NotConstraintComponent",
                        "AndConstraintComponent", "OrConstraintComponent", "XoneConstraintComponent"}
MAX_NESTED_COUNT = 6  # counts nested inside logical constraints are written as that many distinct values


class NotCompiled(Exception):
    """A construct this compiler does not turn into SPARQL; the shape goes to pySHACL."""


@dataclass
class CompiledQuery:
    """One constraint of one shape as a SPARQL SELECT over every focus node.

    A solution binds ``this`` (the focus node) and, where the component reports
    one, ``value``; ``path`` (a predicate) for sh:closed; for SPARQL constraints
    whatever variables their messages name.
    """

    shape: Shape
    constraint: Constraint
    sparql: str
    path: Path | None
    has_value: bool
    per_focus: bool = False  # a SPARQL constraint pre-bound to each focus node in turn
    focus_sparql: str | None = None  # the focus nodes, when per_focus
    messages: list[ox.Literal] = field(default_factory=list)


@dataclass
class CompiledShapes:
    queries: list[CompiledQuery]
    delegated: dict[str, list[str]]  # shape key -> why it was not compiled


@dataclass(frozen=True)
class Nodes:
    """A pattern whose solutions bind ``var`` to a set of nodes (each possibly more than once)."""

    pattern: str
    var: str

    def distinct(self) -> str:
        """The same set as a sub-query that exposes ``var`` alone, once per node."""
        return f"{{ SELECT DISTINCT {self.var} WHERE {{ {self.pattern} }} }}"


FocusOf = Callable[[str], Nodes]


def term(node: Term) -> str:
    """A constant in a query; a blank node cannot be one (it would be a fresh node)."""
    if isinstance(node, ox.BlankNode):
        raise NotCompiled("a blank node used as a constant")
    return str(node)


def union(sets: list[Nodes | None], var: str) -> Nodes | None:
    found = [s for s in sets if s is not None]
    if not found:
        return None
    if len(found) == 1:
        return found[0]
    return Nodes(" UNION ".join(f"{{ {s.pattern} }}" for s in found), var)


def minus(left: Nodes, right: Nodes | None) -> Nodes:
    """The nodes of ``left`` that are not in ``right`` (a set difference Oxigraph runs in one pass)."""
    if right is None:
        return left
    return Nodes(f"{{ {left.pattern} }} MINUS {right.distinct()}", left.var)


class _Writer:
    """Writes the SPARQL of one shapes graph; fresh variable names come from one counter."""

    def __init__(self, model: ShapesModel) -> None:
        self.model = model
        self._ids = itertools.count(1)

    def var(self, name: str = "v") -> str:
        return f"?{name}{next(self._ids)}"

    # ------------------------------------------------------------------ focus and value nodes

    def targets(self, shape: Shape, this: str) -> Nodes:
        parts = []
        for kind, node in shape.targets:
            if kind == "targetClass":
                parts.append(f"{this} {RDF_TYPE}/{SUBCLASS}* {term(node)} .")
            elif kind == "targetNode":
                parts.append(f"VALUES {this} {{ {term(node)} }}")
            elif kind == "targetSubjectsOf":
                parts.append(f"{this} {term(node)} {self.var('o')} .")
            else:
                parts.append(f"{self.var('s')} {term(node)} {this} .")
        return Nodes(" UNION ".join(f"{{ {p} }}" for p in parts), this)

    def path_step(self, shape: Shape, focus: str, value: str) -> str:
        assert shape.path is not None
        return f"{focus} {shape.path.sparql()} {value} ."

    def value_nodes(self, shape: Shape, focus: Nodes, value: str) -> Nodes:
        """The value nodes of each focus node: the path's objects, or for a node shape the focus nodes themselves."""
        if shape.path is None:
            return Nodes(f"{focus.pattern} BIND({focus.var} AS {value})", value)
        # the value comes through a BIND so that a test of it applies to the focus nodes' values only: a filter
        # on the path's own variable is pushed down to the path by Oxigraph, and tests every value of the
        # predicate in the store (each test of a literal fetches its text)
        found = self.var("p")
        return Nodes(f"{focus.distinct()} {self.path_step(shape, focus.var, found)} BIND({found} AS {value})", value)

    def focus_of_values(self, shape: Shape, focus: Nodes, bad_values: Nodes | None) -> Nodes | None:
        """The focus nodes with at least one value node among ``bad_values``."""
        if bad_values is None:
            return None
        if shape.path is None:
            return Nodes(bad_values.pattern, bad_values.var) if bad_values.var == focus.var else \
                Nodes(f"{bad_values.distinct()} BIND({bad_values.var} AS {focus.var})", focus.var)
        return Nodes(f"{focus.distinct()} {self.path_step(shape, focus.var, bad_values.var)} {bad_values.distinct()}",
                     focus.var)

    # ------------------------------------------------------------------ the nodes that violate a shape

    def violating(self, node: Term, candidates: Nodes, depth: int = 0) -> Nodes | None:
        """The candidates that violate the shape ``node`` (None: no candidate can)."""
        if depth > 24:
            raise NotCompiled("shapes nested too deep")
        shape = self.model.shapes.get(str(node))
        if shape is None:  # a node with no constraints is a shape every node conforms to
            return None
        if shape.unsupported:
            raise NotCompiled(f"it refers to the shape {node}, which {shape.unsupported[0]}")
        if shape.deactivated:
            return None
        found = [self.violating_constraint(shape, c, candidates, depth) for c in shape.constraints]
        for child in shape.properties:
            if shape.path is None:
                found.append(self.violating(child, candidates, depth + 1))
            else:  # the property shape's value nodes are its property shapes' focus nodes
                values = self.value_nodes(shape, candidates, self.var())
                found.append(self.focus_of_values(shape, candidates, self.violating(child, values, depth + 1)))
        return union(found, candidates.var)

    def violating_constraint(self, shape: Shape, constraint: Constraint, focus: Nodes, depth: int) -> Nodes | None:
        """The focus nodes of ``shape`` among ``focus`` that violate one of its constraints."""
        name = constraint.component.removeprefix(SH)
        p = constraint.params
        x = focus.var
        if name in VALUE_COMPONENTS:
            values = self.value_nodes(shape, focus, self.var())
            if name not in _NESTING_COMPONENTS:  # a test of each value: its rows keep their focus node, no second
                bad = self.violating_values(constraint, values, depth)  # look-up of the focus nodes is needed
                return Nodes(f"SELECT DISTINCT {x} WHERE {{ {bad.pattern} }}", x) if bad is not None else None
            return self.focus_of_values(shape, focus, self.violating_values(constraint, values, depth))
        if name == "MinCountConstraintComponent":
            return self.too_few(shape, focus, p["minCount"])
        if name == "MaxCountConstraintComponent":
            if p["maxCount"] is None:
                raise NotCompiled("sh:maxCount without an integer")
            y = self.var()
            return Nodes(f"SELECT {x} WHERE {{ {focus.distinct()} {self.path_step(shape, x, y)} }} "
                         f"GROUP BY {x} HAVING (COUNT(DISTINCT {y}) > {p['maxCount']})", x)
        if name == "HasValueConstraintComponent":
            if shape.path is None:
                return Nodes(f"{focus.pattern} FILTER(!sameTerm({x}, {term(p['hasValue'])}))", x)
            return minus(focus, Nodes(self.path_step(shape, x, term(p["hasValue"])), x))
        if name in PAIR_COMPONENTS or name in ("ClosedConstraintComponent", "UniqueLangConstraintComponent"):
            return union([Nodes(f"SELECT DISTINCT {x} WHERE {{ {pattern} }}", x)
                          for pattern, _, _ in self.pair_patterns(shape, constraint, focus)], x)
        if name in ("QualifiedMinCountConstraintComponent", "QualifiedMaxCountConstraintComponent"):
            return self.qualified(shape, constraint, focus)
        raise NotCompiled(f"{constraint.component} inside another shape")

    def too_few(self, shape: Shape, focus: Nodes, n: int | None) -> Nodes | None:
        if n is None:
            raise NotCompiled("sh:minCount without an integer")
        if n <= 0:
            return None
        x, y = focus.var, self.var()
        if n == 1:
            return minus(focus, Nodes(self.path_step(shape, x, y), x))
        return minus(focus, Nodes(f"SELECT {x} WHERE {{ {focus.distinct()} {self.path_step(shape, x, y)} }} "
                                  f"GROUP BY {x} HAVING (COUNT(DISTINCT {y}) >= {n})", x))

    def qualified(self, shape: Shape, constraint: Constraint, focus: Nodes) -> Nodes:
        p = constraint.params
        x, y = focus.var, self.var()
        values = self.value_nodes(shape, focus, y)
        conforming = minus(values, self.violating(p["shape"], values, 1))
        if p["disjoint"]:
            for sibling in self._sibling_shapes(shape, p["shape"]):
                bad = self.violating(sibling, values, 1)  # conforming to a sibling excludes the value
                conforming = Nodes(f"{conforming.distinct()} {bad.distinct()}", y) if bad is not None else \
                    Nodes("FILTER(false)", y)
        counted = f"{focus.distinct()} {self.path_step(shape, x, y)} {conforming.distinct()}"
        if "qualifiedMinCount" in p:
            return minus(focus, Nodes(f"SELECT {x} WHERE {{ {counted} }} GROUP BY {x} "
                                      f"HAVING (COUNT(DISTINCT {y}) >= {p['qualifiedMinCount']})", x))
        return Nodes(f"SELECT {x} WHERE {{ {counted} }} GROUP BY {x} "
                     f"HAVING (COUNT(DISTINCT {y}) > {p['qualifiedMaxCount']})", x)

    def _sibling_shapes(self, shape: Shape, qualified: Term) -> list[Term]:
        """The qualified value shapes of the other property shapes of the shapes that have this one as a property."""
        siblings: list[Term] = []
        for parent in self.model.shapes.values():
            if shape.node not in parent.properties:
                continue
            for node in parent.properties:
                other = self.model.shapes.get(str(node))
                if other is None or other.node == shape.node:
                    continue
                siblings += [c.params["shape"] for c in other.constraints if "shape" in c.params]
        return [s for s in dict.fromkeys(siblings) if s != qualified]

    # ------------------------------------------------------------------ value-level components

    def violating_values(self, constraint: Constraint, values: Nodes, depth: int = 0) -> Nodes | None:
        """The value nodes among ``values`` that violate a value-level constraint."""
        name = constraint.component.removeprefix(SH)
        p = constraint.params
        v = values.var
        if name == "ClassConstraintComponent":
            return minus(values, Nodes(f"{v} {RDF_TYPE}/{SUBCLASS}* {term(p['class'])} .", v))
        if name == "NodeConstraintComponent":
            return self.violating(p["node"], values, depth + 1)
        if name == "NotConstraintComponent":
            return minus(values, self.violating(p["not"], values, depth + 1))
        if name == "AndConstraintComponent":
            return union([self.violating(s, values, depth + 1) for s in p["and"]], v)
        if name == "OrConstraintComponent":
            if not p["or"]:
                return values
            sets = [self.violating(s, values, depth + 1) for s in p["or"]]
            if any(s is None for s in sets):
                return None  # one member nobody violates: every value conforms to the sh:or
            return Nodes(" ".join(s.distinct() for s in sets if s is not None), v)
        if name == "XoneConstraintComponent":
            return self.xone(p["xone"], values, depth)
        return Nodes(f"{values.pattern} FILTER({self.value_condition(constraint, v)})", v)

    def xone(self, members: list[Term], values: Nodes, depth: int) -> Nodes | None:
        """Values that conform to a number of the shapes other than one: all but those violating exactly n-1."""
        n, v = len(members), values.var
        if n == 0:
            return values
        if n == 1:
            return self.violating(members[0], values, depth + 1)
        which = self.var("i")
        branches = [f"{{ {s.distinct()} BIND({i} AS {which}) }}"
                    for i, s in enumerate((self.violating(m, values, depth + 1) for m in members), start=1)
                    if s is not None]
        if len(branches) < n - 1:
            return values  # fewer shapes can be violated than n-1: no value conforms to exactly one
        return minus(values, Nodes(f"SELECT {v} WHERE {{ {' UNION '.join(branches)} }} GROUP BY {v} "
                                   f"HAVING (COUNT(DISTINCT {which}) = {n - 1})", v))

    def value_condition(self, constraint: Constraint, v: str) -> str:
        """A FILTER expression, true when the value node bound to ``v`` violates the constraint."""
        name = constraint.component.removeprefix(SH)
        p = constraint.params
        if name == "DatatypeConstraintComponent":
            return f"!({datatype_test(v, p['datatype'])})"
        if name == "NodeKindConstraintComponent":
            return f"!({node_kind_test(v, p['nodeKind'])})"
        if name in RANGES:
            return f"!COALESCE({v} {RANGES[name]} {term(p[RANGE_PARAMETER[name]])}, false)"
        if name in ("MinLengthConstraintComponent", "MaxLengthConstraintComponent"):
            op, n = (">=", p["minLength"]) if name.startswith("Min") else ("<=", p["maxLength"])
            if n is None:
                raise NotCompiled(f"sh:{name} without an integer")
            return f"(isBlank({v}) || !COALESCE(STRLEN(STR({v})) {op} {n}, false))"
        if name == "PatternConstraintComponent":
            flags = f", {sparql_string(p['flags'].value)}" if p.get("flags") is not None else ""
            return f"(isBlank({v}) || !COALESCE(REGEX(STR({v}), {sparql_string(p['pattern'].value)}{flags}), false))"
        if name == "LanguageInConstraintComponent":
            tags = [t.value for t in p["languageIn"] if isinstance(t, ox.Literal)]
            matches = " || ".join(f"langMatches(lang({v}), {sparql_string(t)})" for t in tags) or "false"
            return f"!(isLiteral({v}) && COALESCE({matches}, false))"
        if name == "InConstraintComponent":
            members = " || ".join(f"sameTerm({v}, {term(m)})" for m in p["in"]) or "false"
            return f"!({members})"
        raise NotCompiled(f"{constraint.component} is not a value-level component")

    # ------------------------------------------------------------------ components that look at several values

    def pair_patterns(self, shape: Shape, constraint: Constraint, focus: Nodes) -> list[tuple[str, str, str | None]]:
        """Patterns whose solutions are the violations among the focus nodes (bound by ``focus``), with the value
        and path variables; two patterns where the violations are of two kinds (sh:equals: missing either way)."""
        name = constraint.component.removeprefix(SH)
        p = constraint.params
        x, v = focus.var, self.var()
        start = focus.distinct()
        mine = self.path_step(shape, x, v) if shape.path is not None else f"BIND({x} AS {v})"
        if name == "EqualsConstraintComponent":
            other = f"{x} {term(p['equals'])} {v} ."
            if shape.path is None:  # the one value node is the focus node itself
                return [(f"{{ {start} {mine} }} MINUS {{ {other} }}", v, None),
                        (f"{start} {other} FILTER(!sameTerm({x}, {v}))", v, None)]
            return [(f"{{ {start} {mine} }} MINUS {{ {other} }}", v, None),
                    (f"{{ {start} {other} }} MINUS {{ {mine} }}", v, None)]
        if name == "DisjointConstraintComponent":
            return [(f"{start} {mine} {x} {term(p['disjoint'])} {v} .", v, None)]
        if name in ("LessThanConstraintComponent", "LessThanOrEqualsConstraintComponent"):
            op = "<" if name == "LessThanConstraintComponent" else "<="
            key = "lessThan" if op == "<" else "lessThanOrEquals"
            w = self.var("w")
            return [(f"{start} {mine} {x} {term(p[key])} {w} . FILTER(!COALESCE({v} {op} {w}, false))", v, None)]
        if name == "ClosedConstraintComponent":
            predicate = self.var("p")
            allowed = self._closed_allowed(shape, p["ignored"])
            test = f"FILTER({predicate} NOT IN ({', '.join(allowed)}))" if allowed else ""
            return [(f"{start} {x} {predicate} {v} . {test}", v, predicate)]
        if name == "UniqueLangConstraintComponent":
            w = self.var("w")
            return [(f"{start} {mine} {self.path_step(shape, x, w)} "
                     f"FILTER(!sameTerm({v}, {w}) && lang({v}) != \"\" && LCASE(lang({v})) = LCASE(lang({w})))",
                     v, None)]
        raise NotCompiled(f"{constraint.component}")

    def _closed_allowed(self, shape: Shape, ignored: list[Term]) -> list[str]:
        allowed = [term(t) for t in ignored]
        for node in shape.properties:
            prop = self.model.shapes.get(str(node))
            if prop is not None and prop.path is not None and prop.path.predicate:
                allowed.append(f"<{prop.path.predicate}>")
        return sorted(set(allowed))


VALUE_COMPONENTS = {"ClassConstraintComponent", "DatatypeConstraintComponent", "NodeKindConstraintComponent",
                    "MinExclusiveConstraintComponent", "MinInclusiveConstraintComponent",
                    "MaxExclusiveConstraintComponent", "MaxInclusiveConstraintComponent",
                    "MinLengthConstraintComponent", "MaxLengthConstraintComponent", "PatternConstraintComponent",
                    "LanguageInConstraintComponent", "InConstraintComponent", "NodeConstraintComponent",
                    "NotConstraintComponent", "AndConstraintComponent", "OrConstraintComponent",
                    "XoneConstraintComponent"}
# the value-level components whose test is another shape: their bad values come out of sub-queries of their own
_NESTING_COMPONENTS = {"NodeConstraintComponent", "NotConstraintComponent", "AndConstraintComponent",
                       "OrConstraintComponent", "XoneConstraintComponent"}
PAIR_COMPONENTS = {"EqualsConstraintComponent", "DisjointConstraintComponent", "LessThanConstraintComponent",
                   "LessThanOrEqualsConstraintComponent"}
RANGES = {"MinExclusiveConstraintComponent": ">", "MinInclusiveConstraintComponent": ">=",
          "MaxExclusiveConstraintComponent": "<", "MaxInclusiveConstraintComponent": "<="}
RANGE_PARAMETER = {"MinExclusiveConstraintComponent": "minExclusive", "MinInclusiveConstraintComponent": "minInclusive",
                   "MaxExclusiveConstraintComponent": "maxExclusive", "MaxInclusiveConstraintComponent": "maxInclusive"}


def sparql_string(text: str) -> str:
    """A SPARQL string literal, escaped as N-Triples escapes it."""
    return str(ox.Literal(text))


def datatype_test(v: str, datatype: Term) -> str:
    """A boolean expression: ``v`` is a well-formed literal of the datatype."""
    iri = term(datatype)
    if isinstance(datatype, ox.NamedNode) and datatype.value in STORE_REWRITES:
        raise NotCompiled(f"sh:datatype {iri}: Oxigraph stores such literals under another datatype")
    if isinstance(datatype, ox.NamedNode) and datatype.value == RDF_LANGSTRING:
        return f"(isLiteral({v}) && lang({v}) != \"\")"
    test = f"isLiteral({v}) && datatype({v}) = {iri}"
    if isinstance(datatype, ox.NamedNode) and datatype.value in CASTABLE:
        test += f" && COALESCE(isLiteral({iri}(STR({v}))), false)"
    return f"({test})"


def node_kind_test(v: str, kind: Term) -> str:
    tests = {"IRI": f"isIRI({v})", "BlankNode": f"isBlank({v})", "Literal": f"isLiteral({v})",
             "BlankNodeOrIRI": f"(isBlank({v}) || isIRI({v}))",
             "BlankNodeOrLiteral": f"(isBlank({v}) || isLiteral({v}))",
             "IRIOrLiteral": f"(isIRI({v}) || isLiteral({v}))"}
    name = kind.value.removeprefix(SH) if isinstance(kind, ox.NamedNode) else ""
    if name not in tests:
        raise NotCompiled(f"sh:nodeKind {kind}")
    return tests[name]


# ---------------------------------------------------------------------------------------------- whole queries

def _prefixes(prefixes: dict[str, str]) -> str:
    return "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in sorted(prefixes.items()))


class Compiler(_Writer):
    def compile(self) -> CompiledShapes:
        queries: list[CompiledQuery] = []
        delegated: dict[str, list[str]] = {}
        for shape in self.model.validated():
            try:
                shape_queries = self.shape_queries(shape, partial(self.targets, shape))
            except NotCompiled as reason:
                delegated[shape.key] = [str(reason)]
                continue
            queries += shape_queries
        return CompiledShapes(queries, delegated)

    def shape_queries(self, shape: Shape, focus_of: FocusOf, depth: int = 0) -> list[CompiledQuery]:
        """Every result query of a shape whose focus nodes ``focus_of(var)`` binds, and of its property shapes."""
        if depth > 24:
            raise NotCompiled("property shapes nested too deep")
        if shape.unsupported:
            raise NotCompiled(shape.unsupported[0])
        if shape.deactivated:
            return []
        out = [q for c in shape.constraints for q in self.constraint_queries(shape, c, focus_of)]
        for node in shape.properties:
            child = self.model.shapes.get(str(node))
            if child is None:
                continue
            if shape.path is None:
                out += self.shape_queries(child, focus_of, depth + 1)
            else:  # the property shape's value nodes are the child's focus nodes
                def child_focus(this: str, shape: Shape = shape) -> Nodes:
                    outer = focus_of(self.var("f"))
                    return Nodes(f"{outer.distinct()} {self.path_step(shape, outer.var, this)}", this)
                out += self.shape_queries(child, child_focus, depth + 1)
        return out

    def constraint_queries(self, shape: Shape, constraint: Constraint, focus_of: FocusOf) -> list[CompiledQuery]:
        name = constraint.component.removeprefix(SH)

        def query(sparql: str, has_value: bool) -> CompiledQuery:
            return CompiledQuery(shape, constraint, sparql, shape.path, has_value, messages=list(shape.messages))

        if name == "SPARQLConstraintComponent":
            return [self.sparql_query(shape, constraint, focus_of)]
        focus = focus_of("?this")
        if name in VALUE_COMPONENTS:
            if shape.path is None:
                bad = self.violating_values(constraint, Nodes(focus.pattern, "?this"))
                if bad is None:
                    return []
                return [query(f"SELECT DISTINCT ?this ?value WHERE {{ {bad.distinct()} BIND(?this AS ?value) }}",
                              True)]
            values = self.value_nodes(shape, focus, "?value")
            if name not in SET_VALUE_COMPONENTS:  # a test of each value alone: one pass over the (focus, value) pairs
                condition = self.value_condition(constraint, "?value")
                return [query(f"SELECT DISTINCT ?this ?value WHERE {{ {values.pattern} FILTER({condition}) }}", True)]
            bad = self.violating_values(constraint, values)
            if bad is None:
                return []
            return [query(f"SELECT DISTINCT ?this ?value WHERE {{ {values.pattern} {bad.distinct()} }}", True)]
        if name in PAIR_COMPONENTS or name in ("ClosedConstraintComponent", "UniqueLangConstraintComponent"):
            out = []
            for pattern, value, path in self.pair_patterns(shape, constraint, focus):
                if name == "ClosedConstraintComponent":
                    sparql = f"SELECT DISTINCT ?this ({path} AS ?path) ({value} AS ?value) WHERE {{ {pattern} }}"
                elif name == "UniqueLangConstraintComponent":  # one result per language used twice, no value
                    sparql = f"SELECT DISTINCT ?this (LCASE(lang({value})) AS ?lang) WHERE {{ {pattern} }}"
                else:
                    sparql = f"SELECT DISTINCT ?this ({value} AS ?value) WHERE {{ {pattern} }}"
                out.append(query(sparql, name != "UniqueLangConstraintComponent"))
            return out
        bad_focus = self.violating_constraint(shape, constraint, focus, 0)
        if bad_focus is None:
            return []
        return [query(f"SELECT DISTINCT ?this WHERE {{ {bad_focus.pattern} }}", False)]

    def sparql_query(self, shape: Shape, constraint: Constraint, focus_of: FocusOf) -> CompiledQuery:
        p = constraint.params
        text = p["select"]
        if re.search(r"\$shapesGraph\b", text):
            raise NotCompiled("$shapesGraph in a SPARQL constraint")
        if re.search(r"\$currentShape\b", text):
            if isinstance(shape.node, ox.BlankNode):
                raise NotCompiled("$currentShape of a blank-node shape")
            text = re.sub(r"\$currentShape\b", str(shape.node), text)
        if shape.path is not None:
            text = re.sub(r"\$PATH\b", shape.path.sparql(), text)
        elif re.search(r"\$PATH\b", text):
            raise NotCompiled("$PATH in a node shape's SPARQL constraint")
        messages = list(p["messages"]) or list(shape.messages)
        prefixed = _prefixes(p["prefixes"]) + text
        focus = focus_of("?this")
        if sparql_scopes(text):
            where = re.search(r"\bWHERE\s*\{", prefixed, re.I)
            if where is None:
                raise NotCompiled("a SPARQL constraint without WHERE {")
            joined = re.sub(r"\$this\b", "?this", prefixed[: where.end()] + f" {focus.distinct()} "
                            + prefixed[where.end():])
            return CompiledQuery(shape, constraint, joined, shape.path, True, messages=messages)
        return CompiledQuery(shape, constraint, prefixed, shape.path, True, per_focus=True,
                             focus_sparql=f"SELECT DISTINCT ?this WHERE {{ {focus.pattern} }}", messages=messages)


class ForbiddenSparql(InputError):
    """A SHACL-SPARQL constraint the Recommendation (5.3.1) does not allow: the shapes are refused."""


_STRINGS = re.compile(r'"""[\s\S]*?"""|\'\'\'[\s\S]*?\'\'\'|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\'')
_TOKENS = re.compile(r"<[^<>\"{}|^`\\\s]*>|[?$][A-Za-z_][A-Za-z0-9_]*|[A-Za-z_][A-Za-z0-9_-]*(?::[^\s{}()]*)?|[{}]|\S")


def sparql_scopes(select: str) -> bool:
    """Check a SHACL-SPARQL SELECT against the Recommendation's rules; True when it may be joined.

    Refused (``ForbiddenSparql``): MINUS, VALUES, SERVICE, a BIND (AS) to ``$this``,
    and a sub-SELECT that does not project ``$this``. Joined rather than pre-bound
    per focus node when every use of ``$this`` lies in the query's own group or
    inside EXISTS / OPTIONAL groups there (which see the focus binding); a plain
    nested group, a UNION branch or a sub-SELECT could evaluate ``$this`` unbound.
    """
    text = _STRINGS.sub('""', re.sub(r"(?m)#.*$", "", select))
    tokens = _TOKENS.findall(text)
    upper = [t.upper() for t in tokens]
    for word in ("MINUS", "VALUES", "SERVICE"):
        if word in upper:
            raise ForbiddenSparql(f"a SPARQL constraint uses {word}, which SHACL does not allow")
    joinable = True
    stack: list[str] = []
    seen_top = False
    for i, token in enumerate(tokens):
        word = upper[i]
        if word == "AS" and i + 1 < len(tokens) and tokens[i + 1] in ("$this", "?this"):
            raise ForbiddenSparql("a SPARQL constraint assigns $this, which SHACL pre-binds")
        if word == "SELECT" and seen_top:
            j = i + 1
            head = []
            while j < len(tokens) and upper[j] not in ("WHERE", "{"):
                head.append(tokens[j])
                j += 1
            if "$this" not in head and "?this" not in head:
                raise ForbiddenSparql("a sub-SELECT of a SPARQL constraint does not project $this")
        if token == "{":
            previous = upper[i - 1] if i else ""
            if not seen_top:
                stack.append("top")
                seen_top = True
            elif previous in ("EXISTS", "OPTIONAL"):
                stack.append(previous.lower())
            else:
                stack.append("group")
        elif token == "}":
            if stack:
                stack.pop()
        elif token in ("$this", "?this") and stack:
            if any(scope == "group" for scope in stack[1:]):
                joinable = False
    return joinable


_PIECES = re.compile(r'(?P<skip>"""[\s\S]*?"""|\'\'\'[\s\S]*?\'\'\'|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\''
                     r"|#[^\n]*|<[^<>\"{}|^`\\\s]*>)|(?P<this>[?$]this\b)|(?P<word>[A-Za-z_]+)|(?P<other>[\s\S])")


def prebind(select: str, focus: Term) -> str:
    """The query with ``$this`` pre-bound to ``focus``, as SHACL 5.3.1 defines it: every use of the variable
    becomes the node, ``bound($this)`` is true, and a SELECT that projects it projects the node instead."""
    constant = str(focus)
    out: list[str] = []
    head = 0  # 1: in the first SELECT's projection, 2: in a sub-SELECT's
    selects = 0
    pieces = list(_PIECES.finditer(select))
    for i, piece in enumerate(pieces):
        kind, text = piece.lastgroup, piece.group()
        if kind == "word" and text.upper() == "SELECT":
            selects += 1
            head = 1 if selects == 1 else 2
        elif head and (kind == "word" and text.upper() == "WHERE" or text == "{"):
            head = 0
        if kind != "this":
            out.append(text)
            continue
        if head:
            out.append(f"({constant} AS ?this)" if head == 1 else f"({constant} AS ?prebound{i})")
            continue
        before = "".join(p.group() for p in pieces[max(0, i - 3):i]).replace(" ", "").upper()
        after = "".join(p.group() for p in pieces[i + 1:i + 3]).replace(" ", "")
        if before.endswith("BOUND(") and after.startswith(")"):
            out.append("?__prebound_true")  # bound(?__prebound_true) becomes (true) below
            continue
        out.append(constant)
    text = "".join(out)
    return re.sub(r"(?i)bound\(\s*\?__prebound_true\s*\)", "(true)", text)


def compile_shapes(model: ShapesModel) -> CompiledShapes:
    """Every constraint of every shape with targets, as SPARQL; the shapes that could not be, with why."""
    return Compiler(model).compile()
