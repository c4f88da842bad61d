"""The trust boundary: a plan source may state facts only about its own plan.

The ontology, the vocabularies and the catalogue come from the package; a plan
file is trusted with nothing but itself. A plan source holds exactly one
``wp:CouncilPlan`` with one ``wp:council``, and its statements may only be about

* the plan and what lies under its IRI (``<plan>/…``: responses, gap actions,
  evidence, figures, roles);
* its council and what lies under the council's IRI (``<council>/…``: posts);
* source documents and locations (``wpid:source/…``), and then only the facts
  their IRI itself implies (its type, file name, document, line or row).

Anything else is refused: a statement about a requirement, a vocabulary concept
or an ontology term, a statement about or a link into another plan, a plan IRI
another input already claims, a council described differently by two inputs,
blank nodes (which no other input could tell apart from its own).
Refusals are ``InputError``s naming the file and, for RDF files, the line.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NoReturn
from urllib.parse import unquote

import pyoxigraph as ox

from ..errors import InputError
from ..model.derived import DERIVED_CLASSES, DERIVED_PREDICATES
from ..namespaces import WP_NS, WPID_NS

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
XSD_INTEGER = "http://www.w3.org/2001/XMLSchema#integer"
_PLAN = WP_NS + "CouncilPlan"
_COUNCIL = WP_NS + "council"
SOURCE_PREFIX = WPID_NS + "source/"
_LOCATION = re.compile(r"^(?P<doc>[^#]+)#(?P<kind>[LR])(?P<number>[1-9][0-9]*)$")
# IRIs only the build may mint: other plans and councils live here
_INSTANCE_PREFIXES = (WPID_NS + "plan/", WPID_NS + "council/")

# characters a Turtle prefixed name writes with a backslash (wpid:graph\/x)
_PN_LOCAL_ESCAPE = re.compile(r"([/#?&=%.~!$])")

Locator = Callable[[ox.NamedNode | ox.BlankNode | ox.Literal], int | None]


@dataclass(frozen=True)
class PlanIdentity:
    """Which plan a source holds, and the IRIs it owns."""

    plan: str
    council: str

    def owns(self, iri: str) -> bool:
        return any(iri == base or iri.startswith((base + "/", base + "#")) for base in (self.plan, self.council))


def identify(triples: Iterable[ox.Triple | ox.Quad], source: str | Path) -> PlanIdentity:
    """The one plan and council a source states, or an InputError."""
    plans: set[str] = set()
    councils: dict[str, set[str]] = {}
    for triple in triples:
        predicate = triple.predicate.value
        subject, obj = triple.subject, triple.object
        if predicate == RDF_TYPE and isinstance(obj, ox.NamedNode) and obj.value == _PLAN:
            if not isinstance(subject, ox.NamedNode):
                raise InputError("the wp:CouncilPlan is not named by an IRI: give the plan an IRI", source)
            plans.add(subject.value)
        elif predicate == _COUNCIL and isinstance(subject, ox.NamedNode) and isinstance(obj, ox.NamedNode):
            councils.setdefault(subject.value, set()).add(obj.value)
    if not plans:
        raise InputError("holds no wp:CouncilPlan: a plan graph states one plan and its responses", source)
    if len(plans) > 1:
        raise InputError(f"holds {len(plans)} wp:CouncilPlans ({', '.join(sorted(plans)[:3])}): give each plan "
                         "a file of its own", source)
    plan = plans.pop()
    owned = councils.get(plan, set())
    if len(owned) != 1:
        raise InputError(f"the plan <{plan}> must name exactly one wp:council (it names {len(owned)})", source)
    return PlanIdentity(plan, owned.pop())


@dataclass
class ReferenceIndex:
    """The resources the package's reference graphs describe, with a label for messages."""

    labels: dict[str, str] = field(default_factory=dict)

    def describe(self, iri: str) -> str:
        return self.labels.get(iri, f"<{iri}>")

    def __contains__(self, iri: str) -> bool:
        return iri in self.labels


def _implied(subject: str, predicate: str, obj: ox.NamedNode | ox.Literal) -> bool:
    """Whether a triple about a source document or location is one its IRI implies."""
    location = _LOCATION.match(subject)
    if location is None:  # a document
        if predicate == RDF_TYPE:
            return obj.value == WP_NS + "SourceDocument"
        if predicate == WP_NS + "fileName":
            return isinstance(obj, ox.Literal) and obj.value == unquote(subject[len(SOURCE_PREFIX):])
        return False
    if predicate == RDF_TYPE:
        return obj.value == WP_NS + "SourceLocation"
    if predicate == WP_NS + "inDocument":
        return obj.value == location.group("doc")
    unit = {"L": WP_NS + "line", "R": WP_NS + "row"}[location.group("kind")]
    return (predicate == unit and isinstance(obj, ox.Literal) and obj.datatype.value == XSD_INTEGER
            and obj.value == location.group("number"))


def check_plan_triples(triples: Iterable[ox.Triple | ox.Quad], identity: PlanIdentity, reference: ReferenceIndex,
                       source: str | Path, locate: Locator | None = None) -> None:
    """Refuse any statement a plan source may not make (see the module docstring).

    The distinct subjects, predicates and objects are checked, not every triple:
    a plan of thousands of triples names a few hundred resources.
    """

    def refuse(message: str, term: ox.NamedNode | ox.BlankNode | ox.Literal) -> NoReturn:
        line = locate(term) if locate else None
        raise InputError(message, source, line, unit="line")

    quads: list[Any] = list(triples)  # quoted triples are refused below, before any term is read as a node
    subjects: set[Any] = set()
    predicates: set[Any] = set()
    objects: set[Any] = set()
    for t in quads:
        subjects.add(t.subject)
        predicates.add(t.predicate)
        objects.add(t.object)
    for term in (*subjects, *objects):
        if isinstance(term, ox.Triple):
            raise InputError("a quoted triple (RDF-star): a plan states plain triples only", source)
    for term in (*subjects, *objects):
        if isinstance(term, ox.BlankNode):
            refuse("a blank node: every resource of a plan needs an IRI under the plan's own IRI "
                   f"(<{identity.plan}/…>)", term)
    derived = sorted(p.value for p in predicates if p.value in DERIVED_PREDICATES)
    derived += sorted(o.value for o in objects if isinstance(o, ox.NamedNode) and o.value in DERIVED_CLASSES
                      and any(t.predicate.value == RDF_TYPE and t.object == o for t in quads))
    if derived:
        offending = next(t.subject for t in quads if t.predicate.value in derived or t.object.value in derived)
        refuse(f"states {derived[0]}, which only the build derives (coverage, repeated rows, plain texts, citations): "
               "a plan states its responses, wpgraph works out the rest", offending)
    sources = set()
    for subject in sorted(subjects, key=str):
        iri = subject.value
        if identity.owns(iri):
            continue
        if iri.startswith(SOURCE_PREFIX):
            sources.add(subject)
            continue
        predicate = next(t.predicate.value for t in quads if t.subject == subject)
        if iri in reference:
            refuse(f"states a fact about {reference.describe(iri)} ({predicate}), which belongs to the package's "
                   "catalogue, vocabularies or ontology: a plan may only describe itself", subject)
        refuse(f"states a fact about <{iri}>, which is not part of its plan <{identity.plan}>: a plan may only "
               "describe resources under its own IRI", subject)
    for t in (t for t in quads if t.subject in sources) if sources else ():
        if not _implied(t.subject.value, t.predicate.value, t.object):
            refuse(f"states a fact about the source location <{t.subject.value}> that its IRI does not imply "
                   f"({t.predicate.value}): a plan may only say where its own rows came from", t.subject)
    for obj in sorted((o for o in objects if isinstance(o, ox.NamedNode)), key=str):
        if obj.value.startswith(_INSTANCE_PREFIXES) and obj.value not in reference and not identity.owns(obj.value):
            refuse(f"links to <{obj.value}>, a resource of another plan or council: a plan may only refer to "
                   "itself and to the catalogue", obj)


def council_statements(triples: Iterable[ox.Triple | ox.Quad], identity: PlanIdentity) -> frozenset[tuple[str, str]]:
    """What a plan says of its council itself (name, GSS code, …): must agree between plans of one council."""
    return frozenset((t.predicate.value, str(t.object)) for t in triples
                     if isinstance(t.subject, ox.NamedNode) and t.subject.value == identity.council)


@dataclass
class Claims:
    """Plan IRIs and council descriptions already claimed by the inputs of one build."""

    plans: dict[str, str] = field(default_factory=dict)  # plan IRI -> source label
    councils: dict[str, tuple[str, frozenset[tuple[str, str]]]] = field(default_factory=dict)

    def claim(self, identity: PlanIdentity, council: frozenset[tuple[str, str]], source: str) -> None:
        holder = self.plans.get(identity.plan)
        if holder is not None and holder != source:
            raise InputError(f"claims the plan <{identity.plan}>, which {holder} already holds: give each plan "
                             "its own IRI (a plan.toml's `id`, or --plan-id)", source)
        for other, other_source in self.plans.items():
            if other != identity.plan and (other.startswith(identity.plan + "/")
                                           or identity.plan.startswith(other + "/")):
                raise InputError(f"the plan <{identity.plan}> and the plan <{other}> of {other_source} nest inside "
                                 "each other's IRIs", source)
        described = self.councils.get(identity.council)
        if described is not None and described[1] != council and described[0] != source:
            raise InputError(f"describes the council <{identity.council}> differently from {described[0]} (name, "
                             "short name or GSS code): plans of one council must agree on it", source)
        self.plans[identity.plan] = source
        self.councils.setdefault(identity.council, (source, council))


def term_locator(text: str, prefixes: dict[str, str]) -> Locator:
    """A function giving the first line of an RDF text that writes a term (as ``<iri>`` or ``prefix:local``)."""
    lines = text.splitlines()

    def locate(term: ox.NamedNode | ox.BlankNode | ox.Literal) -> int | None:
        if isinstance(term, ox.BlankNode):
            needles = ["_:", "["]
        elif isinstance(term, ox.NamedNode):
            needles = [f"<{term.value}>"]
            for prefix, namespace in prefixes.items():
                if term.value.startswith(namespace) and len(term.value) > len(namespace):
                    local = term.value[len(namespace):]
                    escaped = _PN_LOCAL_ESCAPE.sub(r"\\\1", local)
                    needles += [f"{prefix}:{local}", f"{prefix}:{escaped}"]
        else:
            needles = [term.value]
        # where the term starts a statement (its subject) first, else wherever it is written
        for number, line in enumerate(lines, start=1):
            if any(line.lstrip().startswith(needle) for needle in needles):
                return number
        for number, line in enumerate(lines, start=1):
            if any(needle in line for needle in needles):
                return number
        return None

    return locate
