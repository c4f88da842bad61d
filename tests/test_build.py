"""`wpgraph build`: one pipeline from sources to the dataset, read by every other command, behind a trust boundary."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import write_plan_folder, write_template

import wpgraph
from wpgraph.resources import bundled

WPID = "https://w3id.org/wpgraph/id/"
WP = "https://w3id.org/wpgraph/ns#"


def snapshot(build: Path) -> dict[str, bytes]:
    """What a build folder says to its readers: the TriG and the manifest."""
    return {name: (build / name).read_bytes() for name in ("wpgraph.trig", "manifest.json")}


# ------------------------------------------------------------------------------------------------ the pipeline

def test_build_twice_gives_byte_identical_files_with_a_graph_per_source(run_cli, tmp_path):
    code1, out1, _ = run_cli("build", "--build", tmp_path / "a")
    # the second in a process of its own: nothing cached (the parsed ontology's blank nodes) is shared
    code2 = subprocess.run([sys.executable, "-m", "wpgraph", "build", "--build", str(tmp_path / "b")],
                           capture_output=True, check=False).returncode
    assert code1 == code2 == 0
    assert snapshot(tmp_path / "a")["wpgraph.trig"] == snapshot(tmp_path / "b")["wpgraph.trig"]
    for graph in ("graph/ontology", "graph/catalogue", "graph/vocab/partners", "graph/plan/E06000017",
                  "graph/plan/E09000032", "graph/plan/E06000049", "graph/plan/E10000018"):
        assert f"{WPID}{graph} " in out1, graph
    assert (tmp_path / "a" / "store").is_dir()


def test_the_manifest_names_every_input_with_its_digest_graph_and_triples(bundled_build):
    from importlib.metadata import version

    manifest = json.loads((bundled_build / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["wpgraph"] == version("wpgraph")
    paths = {entry["path"] for entry in manifest["inputs"]}
    assert "bundled:data/plans/rutland/plan.toml" in paths and len(paths) == 4
    for entry in manifest["inputs"] + manifest["reference"]:
        assert len(entry["sha256"]) == 64 and entry["graph"].startswith(WPID + "graph/") and entry["triples"] > 0
    import pyoxigraph as ox

    counted: dict[str, int] = {}
    for quad in ox.parse(path=bundled_build / "wpgraph.trig"):
        counted[quad.graph_name.value] = counted.get(quad.graph_name.value, 0) + 1
    expected = {e["graph"]: e["triples"] for e in manifest["inputs"] + manifest["reference"]}
    expected |= {e["derived_graph"]: e["derived_triples"] for e in manifest["inputs"]}
    expected[manifest["description_graph"]] = manifest["description_triples"]
    assert counted == expected


def _description(build: Path):
    import pyoxigraph as ox

    return [q for q in ox.parse(path=build / "wpgraph.trig") if q.graph_name.value == WPID + "graph/description"]


def test_the_build_describes_itself_in_void_dcat_and_prov(bundled_build):
    """Each named graph with its triple count and its files' sha256, the Open Government Licence, and the build
    as a PROV activity of this version of wpgraph: in the dataset itself, beside the manifest."""
    import hashlib
    from importlib.metadata import version

    import pyoxigraph as ox

    quads = _description(bundled_build)
    facts = {(q.subject.value, q.predicate.value): q.object for q in quads}
    counted: dict[str, int] = {}
    for quad in ox.parse(path=bundled_build / "wpgraph.trig"):
        counted[quad.graph_name.value] = counted.get(quad.graph_name.value, 0) + 1
    void, dct, prov, spdx = ("http://rdfs.org/ns/void#", "http://purl.org/dc/terms/", "http://www.w3.org/ns/prov#",
                             "http://spdx.org/rdf/terms#")
    for graph, count in counted.items():
        if graph != WPID + "graph/description":
            assert int(facts[(graph, void + "triples")].value) == count, graph
    dataset = WPID + "dataset"
    assert facts[(dataset, dct + "license")].value == \
        "http://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/"
    assert facts[(WPID + "graph/plan/E06000017", dct + "license")] == facts[(dataset, dct + "license")]
    build = facts[(dataset, prov + "wasGeneratedBy")].value
    assert any(q.subject.value == build and q.object.value == prov + "Activity" for q in quads)
    agent = facts[(build, prov + "wasAssociatedWith")].value
    assert facts[(agent, "http://www.w3.org/2002/07/owl#versionInfo")].value == version("wpgraph")
    # Rutland's graph names its files and the seed document it was read from, each with its sha256
    sources = {q.object.value for q in quads if q.subject.value == WPID + "graph/plan/E06000017"
               and q.predicate.value == dct + "source"}
    seed = WPID + "source/001_668a3734a83c0d44.txt"
    template = WPID + "input/bundled/data/plans/rutland/template.csv"
    assert {seed, template} <= sources
    for iri, path in ((seed, bundled("data", "sources", "001_668a3734a83c0d44.txt")),
                      (template, bundled("data", "plans", "rutland", "template.csv"))):
        checksum = facts[(iri, spdx + "checksum")].value
        assert facts[(checksum, spdx + "checksumValue")].value == hashlib.sha256(path.read_bytes()).hexdigest()


def test_the_description_follows_a_users_plan_and_its_changes(tmp_path):
    import hashlib

    plan = write_plan_folder(tmp_path / "plans" / "borsetshire")
    template = plan.parent / "template.csv"
    build = tmp_path / "build"

    def checksum_of_template() -> str:
        quads = _description(build)
        sources = [q.object.value for q in quads if q.subject.value == WPID + "graph/plan/E10000099"
                   and q.object.value.endswith("borsetshire/template.csv")]
        checksum = next(q.object.value for q in quads if q.subject.value == sources[0]
                        and q.predicate.value.endswith("#checksum"))
        return next(q.object.value for q in quads if q.subject.value == checksum
                    and q.predicate.value.endswith("#checksumValue"))

    wpgraph.build([plan.parent], build=build)
    assert checksum_of_template() == hashlib.sha256(template.read_bytes()).hexdigest()
    template.write_text(template.read_text(encoding="utf-8").replace("Complete", "Done"), encoding="utf-8")
    wpgraph.build([plan.parent], build=build)
    assert checksum_of_template() == hashlib.sha256(template.read_bytes()).hexdigest()


def test_a_users_template_flows_through_build_validate_query_and_export(run_cli, tmp_path):
    mine = write_plan_folder(tmp_path / "plans" / "borsetshire").parent
    build = tmp_path / "build"
    code, _, err = run_cli("build", "--plans", mine, "--bundled", "--build", build)
    assert code == 0, err
    code, out, err = run_cli("query", "coverage", "--param", "council=Borsetshire", "--build", build,
                             "--format", "json")
    assert code == 0, err
    rows = json.loads(out)
    assert {r["council"] for r in rows} == {"Borsetshire"}
    assert next(r for r in rows if r["theme"] == 1)["met"] == 5
    code, out, _ = run_cli("query", "coverage", "--build", build, "--format", "csv")
    assert {line.split(",")[0] for line in out.splitlines()[1:]} == {
        "Borsetshire", "Cheshire East", "Leicestershire", "Rutland", "Wandsworth"}
    code, out, _ = run_cli("validate", "--build", build, "--summary")
    assert code == 1 and "Borsetshire County Council" in out and "5 plan(s)" in out
    code, _, err = run_cli("export", "--format", "graphml", "--view", "coverage", "--council", "Borsetshire",
                           "--build", build, "-o", tmp_path / "mine.graphml")
    assert code == 0, err
    assert "Borsetshire" in (tmp_path / "mine.graphml").read_text(encoding="utf-8")


def test_every_node_of_a_users_template_is_cited_by_its_file_and_row(tmp_path):
    # the citation a query shows ("file:row") is derived by the build from the plan's own locations: one for each
    # node read from the template, naming the row it came from
    write_plan_folder(tmp_path / "plans" / "borsetshire")
    for _ in range(2):
        wpgraph.build([tmp_path / "plans"], build=tmp_path / "build")
        with wpgraph.open_build(tmp_path / "build") as built:
            entry = built.plans[0]
            own, derived = list(built.triples(entry.graph)), list(built.triples(entry.derived_graph))
        rows = {q.subject.value: int(q.object.value) for q in own if q.predicate.value == WP + "row"}
        read_from = {q.subject.value: rows[q.object.value] for q in own
                     if q.predicate.value == "http://www.w3.org/ns/prov#wasDerivedFrom" and q.object.value in rows}
        cited = [(q.subject.value, q.object.value) for q in derived if q.predicate.value == WP + "citation"]
        assert len(read_from) > 5 and len(cited) == len(read_from)
        assert dict(cited) == {node: f"plans/borsetshire/template.csv:{row}" for node, row in read_from.items()}


def test_query_reads_the_build_it_is_given_not_a_default_one(run_cli, tmp_path):
    mine = write_plan_folder(tmp_path / "plans" / "borsetshire").parent
    assert run_cli("build", "--plans", mine, "--build", tmp_path / "x")[0] == 0
    code, out, _ = run_cli("query", "coverage", "--build", tmp_path / "x", "--format", "csv")
    assert code == 0 and {line.split(",")[0] for line in out.splitlines()[1:]} == {"Borsetshire"}


def test_a_changed_plan_replaces_only_its_own_graph(tmp_path):
    plans = tmp_path / "plans"
    write_plan_folder(plans / "borsetshire")
    shutil.copytree(bundled("data", "plans", "wandsworth"), plans / "wandsworth")
    build = tmp_path / "build"
    first = wpgraph.build([plans], build=build)
    assert first.full and len(first.manifest.inputs) == 2
    unchanged = wpgraph.build([plans], build=build)
    assert not unchanged.full and unchanged.loaded == [] and snapshot(build) == snapshot(build)
    with wpgraph.open_build(build) as before:
        wandsworth_before = sorted(str(q) for q in before.triples(WPID + "graph/plan/E09000032"))
    write_template(plans / "borsetshire" / "template.csv", [{"ref": "1.1", "met": "No", "gaps": "Recruit",
                                                             "when": "31/12/2020"}])
    refreshed = wpgraph.build([plans], build=build)
    assert not refreshed.full and refreshed.loaded == [WPID + "graph/plan/E10000099"]
    with wpgraph.open_build(build) as after:
        assert sorted(str(q) for q in after.triples(WPID + "graph/plan/E09000032")) == wandsworth_before
        statuses = wpgraph.run_sparql(wpgraph.queries.registry.get_query("council-responses"),
                                      {"council": "E10000099"}, build=build)
        assert [r["status"] for r in statuses] == ["not-met"]
    wpgraph.build([plans], build=tmp_path / "fresh")
    assert snapshot(build)["wpgraph.trig"] == snapshot(tmp_path / "fresh")["wpgraph.trig"]


def test_a_refresh_made_to_read_leaves_the_compaction_to_wpgraph_build(tmp_path, monkeypatch):
    # a refresh writes the changed plan into small files beside the compacted ones, which every look-up of a
    # query then visits too: a command that only reads does not wait for the compaction, wpgraph build does it
    from wpgraph.dataset import build as writing
    from wpgraph.dataset.manifest import read_manifest

    compacted: list[Path] = []
    compact = writing._compact
    monkeypatch.setattr(writing, "_compact", lambda folder: (compacted.append(folder), compact(folder)))
    plans, build = tmp_path / "plans", tmp_path / "build"
    write_plan_folder(plans / "borsetshire")
    wpgraph.build([plans], build=build)
    assert read_manifest(build).compacted and compacted == []  # a fresh store is compacted as it is written
    write_plan_folder(plans / "borsetshire", rows=[{"ref": "1.1", "met": "No"}, {"ref": "1.2"}])
    with wpgraph.open_build(build) as built:
        assert not built.manifest.compacted and compacted == []
        assert {q.object.value for q in built.triples(built.plans[0].graph)} >= {WPID + "status/not-met"}
    for _ in range(2):
        result = wpgraph.build([plans], build=build)  # nothing to read again, but the store to compact, once
        assert not result.loaded and read_manifest(build).compacted and compacted == [build]
    write_plan_folder(plans / "borsetshire", rows=[{"ref": "1.1"}, {"ref": "1.2"}])
    assert wpgraph.build([plans], build=build).loaded and compacted == [build, build]


def test_a_command_refreshes_a_build_whose_input_changed(run_cli, tmp_path):
    plans = tmp_path / "plans"
    write_plan_folder(plans / "borsetshire")
    build = tmp_path / "build"
    assert run_cli("build", "--plans", plans, "--build", build)[0] == 0
    write_template(plans / "borsetshire" / "template.csv", [{"ref": f"1.{i}"} for i in range(1, 4)])
    code, out, _ = run_cli("query", "council-responses", "--param", "council=Borsetshire", "--build", build,
                           "--format", "csv")
    assert code == 0 and len(out.splitlines()) == 1 + 3


def test_a_removed_plan_leaves_the_build(tmp_path):
    plans = tmp_path / "plans"
    write_plan_folder(plans / "borsetshire")
    write_plan_folder(plans / "wessex", council="Wessex Council", short_name="Wessex", gss="E10000098")
    build = tmp_path / "build"
    wpgraph.build([plans], build=build)
    shutil.rmtree(plans / "wessex")
    result = wpgraph.build([plans], build=build)
    assert result.dropped == [WPID + "graph/plan/E10000098"]
    assert "E10000098" not in snapshot(build)["wpgraph.trig"].decode("utf-8")


def test_a_malformed_turtle_plan_stops_the_build_naming_file_and_line(run_cli, tmp_path):
    plans = tmp_path / "plans"
    plans.mkdir()
    (plans / "broken.ttl").write_text("@prefix wp: <https://w3id.org/wpgraph/ns#> .\n\nwp:a wp:b wp:c ;\n  .  .\n")
    out = tmp_path / "out"
    code, _, err = run_cli("build", "--plans", plans, "--build", out)
    assert code == 2
    assert "broken.ttl" in err and "line 4" in err and len(err.strip().splitlines()) == 1
    assert "Traceback" not in err
    assert not (out / "wpgraph.trig").exists() and not (out / "manifest.json").exists()


def test_a_failed_build_leaves_the_previous_build_untouched(run_cli, tmp_path):
    out = tmp_path / "out"
    assert run_cli("build", "--build", out)[0] == 0
    before = snapshot(out)
    plans = tmp_path / "plans"
    plans.mkdir()
    (plans / "bad.ttl").write_text("<a> <b> .\n")
    assert run_cli("build", "--plans", plans, "--build", out)[0] == 2
    assert snapshot(out) == before
    assert not [p for p in out.iterdir() if p.name.endswith(".tmp")]  # no temporary file left behind


def test_a_plans_folder_that_does_not_exist_is_an_error_not_an_empty_build(run_cli, tmp_path):
    code, _, err = run_cli("build", "--plans", tmp_path / "nowhere", "--build", tmp_path / "out")
    assert code == 2 and "nowhere: no such file or folder" in err


# ------------------------------------------------------------------------------------------------ the trust boundary

def _hostile(tmp_path: Path, run_cli, extra: str, plan_id: str | None = None) -> tuple[Path, int]:
    """A plan graph of the user's own (imported from a template), with ``extra`` N-Triples lines appended."""
    template = write_template(tmp_path / "mine.csv")
    args = ["import", template, "--council", "Borsetshire County Council", "--gss", "E10000099",
            "-o", tmp_path / "mine.ttl"] + (["--plan-id", plan_id] if plan_id else [])
    assert run_cli(*args)[0] == 0
    text = (tmp_path / "mine.ttl").read_text(encoding="utf-8")
    line = text.count("\n") + 1
    (tmp_path / "mine.ttl").write_text(text + extra + "\n", encoding="utf-8")
    return tmp_path / "mine.ttl", line


REQ = WPID + "requirement/"
HOSTILE = {
    "every requirement put in theme 0": (f"<{REQ}3.21> <{WP}theme> <{WPID}theme/0> .", "requirement 3.21"),
    "a requirement overlapping 0.1": (f"<{REQ}3.21> <{WP}overlapsWith> <{REQ}0.1> .", "requirement 3.21"),
    "a requirement's reference rewritten": (f'<{REQ}3.21> <{WP}reference> "3.21-HACKED" .', "requirement 3.21"),
    "the ontology changed": (f"<{WP}Response> <http://www.w3.org/2000/01/rdf-schema#subClassOf> <{WP}Council> .",
                             "ns#Response"),
    "a vocabulary concept relabelled": (f'<{WPID}status/met> <http://www.w3.org/2004/02/skos/core#prefLabel> '
                                        '"not met" .', "status/met"),
    "another plan's response": (f"<{WPID}plan/E09000032/response/row-4> <{WP}complianceStatus> "
                                f"<{WPID}status/not-met> .", "plan/E09000032/response/row-4"),
    "a link into another plan": (f"<{WPID}plan/E10000099/response/x> <{WP}inPlan> <{WPID}plan/E09000032> .",
                                 "plan/E09000032"),
    "a blank node": (f'_:b0 <{WP}text> "anonymous" .', "blank node"),
    "a blank node as a value": (f'<{WPID}plan/E10000099/response/x> <{WP}evidence> _:b1 .', "blank node"),
    "a coverage stated by the plan": (f"<{WPID}plan/E10000099/coverage/0.1> <{WP}coverage> <{WPID}coverage/direct> .",
                                      "only the build derives"),
    "a coverage node typed by the plan": (f"<{WPID}plan/E10000099/coverage/0.1> "
                                          f"<http://www.w3.org/1999/02/22-rdf-syntax-ns#type> "
                                          f"<{WP}RequirementCoverage> .", "only the build derives"),
    "a citation stated by the plan": (f'<{WPID}plan/E10000099/response/x> <{WP}citation> "elsewhere.csv:1" .',
                                      "only the build derives"),
    "a row said to repeat another": (f"<{WPID}plan/E10000099/response/x> <{WP}repeats> "
                                     f"<{WPID}plan/E10000099/response/y> .", "only the build derives"),
    "a link to another council": (f"<{WPID}plan/E10000099/response/x> <{WP}owner> <{WPID}council/E09000032/post/x> .",
                                  "council/E09000032"),
    "a source document renamed": (f'<{WPID}source/001_668a3734a83c0d44.txt> <{WP}fileName> "other.txt" .',
                                  "source location"),
    "a source line rewritten": (f"<{WPID}source/001_668a3734a83c0d44.txt#L159> <{WP}line> "
                                '"7"^^<http://www.w3.org/2001/XMLSchema#integer> .', "source location"),
}


@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_a_plan_that_speaks_beyond_itself_is_refused(run_cli, tmp_path, case):
    extra, named = HOSTILE[case]
    hostile, line = _hostile(tmp_path, run_cli, extra)
    build = tmp_path / "build"
    assert run_cli("build", "--build", build)[0] == 0
    before = snapshot(build)
    code, out, err = run_cli("build", "--plans", hostile, "--bundled", "--build", build)
    assert code == 2, err
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err
    assert f"mine.ttl: line {line}: " in err and named in err, err
    assert snapshot(build) == before
    code, out, err = run_cli("validate", hostile)
    assert code == 2 and out == "" and f"line {line}" in err


def test_the_same_plan_without_the_hostile_lines_is_accepted(run_cli, tmp_path):
    plan, _ = _hostile(tmp_path, run_cli, "")
    code, out, err = run_cli("build", "--plans", plan, "--bundled", "--build", tmp_path / "build")
    assert code == 0, err


def test_a_plan_claiming_rutlands_iri_is_refused(run_cli, tmp_path):
    hostile, _ = _hostile(tmp_path, run_cli, "")
    text = hostile.read_text(encoding="utf-8").replace("E10000099", "E06000017")
    hostile.write_text(text, encoding="utf-8")
    code, _, err = run_cli("build", "--plans", hostile, "--bundled", "--build", tmp_path / "build")
    assert code == 2 and "claims the plan" in err and "rutland" in err.lower()


def test_two_loose_files_claiming_one_plan_are_refused_by_validate(run_cli, tmp_path):
    """Checked on their own, through a temporary build, the same rule holds: one plan, one input."""
    first, _ = _hostile(tmp_path / "v1", run_cli, "", plan_id="E10000099-v1")
    same, _ = _hostile(tmp_path / "v2", run_cli, "", plan_id="E10000099-v1")
    code, out, err = run_cli("validate", first, same)
    assert code == 2 and "claims the plan" in err and err.count("\n") == 1 and "Traceback" not in err
    assert out == ""


def test_other_councils_results_do_not_move_when_a_hostile_plan_is_offered(run_cli, tmp_path):
    build = tmp_path / "build"
    assert run_cli("build", "--build", build)[0] == 0
    before = {name: run_cli("query", "coverage", "--param", f"council={name}", "--build", build, "--format",
                            "json")[1] for name in ("Rutland", "Wandsworth")}
    validation = run_cli("validate", "--build", build, "--format", "json")[1]
    for case in sorted(HOSTILE):
        folder = tmp_path / case.replace(" ", "-")
        folder.mkdir()
        hostile, _ = _hostile(folder, run_cli, HOSTILE[case][0])
        assert run_cli("build", "--plans", hostile, "--bundled", "--build", build)[0] == 2
    for name, rows in before.items():
        assert run_cli("query", "coverage", "--param", f"council={name}", "--build", build, "--format",
                       "json")[1] == rows
    assert run_cli("validate", "--build", build, "--format", "json")[1] == validation


def test_two_plans_of_one_council_need_their_own_ids(run_cli, tmp_path):
    first, _ = _hostile(tmp_path / "v1", run_cli, "", plan_id="E10000099-v1")
    second, _ = _hostile(tmp_path / "v2", run_cli, "", plan_id="E10000099-v2")
    code, _, err = run_cli("build", "--plans", first, second, "--build", tmp_path / "build")
    assert code == 0, err
    same, _ = _hostile(tmp_path / "v3", run_cli, "", plan_id="E10000099-v1")
    code, _, err = run_cli("build", "--plans", first, same, "--build", tmp_path / "build")
    assert code == 2 and "claims the plan" in err
