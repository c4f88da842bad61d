"""One coverage: the build derives it once (docs/model.md, "Completeness: how coverage counts"), and validate's
score, `query coverage`, `query requirement` and `query compare` all read it, so they agree on every plan."""

from __future__ import annotations

import pytest
from conftest import write_plan_folder

import wpgraph
from wpgraph.model.derived import council_requirements

KIND_LABELS = {"direct": "answered", "credited": "credited", "partly": "partly credited", "none": "not answered"}


def _totals(rows: list[dict]) -> dict[str, int]:
    return {key: sum(int(r[key]) for r in rows) for key in ("required", "answered", "direct", "credited", "partly")}


def assert_validate_and_queries_agree(build) -> list[str]:
    report = wpgraph.validate(build=build)
    assert report.plans
    for plan in report.plans:
        totals = _totals(wpgraph.query("coverage", build=build, council=plan.gss))
        assert totals == {"required": plan.required, "answered": plan.addressed, "direct": plan.direct,
                          "credited": plan.credited, "partly": plan.partly}, plan.council
    with wpgraph.open_build(build) as opened:
        indexes = {index.gss: index for index in opened.plan_indexes().values()}
    for reference in council_requirements():
        for row in wpgraph.query("requirement", build=build, ref=reference):
            index = next(i for i in indexes.values() if row["council"] in i.council)
            assert row["coverage"] == KIND_LABELS[index.coverage[reference]], (reference, row["council"])
    for gss, index in indexes.items():  # compare: a requirement a council gave no response to shows its own coverage
        for row in wpgraph.query("compare", build=build, a=gss, b=gss):
            if row["localRefA"] is None and row["statusA"] in KIND_LABELS.values():
                assert row["statusA"] == KIND_LABELS[index.coverage[row["requirement"]]], (row, gss)
    return [p.council for p in report.plans]


def test_validate_and_query_coverage_agree_on_every_bundled_council(bundled_build):
    councils = assert_validate_and_queries_agree(bundled_build)
    assert len(councils) == 4


def test_validate_and_query_coverage_agree_on_a_users_own_plan(tmp_path):
    """Given Borsetshire's template answering 1.1-1.5 and 4.3, with 1.4 and 4.3 both answered 0.5 (the Infection
    Control Fund) is credited, 0.6 (guidance, through 1.1) too; validate and the queries say the same."""
    folder = write_plan_folder(tmp_path / "borsetshire", rows=[{"ref": f"1.{i}"} for i in range(1, 6)]
                               + [{"ref": "4.3"}]).parent
    build = tmp_path / "build"
    wpgraph.build([folder], build=build)
    [council] = assert_validate_and_queries_agree(build)
    [plan] = wpgraph.validate(build=build).plans
    assert council == "Borsetshire County Council"
    assert (plan.direct, plan.credited) == (6, 2)


@pytest.mark.parametrize("reference,kind", [("0.12", "partly"), ("0.13", "credited"), ("0.4", "partly"),
                                            ("0.1", "none"), ("1.14", "direct")])
def test_rutland_without_section_0_is_credited_only_through_every_overlap_it_answers(bundled_build, reference,
                                                                                      kind):
    """0.12 overlaps 2.3 and 2.4 only in part (partly, though Rutland answers both); 0.13 is 3.1 and 3.2, both
    answered (credited); 0.4 overlaps 3.29 and 3.30 in part; 0.1 has no detailed twin; 1.14 is answered by the row
    1.15 that also directs providers to vaccination venues."""
    rows = wpgraph.query("requirement", build=bundled_build, ref=reference)
    assert next(r for r in rows if r["council"] == "Rutland")["coverage"] == KIND_LABELS[kind]


def test_every_overlap_carries_its_reason_into_the_graph(dataset):
    from rdflib.namespace import RDF

    from wpgraph.namespaces import WP
    from wpgraph.reference.catalogue import overlaps

    graph = dataset.merged()
    nodes = list(graph.subjects(RDF.type, WP.RequirementOverlap))
    assert len(nodes) == len(overlaps()) > 20
    for node in nodes:
        assert str(graph.value(node, WP.overlapReason)).strip()
        assert str(graph.value(node, WP.overlapExtent)) in ("full", "partial")
        assert len(set(graph.objects(node, WP.overlapOf))) == 2
