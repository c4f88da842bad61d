"""Shared fixtures: the bundled data, built once per test session."""

from __future__ import annotations

import os
import shutil
import sys
import sysconfig
from pathlib import Path

import pytest

from wpgraph.resources import bundled

IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


@pytest.fixture(scope="session")
def workdir(tmp_path_factory) -> Path:
    """A folder holding the bundled plans' build as ``./build``: where the CLI tests run, as a user would."""
    import wpgraph

    folder = tmp_path_factory.mktemp("work")
    wpgraph.build(build=folder / "build")
    return folder


@pytest.fixture(scope="session")
def bundled_build(workdir) -> Path:
    """The build folder of the bundled plans (do not change it: make your own with wpgraph.build)."""
    return workdir / "build"


@pytest.fixture(scope="session")
def built(bundled_build):
    """The bundled build, open for reading."""
    import wpgraph

    with wpgraph.open_build(bundled_build) as build:
        yield build


class NamedGraphs:
    """A build's named graphs as rdflib graphs, for tests that look at triples."""

    def __init__(self, build) -> None:
        self.build = build
        from rdflib import URIRef

        self.graphs = {URIRef(name): build.rdflib_graph([name]) for name in build.manifest.graphs()}

    def merged(self):
        return self.build.rdflib_graph()

    def __len__(self) -> int:
        return self.build.manifest.triples


@pytest.fixture(scope="session")
def dataset(built) -> NamedGraphs:
    """Every bundled plan, with ontology, vocabularies and catalogue, graph by graph."""
    return NamedGraphs(built)


@pytest.fixture(scope="session")
def plans():
    """The bundled plans' records, by short name."""
    from wpgraph.align import align_plan
    from wpgraph.ingest.plan_folder import read_plan_folder

    records = [align_plan(read_plan_folder(p)) for p in sorted(bundled("data", "plans").glob("*/plan.toml"))]
    return {r.short_name: r for r in records}


def seed_text(name: str) -> list[str]:
    """A seed document's lines (1-based access: lines[n - 1])."""
    return bundled("data", "sources", name).read_text(encoding="utf-8").splitlines()


# Where each tool comes from, for the message when it is missing.
TOOL_SOURCES = {"oxigraph": "pip install oxigraph (a test extra)", "chromium": "apt-get install chromium",
                "dot": "apt-get install graphviz", "chromedriver": "apt-get install chromium-driver",
                "virtuoso-t": "apt-get install virtuoso-opensource",
                "isql-vt": "apt-get install virtuoso-opensource"}


def find_tool(name: str) -> str | None:
    """A command-line tool, looked for where wpgraph runs from before the PATH.

    The ``oxigraph`` server comes with the test extra into the virtual environment's
    ``bin/``, which is not on the PATH of a plain shell or of CI: look beside the
    running Python first, then on the PATH, then in the system's own folders.
    """
    scripts = [Path(sysconfig.get_path("scripts")), Path(sys.executable).parent]
    for folder in scripts:
        candidate = folder / name
        if candidate.is_file() and os.access(candidate, os.X_OK):
            return str(candidate)
    return shutil.which(name) or shutil.which(name, path="/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin")


def require_tool(name: str) -> str:
    """A command-line tool a test needs: skipped with the true reason on a laptop without it, a failure in CI."""
    path = find_tool(name)
    if path is None:
        how = TOOL_SOURCES.get(name, "install it")
        if IN_CI:
            pytest.fail(f"{name} is not installed; .ci/run should have installed it ({how})")
        pytest.skip(f"{name} is not installed ({how})")
    return path


@pytest.fixture
def run_cli(capsys, workdir, monkeypatch):
    """Run ``wpgraph ARGS`` in-process, in a folder whose ./build holds the bundled plans; (exit code, out, err)."""
    from wpgraph.cli.main import main

    monkeypatch.chdir(workdir)

    def run(*argv: str | Path) -> tuple[int, str, str]:
        try:
            code = main([str(a) for a in argv])
        except SystemExit as exit_:  # argparse's --help / --version / usage errors
            code = exit_.code if isinstance(exit_.code, int) else 2
        out, err = capsys.readouterr()
        return code, out, err

    return run


TEMPLATE_HEADER = ["Reference", "Actions Required by Local Authorities", "Current status",
                   "Requirement fully met (Y/N)?", "Actions required to fill gaps", "By Who?", "By When?"]


# Two rows of one council that both take in 1.14 (directing providers to local vaccination venues) beside their
# own requirement: each answers 1.14 through a secondary link, and neither repeats the other.
_VENUES = ", including directing providers to local vaccination venues."
ROWS_TAKING_IN_1_14 = [
    {"ref": "1.13", "action": "Support communications campaigns encouraging eligible staff and people who receive "
                              "care to receive a free flu vaccine" + _VENUES},
    {"ref": "1.15", "action": "Work with local NHS partners to facilitate and encourage the delivery of flu vaccines "
                              "to social care staff and residents in care homes" + _VENUES}]


def write_template(path: Path, rows: list[dict[str, str]] | None = None,
                   title: str = "Borsetshire County Council - Winter Plan - Key Actions") -> Path:
    """A filled LGA gap-analysis template, as a council would hand one in (CSV, or XLSX by the suffix).

    ``rows``: dicts with ``ref`` and optionally ``action`` (default: the catalogue's text), ``status``,
    ``met``, ``gaps``, ``who``, ``when``. Default: the first five requirements of theme 1, all met.
    """
    from wpgraph.reference.catalogue import by_reference

    catalogue = by_reference()
    if rows is None:
        rows = [{"ref": f"1.{i}"} for i in range(1, 6)]
    table = [[title], ["Theme 1: Preventing and controlling the spread of infection in care settings"],
             TEMPLATE_HEADER]
    for row in rows:
        ref = row["ref"]
        table.append([ref, row.get("action", catalogue[ref].text if ref in catalogue else ""),
                      row.get("status", "In place: weekly provider bulletin."), row.get("met", "Yes"),
                      row.get("gaps", ""), row.get("who", "Head of Commissioning"), row.get("when", "Complete")])
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.suffix.lower() == ".xlsx":
        from openpyxl import Workbook

        workbook = Workbook()
        sheet = workbook.active
        for cells in table:
            sheet.append(cells)
        workbook.save(path)
    else:
        import csv

        with path.open("w", newline="", encoding="utf-8") as handle:
            csv.writer(handle).writerows(table)
    return path


def write_plan_folder(folder: Path, council: str = "Borsetshire County Council", short_name: str = "Borsetshire",
                      gss: str = "E10000099", rows: list[dict[str, str]] | None = None) -> Path:
    """A plan folder: a template and the plan.toml that names its council."""
    write_template(folder / "template.csv", rows)
    (folder / "plan.toml").write_text(f'council = "{council}"\nshort_name = "{short_name}"\ngss = "{gss}"\n'
                                      'format = "template"\nfile = "template.csv"\n', encoding="utf-8")
    return folder / "plan.toml"
