"""Two commands on one build folder at once (two terminals, a CI job beside a notebook): no corruption, no
traceback; the one that has to wait says so on stderr, then gives the same answer it gives alone."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import write_plan_folder

from wpgraph.dataset.store import BuildLock

ROOT = Path(__file__).resolve().parents[1]
LIMIT = 600  # seconds: a hang detector only


def start(*argv: str | Path, cwd: Path) -> subprocess.Popen:
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])))
    return subprocess.Popen([sys.executable, "-m", "wpgraph", *map(str, argv)], cwd=cwd, env=env, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def finish(process: subprocess.Popen) -> tuple[int, str, str]:
    out, err = process.communicate(timeout=LIMIT)
    assert "Traceback" not in err and "Corruption" not in err, err
    return process.returncode, out, err


@pytest.fixture
def plans(tmp_path) -> Path:
    write_plan_folder(tmp_path / "plans" / "borsetshire")
    return tmp_path / "plans"


def test_a_reader_waits_for_a_build_and_says_so(plans, tmp_path):
    build = tmp_path / "build"
    code, _, err = finish(start("build", "--plans", plans, "--build", build, cwd=tmp_path))
    assert code == 0, err
    alone = finish(start("query", "coverage", "--build", build, "-f", "csv", cwd=tmp_path))
    lock = BuildLock(build).acquire(exclusive=True)  # a build in progress, as far as others can tell
    try:
        reader = start("query", "coverage", "--build", build, "-f", "csv", cwd=tmp_path)
        first = reader.stderr.readline()  # blocks until the reader says something
        assert "waiting for another wpgraph command to finish writing" in first and str(build) in first
        assert reader.poll() is None  # still waiting
    finally:
        lock.release()
    code, out, err = finish(reader)
    assert code == 0 and out == alone[1]


def test_a_build_waits_for_a_reader_and_says_so(plans, tmp_path):
    build = tmp_path / "build"
    assert finish(start("build", "--plans", plans, "--build", build, cwd=tmp_path))[0] == 0
    lock = BuildLock(build).acquire(exclusive=False)  # a query in progress
    try:
        writer = start("build", "--plans", plans, "--bundled", "--build", build, cwd=tmp_path)
        first = writer.stderr.readline()
        assert "waiting for another wpgraph command to finish with" in first
    finally:
        lock.release()
    code, out, err = finish(writer)
    assert code == 0 and "5 plan(s)" in err


@pytest.mark.parametrize("pair", [("build", "query"), ("query", "query"), ("validate", "build"),
                                  ("export", "query")])
def test_two_commands_at_once_on_a_fresh_build_both_succeed(pair, plans, tmp_path):
    """Nothing built yet: a reader alone makes the build from the bundled plans; two at once, one makes it while
    the other waits (a build beside them may change it again: the reader then refreshes it first)."""
    build = tmp_path / "build"
    argv = {"build": ["build", "--plans", plans, "--build", build],
            "query": ["query", "coverage", "--build", build, "-f", "csv"],
            "validate": ["validate", "--build", build, "--summary", "--fail-on", "none"],
            "export": ["export", "--format", "graphml", "--build", build, "-o", tmp_path / "out.graphml"]}
    processes = [start(*argv[name], cwd=tmp_path) for name in pair]
    results = [finish(p) for p in processes]
    for name, (code, _, err) in zip(pair, results, strict=True):
        assert code == 0, (name, err)
    if pair == ("query", "query"):
        assert results[0][1] == results[1][1] and results[0][1].startswith("council,theme,")
    alone = finish(start("query", "coverage", "--build", build, "-f", "csv", cwd=tmp_path))
    assert alone[0] == 0 and "council,theme," in alone[1]


def test_many_queries_on_a_fresh_build_never_corrupt_it(tmp_path):
    for trial in range(3):
        build = tmp_path / f"build-{trial}"
        processes = [start("query", "coverage", "--build", build, "-f", "csv", cwd=tmp_path) for _ in range(3)]
        outputs = [finish(p) for p in processes]
        assert all(code == 0 for code, _, _ in outputs), [err for _, _, err in outputs]
        assert len({out for _, out, _ in outputs}) == 1, f"trial {trial}: the answers differ"
