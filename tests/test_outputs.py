"""Where the output goes: every bad ``-o`` is one line and exit 2, devices are written in place, and every format
stays well-formed whatever a council typed into its cells (escape codes, ``|``, ``<!--``, ``</script>``)."""

from __future__ import annotations

import os
import re
import stat
import threading
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from conftest import require_tool, write_plan_folder, write_template

from wpgraph.tables import emit, render_rows

ESC = "\x1b[31mRED\x1b[0m"
COUNCIL = "Borsetshire <!-- County </script> Council"  # as its plan.toml names it
NASTY = {"status": f"In place {ESC} <!-- a comment opener </script> <b>bold</b> a | b & c",
         "who": f"Head of Care {ESC} | <i>Deputy</i>"}


@pytest.fixture(scope="module")
def nasty_build(tmp_path_factory) -> Path:
    """A build of one made-up council whose cells hold an ESC, HTML, a comment opener and pipes."""
    import wpgraph

    root = tmp_path_factory.mktemp("nasty")
    rows = [{"ref": "1.1", **NASTY},
            {"ref": "1.2", "met": "Partly", "gaps": f"Train staff {ESC}", "when": "31/01/2021"}]
    write_plan_folder(root / "plans" / "borsetshire", rows=rows, council=COUNCIL)
    wpgraph.build([root / "plans"], build=root / "build")
    return root / "build"


def one_line_refusal(code: int, out: str, err: str, *words: str) -> str:
    assert code == 2, (code, out, err)
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1, err
    for word in words:
        assert word in err, err
    return err


def full_disk(tmp_path: Path) -> Path:
    """A device that says the disk is full on every write. As root (who could replace /dev/full by mistake) a
    private node of it in tmp_path, so that a broken writer can only replace that; otherwise /dev/full itself."""
    if os.geteuid() == 0:
        node = tmp_path / "full"
        os.mknod(node, stat.S_IFCHR | 0o666, os.makedev(1, 7))
        return node
    if not Path("/dev/full").exists():
        pytest.skip("no /dev/full on this system")
    return Path("/dev/full")


def unwritable(tmp_path: Path) -> Path:
    """A path the user may not write: a read-only folder, or (as root, who may write anywhere) under /proc."""
    if os.geteuid() == 0:
        return Path("/proc/wpgraph-test/out.txt")
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    return locked / "out.txt"


COMMANDS = {
    "import": lambda plan, build: ["import", plan],
    "validate": lambda plan, build: ["validate", plan],
    "query": lambda plan, build: ["query", "coverage", "--build", build],
    "export": lambda plan, build: ["export", "--format", "graphml", "--build", build],
    "catalogue": lambda plan, build: ["catalogue"],
}


@pytest.mark.parametrize("command", sorted(COMMANDS))
@pytest.mark.parametrize("where", ["an existing folder", "an unwritable path", "a path under a file", "a full disk"])
def test_every_bad_output_is_one_line_and_exit_2_on_every_command(command, where, tmp_path, run_cli, nasty_build):
    plan = write_template(tmp_path / "plan.csv")
    (tmp_path / "a-file").write_text("x", encoding="utf-8")
    out = {"an existing folder": lambda: tmp_path, "an unwritable path": lambda: unwritable(tmp_path),
           "a path under a file": lambda: tmp_path / "a-file" / "out.txt", "a full disk": lambda: full_disk(tmp_path),
           }[where]()
    code, out_text, err = run_cli(*COMMANDS[command](plan, nasty_build), "-o", out)
    one_line_refusal(code, out_text, err, f"wpgraph {command}: ", str(out))
    assert not list(tmp_path.glob(".*.tmp"))
    if where == "a full disk":
        assert stat.S_ISCHR(os.stat(out).st_mode), "the device must never be replaced"


def test_a_bad_build_folder_is_one_line_and_exit_2(tmp_path, run_cli):
    (tmp_path / "a-file").write_text("x", encoding="utf-8")
    plan = write_template(tmp_path / "plan.csv")
    for build in (tmp_path / "a-file", tmp_path / "a-file" / "build", unwritable(tmp_path).parent / "build"):
        one_line_refusal(*run_cli("build", "--plans", plan, "--build", build), "wpgraph build: ")


@pytest.mark.parametrize("command", ["import", "validate"])
def test_an_output_equal_to_an_input_is_refused_and_the_input_kept(command, tmp_path, run_cli):
    plan = write_template(tmp_path / "plan.csv")
    before = plan.read_bytes()
    one_line_refusal(*run_cli(command, plan, "-o", plan), "is also an input")
    one_line_refusal(*run_cli(command, plan, "-o", tmp_path / "." / "plan.csv"), "is also an input")
    assert plan.read_bytes() == before


def test_a_fifo_is_written_in_place_never_replaced(tmp_path, run_cli, nasty_build):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()), daemon=True)
    reader.start()
    code, _, err = run_cli("query", "coverage", "--build", nasty_build, "--format", "csv", "-o", fifo)
    reader.join(timeout=120)
    assert code == 0, err
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)
    assert received and received[0].startswith(b"council,theme,")


def test_dash_is_standard_output(tmp_path, run_cli, nasty_build):
    plan = write_template(tmp_path / "plan.csv")
    code, out, err = run_cli("import", plan, "-o", "-")
    assert code == 0 and out.startswith("@prefix") and "5 rows, 5 aligned" in err
    assert not (tmp_path / "-").exists() and not Path("-").exists()
    code, out, err = run_cli("query", "coverage", "--build", nasty_build, "-f", "csv", "-o", "-")
    assert code == 0 and out.startswith("council,theme,")
    code, out, err = run_cli("validate", plan, "--format", "junit", "-o", "-")
    assert code == 1 and out.startswith("<?xml")
    code, out, err = run_cli("export", "--format", "cytoscape", "--build", nasty_build, "-o", "-")
    assert code == 0 and out.startswith("{") and "wrote standard output" in err


# --------------------------------------------------------------------------- well-formed whatever the cells say

@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
def test_graph_exports_are_well_formed_xml_with_an_escape_character_in_a_cell(fmt, tmp_path, run_cli, nasty_build):
    out = tmp_path / f"plan.{fmt}"
    code, _, err = run_cli("export", "--format", fmt, "--view", "full", "--build", nasty_build, "-o", out)
    assert code == 0, err
    text = out.read_text(encoding="utf-8")
    ET.fromstring(out.read_bytes())  # raises on a character XML cannot hold
    assert "Head of Care [31mRED[0m" in text or "Head of Care" in text


def test_junit_report_is_well_formed_xml_with_an_escape_character_in_a_cell(tmp_path, run_cli):
    plan = write_template(tmp_path / f"plan{ESC}.csv", rows=[{"ref": "1.1", "met": f"Maybe {ESC}", "who": ""}])
    out = tmp_path / "junit.xml"
    code, _, err = run_cli("validate", plan, "--format", "junit", "-o", out)
    assert code == 1, err
    suites = ET.fromstring(out.read_bytes())
    assert suites.get("failures") != "0"


def test_markdown_escapes_pipes_and_html(tmp_path, run_cli, nasty_build):
    table = render_rows([NASTY], "markdown")
    assert "<b>" not in table and "<!--" not in table and "</script>" not in table and "\x1b" not in table
    assert "&lt;b&gt;bold&lt;/b&gt;" in table and "a \\| b" in table
    code, out, err = run_cli("query", "council-responses", "-p", "council=Borsetshire", "--build", nasty_build,
                             "-f", "markdown")
    assert code == 0, err
    assert "&lt;i&gt;Deputy&lt;/i&gt;" in out or "Deputy" in out
    assert "<i>" not in out and "\x1b" not in out
    widths = {len(re.findall(r"(?<!\\)\|", line)) for line in out.splitlines() if line.startswith("|")}
    assert len(widths) == 1, "a pipe in a cell must not add a column"
    plan = write_template(tmp_path / "plan.csv")
    code, out, err = run_cli("validate", plan, "--council", "<b>Borsetshire</b> | North", "--format", "markdown")
    assert "&lt;b&gt;Borsetshire&lt;/b&gt; \\| North" in out and "<b>Borsetshire" not in out


def test_text_for_a_terminal_has_no_escape_codes(tmp_path, run_cli, nasty_build):
    rows = [{"who": NASTY["who"]}]
    assert "\x1b" not in render_rows(rows, "table")
    assert "\x1b" in render_rows(rows, "csv")  # a CSV file keeps the cell as it was

    class Terminal:
        written = ""

        def isatty(self) -> bool:
            return True

        def write(self, text: str) -> None:
            Terminal.written += text

    emit(render_rows(rows, "csv"), stream=Terminal())  # type: ignore[arg-type]
    assert "Head of Care RED" in Terminal.written and "\x1b" not in Terminal.written
    plan = write_template(tmp_path / "plan.csv", rows=[{"ref": "1.1", "met": f"Maybe {ESC}", "who": ""}])
    code, out, err = run_cli("validate", plan)
    assert "\x1b" not in out


@pytest.mark.browser
def test_html_page_works_with_a_comment_opener_and_a_script_end_in_the_text(tmp_path, run_cli, nasty_build):
    import subprocess

    from test_export import CHROMIUM_FLAGS, _console_problems

    page = tmp_path / "page.html"
    code, _, err = run_cli("export", "--format", "html", "--view", "full", "--build", nasty_build, "-o", page)
    assert code == 0, err
    chromium = require_tool("chromium")
    result = subprocess.run([chromium, *CHROMIUM_FLAGS, f"--user-data-dir={tmp_path / 'profile'}",
                             "--enable-logging=stderr", "--v=0", "--virtual-time-budget=10000", "--dump-dom",
                             page.as_uri()], capture_output=True, timeout=180, cwd=tmp_path)
    dom = result.stdout.decode("utf-8")
    body = re.search(r"<body[^>]*>", dom)
    assert body is not None, dom[-2000:]
    drawn = re.search(r'data-nodes="(\d+)"', body.group(0))
    assert drawn is not None, f"the page drew nothing: {body.group(0)}"
    nodes = int(drawn.group(1))
    assert nodes > 10 and 'data-errors="0"' in body.group(0), body.group(0)
    assert _console_problems(result.stderr) == []


def test_a_reader_that_stops_early_is_no_error(bundled_build, tmp_path):
    """`wpgraph export … -o - | head -c 10`: the pipe closes under the writer; exit 0, nothing on stderr."""
    import subprocess
    import sys

    env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [str(Path(__file__).resolve().parents[1]),
                                                                     os.environ.get("PYTHONPATH")])))
    process = subprocess.Popen([sys.executable, "-m", "wpgraph", "export", "--format", "graphml", "--view", "full",
                                "--build", str(bundled_build), "-o", "-"], stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, env=env, cwd=tmp_path)
    assert process.stdout is not None and process.stdout.read(10).startswith(b"<?xml")
    process.stdout.close()
    err = process.stderr.read().decode() if process.stderr else ""
    assert process.wait(timeout=300) == 0, err
    assert "Traceback" not in err and "Broken pipe" not in err
