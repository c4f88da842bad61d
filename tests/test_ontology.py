"""The ontology: OWL 2 DL a reasoner accepts with the built dataset, every property with a domain and range,
SKOS vocabularies that keep the SKOS integrity conditions, councils placed in the ONS geography, bodies apart
from kinds of body.

The reasoner is HermiT, run through owlready2 (PyPI; it needs Java, which ``.ci/run`` installs).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import find_tool, write_plan_folder
from rdflib import BNode, Graph, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS

import wpgraph
from wpgraph.resources import bundled

WP = "https://w3id.org/wpgraph/ns#"
WPID = "https://w3id.org/wpgraph/id/"
XSD = "http://www.w3.org/2001/XMLSchema#"


def ontology() -> Graph:
    return Graph().parse(bundled("ontology", "wpgraph.ttl"))


def reasoner_input(graph: Graph, path: Path) -> Path:
    """The graph as N-Triples HermiT reads: no owl:imports (the standard vocabularies are declared in the
    ontology; the reasoner must not fetch anything) and xsd:date read as xsd:dateTime at midnight, because
    xsd:date is outside the OWL 2 datatype map (the ontology says so on the properties that use it)."""
    copy = Graph()
    for triple in graph:
        if triple[1] != OWL.imports:
            copy.add(triple)
    text = copy.serialize(format="nt")
    text = re.sub(r'"(\d{4}-\d\d-\d\d)"\^\^<' + re.escape(XSD) + r'date>', r'"\1T00:00:00Z"^^<' + XSD + 'dateTime>',
                  text)
    text = text.replace(f"<{XSD}date>", f"<{XSD}dateTime>")
    path.write_text(text, encoding="utf-8")
    return path


def hermit_consistent(graph: Graph, folder: Path) -> bool:
    """Whether HermiT finds the graph consistent."""
    java = find_tool("java")
    if java is None:
        pytest.fail("java is needed by the reasoner (owlready2's HermiT); .ci/run installs default-jre-headless")
    import owlready2

    owlready2.JAVA_EXE = java
    world = owlready2.World()
    # the format said, not guessed: owlready2 guesses from the first 1,000 bytes, and N-Triples whose first line
    # is longer (a long text, first in rdflib's unordered output) it takes for RDF/XML
    onto = world.get_ontology(reasoner_input(graph, folder / "dataset.nt").as_uri()).load(format="ntriples")
    try:
        with onto:
            owlready2.sync_reasoner_hermit(world, infer_property_values=False, debug=0)
    except owlready2.OwlReadyInconsistentOntologyError:
        return False
    return True


# ------------------------------------------------------------------------------------------------ the reasoner

def test_hermit_finds_the_ontology_and_the_bundled_build_consistent(built, tmp_path):
    assert hermit_consistent(built.rdflib_graph(), tmp_path)


def test_hermit_finds_a_users_plan_consistent_too(tmp_path):
    mine = write_plan_folder(tmp_path / "plans" / "borsetshire").parent
    result = wpgraph.build(plans=[mine], build=tmp_path / "build")
    with wpgraph.open_build(result.folder) as build:
        graph = build.rdflib_graph()
    assert hermit_consistent(graph, tmp_path)


def test_hermit_rejects_a_plan_whose_evidence_makes_it_a_response(built, tmp_path):
    """The disjointness has teeth: plan-level evidence written with wp:hasEvidence (domain wp:Response), as
    Leicestershire's once was, makes the plan a response, which it cannot be."""
    graph = built.rdflib_graph()
    plan = URIRef(WPID + "plan/E10000018")
    evidence = next(graph.objects(plan, URIRef(WP + "planEvidence")))
    graph.add((plan, URIRef(WP + "hasEvidence"), evidence))
    assert not hermit_consistent(graph, tmp_path)


def test_plan_level_evidence_is_the_plans_not_a_responses(dataset):
    graph = dataset.merged()
    plan = URIRef(WPID + "plan/E10000018")
    assert len(list(graph.objects(plan, URIRef(WP + "planEvidence")))) == 45
    assert not list(graph.objects(plan, URIRef(WP + "hasEvidence")))


# ------------------------------------------------------------------------------------------------ OWL 2 DL

KINDS = (OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty)


def test_every_property_of_wpgraph_has_a_domain_and_a_range_or_says_why_not():
    onto = ontology()
    missing = []
    for kind in KINDS:
        for prop in onto.subjects(RDF.type, kind):
            if not str(prop).startswith(WP):
                continue
            comment = " ".join(str(c) for c in onto.objects(prop, RDFS.comment))
            for axiom in (RDFS.domain, RDFS.range):
                if onto.value(prop, axiom) is None and "no " + axiom.fragment not in comment.lower():
                    missing.append(f"{prop} {axiom.fragment}")
    assert not missing


def test_every_property_is_of_one_kind_and_never_a_sub_property_of_another_kind():
    """OWL 2 DL keeps object, data and annotation properties apart (wp:shortName under skos:altLabel was not)."""
    onto = ontology()
    kind_of: dict[URIRef, set[URIRef]] = {}
    for kind in KINDS:
        for prop in onto.subjects(RDF.type, kind):
            kind_of.setdefault(prop, set()).add(kind)
    assert {p: k for p, k in kind_of.items() if len(k) > 1} == {}
    crossing = [(s, o) for s, o in onto.subject_objects(RDFS.subPropertyOf) if kind_of.get(s) != kind_of.get(o)]
    assert crossing == []


def test_every_property_and_class_the_dataset_uses_is_declared(dataset):
    onto = ontology()
    declared = {p for kind in KINDS for p in onto.subjects(RDF.type, kind)}
    rdf_and_owl = (str(RDF), str(RDFS), str(OWL))
    used = {p for _, p, _ in dataset.merged() if not str(p).startswith(rdf_and_owl)}
    assert sorted(used - declared) == []
    classes = set(onto.subjects(RDF.type, OWL.Class))
    typed = {o for o in dataset.merged().objects(None, RDF.type)
             if not str(o).startswith(rdf_and_owl) and not isinstance(o, BNode)}
    assert sorted(typed - classes) == []


def test_the_main_classes_are_declared_disjoint():
    onto = ontology()
    members = []
    for axiom in onto.subjects(RDF.type, OWL.AllDisjointClasses):
        members.append(set(onto.items(onto.value(axiom, OWL.members))))
    wanted = {URIRef(WP + n) for n in ("CouncilPlan", "Response", "Evidence", "Requirement", "Council", "Role")}
    assert any(wanted <= group for group in members)
    assert any({URIRef(WP + "NamedBody"), URIRef(WP + "KindOfBody")} == group for group in members)


# ------------------------------------------------------------------------------------------------ SKOS

def vocabularies() -> Graph:
    graph = Graph()
    for path in sorted(bundled("data", "vocab").glob("*.ttl")):
        graph.parse(path)
    return graph


def skos_problems(graph: Graph) -> list[str]:
    """The SKOS integrity conditions wpgraph's vocabularies must keep (SKOS Reference S13, S14, S27), and no top
    concept with a broader one (skosify's check)."""
    problems = []
    concepts = set(graph.subjects(RDF.type, SKOS.Concept))
    for concept in sorted(concepts):
        labels = {p: {(str(o), getattr(o, "language", None)) for o in graph.objects(concept, p)}
                  for p in (SKOS.prefLabel, SKOS.altLabel, SKOS.hiddenLabel)}
        pairs = ((SKOS.prefLabel, SKOS.altLabel), (SKOS.prefLabel, SKOS.hiddenLabel), (SKOS.altLabel, SKOS.hiddenLabel))
        for a, b in pairs:
            for text, _ in sorted(labels[a] & labels[b]):
                problems.append(f"{concept}: {text!r} is both {a.fragment} and {b.fragment}")
        languages = [lang for _, lang in labels[SKOS.prefLabel]]
        if len(languages) != len(set(languages)):
            problems.append(f"{concept}: two prefLabels in one language")
        if graph.value(concept, SKOS.topConceptOf) is not None and graph.value(concept, SKOS.broader) is not None:
            problems.append(f"{concept}: a top concept with a broader concept")
        if set(graph.objects(concept, SKOS.related)) & set(graph.transitive_objects(concept, SKOS.broader)):
            problems.append(f"{concept}: related to a broader concept")
    return problems


def test_the_vocabularies_keep_the_skos_integrity_conditions(dataset):
    graph = vocabularies()
    graph += dataset.graphs[URIRef(WPID + "graph/catalogue")]  # the topics scheme
    assert skos_problems(graph) == []


def test_the_skos_check_finds_a_label_clash_and_a_top_concept_with_a_broader():
    graph = vocabularies()
    role = URIRef(WPID + "role-type/DASS")
    graph.add((role, SKOS.hiddenLabel, next(graph.objects(role, SKOS.altLabel))))
    nhse = URIRef(WPID + "partner/NHSE")
    graph.add((nhse, SKOS.topConceptOf, URIRef(WPID + "scheme/partners")))
    problems = skos_problems(graph)
    assert any("role-type/DASS" in p and "altLabel and hiddenLabel" in p for p in problems)
    assert any("partner/NHSE" in p and "top concept" in p for p in problems)


# ------------------------------------------------------------------------------------------------ what it says

def test_councils_are_placed_in_their_ons_statistical_geography(dataset):
    from rdflib.namespace import DCTERMS

    graph = dataset.merged()
    rutland = URIRef(WPID + "council/E06000017")
    assert graph.value(rutland, DCTERMS.spatial) == URIRef(
        "http://statistics.data.gov.uk/id/statistical-geography/E06000017")
    councils = set(graph.subjects(RDF.type, URIRef(WP + "Council")))
    assert len(councils) == 4 and all(graph.value(c, DCTERMS.spatial) is not None for c in councils)


def test_named_bodies_are_apart_from_kinds_of_body():
    graph = vocabularies()
    named = set(graph.subjects(RDF.type, URIRef(WP + "NamedBody")))
    kinds = set(graph.subjects(RDF.type, URIRef(WP + "KindOfBody")))
    partner = WPID + "partner/"
    assert {URIRef(partner + n) for n in ("DHSC", "PHE", "CQC", "NHSE", "SfC")} <= named
    assert {URIRef(partner + n) for n in ("CCG", "PCN", "LRF", "HPT", "NHS")} <= kinds
    assert not named & kinds
    assert named | kinds == set(graph.subjects(RDF.type, URIRef(WP + "PartnerBody")))


def test_requirements_overlap_through_a_project_property_not_skos_close_match(dataset):
    graph = dataset.graphs[URIRef(WPID + "graph/catalogue")]
    assert not list(graph.triples((None, SKOS.closeMatch, None)))
    overlaps = URIRef(WP + "overlapsWith")
    assert (URIRef(WPID + "requirement/0.9"), overlaps, URIRef(WPID + "requirement/1.9")) in graph


# ------------------------------------------------------------------------------------------------ documentation

def test_the_ontology_documentation_names_every_class_and_property():
    """docs/ontology.html is generated by pyLODE (scripts/ontology-docs.sh, `make docs`) and committed: a class or
    property added to the ontology without regenerating it is missing from it."""
    html = (Path(__file__).resolve().parent.parent / "docs" / "ontology.html").read_text(encoding="utf-8")
    onto = ontology()
    terms = {s for kind in (OWL.Class, *KINDS) for s in onto.subjects(RDF.type, kind)
             if isinstance(s, URIRef) and str(s).startswith(WP)}
    assert len(terms) > 60
    assert sorted(t.fragment for t in terms if f"<code>{t}</code>" not in html) == []
