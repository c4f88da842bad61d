"""Notebooks and spreadsheets: clean text in every query column (the verbatim kept in the graph), a DataFrame from
``wpgraph.query(..., frame=True)``, and ``--format xlsx`` workbooks from query and validate."""

from __future__ import annotations

import re
import sys

import pytest
from conftest import write_plan_folder
from openpyxl import load_workbook

import wpgraph
from wpgraph.errors import InputError
from wpgraph.queries.registry import list_queries

TAG = re.compile(r"<[a-zA-Z/][^>]*>|&[a-z]+;|&#\d+;")
HTML_ROWS = [
    {"ref": "1.1", "status": '<ul style="margin-left:1em"><li>Weekly provider bulletin &amp; calls</li></ul>'},
    {"ref": "1.2", "met": "Partly", "gaps": "<p>Recruit two infection-control nurses</p>\n<p>Train staff</p>",
     "who": "Head of Commissioning", "when": "<p>31/01/2021</p>"},
    {"ref": "1.3", "met": "Yes", "action": "=HYPERLINK(\"http://example.org\", \"click\")", "status": ""},
]


@pytest.fixture(scope="module")
def html_build(tmp_path_factory):
    """Borsetshire's plan, its cells carrying the HTML remnants real templates carry, built beside the bundled."""
    folder = tmp_path_factory.mktemp("html")
    write_plan_folder(folder / "borsetshire", rows=HTML_ROWS)
    wpgraph.build([folder / "borsetshire"], bundled=True, build=folder / "build")
    return folder / "build"


def run_every_query(build, council: str):
    for query in list_queries():
        params = {p.name: p.example for p in query.params if p.required}
        for param in query.params:
            if param.type == "council":
                params[param.name] = council
        yield query.name, wpgraph.query(query.name, build=build, **params)


def tagged_cells(rows):
    return [(column, value) for row in rows for column, value in row.items()
            if isinstance(value, str) and TAG.search(value)]


def test_given_a_plan_with_html_cells_every_query_column_is_clean_text(html_build):
    seen = 0
    for name, rows in run_every_query(html_build, "Borsetshire"):
        assert tagged_cells(rows) == [], name
        seen += len(rows)
    assert seen
    responses = wpgraph.query("council-responses", build=html_build, council="Borsetshire")
    row = next(r for r in responses if r["localRef"] == "1.2")
    assert row["gapAction"] == "Recruit two infection-control nurses\nTrain staff"
    assert row["due"] == "2021-01-31"


def test_the_verbatim_text_stays_in_the_graph_beside_the_plain_text(html_build):
    with wpgraph.open_build(html_build) as build:
        rows = build.store.query("""
            PREFIX wp: <https://w3id.org/wpgraph/ns#>
            SELECT ?verbatim ?plain ?g WHERE {
              GRAPH ?g { ?gap a wp:GapAction ; wp:dueText ?verbatim }
              ?gap wp:plainDueText ?plain ; wp:council/wp:shortName "Borsetshire" }""",
                                 use_default_graph_as_union=True)
        found = [(s["verbatim"].value, s["plain"].value) for s in rows]
    assert found == [("<p>31/01/2021</p>", "31/01/2021")]


def test_the_bundled_councils_answers_are_clean_text(workdir):
    for council in ("Rutland", "Wandsworth", "Cheshire East", "Leicestershire"):
        for name, rows in run_every_query(workdir / "build", council):
            assert tagged_cells(rows) == [], (council, name)


def test_a_dataframe_with_the_query_columns_in_order(bundled_build):
    rows = wpgraph.query("coverage", build=bundled_build, council="Rutland")
    for _ in range(2):  # twice in one process, as every public function
        frame = wpgraph.query("coverage", build=bundled_build, council="Rutland", frame=True)
        assert list(frame.columns) == ["council", "theme", "required", "answered", "direct", "credited", "partly",
                                       "met", "partlyMet", "notMet", "notStated"]
        assert frame.to_dict("records") == rows
        assert (int(frame["answered"].sum()), int(frame["direct"].sum())) == (78, 70)


def test_without_pandas_a_frame_is_one_clear_input_error(bundled_build, monkeypatch):
    monkeypatch.setitem(sys.modules, "pandas", None)  # import pandas now fails, as where it is not installed
    with pytest.raises(InputError, match=r"pip install 'wpgraph\[frame\]'"):
        wpgraph.query("coverage", build=bundled_build, frame=True)


def test_query_as_a_workbook(run_cli, tmp_path, bundled_build):
    out = tmp_path / "rutland.xlsx"
    code, _, err = run_cli("query", "council-responses", "--param", "council=Rutland", "--format", "xlsx", "-o", out)
    assert code == 0, err
    sheet = load_workbook(out).active
    assert sheet.title == "council-responses"
    header = [c.value for c in sheet[1]]
    assert header == ["localRef", "requirement", "status", "owner", "due", "gapAction"]
    rows = wpgraph.query("council-responses", council="Rutland", build=bundled_build)
    assert sheet.max_row == 1 + len(rows) and len(rows) >= 71  # a header, then a row per (row, requirement) answer
    cells = [c.value for row in sheet.iter_rows(min_row=2) for c in row if isinstance(c.value, str)]
    assert not [c for c in cells if TAG.search(c)]


def test_a_workbook_keeps_a_formula_looking_text_as_text(html_build, tmp_path):
    from wpgraph.tables import xlsx_bytes

    rows = wpgraph.query("unevidenced", build=html_build, council="Borsetshire")
    assert any(r["text"].startswith("=HYPERLINK") for r in rows)
    out = tmp_path / "x.xlsx"
    out.write_bytes(xlsx_bytes({"unevidenced": (["council", "localRef", "requirement", "text"], rows)}))
    cell = next(c for row in load_workbook(out).active.iter_rows() for c in row
                if isinstance(c.value, str) and "HYPERLINK" in c.value)
    assert cell.data_type == "s"


@pytest.mark.parametrize("command", [["query", "coverage"], ["validate"]])
def test_a_workbook_needs_an_output_file(run_cli, command):
    code, out, err = run_cli(*command, "--format", "xlsx")
    assert code == 2 and out == ""
    assert err.strip().endswith("--format xlsx writes a binary file: give -o FILE.xlsx")
    assert len(err.strip().splitlines()) == 1


def test_validate_as_a_workbook_of_plans_and_findings(run_cli, tmp_path):
    out = tmp_path / "report.xlsx"
    code, _, _ = run_cli("validate", "--format", "xlsx", "-o", out)
    assert code == 1  # the bundled plans have violations; the report is written all the same
    book = load_workbook(out)
    assert book.sheetnames == ["plans", "findings"]
    plans = list(book["plans"].iter_rows(values_only=True))
    assert plans[0][:4] == ("council", "gss", "conforms", "score")
    assert {row[0] for row in plans[1:]} == {"Cheshire East Council", "Leicestershire County Council",
                                             "London Borough of Wandsworth", "Rutland County Council"}
    findings = list(book["findings"].iter_rows(values_only=True))
    assert findings[0][0] == "severity" and len(findings) > 100


def test_a_plan_brought_as_rdf_gets_its_plain_text_too(tmp_path, run_cli):
    """An RDF plan file is read by the store itself (not through wpgraph's mapping): the build derives the same
    plain text for it."""
    from conftest import write_template

    template = write_template(tmp_path / "borsetshire.csv", rows=HTML_ROWS)
    plan = tmp_path / "borsetshire.ttl"
    code, _, err = run_cli("import", template, "--council", "Borsetshire County Council", "--short-name",
                           "Borsetshire", "--gss", "E10000099", "-o", plan)
    assert code == 0, err
    assert "<p>Recruit two infection-control nurses</p>" in plan.read_text(encoding="utf-8")
    wpgraph.build([plan], bundled=True, build=tmp_path / "build")
    responses = wpgraph.query("council-responses", build=tmp_path / "build", council="Borsetshire")
    assert tagged_cells(responses) == []
    assert [r["gapAction"] for r in responses if r["localRef"] == "1.2"] == [
        "Recruit two infection-control nurses\nTrain staff"]
    # validated on its own, the file is loaded by the store itself (staging): the same plain text
    from wpgraph.dataset.build import temporary_build
    from wpgraph.dataset.sources import resolve_sources
    from wpgraph.queries.registry import get_query
    from wpgraph.queries.run import run_query
    from wpgraph.queries.runners import LocalRunner

    with temporary_build(resolve_sources([plan])) as loose:
        staged = run_query(get_query("council-responses"), {"council": "Borsetshire"}, LocalRunner(loose.store))
    assert staged == responses
