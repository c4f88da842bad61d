"""Plan files checked on their own are loaded by the store itself (``wpgraph.dataset.staging``).

An officer runs ``wpgraph validate mine.ttl``: the answer must be the one the
ordinary reading gives, finding for finding, whether the file is Turtle or
N-Triples, clean or hostile. The fast path may only ever be slower, never more
lenient (the hostile cases are in test_build.py and run through both paths).
"""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest
from conftest import ROWS_TAKING_IN_1_14, write_template

import wpgraph
from wpgraph.cli.main import main
from wpgraph.dataset import staging
from wpgraph.dataset.build import temporary_build
from wpgraph.dataset.sources import Source
from wpgraph.validation.run import validate_build


@pytest.fixture(scope="module")
def my_plan_files(tmp_path_factory) -> list[Path]:
    """A user's own template, imported to Turtle, and the same plan as N-Triples; and a bundled plan."""
    folder = tmp_path_factory.mktemp("mine")
    template = write_template(folder / "mine.csv")
    turtle = folder / "mine.ttl"
    assert main(["import", str(template), "--council", "Borsetshire County Council", "--gss", "E10000099",
                 "-o", str(turtle)]) == 0
    triples = ox.parse(path=str(turtle), format=ox.RdfFormat.TURTLE, base_iri=turtle.resolve().as_uri())
    other = folder / "other.nt"
    text = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES).decode().replace("E10000099", "E10000098")
    other.write_text(text, encoding="utf-8")
    return [turtle, other]


def _what_a_build_knows(sources: list[Source]) -> tuple:
    with temporary_build(sources) as build:
        entries = sorted((e.plan, e.council, e.council_label, e.triples, e.council_statements, e.derived_triples)
                         for e in build.plans)
        indexes = {plan: index.to_json() for plan, index in build.plan_indexes().items()}
        derived = sorted(str(q.subject) + str(q.predicate) + str(q.object) for e in build.plans
                         for q in build.triples(e.derived_graph))
        own = sorted(str(q.subject) + str(q.predicate) + str(q.object) for e in build.plans
                     for q in build.triples(e.graph))
        findings = [f.as_dict() for f in validate_build(build).results]
        kinds = sorted(type(p).__name__ for p in build.loaded)
    return entries, indexes, derived, own, findings, kinds


def test_a_plan_file_read_by_the_store_gives_what_the_ordinary_reading_gives(my_plan_files, monkeypatch):
    sources = [Source(path, "rdf") for path in my_plan_files]
    fast = _what_a_build_knows(sources)
    monkeypatch.setattr(staging, "STAGED_SUFFIXES", ())
    ordinary = _what_a_build_knows(sources)
    assert fast[-1] == ["StagedPlan", "StagedPlan"] and ordinary[-1] == ["LoadedPlan", "LoadedPlan"]
    assert fast[:-1] == ordinary[:-1]
    assert fast[4], "the user's template has findings to compare"


def test_validating_the_same_files_twice_gives_the_same_report(my_plan_files):
    first = wpgraph.validate(my_plan_files)
    second = wpgraph.validate(my_plan_files)
    assert [f.as_dict() for f in first.results] == [f.as_dict() for f in second.results]
    assert [p.as_dict() for p in first.plans] == [p.as_dict() for p in second.plans]


def test_a_statement_the_fast_check_doubts_is_read_again_and_accepted_when_allowed(my_plan_files, tmp_path):
    """A source document whose file name is percent-encoded in its IRI: the fast check cannot decode it, so the
    ordinary reading decides (and accepts it, as the IRI implies the name)."""
    plan = tmp_path / "encoded.ttl"
    document = "https://w3id.org/wpgraph/id/source/my%20plan.csv"
    text = my_plan_files[0].read_text(encoding="utf-8")
    plan.write_text(text + f'\n<{document}> <https://w3id.org/wpgraph/ns#fileName> "my plan.csv" .\n', encoding="utf-8")
    with temporary_build([Source(plan, "rdf")]) as build:
        assert [type(p).__name__ for p in build.loaded] == ["LoadedPlan"]
        assert build.plans[0].council_label == "Borsetshire County Council"
        # what the store staged of the doubted file, and derived from it, left with it
        held = {quad.graph_name.value for quad in build.store}
        assert held == set(build.manifest.graphs()), held - set(build.manifest.graphs())


def test_a_plan_file_with_merged_rows_keeps_its_secondary_links_through_the_store(tmp_path, monkeypatch):
    """Two rows that both take in 1.14 (directing providers to vaccination venues): read by the store or the
    ordinary way, 1.14 is answered and neither row repeats the other."""
    template = write_template(tmp_path / "merged.csv", ROWS_TAKING_IN_1_14)
    turtle = tmp_path / "merged.ttl"
    assert main(["import", str(template), "--council", "Borsetshire County Council", "--gss", "E10000099",
                 "-o", str(turtle)]) == 0
    sources = [Source(turtle, "rdf")]
    fast = _what_a_build_knows(sources)
    monkeypatch.setattr(staging, "STAGED_SUFFIXES", ())
    assert fast[:-1] == _what_a_build_knows(sources)[:-1]
    [index] = fast[1].values()
    assert index["coverage"]["1.14"] == "direct" and len(index["answers"]["1.14"]) == 2
    assert not any("repeats" in triple for triple in fast[2])
