"""The house: the package follows the data, one job per module, and nothing below the CLI talks to the terminal."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import wpgraph

PACKAGE = Path(wpgraph.__file__).resolve().parent
MODULES = sorted(p for p in PACKAGE.rglob("*.py") if "_bundled" not in p.parts)
LIBRARY = [p for p in MODULES if "cli" not in p.relative_to(PACKAGE).parts and p.name != "__main__.py"]
LONG = 300


def _name(path: Path) -> str:
    return path.relative_to(PACKAGE.parent).as_posix()


@pytest.mark.parametrize("path", LIBRARY, ids=_name)
def test_nothing_below_the_cli_prints_or_exits(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    calls = [node for node in ast.walk(tree) if isinstance(node, ast.Call)]
    printing = [n.lineno for n in calls if isinstance(n.func, ast.Name) and n.func.id in ("print", "exit", "quit")]
    exiting = [n.lineno for n in calls if isinstance(n.func, ast.Attribute) and n.func.attr == "exit"
               and isinstance(n.func.value, ast.Name) and n.func.value.id == "sys"]
    assert not printing + exiting, f"{_name(path)} prints or exits at line(s) {printing + exiting}"


@pytest.mark.parametrize("path", MODULES, ids=_name)
def test_every_module_says_what_it_is_for_and_a_long_one_why_it_stays_whole(path):
    text = path.read_text(encoding="utf-8")
    docstring = ast.get_docstring(ast.parse(text)) or ""
    if path.name != "__init__.py" or text.strip():
        assert docstring, f"{_name(path)} has no module docstring"
    if text.count("\n") > LONG:
        assert "stays whole" in docstring, f"{_name(path)} is over {LONG} lines: say at its top why it stays whole"
