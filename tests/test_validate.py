"""``wpgraph validate``: does each council plan answer the winter plan completely, and where not?

Read as the stories of the people who run it: a reviewer checking the bundled
plans, an officer validating a template wpgraph has never seen, a CI job that
must trust the exit code, and a maintainer who must not lose a shape silently.
"""

from __future__ import annotations

import csv
import json
import xml.dom.minidom
from pathlib import Path

import pytest
from rdflib import URIRef
from rdflib.namespace import RDF, SH

import wpgraph
from wpgraph import rdfio
from wpgraph.cli.main import main
from wpgraph.namespaces import WP, WPID
from wpgraph.outputs import write_bytes_atomic
from wpgraph.validation.shapes import shape_triples


def validate(inputs=None, **options):
    return wpgraph.validate(inputs, **options)

HERE = Path(__file__).parent
SHAPE_CASES = HERE / "shape_cases"
NEGATIVE_TURTLE = sorted((HERE / "w3c-turtle-negative-syntax").glob("*.ttl"))
WPSH = "https://w3id.org/wpgraph/shapes#"


# --------------------------------------------------------------------------- the bundled plans

@pytest.fixture(scope="module")
def bundled_report(bundled_build):
    return validate(build=bundled_build)


def findings(report, council: str, shape: str | None = None, severity: str | None = None):
    return [f for f in report.results if f.council and council in f.council
            and (shape is None or f.shape == WPSH + shape) and (severity is None or f.severity == severity)]


def test_every_bundled_plan_is_reported_with_a_score_and_coverage(bundled_report):
    councils = {p.council for p in bundled_report.plans}
    assert councils == {"Cheshire East Council", "Leicestershire County Council", "London Borough of Wandsworth",
                        "Rutland County Council"}
    for plan in bundled_report.plans:
        assert 0 <= plan.score <= 100
        assert plan.required == 86  # the catalogue's requirements addressed to councils
        assert plan.counts["violation"] == len(findings(bundled_report, plan.council, severity="violation"))


def test_wandsworth_misses_exactly_the_requirements_of_its_lost_page(bundled_report):
    missing = [f.requirement for f in findings(bundled_report, "Wandsworth", "PlanCoversRequirements")]
    lost_page = [f"3.{n}" for n in range(28, 37)] + [f"4.{n}" for n in range(1, 8)]
    assert sorted(missing) == sorted(lost_page)
    assert all(f.severity == "violation" and f.focus.endswith(f"/coverage/{f.requirement}")
               for f in findings(bundled_report, "Wandsworth", "PlanCoversRequirements"))
    wandsworth = next(p for p in bundled_report.plans if "Wandsworth" in p.council)
    assert wandsworth.coverage == {"addressed": 70, "direct": 70, "credited": 0, "partly": 0, "required": 86}


def test_rutland_without_section_0_is_credited_through_the_detailed_twins(bundled_report):
    missing = {f.requirement for f in findings(bundled_report, "Rutland", "PlanCoversRequirements")}
    # 0.3, 0.5, 0.6, 0.8-0.13 are answered through their detailed twins (0.12 in part); 0.4 overlaps 3.29 and
    # 3.30 only in part (a warning, not a violation); 0.1 and 0.2 have none, and 0.7's twins are NHS actions,
    # which a council plan does not answer.
    assert {"0.3", "0.4", "0.5", "0.6", "0.8", "0.9", "0.10", "0.11", "0.12", "0.13"}.isdisjoint(missing)
    assert {"0.1", "0.2", "0.7"} <= missing
    partly = {f.requirement for f in findings(bundled_report, "Rutland", "PlanCoversRequirementsFully")}
    assert partly == {"0.4", "0.12"}


def test_rutland_3_21_is_not_met_with_a_gap_action_and_a_due_text_that_is_not_a_date(bundled_report, dataset):
    graph = dataset.graphs[WPID["graph/plan/E06000017"]]
    response = next(graph.subjects(WP.addresses, URIRef("https://w3id.org/wpgraph/id/requirement/3.21")))
    assert graph.value(response, WP.complianceStatus) == URIRef("https://w3id.org/wpgraph/id/status/not-met")
    gap = graph.value(response, WP.hasGapAction)
    assert str(graph.value(gap, WP.text)) == "Not yet implemented"
    assert str(graph.value(response, WP.dueText)) == "2021 tbc"

    about_3_21 = [f for f in findings(bundled_report, "Rutland") if f.requirement == "3.21"]
    assert [(f.shape, f.severity) for f in about_3_21] == [(WPSH + "DueTextIsADate", "warning")]
    assert about_3_21[0].source == "plans/rutland/template.csv:68"
    assert about_3_21[0].local_ref == "3.21"


def test_leicestershire_responses_state_no_status_and_no_owner(bundled_report):
    status = findings(bundled_report, "Leicestershire", "ResponseStatesStatus", "violation")
    owner = findings(bundled_report, "Leicestershire", "ResponseHasOwner", "violation")
    assert len(status) == len(owner) == 18  # every one of its 18 required/taken pairs
    assert {f.focus for f in status} == {f.focus for f in owner}
    assert all(f.source and f.source.startswith("plans/leicestershire/appendix-a.csv:") for f in status)


def test_cheshire_east_dated_actions_count_as_gap_actions_with_dates(bundled_report, dataset):
    graph = dataset.graphs[WPID["graph/plan/E06000049"]]
    gaps = set(graph.subjects(RDF.type, WP.GapAction))
    dated = {g for g in gaps if graph.value(g, WP.dueDate) is not None}
    assert gaps and len(dated) > len(gaps) // 2
    # a response whose gap actions are dated is not reported as lacking a gap action or a due date
    for shape in ("GapActionWhenNotMet", "DueDateWhenNotMet"):
        assert findings(bundled_report, "Cheshire East", shape) == []
    # its report has no compliance column: every response is reported as not stating a status
    assert len(findings(bundled_report, "Cheshire East", "ResponseStatesStatus")) == 87


def test_the_bundled_catalogue_passes_its_own_integrity_shapes(bundled_report):
    assert [f for f in bundled_report.results if f.plan is None] == []


# --------------------------------------------------------------------------- a template never seen before

HEADER = ["Reference", "Actions Required by Local Authorities", "Current status", "Requirement fully met (Y/N)?",
          "Actions required to fill gaps", "By Who?", "By When?"]
PLANTED = {  # requirement -> (what is wrong, the shape that must report it)
    "3.21": ("partly met with no gap action", "GapActionWhenNotMet"),
    "3.22": ("not met with no due date", "DueDateWhenNotMet"),
    "3.23": ("no owner", "ResponseHasOwner"),
    "3.24": ("no status", "ResponseStatesStatus"),
    "3.25": ("an impossible date", "DueDateExists"),
    "3.26": ("a duplicated row", "PlanAnswersOnce"),
}
MISSING = {"3.27", "3.28"}


def planted_rows() -> list[list[str]]:
    """Every council requirement answered cleanly, then defects planted in a few rows."""
    from wpgraph.reference.catalogue import catalogue

    rows = [["Our Council - Winter Plan"], HEADER]
    for req in catalogue():
        if not req.is_council_requirement or req.reference in MISSING:
            continue
        row = [req.reference, req.text, "Arrangements in place and reviewed weekly.", "Yes", "", "Head of Service",
               "31/12/2020"]
        if req.reference == "3.21":
            row[3:5] = ["Partly", ""]
        elif req.reference == "3.22":
            row[3:7] = ["No", "Recruit two more assessors", "Head of Service", ""]
        elif req.reference == "3.23":
            row[5] = ""
        elif req.reference == "3.24":
            row[3] = ""
        elif req.reference == "3.25":
            row[3:7] = ["Partly", "Extend the scheme", "Head of Service", "31/02/2021"]
        rows.append(row)
        if req.reference == "3.26":
            rows.append(list(row))
    return rows


def write_csv(path: Path, rows: list[list[str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(rows)
    return path


def write_xlsx(path: Path, rows: list[list[str]]) -> Path:
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


@pytest.mark.parametrize("writer", [write_csv, write_xlsx], ids=["csv", "xlsx"])
def test_a_new_template_gets_one_finding_per_planted_defect_and_nothing_on_clean_rows(tmp_path, writer):
    template = writer(tmp_path / f"our-council.{'csv' if writer is write_csv else 'xlsx'}", planted_rows())
    report = validate([template])
    [plan] = report.plans
    violations_and_warnings = [(f.requirement, f.shape.removeprefix(WPSH)) for f in report.results]
    expected = [(ref, shape) for ref, (_, shape) in PLANTED.items()]
    expected += [(ref, "PlanCoversRequirements") for ref in MISSING]
    assert sorted(violations_and_warnings) == sorted(expected)
    assert plan.coverage["addressed"] == 84 and plan.coverage["required"] == 86
    duplicate = next(f for f in report.results if f.shape == WPSH + "PlanAnswersOnce")
    first_row = next(i for i, row in enumerate(planted_rows(), start=1) if row[0] == "3.26")
    assert duplicate.severity == "warning" and duplicate.source == f"{template.name}:{first_row + 1}"
    # the findings point at the rows: the template's name and the planted row's number
    by_requirement = {f.requirement: f for f in report.results}
    assert by_requirement["3.25"].source.startswith(template.name + ":")
    assert by_requirement["3.25"].local_ref == "3.25"


def test_the_score_counts_missing_requirements_as_nothing_and_flawed_answers_as_half(tmp_path):
    report = validate([write_csv(tmp_path / "plan.csv", planted_rows())])
    [plan] = report.plans
    # 86 required: 2 missing (0), 5 answered with a violation (0.5 each), 79 clean (1 each)
    assert plan.score == round(100 * (79 + 5 * 0.5) / 86, 1)


# --------------------------------------------------------------------------- the command, for CI

def test_json_output_follows_the_contract(run_cli, tmp_path):
    code, out, err = run_cli("validate", "--format", "json")
    assert code == 1 and err == ""
    report = json.loads(out)
    assert set(report) == {"conforms", "failOn", "failed", "counts", "plans", "results", "notes"}
    rutland = next(p for p in report["plans"] if p["gss"] == "E06000017")
    assert rutland["council"] == "Rutland County Council"
    assert set(rutland) == {"council", "gss", "plan", "input", "conforms", "score", "counts", "coverage"}
    assert set(rutland["counts"]) == {"violation", "warning", "info"}
    assert set(rutland["coverage"]) == {"addressed", "direct", "credited", "partly", "required"}
    assert rutland["coverage"]["addressed"] == rutland["coverage"]["direct"] + rutland["coverage"]["credited"]
    keys = {"severity", "council", "requirement", "localRef", "message", "focus", "path", "shape", "component",
            "value", "source"}
    assert all(set(r) == keys for r in report["results"])
    assert {r["severity"] for r in report["results"]} <= {"violation", "warning", "info"}


def test_the_json_report_written_piece_by_piece_is_the_apis_json(run_cli, tmp_path):
    # the command writes a national report (30 MB at 600 plans) as it renders it, never whole in memory: what it
    # writes, to a file or to stdout, is what render_json gives a notebook, finding for finding
    from wpgraph.validation.render import render_chunks, render_json

    report = wpgraph.validate()
    expected = render_json(report)
    assert len(report.results) > 100 and expected == render_json(report)
    assert "".join(render_chunks(report, "json")) == expected
    out_file = tmp_path / "report.json"
    for _ in range(2):
        assert run_cli("validate", "--format", "json", "-o", out_file)[0] == 1
        assert out_file.read_text(encoding="utf-8") == expected
        code, out, _ = run_cli("validate", "--format", "json")
        assert code == 1 and out == expected
    assert json.loads(expected)["results"] == [f.as_dict() for f in report.results]


def test_exit_codes_follow_the_fail_on_level_and_the_report_is_written_anyway(run_cli, tmp_path):
    out_file = tmp_path / "report.json"
    code, _, err = run_cli("validate", "--format", "json", "-o", out_file)
    assert code == 1 and out_file.exists() and "report written" in err
    assert run_cli("validate", "--fail-on", "none")[0] == 0
    clean = write_csv(tmp_path / "clean.csv", [r for r in planted_rows() if r[0] not in PLANTED])
    assert run_cli("validate", clean, "--fail-on", "violation")[0] == 1  # still misses 3.27, 3.28
    assert run_cli("validate", "--nonsense")[0] == 2
    code, _, err = run_cli("validate", tmp_path / "absent.csv")
    assert code == 2 and "absent.csv" in err


def test_every_format_renders(run_cli, tmp_path):
    rutland = Path(__file__).parent.parent / "data" / "plans" / "rutland" / "plan.toml"
    code, text, _ = run_cli("validate", rutland)
    assert code == 1 and "Theme 3" in text and "\033[" not in text  # no colour when not a terminal
    _, turtle, _ = run_cli("validate", rutland, "--format", "turtle")
    path = tmp_path / "report.ttl"
    path.write_text(turtle, encoding="utf-8")
    graph = rdfio.read_graph(path)  # the strict parser: the report is valid Turtle
    assert (None, RDF.type, SH.ValidationReport) in graph
    assert len(list(graph.subjects(RDF.type, SH.ValidationResult))) > 0
    _, junit, _ = run_cli("validate", rutland, "--format", "junit")
    cases = xml.dom.minidom.parseString(junit).getElementsByTagName("testcase")
    assert len(cases) >= 86
    _, markdown, _ = run_cli("validate", rutland, "--format", "markdown")
    assert "| Rutland County Council |" in markdown


def test_a_plan_graph_alone_is_enough(tmp_path, dataset):
    graph = dataset.graphs[WPID["graph/plan/E09000032"]]
    path = tmp_path / "wandsworth.ttl"
    write_bytes_atomic(path, rdfio.serialize_turtle(graph))
    report = validate([path])
    assert [p.gss for p in report.plans] == ["E09000032"]
    assert len([f for f in report.results if f.shape == WPSH + "PlanCoversRequirements"]) == 16


@pytest.mark.parametrize("path", NEGATIVE_TURTLE, ids=[p.name for p in NEGATIVE_TURTLE])
def test_malformed_turtle_exits_2_naming_the_file_without_a_traceback(path, capsys):
    assert main(["validate", str(path)]) == 2
    out, err = capsys.readouterr()
    assert path.name in err and "Traceback" not in err and out == ""


def test_the_w3c_negative_suite_is_all_there():
    assert len(NEGATIVE_TURTLE) == 94


# --------------------------------------------------------------------------- every shape, tested

SH_NS = "http://www.w3.org/ns/shacl#"
RDFS_COMMENT = "http://www.w3.org/2000/01/rdf-schema#comment"
# shapes whose findings are told apart by their value node (which coverage, which kind)
VALUE_SHAPES = ("PlanCoversRequirements", "PlanCoversRequirementsFully", "CouncilGssCode", "CouncilGeography",
                "ResponseText", "ResponseDueDate", "ResponseAlignmentScore", "FigureValue")


def _shapes_model():
    from wpgraph.validation.shapes_model import read_shapes

    return read_shapes(shape_triples("all"))


def reporting_shapes() -> set[str]:
    graph = _shapes_model().graph
    return {s.value for s in graph.subjects(SH_NS + "message") if hasattr(s, "value") and s.value.startswith(WPSH)}


SHAPE_CASE_DIRS = sorted(p for p in SHAPE_CASES.iterdir() if p.is_dir())


def test_every_shape_has_a_case_and_every_case_a_shape():
    assert {WPSH + d.name for d in SHAPE_CASE_DIRS} == reporting_shapes()


def test_every_shape_says_why_what_and_how_bad():
    model = _shapes_model()
    for shape in reporting_shapes():
        found = model.shapes[f"<{shape}>"]
        assert model.graph.values(found.node, RDFS_COMMENT), shape
        assert found.severity in (SH_NS + "Violation", SH_NS + "Warning", SH_NS + "Info"), shape


def _snippet_results(shape: str, data_file: Path, engine: str) -> list[dict]:
    """The results of one shape on a data snippet, from the fast engine or from pySHACL."""
    import pyoxigraph as ox

    from wpgraph.validation.fast_engine import run_shapes
    from wpgraph.validation.pyshacl_engine import results_from_report, run_pyshacl

    quads = rdfio.parse_oxigraph(data_file).quads
    if engine == "fast":
        store = ox.Store()
        store.extend(ox.Quad(q.subject, q.predicate, q.object, ox.NamedNode("urn:case")) for q in quads)
        results = run_shapes(store, shape_triples("all")).results
    else:
        results = results_from_report(run_pyshacl(quads, shape_triples("all")))
    out = []
    for result in sorted(results, key=lambda r: tuple(part or "" for part in r.key())):
        if str(result.shape) != f"<{shape}>":
            continue
        item = {"severity": result.severity.removeprefix(SH_NS).lower(), "focus": result.focus.value}
        if shape.endswith(VALUE_SHAPES) and result.value is not None:
            item["value"] = result.value.value
        out.append(item)
    return out


@pytest.mark.parametrize("engine", ["fast", "pyshacl"])
@pytest.mark.parametrize("case", SHAPE_CASE_DIRS, ids=[d.name for d in SHAPE_CASE_DIRS])
def test_shape_accepts_its_conforming_snippet_and_reports_its_failing_one(case, engine):
    expected = json.loads((case / "expected.json").read_text(encoding="utf-8"))
    shape = expected["shape"]
    assert shape in reporting_shapes(), f"{shape} is missing from shapes/"
    assert _snippet_results(shape, case / "conforming.ttl", engine) == []
    assert _snippet_results(shape, case / "failing.ttl", engine) == expected["results"]


def test_the_shapes_end_the_plan_when_the_dates_module_does():
    """The plan's end date is written in the shapes (data) and in wpgraph.ingest.dates (code): they must agree."""
    from wpgraph.ingest.dates import PLAN_END

    model = _shapes_model()
    ends = model.graph.values(model.shapes[f"<{WPSH}DueWithinPlan>"].node, SH_NS + "maxInclusive")
    assert {e.value for e in ends} == {PLAN_END.isoformat()}


def test_after_one_plan_changes_only_it_is_validated_again(tmp_path):
    from conftest import write_plan_folder, write_template

    plans = tmp_path / "plans"
    write_plan_folder(plans / "borsetshire")
    write_plan_folder(plans / "wessex", council="Wessex Council", short_name="Wessex", gss="E10000098")
    build = tmp_path / "build"
    wpgraph.build([plans], build=build)
    first = wpgraph.validate(build=build)
    assert not first.notes
    write_template(plans / "wessex" / "template.csv", [{"ref": "1.1", "who": ""}])  # an owner goes missing
    second = wpgraph.validate(build=build)
    assert "1 plan(s) unchanged since the build last validated them" in second.notes[0]
    everything = wpgraph.validate(build=build, use_cache=False)
    assert [f.as_dict() for f in second.results] == [f.as_dict() for f in everything.results]
    assert [p.as_dict() for p in second.plans] == [p.as_dict() for p in everything.plans]
    assert any(f.shape.endswith("ResponseHasOwner") and f.council == "Wessex Council" for f in second.results)
    with pytest.raises(ValueError, match="use_cache=False"):
        second.report_triples()


def test_jobs_sets_the_fast_engine_s_query_threads_and_the_report_is_the_same_on_any_number(tmp_path, monkeypatch):
    from conftest import write_plan_folder

    from wpgraph.validation import fast_engine

    plans = tmp_path / "plans"
    write_plan_folder(plans / "borsetshire")
    build = tmp_path / "build"
    wpgraph.build([plans], build=build)
    pools: list[int] = []
    real = fast_engine.ThreadPoolExecutor

    def recording(workers: int, **kwargs):
        pools.append(workers)
        return real(workers, **kwargs)

    monkeypatch.setattr(fast_engine, "ThreadPoolExecutor", recording)
    one = wpgraph.validate(build=build, jobs=1, use_cache=False)
    assert pools and set(pools) == {1}
    pools.clear()
    several = wpgraph.validate(build=build, jobs=3, use_cache=False)
    assert pools and set(pools) == {3}
    assert one.results, "the user's plan has findings to compare"
    assert [f.as_dict() for f in one.results] == [f.as_dict() for f in several.results]
    assert [p.as_dict() for p in one.plans] == [p.as_dict() for p in several.plans]


# --------------------------------------------------------------------------- severities that mean something

def test_a_met_row_due_complete_is_information_and_a_gap_without_a_date_is_a_warning(bundled_report):
    """Rutland marks 67 rows met and dates them "Complete" or "Ongoing": no date is needed, so information only;
    its 3.21 is not met and due "2021 tbc": there a date is needed, so a warning."""
    met_words = findings(bundled_report, "Rutland", "DueTextIsADateWhenMet")
    assert len(met_words) == 67 and {f.severity for f in met_words} == {"info"}
    gap_words = findings(bundled_report, "Rutland", "DueTextIsADate")
    assert [(f.requirement, f.severity) for f in gap_words] == [("3.21", "warning")]
    assert len(findings(bundled_report, "Rutland", severity="warning")) <= 5


def test_a_users_template_with_met_rows_due_ongoing_gets_no_date_warnings(tmp_path):
    from conftest import write_template

    rows = [{"ref": "1.1", "met": "Y", "when": "Ongoing"},
            {"ref": "1.2", "met": "Partly", "gaps": "Agree an outbreak protocol", "when": "when possible"}]
    template = write_template(tmp_path / "mine.csv", rows)
    report = validate([template], council="Borsetshire County Council")
    by_shape = {(f.shape.removeprefix(WPSH), f.severity) for f in report.results
                if f.shape.startswith(WPSH + "DueText")}
    assert by_shape == {("DueTextIsADateWhenMet", "info"), ("DueTextIsADate", "warning")}


def test_validate_summary_prints_one_line_per_plan_and_a_total(run_cli):
    code, out, _ = run_cli("validate", "--summary", "--fail-on", "none")
    lines = out.splitlines()
    assert code == 0 and len(lines) == 5
    for council in ("Cheshire East Council", "Leicestershire County Council", "London Borough of Wandsworth",
                    "Rutland County Council"):
        assert sum(line.startswith(council) for line in lines) == 1
    assert lines[-1].startswith("4 plan(s):")


def test_make_demo_checks_the_plans_with_the_summary_and_never_fails_on_findings():
    """`make demo` runs `wpgraph validate --summary --fail-on none`: one line per plan, exit 0, so make prints
    no "Error 1 (ignored)" line that reads as a failure."""
    makefile = (Path(__file__).resolve().parent.parent / "Makefile").read_text(encoding="utf-8")
    recipe = makefile.split("\ndemo:", 1)[1].split("\n\n", 1)[0]
    validate_lines = [line.strip() for line in recipe.splitlines() if " validate" in line]
    assert validate_lines == ["$(BIN)/wpgraph validate --summary --fail-on none"]
    assert "-$(BIN)" not in recipe and "|| true" not in recipe


@pytest.mark.parametrize("engine", ["fast", "pyshacl"])
def test_a_plan_graph_with_a_malformed_council_and_a_post_in_no_council_gets_structural_findings(
        run_cli, tmp_path, engine):
    """A plan graph written by hand or by another tool: a GSS code that is no GSS code and a post that is in no
    council are violations of that plan, named with its council, in both engines."""
    from conftest import write_template

    template = write_template(tmp_path / "mine.csv")
    code, _, err = run_cli("import", template, "--council", "Borsetshire County Council", "--gss", "E10000099",
                           "-o", tmp_path / "mine.ttl")
    assert code == 0, err
    text = (tmp_path / "mine.ttl").read_text(encoding="utf-8")
    assert 'wp:gssCode "E10000099"' in text and "\torg:postIn " in text
    text = text.replace('wp:gssCode "E10000099"', 'wp:gssCode "E10-000099"')
    text = "\n".join(line for line in text.splitlines() if not line.startswith("\torg:postIn "))
    (tmp_path / "bad.ttl").write_text(text + "\n", encoding="utf-8")
    report = validate([tmp_path / "bad.ttl"], engine=engine)
    [plan] = report.plans
    structural = sorted((f.shape.removeprefix(WPSH), f.council) for f in report.results
                        if f.shape in (WPSH + "CouncilGssCode", WPSH + "RolePostIn"))
    assert structural == [("CouncilGssCode", "Borsetshire County Council"),
                          ("RolePostIn", "Borsetshire County Council")]
    assert plan.counts["violation"] == len([f for f in report.results if f.severity == "violation"])
