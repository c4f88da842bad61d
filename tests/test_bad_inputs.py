"""Files a council might hand in, broken in every way we have seen: each is read with warnings or refused in one line.

The contract for ``wpgraph import`` (and every command that reads a template):
exit 0, perhaps with warnings, or exit 2 with one line naming the file (and the
row where there is one); never a traceback, never a half-written output, never
a row silently dropped.
"""

from __future__ import annotations

import csv
import json
import shutil
import zipfile
from pathlib import Path

import pytest
from conftest import write_template

from wpgraph.ingest.template import read_template
from wpgraph.ingest.workbook import XLSX_MAX_RATIO
from wpgraph.resources import bundled

RUTLAND = bundled("data", "plans", "rutland", "template.csv")
SHEET = "xl/worksheets/sheet1.xml"


def assert_refused(code: int, out: str, err: str, *words: str) -> str:
    """Exit 2, one line on stderr naming the file, no traceback."""
    assert code == 2, (out, err)
    lines = err.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in err, err
    for word in words:
        assert word in lines[0], lines[0]
    return lines[0]


def rewrite_member(source: Path, target: Path, member: str, change) -> Path:
    """A copy of a workbook with one zip member changed (``change`` returns new bytes, or None to drop it)."""
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == member:
                data = change(data)
            if data is not None:
                zout.writestr(item, data)
    return target


@pytest.fixture
def workbook(tmp_path) -> Path:
    return write_template(tmp_path / "borsetshire.xlsx")


# --------------------------------------------------------------------------- rows and headings

def test_a_row_numbered_for_another_theme_than_its_heading_is_aligned_by_its_own_number(tmp_path, run_cli):
    """Rutland's template with its "Theme 2" line removed: rows 2.x stand under theme 1's heading."""
    lines = RUTLAND.read_text(encoding="utf-8").splitlines(keepends=True)
    edited = tmp_path / "rutland.csv"
    edited.write_text("".join(line for line in lines if not line.startswith("Theme 2")), encoding="utf-8")
    code, out, err = run_cli("import", edited, "--format", "json")
    assert code == 0, err
    summary = json.loads(out)
    by_ref = {r["localRef"]: r["requirement"] for r in summary["responses"]}
    assert (by_ref["2.6"], by_ref["2.7"], by_ref["2.8"]) == ("2.8", "2.10", "2.11")  # as with the heading there


def test_a_template_without_its_header_row_is_refused_naming_the_first_response(tmp_path, run_cli):
    lines = RUTLAND.read_text(encoding="utf-8").splitlines(keepends=True)
    headless = tmp_path / "rutland.csv"
    headless.write_text("".join(lines[:2] + lines[3:]), encoding="utf-8")  # row 3 is the header
    code, out, err = run_cli("import", headless, "-o", tmp_path / "out.ttl")
    assert_refused(code, out, err, str(headless), "row 3:", "header row")
    assert not (tmp_path / "out.ttl").exists()


def test_a_response_whose_short_cells_read_like_header_words_is_kept(tmp_path, run_cli):
    """Only a row of header words is a repeated header; one with an answer among them is a response."""
    plan = write_template(tmp_path / "plan.csv", rows=[
        {"ref": "1.1"},
        {"ref": "", "action": "Owner to be confirmed", "status": "Status: in progress", "met": "Yes",
         "gaps": "Gap actions agreed", "who": "Lead officer", "when": "Ongoing"}])
    code, out, err = run_cli("import", plan, "--format", "json")
    assert code == 0, err
    summary = json.loads(out)
    assert summary["rows"] == 2 and {"row": 5, "localRef": None, "text": "Owner to be confirmed"} in \
        summary["unmatched"]


def test_a_template_with_only_its_header_says_it_is_not_filled_in(tmp_path, run_cli):
    empty = write_template(tmp_path / "empty.csv", rows=[])
    assert_refused(*run_cli("import", empty), str(empty), "no responses below the header row (3)")


def test_a_status_the_template_does_not_know_is_a_finding_of_its_own(tmp_path, run_cli):
    """ "Maybe" is an answer, but not Yes, Partly or No: reported as such, not as unanswered."""
    plan = write_template(tmp_path / "maybe.csv", rows=[{"ref": "1.1", "met": "Maybe"}, {"ref": "1.2", "met": ""}])
    code, out, err = run_cli("validate", plan, "--format", "json")
    status_findings = {r["shape"].rsplit("#", 1)[-1]: r["source"] for r in json.loads(out)["results"]
                       if r["requirement"] in ("1.1", "1.2") and "Status" in r["shape"]}
    assert status_findings == {"ResponseStatusIsKnown": "maybe.csv:4", "ResponseStatesStatus": "maybe.csv:5"}


def test_a_template_longer_than_the_stated_bound_is_refused_naming_the_row(tmp_path, run_cli):
    from wpgraph.ingest.template import TEMPLATE_MAX_RESPONSES

    rows = [{"ref": f"1.{1 + i % 5}"} for i in range(TEMPLATE_MAX_RESPONSES + 1)]
    long = write_template(tmp_path / "long.csv", rows=rows)
    line = assert_refused(*run_cli("import", long), str(long), f"more than {TEMPLATE_MAX_RESPONSES} responses")
    assert f"row {TEMPLATE_MAX_RESPONSES + 4}:" in line  # title, theme, header, then the responses


# --------------------------------------------------------------------------- workbooks

def test_a_workbook_with_a_dtd_or_entities_is_refused_and_nothing_is_fetched(workbook, tmp_path, run_cli):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET", encoding="utf-8")
    xxe = f'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "{secret.as_uri()}">]>'.encode()
    attack = rewrite_member(workbook, tmp_path / "xxe.xlsx", SHEET, lambda d: xxe + d.split(b"?>", 1)[-1]
                            .replace(b"<t>", b"<t>&e;", 1) if d.startswith(b"<?xml") else xxe + d.replace(
                                b"<t>", b"<t>&e;", 1))
    code, out, err = run_cli("import", attack)
    assert_refused(code, out, err, str(attack), "XML entities or a DTD")
    assert "TOP-SECRET" not in out + err
    laughs = (b'<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "lol"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">'
              b'<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;">]>')
    bomb = rewrite_member(workbook, tmp_path / "laughs.xlsx", SHEET, lambda d: laughs + d.split(b"?>", 1)[-1]
                          if d.startswith(b"<?xml") else laughs + d)
    assert_refused(*run_cli("import", bomb), str(bomb), "XML entities or a DTD")


@pytest.mark.parametrize("story, change, words", [
    ("a sheet cut in half", lambda d: d[: len(d) // 2], ["unreadable worksheet"]),
    ("the sheet missing", lambda d: None, ["no worksheet"]),
    ("a number cell holding text", lambda d: d.replace(b'<c r="A4" t="inlineStr"><is><t>1.1</t></is></c>',
                                                       b'<c r="A4" t="n"><v>abc</v></c>'), ["row 4:"]),
    ("a shared string that does not exist", lambda d: d.replace(b'<c r="A4" t="inlineStr"><is><t>1.1</t></is></c>',
                                                                b'<c r="A4" t="s"><v>9999</v></c>'), ["row 4:"]),
    ("a date cell that is no date", lambda d: d.replace(b'<c r="A4" t="inlineStr"><is><t>1.1</t></is></c>',
                                                        b'<c r="A4" t="d"><v>soon</v></c>'), ["row 4:"]),
])
def test_a_broken_worksheet_is_refused_in_one_line(workbook, tmp_path, run_cli, story, change, words):
    if story != "the sheet missing":
        assert b'<c r="A4" t="inlineStr"><is><t>1.1</t></is></c>' in zipfile.ZipFile(workbook).read(SHEET) or \
            story == "a sheet cut in half"
    broken = rewrite_member(workbook, tmp_path / "broken.xlsx", SHEET, change)
    assert_refused(*run_cli("import", broken), str(broken), *words)


def test_a_broken_workbook_part_is_refused_in_one_line(workbook, tmp_path, run_cli):
    broken = rewrite_member(workbook, tmp_path / "broken.xlsx", "xl/workbook.xml", lambda d: d[:40])
    assert_refused(*run_cli("import", broken), str(broken), "not a readable XLSX workbook")


def test_a_chart_sheet_first_is_passed_over_for_the_first_worksheet(tmp_path, run_cli):
    from openpyxl import Workbook
    from openpyxl.chart import BarChart, Reference

    book = Workbook()
    sheet = book.active
    with write_template(tmp_path / "plan.csv").open(encoding="utf-8") as handle:
        for cells in csv.reader(handle):
            sheet.append(cells)
    chart = BarChart()
    chart.add_data(Reference(sheet, min_col=1, min_row=4, max_row=8))
    book.create_chartsheet("Chart", 0).add_chart(chart)
    book.save(tmp_path / "chart-first.xlsx")
    code, out, err = run_cli("import", tmp_path / "chart-first.xlsx")
    assert code == 0 and "5 rows, 5 aligned" in out, err


def test_an_encrypted_zip_is_refused_before_anything_is_read(workbook, tmp_path, run_cli):
    data = bytearray(workbook.read_bytes())
    for signature, flags in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):  # set "encrypted" on every member
        at = data.find(signature)
        while at >= 0:
            data[at + flags] |= 1
            at = data.find(signature, at + 4)
    locked = tmp_path / "locked.xlsx"
    locked.write_bytes(bytes(data))
    assert_refused(*run_cli("import", locked), str(locked), "encrypted", "without a password")


def test_an_office_encrypted_workbook_is_refused(tmp_path, run_cli):
    ole = tmp_path / "protected.xlsx"  # Excel saves a password-protected workbook as an OLE file, not a zip
    ole.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600))
    assert_refused(*run_cli("import", ole), str(ole), "not an XLSX workbook")


def test_a_zip_bomb_is_refused_from_the_zip_directory_before_it_is_inflated(workbook, tmp_path, run_cli):
    padding = b" " * (50 * 1024 * 1024)  # 50 MB of blanks, a few tens of kB packed
    bomb = rewrite_member(workbook, tmp_path / "bomb.xlsx", SHEET,
                          lambda d: d.replace(b"<sheetData>", b"<sheetData>" + padding))
    assert bomb.stat().st_size < 1024 * 1024
    assert_refused(*run_cli("import", bomb), str(bomb), "possible zip bomb", f"limit {XLSX_MAX_RATIO}")


def test_a_cell_over_excels_limit_is_refused_naming_its_row(workbook, tmp_path, run_cli):
    status = b"In place: weekly provider bulletin."
    big = rewrite_member(workbook, tmp_path / "big.xlsx", SHEET, lambda d: d.replace(status, status * 1200, 2)
                         .replace(status * 1200, status, 1))  # row 5's status, 42,000 characters
    assert_refused(*run_cli("import", big), str(big), "row 5:", "32767 characters")


# --------------------------------------------------------------------------- RDF plan files

def test_a_literal_over_the_parsers_16_mb_is_refused_in_one_line(tmp_path, run_cli):
    huge = tmp_path / "huge.ttl"
    with huge.open("w", encoding="utf-8") as handle:
        handle.write('<urn:x> <urn:p> "')
        handle.write("x" * (17 * 1024 * 1024))
        handle.write('" .\n')
    assert_refused(*run_cli("validate", huge), str(huge), "cannot parse as Turtle")


def test_an_rdf_file_of_a_million_triples_is_refused_while_it_is_read(tmp_path, run_cli):
    from wpgraph.rdfio import PLAN_MAX_TRIPLES

    many = tmp_path / "many.nt"
    with many.open("w", encoding="utf-8") as handle:
        for i in range(1_000_000):  # a million: above the limit
            handle.write(f'<urn:x:{i}> <urn:p> "{i}" .\n')
    code, out, err = run_cli("validate", many)
    assert_refused(code, out, err, str(many), f"more than {PLAN_MAX_TRIPLES:,} triples")


def test_a_small_file_packing_many_triples_is_refused_too(tmp_path, run_cli, monkeypatch):
    """A file small enough for the store to load whole, but densely packed: the same refusal. (A 2 MB file cannot
    hold the real limit's 800,000 distinct triples, so the limit is lowered for the story.)"""
    from wpgraph import rdfio
    from wpgraph.dataset import staging

    PLAN_MAX_TRIPLES = 100_000
    monkeypatch.setattr(rdfio, "PLAN_MAX_TRIPLES", PLAN_MAX_TRIPLES)
    monkeypatch.setattr(staging, "PLAN_MAX_TRIPLES", PLAN_MAX_TRIPLES)

    dense = tmp_path / "dense.ttl"
    plan, council = "https://w3id.org/wpgraph/id/plan/dense", "https://w3id.org/wpgraph/id/council/dense"
    dense.write_text(f"<{plan}> a <https://w3id.org/wpgraph/ns#CouncilPlan> ; "
                     f"<https://w3id.org/wpgraph/ns#council> <{council}> ;\n"
                     "  <http://www.w3.org/2000/01/rdf-schema#comment> "
                     + ", ".join(str(i) for i in range(PLAN_MAX_TRIPLES + 10)) + " .\n", encoding="utf-8")
    assert dense.stat().st_size < 1024 * 1024
    assert_refused(*run_cli("validate", dense), str(dense), f"more than {PLAN_MAX_TRIPLES:,} triples")


def test_the_bundled_templates_still_read_whole(tmp_path):
    for name in ("rutland", "wandsworth"):
        copy = tmp_path / f"{name}.csv"
        shutil.copy(bundled("data", "plans", name, "template.csv"), copy)
        assert len(read_template(copy).rows) in (70, 71)
