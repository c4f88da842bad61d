"""The Python API: every entry point works any number of times, in any order, in one process."""

from __future__ import annotations

import ast
import importlib
import inspect
from pathlib import Path

import pytest

import wpgraph
from wpgraph import entrypoints
from wpgraph.resources import bundled

PACKAGE = Path(wpgraph.__file__).resolve().parent


def test_from_wpgraph_import_gives_the_functions_not_modules():
    from wpgraph import catalogue, import_template, query, to_networkx, validate

    for function in (catalogue, import_template, query, to_networkx, validate):
        assert inspect.isfunction(function), function
        assert function is getattr(entrypoints, function.__name__)


def test_every_entry_point_twice_in_one_process(tmp_path):
    template = bundled("data", "plans", "rutland", "template.csv")
    for _ in range(2):
        assert len(wpgraph.catalogue()) == 102
        plan = wpgraph.import_template(template, council="Rutland County Council", gss="E06000017")
        assert len(plan.responses) == 71
        report = wpgraph.validate([template])
        assert len(report.plans) == 1
        result = wpgraph.build(build=tmp_path / "build")
        assert len(result.manifest.inputs) == 4
        rows = wpgraph.query("coverage", council="Wandsworth", build=tmp_path / "build")
        assert [row["theme"] for row in rows] == [0, 1, 2, 3, 4]
        assert len(wpgraph.validate(build=tmp_path / "build").plans) == 4
        graph = wpgraph.to_networkx(view="themes", build=tmp_path / "build")
        assert graph.number_of_nodes() > 100
        # importing the submodules behind the functions must not shadow the functions
        for module in ("wpgraph.queries.registry", "wpgraph.reference.catalogue", "wpgraph.validation.run",
                       "wpgraph.dataset.build", "wpgraph.views.graphs"):
            importlib.import_module(module)

        assert inspect.isfunction(wpgraph.query) and inspect.isfunction(wpgraph.catalogue)


def test_the_version_comes_from_the_package_metadata():
    from importlib.metadata import version

    assert wpgraph.__version__ == version("wpgraph")


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path, modules: set[str]) -> set[str]:
    """The wpgraph modules a file imports, at module level or inside functions."""
    name = _module_name(path)
    package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name in modules}
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if not target.startswith("wpgraph"):
                continue
            submodules = {f"{target}.{a.name}" for a in node.names} & modules
            found |= submodules or ({target} & modules)
            if len(submodules) < len(node.names) and target in modules:
                found.add(target)
    found.discard(name)
    return found


def test_no_import_cycles_function_level_imports_included():
    files = [p for p in PACKAGE.rglob("*.py") if "_bundled" not in p.parts]
    modules = {_module_name(p) for p in files}
    graph = {_module_name(p): _imports(p, modules) for p in files}
    # the package itself only re-exports the entry points; importing a submodule runs it, not the reverse
    cycles = []
    state: dict[str, int] = {}

    def visit(node: str, trail: list[str]) -> None:
        state[node] = 1
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                cycles.append(trail[trail.index(nxt):] + [nxt] if nxt in trail else [node, nxt])
            elif nxt not in state:
                visit(nxt, trail + [nxt])
        state[node] = 2

    for module in sorted(graph):
        if module not in state:
            visit(module, [module])
    assert not cycles, "\n".join(" -> ".join(c) for c in cycles)


@pytest.mark.parametrize("name", entrypoints.__all__)
def test_every_entry_point_has_a_docstring(name):
    assert getattr(entrypoints, name).__doc__
