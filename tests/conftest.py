"""Shared fixtures: the bundled data, built once per test session."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from wpgraph.resources import bundled

IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


@pytest.fixture(scope="session")
def dataset():
    """Every bundled plan, with ontology, vocabularies and catalogue."""
    from wpgraph.dataset import build_dataset

    return build_dataset()


@pytest.fixture(scope="session")
def plans():
    """The bundled plans' records, by short name."""
    from wpgraph.plans import load_plan_folder

    records = [load_plan_folder(p) for p in sorted(bundled("data", "plans").glob("*/plan.toml"))]
    return {r.short_name: r for r in records}


def seed_text(name: str) -> list[str]:
    """A seed document's lines (1-based access: lines[n - 1])."""
    return bundled("data", "sources", name).read_text(encoding="utf-8").splitlines()


def require_tool(name: str) -> str:
    """A command-line tool a test needs: skipped on a laptop without it, a failure in CI."""
    path = shutil.which(name)
    if path is None:
        if IN_CI:
            pytest.fail(f"{name} is not installed; .ci/run should have installed it")
        pytest.skip(f"{name} is not installed")
    return path


@pytest.fixture
def run_cli(capsys):
    """Run ``wpgraph ARGS`` in-process; returns (exit code, stdout, stderr)."""
    from wpgraph.cli import main

    def run(*argv: str | Path) -> tuple[int, str, str]:
        try:
            code = main([str(a) for a in argv])
        except SystemExit as exit_:  # argparse's --help / --version / usage errors
            code = exit_.code if isinstance(exit_.code, int) else 2
        out, err = capsys.readouterr()
        return code, out, err

    return run
