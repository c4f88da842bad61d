"""Plan files of RDF triples read by the store itself: the fast way in for files checked on their own.

``wpgraph validate a.ttl b.nt …`` needs the plans in a store, checked at the
trust boundary, with their coverage derived; it does not need them as Python
objects. Here each file is parsed and loaded by Oxigraph (Rust) into a graph
of its own, and what the build needs to know of it is asked of the store, all
files in one query each: which plan and council it states, whether it could
break the trust boundary, what it says of its council, and the facts coverage
is derived from.

The trust check here only ever *accepts*. ``SUSPECT`` flags every statement
the rules of ``dataset.trust`` might refuse (it is stricter than they are); a
file with a flagged statement, or anything else unexpected, is read again the
ordinary way (``loading.load_source``), which gives the exact one-line refusal
or, when the statement was in fact allowed, the plan. So the rules have one
authority, and the fast path can only be slower, never more lenient.

The module stays whole because its queries and the code that reads their rows
are one contract: each query's columns are read a few lines below it.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

import pyoxigraph as ox

from ..model.derived import (
    DERIVED_CLASSES,
    DERIVED_PREDICATES,
    PLAIN,
    PROV_DERIVED,
    RDFS_LABEL,
    Derived,
    PlanFacts,
    derive,
)
from ..namespaces import WP_NS, WPID_NS
from ..rdfio import PLAN_MAX_TRIPLES, rdf_format
from .loading import LoadedPlan, load_source
from .reference import derived_graph_name, reference_index
from .sources import Source
from .trust import RDF_TYPE, SOURCE_PREFIX, PlanIdentity

# files of plain triples the store can put in one graph (JSON-LD and N3 may carry graphs or formulae of their own)
STAGED_SUFFIXES = (".ttl", ".nt", ".rdf", ".owl")
_STAGE_PREFIX = WPID_NS + "graph/input/"
_SHORT_NAME = WP_NS + "shortName"
_XSD_INTEGER = "http://www.w3.org/2001/XMLSchema#integer"
STAGE_MAX_BYTES = 2 * 1024 * 1024  # bigger plan files take the ordinary, bounded reading (docs/limits.md)


def _iris(values: Sequence[str]) -> str:
    return " ".join(f"<{v}>" for v in values)


def _owned(x: str) -> str:
    """``?x`` is the plan or the council, or lies under either's IRI (trust.PlanIdentity.owns); the prefixes
    come with the rows, so no string is built per statement."""
    return (f"(?{x} = ?plan || STRSTARTS(STR(?{x}), ?planSlash) || STRSTARTS(STR(?{x}), ?planHash) "
            f"|| ?{x} = ?council || STRSTARTS(STR(?{x}), ?councilSlash) || STRSTARTS(STR(?{x}), ?councilHash))")


def _string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


# A statement about a source document or location that its IRI implies (trust._implied), written strictly:
# what the subject's IRI says is worked out once per subject (_SOURCE_KIND), each statement is compared with it.
_SOURCE_KIND = f"""BIND(isIRI(?s) && STRSTARTS(STR(?s), "{SOURCE_PREFIX}")
         && REGEX(STR(?s), "^[^#]+#[LR][1-9][0-9]*$") AS ?location)
    BIND(isIRI(?s) && STRSTARTS(STR(?s), "{SOURCE_PREFIX}") && !CONTAINS(STR(?s), "#")
         && !CONTAINS(STR(?s), "%") AS ?document)
    BIND(STRBEFORE(STR(?s), "#") AS ?inDocument)
    BIND(STRAFTER(STR(?s), "#") AS ?fragment)
    BIND(STRAFTER(STR(?s), "{SOURCE_PREFIX}") AS ?fileName)"""
_IMPLIED = f"""((?location && (
        (?p = <{RDF_TYPE}> && ?o = <{WP_NS}SourceLocation>)
     || (?p = <{WP_NS}inDocument> && isIRI(?o) && STR(?o) = ?inDocument)
     || (?p = <{WP_NS}line> && STRSTARTS(?fragment, "L") && isLiteral(?o)
         && DATATYPE(?o) = <{_XSD_INTEGER}> && STR(?o) = SUBSTR(?fragment, 2))
     || (?p = <{WP_NS}row> && STRSTARTS(?fragment, "R") && isLiteral(?o)
         && DATATYPE(?o) = <{_XSD_INTEGER}> && STR(?o) = SUBSTR(?fragment, 2))))
 || (?document && (
        (?p = <{RDF_TYPE}> && ?o = <{WP_NS}SourceDocument>)
     || (?p = <{WP_NS}fileName> && isLiteral(?o) && STR(?o) = ?fileName))))"""

# Every statement the trust boundary might refuse (see the module docstring), over all staged graphs, in three
# queries. A plan names a few thousand subjects and values in a few hundred thousand statements, so the string
# tests are made once per distinct subject or value, not once per statement (0.82 s down to 0.64 s at 150 plans):
# - a subject that is neither the plan's nor its council's (nor a blank node) leads to its statements, of which
#   those its own IRI does not imply are suspect;
# - a value is suspect if it is a blank node or another plan's or council's resource;
# - a derived predicate or class is found through the store's index.
# Every string function is guarded by isIRI: on a blank node it is an error, and an error would let the filter
# pass.
_PLAN_ROWS = "VALUES (?g ?plan ?council ?planSlash ?planHash ?councilSlash ?councilHash) { {rows} }"
SUSPECT = (
    f"""SELECT DISTINCT ?g WHERE {{
  {{ SELECT ?g ?s ?location ?document ?inDocument ?fragment ?fileName WHERE {{
    {_PLAN_ROWS}
    {{ SELECT DISTINCT ?g ?s WHERE {{ VALUES ?g {{ {{graphs}} }} GRAPH ?g {{ ?s ?p ?o }} }} }}
    FILTER(!isIRI(?s) || !{_owned("s")})
    {_SOURCE_KIND}
  }} }}
  FILTER EXISTS {{ GRAPH ?g {{ ?s ?p ?o }} FILTER(!{_IMPLIED}) }}
}}""",
    f"""SELECT DISTINCT ?g WHERE {{
  {_PLAN_ROWS}
  {{ SELECT DISTINCT ?g ?o WHERE {{ VALUES ?g {{ {{graphs}} }} GRAPH ?g {{ ?s ?p ?o FILTER(!isLiteral(?o)) }} }} }}
  FILTER(!isIRI(?o) || (STRSTARTS(STR(?o), "{WPID_NS}")
      && (STRSTARTS(STR(?o), "{WPID_NS}plan/") || STRSTARTS(STR(?o), "{WPID_NS}council/"))
      && !{_owned("o")} {{reference}}))
}}""",
    f"""SELECT DISTINCT ?g WHERE {{
  VALUES ?g {{ {{graphs}} }}
  {{ VALUES ?p {{ {" ".join(f"<{p}>" for p in sorted(DERIVED_PREDICATES))} }} GRAPH ?g {{ ?s ?p ?o }} }}
  UNION {{ VALUES ?class {{ {" ".join(f"<{c}>" for c in sorted(DERIVED_CLASSES))} }} GRAPH ?g {{ ?s a ?class }} }}
}}""")

_IDENTITY = f"""SELECT ?g ?plan ?council WHERE {{
  VALUES ?g {{ {{graphs}} }}
  GRAPH ?g {{ ?plan a <{WP_NS}CouncilPlan> OPTIONAL {{ ?plan <{WP_NS}council> ?council }} }}
}}"""

_COUNCIL = """SELECT ?g ?p ?o WHERE { VALUES (?g ?council) { {rows} } GRAPH ?g { ?council ?p ?o } }"""

# What derivation needs of each response (PlanFacts): the requirements it addresses, its own reference, and
# the file and row (or line) it came from.
_FACTS = f"""SELECT ?g ?plan ?r ?req ?local ?loc ?doc ?file ?row ?line WHERE {{
  VALUES (?g ?plan) {{ {{rows}} }}
  GRAPH ?g {{
    ?r <{WP_NS}inPlan> ?plan .
    OPTIONAL {{ ?r <{WP_NS}addresses> ?req }}
    OPTIONAL {{ ?r <{WP_NS}localReference> ?local }}
    OPTIONAL {{ ?r <{PROV_DERIVED}> ?loc . ?loc <{WP_NS}inDocument> ?doc . ?doc <{WP_NS}fileName> ?file
               OPTIONAL {{ ?loc <{WP_NS}row> ?row }} OPTIONAL {{ ?loc <{WP_NS}line> ?line }} }}
  }}
}}"""

# A response's requirement links, and which are secondary (wp:primaryLink false): coverage counts them all,
# repeated rows only the primary ones; a finding on a link names its requirement and row.
_LINKS = f"""SELECT ?g ?r ?link ?req ?primary WHERE {{
  VALUES (?g ?plan) {{ {{rows}} }}
  GRAPH ?g {{
    ?r <{WP_NS}inPlan> ?plan ; <{WP_NS}hasLink> ?link .
    OPTIONAL {{ ?link <{WP_NS}linkedRequirement> ?req }}
    OPTIONAL {{ ?link <{WP_NS}primaryLink> ?primary }}
  }}
}}"""

# Where each node of a plan was read from: derivation writes its citation (wp:citation). The responses' are
# read with their facts above; this reads every node's (evidence, gap actions, ...).
_LOCATED = f"""SELECT ?g ?s ?loc ?doc ?file ?row ?line WHERE {{
  VALUES ?g {{ {{graphs}} }}
  GRAPH ?g {{
    ?s <{PROV_DERIVED}> ?loc . ?loc <{WP_NS}inDocument> ?doc . ?doc <{WP_NS}fileName> ?file
    OPTIONAL {{ ?loc <{WP_NS}row> ?row }} OPTIONAL {{ ?loc <{WP_NS}line> ?line }}
  }}
}}"""

# The verbatim texts, of which derivation writes a plain copy (wp:plainText, wp:plainDueText).
_TEXTS = f"""SELECT ?g ?s ?p ?text WHERE {{
  VALUES ?g {{ {{graphs}} }}
  VALUES ?p {{ {" ".join(f"<{verbatim}>" for verbatim in PLAIN)} }}
  GRAPH ?g {{ ?s ?p ?text FILTER(isIRI(?s) && isLiteral(?text)) }}
}}"""


def _suspect_queries(rows: str, graphs: str) -> list[str]:
    # the catalogue's own resources under the instance prefixes (the national plan) may be linked to
    known = [iri for iri in reference_index() if iri.startswith((WPID_NS + "plan/", WPID_NS + "council/"))]
    reference = "".join(f" && ?o != <{iri}>" for iri in known)
    return [query.replace("{rows}", rows).replace("{graphs}", graphs).replace("{reference}", reference)
            for query in SUSPECT]


@dataclass
class StagedPlan:
    """A plan file the store read into a graph of its own: what a build records of it, without its triples."""

    source: Source
    identity: PlanIdentity
    graph: str
    derived: Derived
    triple_count: int
    council: frozenset[tuple[str, str]]
    label: str
    record: None = field(default=None, init=False)

    @property
    def derived_graph(self) -> str:
        return derived_graph_name(self.graph)

    def insert_into(self, store: ox.Store) -> None:
        """The plan's own triples are in the store already; add the graph derived from them."""
        derived = ox.NamedNode(self.derived_graph)
        store.extend(ox.Quad(t.subject, t.predicate, t.object, derived) for t in self.derived.triples)

    def council_statements(self) -> frozenset[tuple[str, str]]:
        return self.council

    def council_label(self) -> str:
        return self.label


def staged_graph_name(source: Source) -> str:
    """The graph of a file read on its own: named after the file, as its plan is not known before it is read."""
    return _STAGE_PREFIX + hashlib.sha256(str(source.path.resolve()).encode()).hexdigest()[:16]


def stage_sources(store: ox.Store, sources: Sequence[Source], *, for_queries: bool = True,
                  meanwhile: Callable[[], None] | None = None) -> list[LoadedPlan | StagedPlan]:
    """Every source in ``store`` with its derived graph: RDF triple files loaded by the store, the rest read.

    ``for_queries``: derive the plain copies of the plans' texts and the citations of their nodes (what queries
    and pages show; no shape reads them, so a check of files on their own skips them). ``meanwhile``: work that
    does not need the plans (the reference graphs), done while the store loads the files in a thread (Oxigraph
    parses without Python's lock). Reading the files back as they land would overlap more, but the store's
    writes and reads then contend and the whole takes longer (measured)."""
    plans: dict[int, LoadedPlan | StagedPlan] = {}
    stageable = [(i, source) for i, source in enumerate(sources) if _stageable(source)]
    with ThreadPoolExecutor(1, thread_name_prefix="wpgraph-load") as pool:
        loading = pool.submit(_load_files, store, stageable)
        if meanwhile is not None:
            meanwhile()
        staged = loading.result()
    for i, source in enumerate(sources):
        if staged.get(i) is None:  # not a file the store reads, or one it refused (the ordinary reading says why)
            plans[i] = load_source(source, for_queries=for_queries)
    plans.update(_read_staged(store, sources, {i: found for i, found in staged.items() if found is not None},
                              for_queries))
    for plan in plans.values():
        if isinstance(plan, LoadedPlan):
            plan.insert_into(store)
    # a staged plan's own triples are in place; its derived graph goes in beside them
    for plan in plans.values():
        if isinstance(plan, StagedPlan):
            plan.insert_into(store)
    return [plans[i] for i in range(len(sources))]


def _stageable(source: Source) -> bool:
    return source.kind == "rdf" and source.path.suffix.lower() in STAGED_SUFFIXES and _within_bytes(source)


def _load_files(store: ox.Store, files: Sequence[tuple[int, Source]]) -> dict[int, tuple[str, int] | None]:
    """Each file in a graph of its own: the graph and its number of triples, or None if the store refused it
    (it is then read the ordinary way, which gives the exact message or, if the store was wrong, the plan)."""
    staged: dict[int, tuple[str, int] | None] = {}
    for i, source in files:
        graph = staged_graph_name(source)
        try:
            store.load(path=str(source.path), format=rdf_format(source.path),
                       base_iri=source.path.resolve().as_uri(), to_graph=ox.NamedNode(graph))
            triples = _triple_count(store, graph)
            if triples > PLAN_MAX_TRIPLES:
                raise ValueError("more triples than a plan file may hold")
        except (SyntaxError, ValueError, OSError, MemoryError):  # MemoryError: a term over 16 MB
            store.remove_graph(ox.NamedNode(graph))
            staged[i] = None
        else:
            staged[i] = graph, triples
    return staged


def _within_bytes(source: Source) -> bool:
    """Small enough to stage whole (a bundled plan is about 250 kB); a bigger file is read the ordinary way, which
    stops at rdfio.PLAN_MAX_TRIPLES, so that memory stays bounded however densely a file packs its triples."""
    try:
        return source.path.stat().st_size <= STAGE_MAX_BYTES
    except OSError:
        return False


def _triple_count(store: ox.Store, graph: str) -> int:
    """The staged graph's triples (over rdfio.PLAN_MAX_TRIPLES, the ordinary reading gives the refusal)."""
    [(count,)] = _select(store, f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}")
    return int(count.value)


def _select(store: ox.Store, query: str) -> Any:
    return store.query(query)


def _read_staged(store: ox.Store, sources: Sequence[Source], staged: dict[int, tuple[str, int]],
                 for_queries: bool) -> dict[int, LoadedPlan | StagedPlan]:
    """What the build needs of each staged graph; a graph that is not plainly one clean plan is read again."""
    if not staged:
        return {}
    graphs = _iris([graph for graph, _ in staged.values()])
    found: dict[str, tuple[set[str], set[str]]] = defaultdict(lambda: (set(), set()))
    for row in _select(store, _IDENTITY.replace("{graphs}", graphs)):
        plans, councils = found[row["g"].value]
        plans.add(str(row["plan"]))
        if row["council"] is not None:
            councils.add(str(row["council"]))
    identities: dict[str, PlanIdentity] = {}
    for graph, (plans, councils) in found.items():
        if len(plans) == 1 and len(councils) == 1 and all(x.startswith("<") for x in (*plans, *councils)):
            identities[graph] = PlanIdentity(next(iter(plans))[1:-1], next(iter(councils))[1:-1])
    rows = " ".join(f"(<{g}> <{i.plan}> <{i.council}> {_string(i.plan + '/')} {_string(i.plan + '#')} "
                    f"{_string(i.council + '/')} {_string(i.council + '#')})" for g, i in identities.items())
    out: dict[int, LoadedPlan | StagedPlan] = {}
    with ThreadPoolExecutor(1, thread_name_prefix="wpgraph-trust") as pool:
        # the trust pass (scans of every statement, which Oxigraph runs without Python's lock) goes on in a
        # thread while the facts of every identified plan are read and derived here; a suspect plan's are dropped
        checking = pool.submit(_suspects, store, rows, _iris(list(identities)))
        council, labels, facts = _gather(store, identities, for_queries)
        derived = {graph: derive(facts[graph], citations=for_queries) for graph in identities}
        suspect = checking.result()
    clean = {g: i for g, i in identities.items() if g not in suspect}
    for i, (graph, triples) in staged.items():
        if graph not in clean:  # the ordinary reading gives the one-line refusal, or the plan after all
            store.remove_graph(ox.NamedNode(graph))
            out[i] = load_source(sources[i], for_queries=for_queries)
        else:
            identity = clean[graph]
            found_labels = labels.get(graph, {})
            out[i] = StagedPlan(sources[i], identity, graph, derived[graph], triples, frozenset(council.get(graph, ())),
                                found_labels.get(_SHORT_NAME) or found_labels.get(RDFS_LABEL) or identity.council)
    return out


def _suspects(store: ox.Store, rows: str, graphs: str) -> set[str]:
    """The staged graphs with a statement the trust rules might refuse (``SUSPECT``)."""
    return {row["g"].value for query in _suspect_queries(rows, graphs) for row in _select(store, query)} \
        if rows else set()


def _gather(store: ox.Store, clean: dict[str, PlanIdentity], for_queries: bool
            ) -> tuple[dict[str, set[tuple[str, str]]], dict[str, dict[str, str]], dict[str, PlanFacts]]:
    """What derivation and the manifest need of each staged plan: its council's statements and names, the facts
    of its responses and links (and its texts, for their plain copies)."""
    if not clean:
        return {}, {}, {}
    graphs = _iris(list(clean))
    council: dict[str, set[tuple[str, str]]] = defaultdict(set)
    labels: dict[str, dict[str, str]] = defaultdict(dict)
    names: dict[str, dict[str, str]] = defaultdict(dict)  # what derivation takes of the council: label, GSS code
    council_rows = " ".join(f"(<{g}> <{i.council}>)" for g, i in clean.items())
    for row in _select(store, _COUNCIL.replace("{rows}", council_rows)):
        graph, predicate, obj = row["g"].value, row["p"].value, row["o"]
        council[graph].add((predicate, str(obj)))
        if isinstance(obj, ox.Literal) and predicate in (RDFS_LABEL, _SHORT_NAME):
            labels[graph][predicate] = min(obj.value, labels[graph].get(predicate, obj.value))
        if isinstance(obj, ox.Literal) and predicate in (RDFS_LABEL, WP_NS + "gssCode"):
            names[graph][predicate] = min(obj.value, names[graph].get(predicate, obj.value))
    facts = {g: PlanFacts(i.plan) for g, i in clean.items()}
    for g, identity in clean.items():
        facts[g].council = identity.council
        facts[g].names[identity.council] = dict(names.get(g, {}))
    plan_rows = " ".join(f"(<{g}> <{i.plan}>)" for g, i in clean.items())
    inplan, addresses, local_ref = WP_NS + "inPlan", WP_NS + "addresses", WP_NS + "localReference"
    # a solution unpacks in its SELECT's order (thousands of rows: by position, not by name)
    for g, plan, r, req, local, loc, doc, file, row, line in _select(store, _FACTS.replace("{rows}", plan_rows)):
        into, response = facts[g.value], r.value
        into.add(response, inplan, plan)
        for predicate, value in ((addresses, req), (local_ref, local)):
            if value is not None:
                into.add(response, predicate, value)
        if loc is not None:
            _locate(into, response, loc, doc, file, row, line)
    has_link, linked_req, primary_link = WP_NS + "hasLink", WP_NS + "linkedRequirement", WP_NS + "primaryLink"
    for g, r, link, req, primary in _select(store, _LINKS.replace("{rows}", plan_rows)):
        into = facts[g.value]
        into.add(r.value, has_link, link)
        for predicate, value in ((linked_req, req), (primary_link, primary)):
            if value is not None:
                into.add(link.value, predicate, value)
    for row in _select(store, _TEXTS.replace("{graphs}", graphs)) if for_queries else ():
        facts[row["g"].value].add(row["s"].value, row["p"].value, row["text"])
    for g, s, loc, doc, file, row, line in _select(store, _LOCATED.replace("{graphs}", graphs)) if for_queries else ():
        if isinstance(s, ox.NamedNode):  # as PlanFacts.from_triples takes statements: about named nodes only
            _locate(facts[g.value], s.value, loc, doc, file, row, line)
    return council, labels, facts


def _locate(into: PlanFacts, node: str, loc: Any, doc: Any, file: Any, row: Any, line: Any) -> None:
    """Take in that ``node`` was read from location ``loc`` of ``doc`` (named ``file``), at ``row`` or ``line``."""
    into.add(node, PROV_DERIVED, loc)
    if isinstance(loc, ox.NamedNode):
        into.add(loc.value, WP_NS + "inDocument", doc)
        if isinstance(doc, ox.NamedNode):
            into.add(doc.value, WP_NS + "fileName", file)
        for predicate, value in ((WP_NS + "row", row), (WP_NS + "line", line)):
            if value is not None:
                into.add(loc.value, predicate, value)

