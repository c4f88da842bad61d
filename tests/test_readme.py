"""The README tells the truth: its pasted output is what the commands print today, and its examples run.

The walk a council analyst takes with their own plan runs here exactly as the
README writes it, in a fresh folder with the fictional example of ``examples/``.
"""

from __future__ import annotations

import doctest
import re
import shutil
from pathlib import Path

import pytest

import wpgraph
import wpgraph.entrypoints

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"


def readme() -> str:
    return README.read_text(encoding="utf-8")


@pytest.fixture
def project(tmp_path, monkeypatch):
    """A fresh folder holding the examples, as a user's working folder would."""
    shutil.copytree(ROOT / "examples", tmp_path / "examples")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def console_blocks(text: str) -> list[list[tuple[str, str]]]:
    """Each ```console block as (command, the output printed under it) pairs."""
    blocks = []
    for block in re.findall(r"```console\n(.*?)```", text, re.S):
        pairs: list[tuple[str, str]] = []
        for line in block.splitlines():
            if line.startswith("$ "):
                pairs.append((line[2:], ""))
            elif pairs:
                pairs[-1] = (pairs[-1][0], pairs[-1][1] + line + "\n")
        blocks.append(pairs)
    return blocks


def split_command(command: str) -> list[str]:
    import shlex

    return shlex.split(command)


@pytest.mark.parametrize("argv", [
    ["query", "--list"],
    ["query", "coverage", "--param", "council=Wandsworth"],
    ["query", "not-fully-met", "--format", "markdown"],
])
def test_the_readme_shows_the_current_output_of(run_cli, argv):
    code, out, _ = run_cli(*argv)
    assert code == 0
    assert out.strip() in readme()


def test_the_readme_shows_the_current_start_of_rutlands_responses(run_cli):
    _, out, _ = run_cli("query", "council-responses", "--param", "council=Rutland", "--format", "markdown")
    assert "\n".join(out.splitlines()[:12]) in readme()


def test_the_readme_shows_the_current_import_summary_lines(run_cli):
    from wpgraph.resources import bundled

    _, out, _ = run_cli("import", bundled("data", "plans", "rutland", "template.csv"), "--council",
                        "Rutland County Council", "--gss", "E06000017")
    lines = out.splitlines()
    for line in [lines[0]] + [line for line in lines if "-> UNMATCHED" in line or " 1.13 -> " in line]:
        assert line.rstrip() in readme() or line.rstrip()[:100] in readme(), line


def test_the_walk_with_your_own_plan_prints_what_the_readme_shows(project, capsys):
    """Every command of "Your own plan, start to finish", run as written; its output as pasted."""
    from wpgraph.cli.main import main

    section = readme().split("## Your own plan, start to finish", 1)[1].split("\n## ", 1)[0]
    commands = [pair for block in console_blocks(section) for pair in block]
    assert [c.split()[1] for c, _ in commands] == ["import", "build", "validate", "query", "export"]
    for command, shown in commands:
        code = main(split_command(command)[1:])
        out = capsys.readouterr().out
        assert code in (0, 1), command  # validate exits 1: the plans have violations
        for line in shown.splitlines():
            if line.strip() != "…":
                assert line in out.splitlines(), (command, line)
    assert (project / "borsetshire.html").exists()


def python_blocks(text: str) -> list[str]:
    return re.findall(r"```python\n(.*?)```", text, re.S)


def test_every_python_example_of_the_readme_runs_twice_in_one_process(project):
    blocks = python_blocks(readme())
    assert blocks
    for _ in range(2):
        for block in blocks:
            namespace: dict = {}
            exec(compile(block, "README.md", "exec"), namespace)  # noqa: S102 - the README's own example
    assert len(namespace["report"].plans) == 5 and namespace["rows"]


@pytest.mark.parametrize("module", [wpgraph, wpgraph.entrypoints], ids=lambda m: m.__name__)
def test_the_docstring_examples_run_twice_in_one_process(project, module):
    for _ in range(2):
        shutil.rmtree(project / "build", ignore_errors=True)
        result = doctest.testmod(module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
        assert result.attempted > 0 and result.failed == 0


def test_the_readme_shows_the_bundled_plans_current_scores(bundled_build):
    report = wpgraph.validate(build=bundled_build)
    for plan in report.plans:
        row = (f"| {plan.council} | {plan.score:g} | {plan.addressed}/{plan.required} | {plan.direct} | "
               f"{plan.credited} | {plan.partly} | {plan.counts['violation']} | {plan.counts['warning']} |")
        assert row in readme(), row
