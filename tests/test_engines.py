"""Two engines, one answer: the shapes compiled to SPARQL give what pySHACL gives, and pass the W3C suite.

The fast engine (``--engine fast``) is checked three ways: against the W3C SHACL
test suite for every component it compiles (the cases it leaves to pySHACL are
listed as such, never counted as passed); against pySHACL, result for result
and message for message, on the bundled plans, on generated plans with planted
defects and on mutated templates; and by breaking its parts on purpose.
"""

from __future__ import annotations

import random
import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest
from conftest import TEMPLATE_HEADER
from w3c_shacl import load_tests, result_key

import wpgraph
from wpgraph.validation.compiler import ForbiddenSparql
from wpgraph.validation.fast_engine import compiled, run_shapes
from wpgraph.validation.pyshacl_engine import validate_plans
from wpgraph.validation.shapes import shape_triples

W3C_TESTS = load_tests()


def _canonical(text: str | None) -> str | None:
    """A literal as Oxigraph's store writes it ("4.0"^^xsd:decimal is kept as "4"): how results can be compared."""
    if text is None or not text.startswith('"'):
        return text
    store = ox.Store()
    literal = next(iter(ox.parse(f"<urn:s> <urn:p> {text} .", format=ox.RdfFormat.N_TRIPLES))).object
    store.add(ox.Quad(ox.NamedNode("urn:s"), ox.NamedNode("urn:p"), literal))
    return str(next(iter(store)).object)


@pytest.mark.parametrize("test", W3C_TESTS, ids=[t.name for t in W3C_TESTS])
def test_the_fast_engine_passes_the_w3c_shacl_test(test):
    store = ox.Store()
    store.extend(ox.Quad(q.subject, q.predicate, q.object, ox.NamedNode("urn:data")) for q in test.data)
    try:
        _, shapes = compiled(tuple(test.shapes))
    except ForbiddenSparql:
        assert test.failure, "refused shapes the suite accepts"
        return
    if shapes.delegated:
        reasons = "; ".join(r for rs in shapes.delegated.values() for r in rs)
        pytest.skip(f"not compiled, left to pySHACL: {reasons}")
    assert not test.failure, "accepted shapes the suite says an engine must refuse"
    got = {result_key(r) for r in run_shapes(store, test.shapes).results}
    expected = {(_canonical(k[0]), k[1], _canonical(k[2]), *k[3:]) for k in test.expected}
    assert got == expected


def test_the_w3c_suite_is_all_there_and_mostly_compiled():
    assert len(W3C_TESTS) == 121
    delegated = [t.name for t in W3C_TESTS if not t.failure and compiled(tuple(t.shapes))[1].delegated]
    assert len(delegated) <= 7, delegated


# ------------------------------------------------------------------------------------------------ differential

def _keys(results) -> set:
    return {(r.key(), tuple(sorted(m.value for m in r.messages))) for r in results}


def _both_engines(build_folder: Path) -> tuple[set, set]:
    with wpgraph.open_build(build_folder) as build:
        fast = run_shapes(build.store, shape_triples("all")).results
        reference = validate_plans(build, shape_triples("plan"), shape_triples("catalogue"), jobs=1)
    return _keys(fast), _keys(reference)


def test_both_engines_give_the_bundled_plans_the_same_results(bundled_build):
    fast, reference = _both_engines(bundled_build)
    assert fast == reference and len(fast) > 300


def _planted_plan(folder: Path, number: int, rng: random.Random) -> None:
    """A council's template with defects planted at random: every kind the shapes check."""
    from wpgraph.reference.catalogue import catalogue

    rows = [[f"Generated Council {number:02d}"], TEMPLATE_HEADER]
    for req in catalogue():
        if not req.is_council_requirement or rng.random() < 0.08:  # a missing requirement
            continue
        row = [req.reference, req.text, "Arrangements in place.", "Yes", "", "Head of Service", "31/12/2020"]
        defect = rng.random()
        if defect < 0.05:
            row[3:5] = ["Partly", ""]  # a gap without an action
        elif defect < 0.10:
            row[3:7] = ["No", "Recruit", "Head of Service", ""]  # a gap without a date
        elif defect < 0.14:
            row[5] = ""  # no owner
        elif defect < 0.18:
            row[3] = rng.choice(["", "Maybe"])  # no status
        elif defect < 0.22:
            row[3:7] = ["Partly", "Extend", "Head of Service", "31/02/2021"]  # a date that does not exist
        elif defect < 0.26:
            row[6] = rng.choice(["Ongoing", "2021 tbc"])  # a due text that is not a date
        elif defect < 0.30:
            row[6] = "30/06/2021"  # due after the plan
        elif defect < 0.33:
            row[2] = ""  # met, with nothing in place
        elif defect < 0.35:
            row[1] = "Something no requirement asks for at all"  # an unmatched row
        rows.append(row)
        if rng.random() < 0.03:
            rows.append(list(row))  # a repeated row
    folder.mkdir(parents=True)
    import csv

    with (folder / "template.csv").open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows(rows)
    (folder / "plan.toml").write_text(f'council = "Generated Council {number:02d}"\ngss = "E9{number:07d}"\n'
                                      'format = "template"\nfile = "template.csv"\n', encoding="utf-8")


def test_both_engines_agree_on_50_plans_with_planted_defects(tmp_path):
    rng = random.Random(2020)
    for number in range(50):
        _planted_plan(tmp_path / "plans" / f"council-{number:02d}", number, rng)
    wpgraph.build([tmp_path / "plans"], build=tmp_path / "build")
    fast, reference = _both_engines(tmp_path / "build")
    assert fast == reference
    shapes = {key[0][3] for key in fast}
    assert len(shapes) >= 10  # the defects reach every kind of shape


MUTATIONS = {
    "owners removed": lambda cells: cells[:5] + [""] + cells[6:],
    "statuses removed": lambda cells: cells[:3] + [""] + cells[4:],
    "every row partly met": lambda cells: cells[:3] + ["Partly"] + cells[4:],
    "dates made impossible": lambda cells: cells[:6] + ["30/02/2021"] + cells[7:],
    "current status removed": lambda cells: cells[:2] + [""] + cells[3:],
}


@pytest.mark.parametrize("mutation", sorted(MUTATIONS))
def test_both_engines_agree_on_a_mutated_bundled_template(tmp_path, mutation):
    import csv

    from wpgraph.resources import bundled

    folder = tmp_path / "plans" / "rutland"
    shutil.copytree(bundled("data", "plans", "rutland"), folder)
    with (folder / "template.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    mutate = MUTATIONS[mutation]
    rows = [mutate(r) if len(r) >= 7 and r[0][:1].isdigit() else r for r in rows]
    with (folder / "template.csv").open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(rows)
    wpgraph.build([tmp_path / "plans"], build=tmp_path / "build")
    fast, reference = _both_engines(tmp_path / "build")
    assert fast == reference


def test_a_shape_the_compiler_does_not_cover_is_validated_by_pyshacl_with_a_note():
    """Never skipped silently: the shape goes to pySHACL, and the outcome says so."""
    test = next(t for t in W3C_TESTS if t.name.endswith("property/datatype-ill-formed"))
    store = ox.Store()
    store.extend(ox.Quad(q.subject, q.predicate, q.object, ox.NamedNode("urn:data")) for q in test.data)
    outcome = run_shapes(store, test.shapes, data=test.data)
    assert outcome.notes and "validated by pySHACL" in outcome.notes[0] and "xsd:byte" not in outcome.notes[0]
    assert "XMLSchema#byte" in outcome.notes[0]
    assert {result_key(r) for r in outcome.results} == test.expected


def test_a_shape_neither_engine_covers_is_an_input_error_not_a_traceback():
    test = next(t for t in W3C_TESTS if t.name.endswith("pre-binding/shapesGraph-001"))
    store = ox.Store()
    store.extend(ox.Quad(q.subject, q.predicate, q.object, ox.NamedNode("urn:data")) for q in test.data)
    with pytest.raises(wpgraph.InputError, match=r"\$shapesGraph"):
        run_shapes(store, test.shapes)


def test_validate_reports_which_engine_made_it(bundled_build):
    fast = wpgraph.validate(build=bundled_build)
    reference = wpgraph.validate(build=bundled_build, engine="pyshacl")
    assert [f.as_dict() for f in fast.results] == [f.as_dict() for f in reference.results]
    assert [p.as_dict() for p in fast.plans] == [p.as_dict() for p in reference.plans]
    assert any("pySHACL" in note for note in reference.notes) and not fast.notes


@pytest.mark.parametrize("engine", ["fast", "pyshacl"])
def test_a_requirement_without_its_text_is_found_by_either_engine(tmp_path, monkeypatch, engine):
    """The catalogue is checked too (on the reference graphs, as the package ships them): a requirement that
    lost its wording is a violation, whichever engine runs."""
    from wpgraph.dataset import build as build_module
    from wpgraph.dataset import reference
    from wpgraph.validation.run import validate_build

    requirement = ox.NamedNode("https://w3id.org/wpgraph/id/requirement/1.1")
    text = ox.NamedNode("https://w3id.org/wpgraph/ns#text")
    broken = tuple(reference.ReferenceGraph(g.name, tuple(t for t in g.triples
                                                          if not (t.subject == requirement and t.predicate == text)))
                   for g in reference.reference_graphs())
    monkeypatch.setattr(build_module, "reference_graphs", lambda: broken)
    wpgraph.build(build=tmp_path / "build")
    with wpgraph.open_build(tmp_path / "build") as build:
        report = validate_build(build, engine=engine, use_cache=False)
    found = [f for f in report.results if f.focus == requirement.value]
    assert [(f.severity, f.shape.rsplit("#", 1)[-1], f.plan) for f in found] == \
        [("violation", "RequirementText", None)], found
