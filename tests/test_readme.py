"""The README's pasted output is what the commands print today."""

from __future__ import annotations

from pathlib import Path

import pytest

README = Path(__file__).resolve().parent.parent / "README.md"


@pytest.mark.parametrize("argv", [
    ["query", "--list"],
    ["query", "coverage", "--param", "council=Wandsworth"],
    ["query", "not-fully-met", "--format", "markdown"],
])
def test_the_readme_shows_the_current_output_of(run_cli, argv):
    code, out, _ = run_cli(*argv)
    assert code == 0
    assert out.strip() in README.read_text(encoding="utf-8")


def test_the_readme_shows_the_current_start_of_rutlands_responses(run_cli):
    _, out, _ = run_cli("query", "council-responses", "--param", "council=Rutland", "--format", "markdown")
    assert "\n".join(out.splitlines()[:12]) in README.read_text(encoding="utf-8")


def test_the_readme_shows_the_current_import_summary_lines(run_cli):
    from wpgraph.resources import bundled

    _, out, _ = run_cli("import", bundled("data", "plans", "rutland", "template.csv"), "--council",
                        "Rutland County Council", "--gss", "E06000017")
    readme = README.read_text(encoding="utf-8")
    lines = out.splitlines()
    for line in [lines[0]] + [line for line in lines if "-> UNMATCHED" in line or " 1.13 -> " in line]:
        assert line.rstrip() in readme or line.rstrip()[:100] in readme, line
