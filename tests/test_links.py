"""Rows that answer several requirements: each link from a row to a requirement carries its method, its score and
whether it is the row's primary requirement; secondary links count for coverage and are never forced."""

from __future__ import annotations

import pytest
from conftest import ROWS_TAKING_IN_1_14, seed_text, write_template
from rdflib import Literal
from rdflib.namespace import RDF

from wpgraph.align import FURTHER_MATCH, align_plan
from wpgraph.entrypoints import import_template
from wpgraph.ingest.template_plan import read_template_plan
from wpgraph.model.plan import plan_graph
from wpgraph.namespaces import WP, WPID

# (council, the row's own reference or key, the seed and line its text starts on, words the seed has there,
#  primary requirement, further requirement)
MERGED_ROWS = [
    ("Rutland", "1.15", "001_668a3734a83c0d44.txt", 56, "including directing providers to local vaccination venues",
     "1.13", "1.14"),
    ("Leicestershire", "pair-11", "000_a2021ea3f0993287.txt", 84, "to rapidly complete deferred assessments",
     "2.3", "2.4"),
    ("Leicestershire", "pair-12", "000_a2021ea3f0993287.txt", 99, "impose visiting restrictions if local",
     "3.1", "3.2"),
    ("Leicestershire", "pair-14", "000_a2021ea3f0993287.txt", 120, "work with services that may have closed",
     "3.5", "3.8"),
]
GSS = {"Rutland": "E06000017", "Leicestershire": "E10000018"}


def _words(text: str) -> str:
    return " ".join(text.split())


@pytest.mark.parametrize("council,row,seed,line,words,primary,further", MERGED_ROWS, ids=[m[1] for m in MERGED_ROWS])
def test_a_merged_row_answers_its_primary_requirement_and_the_one_it_takes_in(plans, dataset, council, row, seed,
                                                                             line, words, primary, further):
    """Given a row whose seed text runs two template actions together, it answers both: the primary link by its
    best match, a secondary link for the other, each with method and score, in the record and in the graph."""
    run = _words(" ".join(seed_text(seed)[line - 1: line + 6]))
    assert words in run  # the seed itself says the second action
    response = next(r for r in plans[council].responses if (r.local_ref or r.key) == row)
    assert response.alignment.requirement == primary
    assert [(link.requirement, link.primary) for link in response.alignment.links] == [(primary, True),
                                                                                       (further, False)]
    assert response.alignment.further[0].score >= FURTHER_MATCH
    graph = dataset.graphs[WPID[f"graph/plan/{GSS[council]}"]]
    node = next(n for n in graph.subjects(WP.text, Literal(response.action_text))
                if (n, RDF.type, WP.Response) in graph)
    links = {str(graph.value(link, WP.linkedRequirement)).rsplit("/", 1)[1]:
             (graph.value(link, WP.primaryLink).toPython(), str(graph.value(link, WP.alignmentMethod)),
              float(graph.value(link, WP.alignmentScore)))
             for link in graph.objects(node, WP.hasLink)}
    assert set(links) == {primary, further}
    assert links[primary][0] is True and links[further][0] is False
    assert links[further][1] == "text" and links[further][2] == response.alignment.further[0].score
    assert {str(r).rsplit("/", 1)[1] for r in graph.objects(node, WP.addresses)} == {primary, further}


def test_secondary_links_are_never_forced_on_the_bundled_plans(plans):
    """Only the four merged rows answer more than one requirement; every other row answers exactly one."""
    found = sorted((council, r.local_ref or r.key, link.requirement) for council, plan in plans.items()
                   for r in plan.responses if r.alignment for link in r.alignment.further)
    assert found == sorted((m[0], m[1], m[6]) for m in MERGED_ROWS)


def test_a_secondary_link_counts_for_coverage(bundled_build):
    """Rutland answers 1.14 through its row 1.15, and Leicestershire 2.4, 3.2 and 3.8 through its merged rows:
    none of them is reported missing."""
    from wpgraph.dataset.build import open_build

    with open_build(bundled_build) as build:
        coverage = {index.council: index.coverage for index in build.plan_indexes().values()}
    assert coverage["Rutland County Council"]["1.14"] == "direct"
    assert {coverage["Leicestershire County Council"][r] for r in ("2.4", "3.2", "3.8")} == {"direct"}


def test_a_users_merged_row_answers_both_requirements_and_a_second_row_is_not_a_repeat(tmp_path):
    """Given Borsetshire's row 1.13 that also directs providers to vaccination venues (1.14), and a row 1.15, the
    row answers 1.13 and 1.14; a requirement another row answers as its primary one is never a secondary link."""
    path = write_template(tmp_path / "borsetshire.csv", [
        {"ref": "1.13", "action": "Support communications campaigns encouraging eligible staff and people who "
                                  "receive care to receive a free flu vaccine, including directing providers to "
                                  "local vaccination venues."},
        {"ref": "1.15"}])
    plan = import_template(path, council="Borsetshire County Council")
    links = {(r.local_ref, link.requirement, link.primary) for r in plan.responses for link in r.alignment.links}
    assert links == {("1.13", "1.13", True), ("1.13", "1.14", False), ("1.15", "1.15", True)}
    path = write_template(tmp_path / "with-1.14.csv", [{"ref": "1.13", "action": plan.responses[0].action_text},
                                                       {"ref": "1.14"}])
    record = align_plan(read_template_plan(path, council="Borsetshire County Council"))
    assert [link.requirement for r in record.responses for link in r.alignment.links] == ["1.13", "1.14"]


def test_two_rows_that_both_take_in_a_requirement_do_not_repeat_each_other(tmp_path):
    """Rows repeat each other only by their primary requirements: two merged rows that both also direct providers
    to vaccination venues (1.14) both answer it, and neither is a repeated row."""
    import pyoxigraph as ox

    from wpgraph.model.derived import PlanFacts, derive

    path = write_template(tmp_path / "borsetshire.csv", ROWS_TAKING_IN_1_14)
    record = import_template(path, council="Borsetshire County Council")
    assert [[link.requirement for link in r.alignment.links] for r in record.responses] == [["1.13", "1.14"],
                                                                                           ["1.15", "1.14"]]
    triples = list(ox.parse(plan_graph(record).serialize(format="nt").encode(), ox.RdfFormat.N_TRIPLES))
    derived = derive(PlanFacts.from_triples(triples, record.iri))
    assert [t for t in derived.triples if t.predicate.value == str(WP.repeats)] == []
    assert derived.index.coverage["1.14"] == "direct" and len(derived.index.answers["1.14"]) == 2


def test_rows_aligned_only_thanks_to_their_topic_heading_say_so(plans):
    """Rutland's reworded PPE rows (the December 2020 revision) stand under "Personal protective equipment (PPE)";
    their text alone falls short of the threshold, and their method says the heading decided."""
    rutland = {r.local_ref: r.alignment for r in plans["Rutland"].responses}
    assert [(rutland[ref].requirement, rutland[ref].method) for ref in ("1.10", "1.11", "1.12")] == [
        ("1.9", "topic"), ("1.9", "topic"), ("1.10", "topic")]
    assert all(a.method != "topic" for ref, a in rutland.items() if ref not in ("1.10", "1.11", "1.12"))


def test_a_hand_edited_link_that_does_not_say_whether_it_is_primary_is_reported_on_its_row(tmp_path):
    """Given a user's imported plan whose secondary link lost its wp:primaryLink, validate reports one violation,
    naming the requirement (1.14) and the row it came from."""
    import wpgraph

    path = write_template(tmp_path / "merged.csv", [
        {"ref": "1.13", "action": "Support communications campaigns encouraging eligible staff and people who "
                                  "receive care to receive a free flu vaccine, including directing providers to "
                                  "local vaccination venues."}])
    plan = import_template(path, council="Borsetshire County Council", gss="E10000099")
    graph = plan_graph(plan)
    link = next(s for s in graph.subjects(WP.primaryLink, Literal(False)))
    graph.remove((link, WP.primaryLink, None))
    edited = tmp_path / "edited.ttl"
    edited.write_text(graph.serialize(format="turtle"), encoding="utf-8")
    report = wpgraph.validate([edited])
    [finding] = [f for f in report.results if f.shape.endswith("LinkSaysWhetherPrimary")]
    assert finding.severity == "violation" and finding.requirement == "1.14" and finding.local_ref == "1.13"
    assert finding.source == "merged.csv:4"
