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
def dataset():
    """Every bundled plan, with ontology, vocabularies and catalogue."""
    from wpgraph.dataset.build import build_dataset

    return build_dataset()


@pytest.fixture(scope="session")
def plans():
    """The bundled plans' records, by short name."""
    from wpgraph.ingest.plans import load_plan_folder

    records = [load_plan_folder(p) for p in sorted(bundled("data", "plans").glob("*/plan.toml"))]
    return {r.short_name: r for r in records}


def seed_text(name: str) -> list[str]:
    """A seed document's lines (1-based access: lines[n - 1])."""
    return bundled("data", "sources", name).read_text(encoding="utf-8").splitlines()


# Where each tool comes from, for the message when it is missing.
TOOL_SOURCES = {"oxigraph": "pip install oxigraph (a test extra)", "chromium": "apt-get install chromium",
                "dot": "apt-get install graphviz", "chromedriver": "apt-get install chromium-driver",
                "virtuoso-t": "apt-get install virtuoso-opensource"}


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
def run_cli(capsys):
    """Run ``wpgraph ARGS`` in-process; returns (exit code, stdout, stderr)."""
    from wpgraph.cli.main import main

    def run(*argv: str | Path) -> tuple[int, str, str]:
        try:
            code = main([str(a) for a in argv])
        except SystemExit as exit_:  # argparse's --help / --version / usage errors
            code = exit_.code if isinstance(exit_.code, int) else 2
        out, err = capsys.readouterr()
        return code, out, err

    return run
