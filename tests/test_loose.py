"""Validating many plan files on their own: shared between two processes, the one report a single process gives."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import write_template

import wpgraph
from wpgraph import loose
from wpgraph.cli.main import main
from wpgraph.validation import run as validation_run
from wpgraph.validation.render import render_json

COUNCILS = 8


@pytest.fixture(scope="module")
def councils_files(tmp_path_factory) -> list[Path]:
    """Eight councils' own plans, each imported from a template with its own gaps, as Turtle files."""
    folder = tmp_path_factory.mktemp("councils")
    rows = [{"ref": "1.1"}, {"ref": "1.2", "met": "No", "gaps": "Recruit two infection control nurses",
                             "when": "31/12/2020"}, {"ref": "1.3", "met": "Partly"}, {"ref": "2.1"}]
    files = []
    for number in range(COUNCILS):
        template = write_template(folder / f"council-{number}.csv", rows[:2 + number % 3],
                                  title=f"Council {number} - Winter Plan - Key Actions")
        out = folder / f"council-{number}.ttl"
        assert main(["import", str(template), "--council", f"Council {number}", "--gss", f"E1000{number:04d}",
                     "-o", str(out)]) == 0
        files.append(out)
    return files


def test_files_checked_in_two_processes_give_the_report_one_process_gives(councils_files, monkeypatch):
    monkeypatch.setattr(loose, "SPLIT_FROM", 2)
    shares: list[tuple[int, bool]] = []
    validate_build = validation_run.validate_build

    def counted(build, **options):  # the shares checked in this process (the second process's are not seen)
        shares.append((len(build.plans), options["catalogue"]))
        return validate_build(build, **options)

    monkeypatch.setattr(validation_run, "validate_build", counted)
    alone = wpgraph.validate(councils_files, jobs=2)  # one process unless asked for two
    assert shares == [(COUNCILS, True)]
    for _ in range(2):
        shared = wpgraph.validate(councils_files, jobs=2, processes=2)
        assert render_json(shared) == render_json(alone) and shared.inputs == alone.inputs
        assert shared.report_triples() == alone.report_triples()
    assert shares[1:] == [(COUNCILS // 2, True)] * 2  # this process checks the catalogue, once
    assert len(alone.plans) == COUNCILS and alone.counts["violation"] > 0


def test_a_bad_file_in_the_second_share_is_named_in_one_line(councils_files, tmp_path, run_cli, monkeypatch):
    monkeypatch.setattr(loose, "SPLIT_FROM", 2)
    bad = tmp_path / "late.nt"
    bad.write_text('<https://w3id.org/wpgraph/id/plan/E99999999> <https://w3id.org/wpgraph/ns#council> "x .\n',
                   encoding="utf-8")
    code, out, err = run_cli("validate", *councils_files, bad, "--jobs", "2")
    assert code == 2 and out == "" and len(err.strip().splitlines()) == 1 and "Traceback" not in err
    assert "late.nt" in err and "line 1" in err, err


def test_two_files_claiming_one_plan_are_refused_across_the_shares(councils_files, tmp_path, run_cli, monkeypatch):
    monkeypatch.setattr(loose, "SPLIT_FROM", 2)
    again = tmp_path / "again.ttl"
    again.write_bytes(councils_files[0].read_bytes())  # the first share holds the first, the second this copy
    files = [*councils_files, again]
    code, _, one_process = run_cli("validate", *files, "--jobs", "1")
    assert code == 2 and "again.ttl" in one_process
    code, _, err = run_cli("validate", *files, "--jobs", "2")
    assert code == 2 and err == one_process
