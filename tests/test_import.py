"""Council plans into the graph: `wpgraph import`, row alignment, and the four seed councils."""

from __future__ import annotations

import csv
import json
from datetime import date
from pathlib import Path

import pytest
from conftest import seed_text
from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, PROV

from wpgraph.entrypoints import import_template
from wpgraph.ingest.dates import parse_due
from wpgraph.ingest.owners import role_types, split_owners
from wpgraph.model.plan import plan_graph
from wpgraph.namespaces import WP, WPID
from wpgraph.resources import bundled

HEADER = ["Reference", "Actions Required by Local Authorities", "Current status", "Requirement fully met (Y/N)?",
          "Actions required to fill gaps", "By Who?", "By When?"]


def aligned(plan) -> dict[str, str | None]:
    return {r.local_ref: r.alignment.requirement for r in plan.responses}


# --------------------------------------------------------------------- the seed councils

def test_wandsworth_answers_70_requirements_by_their_own_references(plans):
    wandsworth = plans["Wandsworth"]
    assert len(wandsworth.responses) == 70
    assert all(r.alignment.method == "reference" and r.alignment.requirement == r.local_ref
               for r in wandsworth.responses)
    partly = sorted((r.local_ref for r in wandsworth.responses if r.met_text == "Partly"),
                    key=lambda ref: tuple(map(int, ref.split("."))))
    assert partly == ["0.2", "1.3", "2.7", "2.9", "2.10", "3.21", "3.25", "3.27"]
    assert sum(r.met_text == "Yes" for r in wandsworth.responses) == 62
    assert not any(r.status_text for r in wandsworth.responses)  # Wandsworth wrote no current status


def test_rutlands_own_numbering_is_aligned_to_the_catalogue(plans):
    rutland = aligned(plans["Rutland"])
    assert len(plans["Rutland"].responses) == 71
    assert rutland["1.13"] == "1.11"
    assert rutland["1.14"] == "1.12"
    assert rutland["1.15"] == "1.13"
    assert rutland["1.16"] == "1.15"
    assert (rutland["2.6"], rutland["2.7"], rutland["2.8"]) == ("2.8", "2.10", "2.11")
    assert all(rutland[f"3.{i}"] == f"3.{i}" for i in range(1, 37))
    assert all(rutland[f"4.{i}"] == f"4.{i}" for i in range(1, 12))


def test_rutlands_ppe_rows_follow_the_december_revision_and_are_not_forced(plans):
    """Rutland's 1.9-1.12 are the December 2020 PPE actions: matched where they ask the same, else unmatched."""
    rutland = aligned(plans["Rutland"])
    assert rutland["1.10"] == "1.9"  # free PPE, directly or through the LRF
    assert rutland["1.11"] == "1.9"  # urgent need: the LRF stockpile
    assert rutland["1.12"] == "1.10"  # report shortages
    assert rutland["1.9"] is None  # "follow all relevant guidance on use of PPE": no September twin


def test_rutland_reports_its_renumbered_references(plans):
    messages = [w.message for w in plans["Rutland"].warnings]
    assert any("reference 1.13 does not match the catalogue's 1.13" in m for m in messages)
    assert any("matches no catalogue requirement" in m for m in messages)


def test_rutland_says_3_21_is_not_met_with_a_due_text_that_is_no_date(plans):
    row = next(r for r in plans["Rutland"].responses if r.local_ref == "3.21")
    assert row.met_text == "No"
    assert [g.text for g in row.gap_actions] == ["Not yet implemented"]
    due = parse_due(row.due_text)
    assert due.text == "2021 tbc" and due.date is None


def test_cheshire_easts_grouped_actions_answer_their_requirements_with_dated_actions(plans, dataset):
    cheshire = plans["Cheshire East"]
    addressed = {r.alignment.requirement for r in cheshire.responses}
    assert {"1.1", "1.4", "2.1", "3.27", "4.8", "NHS-1.1"} <= addressed
    assert all(r.alignment.method == "curated" for r in cheshire.responses)
    venues = next(r for r in cheshire.responses if r.alignment.requirement == "1.14")
    assert {g.due_text for g in venues.gap_actions} == {"16/10/2020"}  # a list of pharmacies as vaccination venues
    graph = dataset.graphs[WPID["graph/plan/E06000049"]]
    dated = [g for g in graph.subjects(WP.dueDate, Literal("2020-10-16", datatype=URIRef(
        "http://www.w3.org/2001/XMLSchema#date")))]
    assert dated and all((None, WP.hasGapAction, g) in graph for g in dated)


# Cheshire East's dated ACTIONs (seed 002), each with the line it starts on and the requirements its words answer.
CHESHIRE_EAST_ACTIONS = [
    ("Send weekly provider briefings", 795, {"1.1"}),
    ("Disseminate any national guidance", 866, {"1.7"}),
    ("We will conitinue to monitor", 932, {"1.9", "1.10"}),
    ("Collate a list of pharmacies", 1006, {"1.14"}),
    ("Recruit sufficent staff to rapidly complete deferred assessment", 1049, {"2.4"}),
    ("Consult with partners on the future structures", 1096, {"2.5"}),
    ("Review Infection Control Funding applications", 1102, {"2.7"}),
    ("The local authority will be discussing the recommendations", 1114, {"2.7"}),
    ("Assesments will be updated", 1363, {"3.7"}),
    ("Face to face assessments", 1370, {"3.7"}),
    ("Further resources to be issued", 1454, {"3.11"}),
    ("Should the decision to operate under easements", 1517, {"3.14"}),
    ("Providers will be made aware", 1582, {"3.18", "3.19"}),
    ("Quality Assurance Officers assessments", 1626, {"3.21"}),
    ("The agency list", 1688, {"3.23"}),
    ("Manage the information published on the website", 1967, {"4.2"}),
    ("We will work closely with CQC", 2051, {"4.7"}),
    ("Write to Department for Health and Social Care", 2099, {"4.8"}),
    ("We have 100% identified", 2311, {"NHS-2.6"}),
]


@pytest.mark.parametrize("start,line,answers", CHESHIRE_EAST_ACTIONS, ids=[a[0][:30] for a in CHESHIRE_EAST_ACTIONS])
def test_each_cheshire_east_action_answers_only_the_requirements_its_words_answer(plans, dataset, start, line,
                                                                                  answers):
    """Given the report's ACTION at its seed line, only the requirement(s) it answers carry it, in the record and
    in the graph, citing that line; not every requirement of its group."""
    assert f"ACTION: {start.split()[0]}" in seed_text("002_0ba6377f5f734d73.txt")[line - 1]
    cheshire = plans["Cheshire East"]
    carrying = {r.alignment.requirement for r in cheshire.responses for g in r.gap_actions if g.text.startswith(start)}
    assert carrying == answers
    gap = next(g for r in cheshire.responses for g in r.gap_actions if g.text.startswith(start))
    assert gap.seed_line == line
    graph = dataset.graphs[WPID["graph/plan/E06000049"]]
    node = next(n for n in graph.subjects(WP.text, Literal(gap.text)) if (n, None, WP.GapAction) in graph)
    in_graph = {str(graph.value(r, WP.addresses)).rsplit("/", 1)[1] for r in graph.subjects(WP.hasGapAction, node)}
    assert in_graph == answers
    lines = {int(graph.value(loc, WP.line)) for loc in graph.objects(node, PROV.wasDerivedFrom)
             if graph.value(loc, WP.line) is not None}
    assert lines == {line}


def test_cheshire_easts_2_6_and_2_7_are_split_where_the_report_splits_them(plans):
    """002 runs 2.6's accommodation sentence into 2.7's "should consider adopting the cohorting and zoning" (line
    1182); 2.7 goes on to "Safety and feasibility …" (line 1188)."""
    seed = seed_text("002_0ba6377f5f734d73.txt")
    responses = {r.alignment.requirement: r for r in plans["Cheshire East"].responses}
    six, seven = responses["2.6"], responses["2.7"]
    assert six.action_text.startswith("Are required to provide appropriate accommodation")
    assert six.action_text.endswith("to cover the costs of providing alternative accommodation")
    assert "cohorting and zoning" not in six.action_text
    assert seven.action_text.startswith("should consider adopting the cohorting and zoning recommendations")
    assert seven.action_text.endswith("Safety and feasibility of implementing these arrangements within their care "
                                      "homes.")
    assert six.seed_lines == (1084, 1176) and seven.seed_lines == (1182, 1188)
    assert seed[1083].strip().startswith("Are required to provide") and "with their respective CCG" in seed[1175]
    assert "accommodation should consider adopting the" in seed[1181]
    assert seed[1187].strip().startswith("Safety and feasibility")


def test_an_action_that_answers_no_requirement_of_its_group_stops_the_build(tmp_path):
    from shutil import copytree

    from wpgraph.errors import InputError
    from wpgraph.ingest.plan_folder import read_plan_folder

    folder = copytree(bundled("data", "plans", "cheshire-east"), tmp_path / "cheshire-east")
    actions = folder / "actions.csv"
    actions.write_text(actions.read_text(encoding="utf-8").replace(",795,1.1,", ",795,4.8,"), encoding="utf-8")
    with pytest.raises(InputError) as caught:
        read_plan_folder(folder / "plan.toml")
    assert "answers 4.8, which is not a requirement of group g01" in str(caught.value)
    assert "actions.csv" in str(caught.value)


def test_leicestershire_states_no_status_owner_or_date_and_none_is_invented(plans, dataset):
    leics = plans["Leicestershire"]
    assert len(leics.responses) == 18
    assert all(r.met_text is None and r.owner_text is None and r.due_text is None for r in leics.responses)
    assert [r.alignment.requirement for r in leics.responses][:4] == ["1.1", "1.7", "1.4", "1.2"]
    graph = dataset.graphs[WPID["graph/plan/E10000018"]]
    assert not list(graph.triples((None, WP.owner, None)))
    assert set(graph.objects(None, WP.complianceStatus)) == {WPID["status/not-stated"]}


@pytest.mark.parametrize("figure,unit,paragraph,supports", [
    ("24,995", "people", "25", "3.27"), ("56", "staff", "28", "1.5"), ("113", "changes", "81", None)])
def test_leicestershires_recovery_figures_become_evidence_with_their_paragraph(dataset, figure, unit, paragraph,
                                                                              supports):
    graph = dataset.graphs[WPID["graph/plan/E10000018"]]
    figures = [f for f in graph.subjects(WP.figureText, Literal(figure)) if str(graph.value(f, WP.unit)) == unit]
    assert figures
    evidence = next(graph.subjects(WP.hasFigure, figures[0]))
    assert str(graph.value(evidence, WP.paragraph)) == paragraph
    documents = {str(graph.value(location, WP.inDocument)) for location in graph.objects(evidence, PROV.wasDerivedFrom)}
    assert any(d.endswith("004_6ef01fe7506a4cba.txt") for d in documents)  # the seed line, beside the data row
    if supports:
        assert WPID[f"requirement/{supports}"] in set(graph.objects(evidence, WP.supports))


@pytest.mark.parametrize("short_name", ["Wandsworth", "Rutland", "Leicestershire", "Cheshire East"])
def test_every_response_cites_seed_lines_that_hold_its_text(plans, short_name):
    plan = plans[short_name]
    lines = seed_text(plan.seed_file)
    for response in plan.responses:
        assert response.seed_lines, response.key
        start = " ".join(response.action_text.split())[:15]
        cited = " ".join(" ".join(lines[n - 1].split()) for n in response.seed_lines)
        assert start in cited, (response.key, start)


@pytest.mark.parametrize("folder", ["wandsworth", "rutland"])
def test_every_non_empty_cell_of_a_transcription_can_be_read_back_from_the_graph(plans, folder):
    """Round trip: nothing a council wrote is lost on the way into the graph."""
    path = bundled("data", "plans", folder, "template.csv")
    record = next(p for p in plans.values() if p.data_file.endswith(f"{folder}/template.csv"))
    graph = plan_graph(record)
    literals = {str(o) for o in graph.objects() if isinstance(o, Literal)}
    lines = {int(str(o)) for o in graph.objects(None, WP.line)}
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    header = {"Reference", "Seed line"} | set(HEADER) | {"Req't fully met (Y/N)?"}
    missing = []
    for cells in rows:
        if set(filter(None, cells)) <= header:
            continue
        *template_cells, seed = cells
        for cell in template_cells:
            if cell.strip() and cell.rstrip() not in literals and cell.strip() not in literals:
                title_parts = str(record.title or "")
                if cell.strip() not in title_parts:
                    missing.append(cell)
        if seed:
            assert {int(n) for n in seed.split(";")} <= lines
    assert missing == []


# --------------------------------------------------------------------- a template never seen before

def _never_seen_rows() -> list[list[str]]:
    header = ["", "Action required of LAs", "Current Status", "Req't fully met (Y/N)?", "Actions to fill gaps",
              "By Who?", "By When?"]
    return [
        ["Borsetshire County Council: Winter plan gap analysis", "", "", "", "", "", ""],
        ["", "", "", "", "", "", ""],
        header,
        ["Theme 1: Preventing and controlling the spread of infection in care settings", "", "", "", "", "", ""],
        ["Managing staff movement", "", "", "", "", "", ""],
        ["1.4", "Distribute money from the Infection Control Fund, and submit returns on how the funding has "
         "been used in line with the grant conditions", "• Round 1 paid out\n• Round 2 underway", "Yes", "",
         "Head of Finance", "30/11/2020"],
        ["", "Keep an eye on Capacity Tracker figures so that worries about staff moving between care settings are "
         "spotted, and chase providers who still let staff move", "Weekly review", "Partly",
         "Chase remaining homes", "Quality Assurance Officer", "December 2020"],
        ["Personal protective equipment (PPE)", "", "", "", "", "", ""],
        ["1.10", "Report shortages to the LRF or to DHSC", "", "Y", "", "Emergency Planning", "Ongoing"],
        ["1.11", "Replace the fleet of council gritting lorries before the first frost", "", "No",
         "Procure lorries", "Highways", "31/02/2021"],
        ["Theme 3: Supporting people who receive social care, the workforce, and carers", "", "", "", "", "", ""],
        HEADER,
        ["Shielding and people who are clinically extremely vulnerable", "", "", "", "", "", ""],
        ["3.27", "Local authorities will coordinate local support if shielding is reintroduced in a local area. This "
         "includes provision of enhanced care and support for CEV people on the shielded persons list", "", "yes",
         "", "DASS; Director of Public Health", "2021 tbc"],
    ]


def _write_csv(path: Path, rows: list[list[str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(rows)
    return path


def _write_xlsx(path: Path, rows: list[list[str]], sheet: str = "Gap analysis") -> Path:
    from openpyxl import Workbook

    workbook = Workbook()
    worksheet = workbook.active
    worksheet.title = sheet
    for row in rows:
        worksheet.append(row)
    workbook.save(path)
    return path


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_a_template_never_seen_before_is_aligned_and_its_stray_row_reported(run_cli, tmp_path, suffix):
    path = tmp_path / f"borsetshire{suffix}"
    (_write_csv if suffix == ".csv" else _write_xlsx)(path, _never_seen_rows())
    out = tmp_path / "borsetshire.ttl"
    code, stdout, _ = run_cli("import", path, "--council", "Borsetshire County Council", "--gss", "E10000099",
                              "-o", out, "--format", "json")
    report = json.loads(stdout)
    assert code == 0
    assert report["rows"] == 5
    found = {r["row"]: (r["localRef"], r["requirement"], r["method"]) for r in report["responses"]}
    assert found[6] == ("1.4", "1.4", "reference")
    assert found[7] == (None, "1.8", "text")  # blank reference, paraphrased action
    assert found[9] == ("1.10", "1.10", "reference")
    assert found[14] == ("3.27", "3.27", "reference")
    assert [(u["row"], u["localRef"]) for u in report["unmatched"]] == [(10, "1.11")]
    assert any(w["row"] == 10 and "31/02/2021" in w["message"] for w in report["warnings"])
    assert out.exists() and b"E10000099" in out.read_bytes()


def test_an_imported_template_keeps_topics_owners_and_dates_in_the_graph(tmp_path):
    plan = import_template(_write_csv(tmp_path / "b.csv", _never_seen_rows()), council="Borsetshire",
                           gss="E10000099")
    graph = plan_graph(plan)
    row = URIRef(f"{plan.iri}/response/row-7")
    assert str(graph.value(row, WP.localTopic)) == "Managing staff movement"
    assert graph.value(row, WP.complianceStatus) == WPID["status/partly-met"]
    assert graph.value(row, WP.dueDate) == Literal("2020-12-31", datatype=URIRef(
        "http://www.w3.org/2001/XMLSchema#date"))
    assert str(graph.value(row, WP.duePrecision)) == "month"
    owners = {str(graph.value(o, URIRef("http://www.w3.org/2000/01/rdf-schema#label")))
              for o in graph.objects(URIRef(f"{plan.iri}/response/row-14"), WP.owner)}
    assert owners == {"DASS", "Director of Public Health"}
    evidence = list(graph.objects(URIRef(f"{plan.iri}/response/row-6"), WP.hasEvidence))
    assert len(evidence) == 2  # one statement per bullet
    assert str(graph.value(URIRef(f"{plan.iri}/response/row-10"), WP.dueDateProblem)).startswith('"31/02/2021"')
    assert (URIRef(plan.iri), DCTERMS.title, None) in graph


def test_evidence_and_gap_actions_of_an_imported_template_say_which_row_they_came_from(tmp_path):
    plan = import_template(_write_csv(tmp_path / "b.csv", _never_seen_rows()), council="Borsetshire",
                           gss="E10000099")
    graph = plan_graph(plan)

    def rows_of(node) -> set[int]:
        return {int(graph.value(loc, WP.row)) for loc in graph.objects(node, PROV.wasDerivedFrom)
                if graph.value(loc, WP.row) is not None}

    response = URIRef(f"{plan.iri}/response/row-6")
    for evidence in graph.objects(response, WP.hasEvidence):
        assert rows_of(evidence) == {6}
    gap = graph.value(URIRef(f"{plan.iri}/response/row-7"), WP.hasGapAction)
    assert rows_of(gap) == {7}


# --------------------------------------------------------------------- bad input

@pytest.mark.parametrize("name,content,message", [
    ("empty.csv", b"", "the file is empty"),
    ("garbage.csv", bytes(range(256)) * 4, "binary data"),
    ("latin1.csv", "Reference,Action,Current status\n1.1,caf\xe9".encode("latin-1"), "not UTF-8"),
    ("noheader.csv", b"a,b,c\n1,2,3\n", "no header row found"),
    ("missing.csv", b"Reference,Actions Required by Local Authorities,Current status,"
                    b"Requirement fully met (Y/N)?,By Who?\n1.1,x,y,Yes,z\n", "Actions required to fill gaps"),
    ("fake.xlsx", b"PK\x03\x04 not really a workbook", "not an XLSX workbook"),
    ("plan.pdf", b"%PDF-1.4", "use .csv or .xlsx"),
])
def test_bad_templates_are_refused_with_one_line_naming_the_file(run_cli, tmp_path, name, content, message):
    path = tmp_path / name
    path.write_bytes(content)
    out = tmp_path / "out.ttl"
    code, stdout, stderr = run_cli("import", path, "-o", out)
    assert code == 2
    assert name in stderr and message in stderr
    assert stderr.count("\n") == 1 and "Traceback" not in stderr
    assert not out.exists() and stdout == ""


def test_a_missing_column_names_the_header_row(run_cli, tmp_path):
    path = tmp_path / "titled.csv"
    path.write_text("My council\nReference,Action,Current status,Requirement fully met (Y/N)?,By Who?,By When?\n")
    code, _, stderr = run_cli("import", path)
    assert code == 2 and "row 2" in stderr and "Actions required to fill gaps" in stderr


def test_an_unknown_sheet_is_refused_naming_the_sheets(run_cli, tmp_path):
    path = _write_xlsx(tmp_path / "plan.xlsx", _never_seen_rows())
    code, _, stderr = run_cli("import", path, "--sheet", "Nope")
    assert code == 2 and "no sheet 'Nope'" in stderr and "Gap analysis" in stderr


def test_a_bad_gss_code_is_refused(run_cli, tmp_path):
    path = _write_csv(tmp_path / "p.csv", _never_seen_rows())
    code, _, stderr = run_cli("import", path, "--gss", "Rutland")
    assert code == 2 and "GSS code" in stderr


# --------------------------------------------------------------------- cells

@pytest.mark.parametrize("text,expected,precision", [
    ("30 November 2020", date(2020, 11, 30), "day"),
    ("30/11/2020", date(2020, 11, 30), "day"),
    ("2021-03-31", date(2021, 3, 31), "day"),
    ("30 Sep 2020", date(2020, 9, 30), "day"),
    ("November 2020", date(2020, 11, 30), "month"),
    ("Ongoing", None, None),
    ("2021 tbc", None, None),
    ("Actioned Feb 2021 Actioned", None, None),
])
def test_due_dates_are_read_only_when_the_whole_cell_states_one(text, expected, precision):
    due = parse_due(text)
    assert due.text == text and due.date == expected and due.precision == precision and due.problem is None


def test_an_impossible_date_is_kept_as_text_and_reported_never_coerced():
    due = parse_due("31/02/2021")
    assert due.date is None and "not a date that exists" in due.problem


@pytest.mark.parametrize("cell,owners", [
    ("Head of Health and Care Strategy/ AD Commissioning", ["Head of Health and Care Strategy", "AD Commissioning"]),
    ("RISE Care Home Co-ordinator and RISE Homecare Co-ordinator. DASS for overview and escalation",
     ["RISE Care Home Co-ordinator", "RISE Homecare Co-ordinator", "DASS for overview and escalation"]),
    ("Human Resources RISE Care home Co-ordinator\nCommunity Care Services Manager",
     ["Human Resources", "RISE Care home Co-ordinator", "Community Care Services Manager"]),
    ("Service Manager\nHospital Discharge", ["Service Manager Hospital Discharge"]),
    ("<p>Head of Service Community Care Services</p> <p>Head of Commissioning</p>",
     ["Head of Service Community Care Services", "Head of Commissioning"]),
])
def test_a_by_who_cell_is_split_into_the_roles_it_names(cell, owners):
    assert split_owners(cell) == owners


def test_role_titles_are_matched_to_role_types():
    kinds = {str(k).rsplit("/", 1)[1] for k in role_types("Director of Adult Social Care and Public Health")}
    assert kinds == {"DASS", "DPH"}
    assert {str(k).rsplit("/", 1)[1] for k in role_types("AD Commissioning")} == {"CommissioningLead"}
    assert role_types("Senior managers and key roles") == []


def test_a_post_spelt_two_ways_is_one_role_with_one_label(plans):
    """Regression: Rutland writes "RISE Care Home Co-ordinator" and "RISE Care home Co-ordinator"."""
    from rdflib.namespace import RDFS, SKOS

    graph = plan_graph(plans["Rutland"])
    role = WPID["council/E06000017/role/rise-care-home-co-ordinator"]
    assert [str(label) for label in graph.objects(role, RDFS.label)] == ["RISE Care Home Co-ordinator"]
    assert Literal("RISE Care home Co-ordinator") in set(graph.objects(role, SKOS.hiddenLabel))


def _curated_rows(folder: str, name: str) -> list[dict[str, str]]:
    with bundled("data", "plans", folder, name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.mark.parametrize("folder,name,seed,text_column,line_column", [
    ("leicestershire", "recovery-evidence.csv", "004_6ef01fe7506a4cba.txt", "figure_text", "seed_line"),
    ("leicestershire", "appendix-a.csv", "000_a2021ea3f0993287.txt", "action_taken", "taken_line"),
    ("cheshire-east", "actions.csv", "002_0ba6377f5f734d73.txt", "action", "seed_line"),
    ("cheshire-east", "groups.csv", "002_0ba6377f5f734d73.txt", "topic", "seed_line"),
])
def test_every_curated_fact_names_a_seed_line_that_holds_it(folder, name, seed, text_column, line_column):
    lines = seed_text(seed)
    document = "".join("".join(lines).split())  # without white space: PDF lines break words and links
    for row in _curated_rows(folder, name):
        first = int(row[line_column].split(";")[0])
        # the text starts on the cited line; the PDF's columns interleave the rest with other cells,
        # so the first word is checked there and every word against the document
        words = row[text_column].split()
        assert words[0] in lines[first - 1], (name, row[line_column], words[0])
        assert all(word in document for word in words), (name, row[line_column])
