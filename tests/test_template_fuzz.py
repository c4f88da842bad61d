"""Edited copies of the bundled templates, as a council's officers might leave them: the importer's contract holds.

Hypothesis mutates Rutland's and Wandsworth's templates (rows deleted, moved,
duplicated, cells overwritten with odd text, the file cut short, bytes thrown
in) and saves them as .csv or .xlsx. For every one, ``wpgraph import FILE -o
OUT`` run as a user runs it (a subprocess, with a time limit that only
catches a hang) must:

- exit 0 (with warnings), or exit 2 with one line on stderr naming the file;
- never print a traceback, never leave an output file behind on failure;
- drop no row silently: on success every non-blank row below the header is a
  response, a heading or a repeated header.

Bounded: a fixed number of examples, no deadline per example (no timings).
"""

from __future__ import annotations

import csv
import io
import os
import subprocess
import sys
from pathlib import Path

import pytest

hypothesis = pytest.importorskip("hypothesis")
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from wpgraph.ingest.template import LOCAL_REF, _header_columns, read_cells, read_template, role_of  # noqa: E402
from wpgraph.resources import bundled  # noqa: E402

TEMPLATES = {name: list(csv.reader(io.StringIO(bundled("data", "plans", name, "template.csv")
                                               .read_text(encoding="utf-8-sig"), newline="")))
             for name in ("rutland", "wandsworth")}
HANG_LIMIT = 120  # seconds: a hang detector, not a timing assertion
ODD_CELLS = ["", " ", "Maybe", "yes", "PARTLY", "N/A", "31/02/2021", "2021-13-45", "Theme 9: nothing", "Theme 2",
             "1.1", "9.99", "0.0", "=1+1", "\x1b[31mred\x1b[0m", "<b>bold</b> | pipe", "<!-- -->", "</script>",
             "\x00", "\x07bell", "é" * 50, "x" * 5000, "Reference", "By Who?", "Action", "\ufeff", "\r\n", '"',
             "Requirement fully met (Y/N)?", "1.1.1.1", "3.", "Complete"]


@st.composite
def mutated(draw) -> tuple[str, list[list[str]]]:
    name = draw(st.sampled_from(sorted(TEMPLATES)))
    rows = [list(r) for r in TEMPLATES[name]]
    for _ in range(draw(st.integers(1, 6))):
        kind = draw(st.sampled_from(["delete", "duplicate", "move", "cell", "cell", "truncate", "blank", "widen"]))
        if not rows:
            break
        at = draw(st.integers(0, len(rows) - 1))
        if kind == "delete":
            del rows[at]
        elif kind == "duplicate":
            rows.insert(at, list(rows[at]))
        elif kind == "move":
            rows.insert(draw(st.integers(0, len(rows) - 1)), rows.pop(at))
        elif kind == "cell" and rows[at]:
            column = draw(st.integers(0, len(rows[at]) - 1))
            rows[at][column] = draw(st.sampled_from(ODD_CELLS) | st.text(max_size=40))
        elif kind == "truncate":
            rows = rows[:at]
        elif kind == "blank":
            rows[at] = [""] * len(rows[at])
        elif kind == "widen":
            rows[at] = rows[at] + [draw(st.sampled_from(ODD_CELLS))]
    return name, rows


def save(rows: list[list[str]], path: Path) -> None:
    if path.suffix == ".xlsx":
        from openpyxl import Workbook
        from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

        book = Workbook()
        sheet = book.active
        for cells in rows:  # a workbook cannot hold control characters: Excel would have refused them too
            sheet.append([ILLEGAL_CHARACTERS_RE.sub("", c) for c in cells])
        book.save(path)
    else:
        with path.open("w", newline="", encoding="utf-8") as handle:
            csv.writer(handle).writerows(rows)


def run_import(path: Path, out: Path) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [str(Path(__file__).parents[1]),
                                                                     os.environ.get("PYTHONPATH")])))
    try:
        return subprocess.run([sys.executable, "-m", "wpgraph", "import", str(path), "-o", str(out)],
                              capture_output=True, text=True, timeout=HANG_LIMIT, env=env)
    except subprocess.TimeoutExpired:
        pytest.fail(f"wpgraph import hung (over {HANG_LIMIT} s) on {path}")


def check_contract(path: Path, tmp: Path) -> None:
    out = tmp / "plan.ttl"
    out.unlink(missing_ok=True)
    done = run_import(path, out)
    assert "Traceback" not in done.stderr, done.stderr
    assert done.returncode in (0, 2), (done.returncode, done.stderr)
    if done.returncode == 2:
        lines = done.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith(f"wpgraph import: {path}"), done.stderr
        assert not out.exists() and not list(tmp.glob(".plan.ttl.*"))
        return
    assert out.stat().st_size > 0
    accounted_for(path)


def accounted_for(path: Path) -> None:
    """Every non-blank row below the header is a response, a heading or the header repeated: none dropped."""
    template = read_template(path)
    kept = {r.row for r in template.rows} | {row for row, _, _ in template.headings}
    for number, cells in read_cells(path):
        if number <= template.header_row or not any(c.strip() for c in cells):
            continue
        repeated_header = len(_header_columns(cells)) >= 3 and not any(LOCAL_REF.match(c) for c in cells[:1]) \
            and all(role_of(c) for c in cells[:-1] if c.strip())  # header words only (the last: seed line)
        seed_only = len([c for c in cells if c.strip()]) == 1 and cells[-1].strip().isdigit()
        assert number in kept or repeated_header or seed_only, f"row {number} of {path} dropped: {cells}"


COMMON = settings(max_examples=int(os.environ.get("WPGRAPH_FUZZ_EXAMPLES", "25")), deadline=None, derandomize=True,
                  suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


@COMMON
@given(mutated())
def test_an_edited_csv_template_is_imported_or_refused_in_one_line(tmp_path, case):
    name, rows = case
    path = tmp_path / f"{name}.csv"
    save(rows, path)
    check_contract(path, tmp_path)


@settings(COMMON, max_examples=max(5, COMMON.max_examples // 3))
@given(mutated())
def test_an_edited_xlsx_template_is_imported_or_refused_in_one_line(tmp_path, case):
    name, rows = case
    path = tmp_path / f"{name}.xlsx"
    save(rows, path)
    check_contract(path, tmp_path)
