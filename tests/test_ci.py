"""The GitHub workflow and the pre-commit hook wpgraph ships, run as CI would run them on a changed plan.

The command lines are taken from the shipped files themselves (the workflow's
``run:`` scripts, the hook's ``entry`` and ``files``), so the test checks what
users copy, not a paraphrase of it.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import yaml
from conftest import find_tool

ROOT = Path(__file__).resolve().parents[1]
WORKFLOW = ROOT / ".github" / "workflows" / "validate-plans.yml"
HOOKS = ROOT / ".pre-commit-hooks.yaml"


def git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True, text=True).stdout


def environment(**extra: str) -> dict[str, str]:
    """The wpgraph of this checkout on the PATH, as `pip install .` would give it."""
    env = dict(os.environ, **extra)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))
    wpgraph = find_tool("wpgraph")  # beside the running Python first: a fresh machine has nothing on the PATH
    assert wpgraph, "the wpgraph command must be installed where the tests run"
    env["PATH"] = os.pathsep.join([str(Path(wpgraph).parent), env.get("PATH", "")])
    return env


@pytest.fixture
def repo(tmp_path) -> Path:
    """A council repository laid out like wpgraph's: plan folders under data/plans, a catalogue CSV beside them;
    a pull request that edits Rutland's template, one of Cheshire East's curated CSVs and the catalogue."""
    repo = tmp_path / "repo"
    for part in ("data/plans/rutland", "data/plans/cheshire-east", "data/catalogue"):
        shutil.copytree(ROOT / part, repo / part)
    git(repo, "init", "-q", "-b", "main")
    git(repo, "-c", "user.name=t", "-c", "user.email=t@example.org", "add", ".")
    git(repo, "-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-q", "-m", "base")
    git(repo, "update-ref", "refs/remotes/origin/main", "HEAD")
    git(repo, "checkout", "-q", "-b", "change")
    rutland = repo / "data/plans/rutland/template.csv"
    rutland.write_text(rutland.read_text(encoding="utf-8").replace("RISE Care Home Co-ordinator", "RISE Lead", 1),
                       encoding="utf-8")
    for path in (repo / "data/plans/cheshire-east/actions.csv", repo / "data/catalogue/requirements.csv"):
        path.write_text(path.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    git(repo, "-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-q", "-am", "change")
    return repo


def workflow_steps() -> dict[str, dict]:
    workflow = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    steps = workflow["jobs"]["validate"]["steps"]
    return {step["name"]: step for step in steps if "name" in step} | {"env": workflow.get("env", {})}


def run_step(script: str, repo: Path, env: dict[str, str], outputs: dict[str, str]) -> subprocess.CompletedProcess:
    """A `run:` script as GitHub runs it (bash -e), with its ${{ … }} expressions filled in."""
    script = script.replace("${{ github.base_ref }}", "main")
    script = re.sub(r"\$\{\{ steps\.changed\.outputs\.files \}\}", outputs.get("files", ""), script)
    assert "${{" not in script, script
    return subprocess.run(["bash", "-e", "-c", script], cwd=repo, env=env, capture_output=True, text=True,
                          timeout=600)


def run_workflow(repo: Path) -> tuple[subprocess.CompletedProcess, str, str]:
    steps = workflow_steps()
    output, summary = repo.parent / "github-output", repo.parent / "step-summary"
    env = environment(GITHUB_OUTPUT=str(output), GITHUB_STEP_SUMMARY=str(summary), **steps["env"])
    changed = run_step(steps["changed plan files"]["run"], repo, env, {})
    assert changed.returncode == 0, changed.stderr
    outputs = dict(line.split("=", 1) for line in output.read_text(encoding="utf-8").splitlines())
    files = outputs["files"].strip()
    assert files, "the changed plan files must be found"
    done = run_step(steps["wpgraph validate"]["run"], repo, env, outputs)
    return done, files, summary.read_text(encoding="utf-8") if summary.exists() else ""


def test_the_workflow_validates_the_changed_plans_with_their_plan_toml_and_skips_other_csv(repo):
    done, files, summary = run_workflow(repo)
    assert "data/catalogue/requirements.csv" not in files.split()  # not a plan: never passed as a template
    assert set(files.split()) == {"data/plans/rutland/template.csv", "data/plans/cheshire-east/actions.csv"}
    assert done.returncode == 1, done.stderr  # both plans have violations
    assert "Traceback" not in done.stderr
    report = ET.parse(repo / "validate-junit.xml").getroot()
    suites = {suite.get("name") for suite in report}
    assert suites == {"Rutland County Council", "Cheshire East Council"}  # names from plan.toml, not the sheet title
    assert "**FAIL**" in summary and "**pass**" not in summary
    assert "wpgraph validate exited with 1" in summary


def test_the_workflow_summary_says_error_when_a_plan_cannot_be_read(repo):
    rutland = repo / "data/plans/rutland/template.csv"
    lines = rutland.read_text(encoding="utf-8").splitlines(keepends=True)
    rutland.write_text("".join(lines[:2] + lines[3:]), encoding="utf-8")  # the header row lost
    git(repo, "-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-q", "-am", "break")
    done, _, summary = run_workflow(repo)
    assert done.returncode == 2
    assert "**ERROR**" in summary and "template.csv: row 3:" in summary and "**pass**" not in summary
    assert "wpgraph validate exited with 2" in summary


def test_the_pre_commit_hook_validates_the_changed_plans_and_skips_other_csv(repo):
    hook = yaml.safe_load(HOOKS.read_text(encoding="utf-8"))[0]
    changed = git(repo, "diff", "--name-only", "main...HEAD").split()
    assert "data/catalogue/requirements.csv" in changed
    passed = [name for name in changed if re.search(hook["files"], name)]  # what pre-commit hands the hook
    assert "data/catalogue/requirements.csv" not in passed and len(passed) == 2
    done = subprocess.run([*hook["entry"].split(), *passed], cwd=repo, env=environment(), capture_output=True,
                          text=True, timeout=600)
    assert done.returncode == 1, done.stderr
    assert "Rutland County Council" in done.stdout and "Cheshire East Council" in done.stdout
    assert "Traceback" not in done.stderr


# --------------------------------------------------------------------------- make demo / make test

def fake_venv(tmp_path: Path, package_path: Path) -> Path:
    """A virtualenv whose python imports wpgraph from ``package_path``, and whose pip and wpgraph record their
    calls: enough to see what `make` runs, without installing anything."""
    venv = tmp_path / "venv"
    (venv / "bin").mkdir(parents=True)
    log = tmp_path / "calls.log"
    scripts = {
        # -I would ignore PYTHONPATH: -P keeps the rest of its isolation (no working directory on sys.path)
        "python": f'args=(); for a in "$@"; do if [ "$a" = -I ]; then args+=(-P); else args+=("$a"); fi; done\n'
                  f'PYTHONPATH={package_path} exec {sys_executable()} "${{args[@]}}"',
        "pip": f'echo "pip $*" >> {log}',
        "wpgraph": f'echo "wpgraph $*" >> {log}',
    }
    for name, body in scripts.items():
        path = venv / "bin" / name
        path.write_text(f"#!/usr/bin/env bash\n{body}\n", encoding="utf-8")
        path.chmod(0o755)
    return venv


def sys_executable() -> str:
    import sys

    return sys.executable


def run_make(target: str, venv: Path) -> tuple[subprocess.CompletedProcess, list[str]]:
    make = shutil.which("make")
    if make is None:
        pytest.skip("make is not installed")
    done = subprocess.run([make, "-C", str(ROOT), target, f"VENV={venv}", "PYTHON=false"], capture_output=True,
                          text=True, timeout=600)
    log = venv.parent / "calls.log"
    return done, log.read_text(encoding="utf-8").splitlines() if log.exists() else []


def test_make_demo_runs_the_checkouts_wpgraph_from_its_environment(tmp_path):
    venv = fake_venv(tmp_path, ROOT)  # an editable install of this checkout
    done, calls = run_make("demo", venv)
    assert done.returncode == 0, done.stderr
    assert calls == ["wpgraph build", "wpgraph validate --summary --fail-on none", "wpgraph query coverage"]


@pytest.mark.parametrize("target", ["demo", "test"])
def test_make_reinstalls_when_its_environment_runs_another_wpgraph(target, tmp_path):
    """A `pip install .` copy (or a virtualenv of another checkout) would run old code and data: make reinstalls."""
    elsewhere = tmp_path / "elsewhere"
    shutil.copytree(ROOT / "wpgraph", elsewhere / "wpgraph", ignore=shutil.ignore_patterns("__pycache__"))
    venv = fake_venv(tmp_path, elsewhere)
    done, calls = run_make(target, venv)  # (make test then stops: this environment has no ruff)
    assert "runs another wpgraph than this checkout's" in done.stdout, done.stdout + done.stderr
    assert calls[0] == 'pip install --quiet -e .[test,plot]'
