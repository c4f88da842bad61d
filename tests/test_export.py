"""wpgraph export: views built from the RDF, and files that the tools people use read back."""

from __future__ import annotations

import html
import json
import re
import struct
import subprocess
import sys
from pathlib import Path

import networkx as nx
import pytest

from tests.conftest import require_tool
from wpgraph.cli.main import main
from wpgraph.errors import InputError
from wpgraph.export.graphs import to_dot
from wpgraph.export.png import heatmap_size
from wpgraph.export.writers import FORMATS, write_graph
from wpgraph.views.graphs import VIEWS, to_networkx


@pytest.fixture(autouse=True)
def in_workdir(workdir, monkeypatch):
    """The CLI runs where ./build holds the bundled plans, as in a user's project folder."""
    monkeypatch.chdir(workdir)


@pytest.fixture(scope="module")
def views(built):
    return {view: to_networkx(built, view=view) for view in VIEWS}


# ------------------------------------------------------------------------------------------------ views

@pytest.mark.parametrize("view", VIEWS)
def test_every_attribute_is_a_string_or_a_number(views, view):
    graph = views[view]
    assert graph.number_of_nodes() > 0 and graph.number_of_edges() > 0
    for node, data in graph.nodes(data=True):
        assert data["label"] and data["type"], node
        assert all(isinstance(v, (str, int)) and not isinstance(v, bool) for v in data.values()), (node, data)
    for u, v, data in graph.edges(data=True):
        assert data["label"], (u, v)
        assert all(isinstance(x, (str, int)) for x in data.values()), (u, v, data)


def test_themes_view_is_theme_topic_requirement(views):
    graph = views["themes"]
    types = {d["type"] for _, d in graph.nodes(data=True)}
    assert types == {"theme", "topic", "requirement"}
    requirement = "https://w3id.org/wpgraph/id/requirement/1.1"
    (topic,) = graph.successors(requirement)
    (theme,) = graph.successors(topic)
    assert graph.nodes[theme]["type"] == "theme" and graph.nodes[theme]["theme"] == "1"
    assert graph.edges[requirement, topic]["label"] == "topic"


def test_coverage_edges_carry_status_and_colour(views):
    graph = views["coverage"]
    statuses = {d["status"] for *_, d in graph.edges(data=True)}
    assert statuses <= {"met", "partly-met", "not-met", "not-stated", "credited", "partly"} and "met" in statuses
    rutland = "https://w3id.org/wpgraph/id/council/E06000017"
    assert graph.edges[rutland, "https://w3id.org/wpgraph/id/requirement/3.21"]["status"] == "not-met"
    # the page reads the coverage the build derived: Rutland, without section 0, is credited 0.13 and 0.12 in part
    assert graph.edges[rutland, "https://w3id.org/wpgraph/id/requirement/0.13"]["status"] == "credited"
    assert graph.edges[rutland, "https://w3id.org/wpgraph/id/requirement/0.12"]["status"] == "partly"
    assert all(d["color"].startswith("#") for *_, d in graph.edges(data=True))


def test_accountability_links_roles_to_councils_and_requirements(views):
    graph = views["accountability"]
    for node, data in graph.nodes(data=True):
        if data["type"] == "role":
            assert any(graph.nodes[s]["type"] == "council" for s in graph.successors(node)), node
    assert any(d["label"] == "owner" for *_, d in graph.edges(data=True))


def test_partners_view_names_partner_bodies(views):
    graph = views["partners"]
    partners = {d["label"] for _, d in graph.nodes(data=True) if d["type"] == "partner body"}
    assert "Clinical Commissioning Group" in partners
    assert {d["type"] for _, d in graph.nodes(data=True)} == {"theme", "requirement", "partner body"}


def test_full_view_has_every_plan_resource_and_no_schema(views, dataset):
    graph = views["full"]
    assert isinstance(graph, nx.MultiDiGraph)
    assert not any(n.startswith("https://w3id.org/wpgraph/ns") for n in graph)
    responses = sum(1 for _, d in graph.nodes(data=True) if d["type"] == "response")
    from rdflib.namespace import RDF

    from wpgraph.namespaces import WP
    assert responses == len(set(dataset.merged().subjects(RDF.type, WP.Response)))


@pytest.mark.parametrize("name", ["Rutland", "rutland county council", "E06000017"])
def test_council_by_name_short_name_or_gss(built, name):
    graph = to_networkx(built, view="coverage", council=name)
    councils = [d["council"] for _, d in graph.nodes(data=True) if d["type"] == "council"]
    assert councils == ["Rutland"]
    assert {d["council"] for *_, d in graph.edges(data=True)} == {"Rutland"}


def test_full_view_of_one_council_drops_the_others(built):
    graph = to_networkx(built, view="full", council="Wandsworth")
    assert {d["council"] for _, d in graph.nodes(data=True) if "council" in d} == {"Wandsworth"}


def test_unknown_council_and_view_are_input_errors(built):
    with pytest.raises(InputError, match="unknown council 'Atlantis'.*Rutland"):
        to_networkx(built, view="coverage", council="Atlantis")
    with pytest.raises(InputError, match="unknown view"):
        to_networkx(built, view="nonsense")


# ------------------------------------------------------------------------------------------------ GraphML, GEXF

def _same_graph(original: nx.Graph, read: nx.Graph, ignore_edge_keys: set[str] = frozenset()) -> None:
    assert set(read.nodes) == set(original.nodes)
    for node, data in original.nodes(data=True):
        assert read.nodes[node] == data, node
    assert read.number_of_edges() == original.number_of_edges()

    def edges(graph):
        return sorted((u, v, tuple(sorted((k, x) for k, x in d.items() if k not in ignore_edge_keys)))
                      for u, v, d in graph.edges(data=True))

    assert edges(read) == edges(original)


@pytest.mark.parametrize("view", VIEWS)
def test_graphml_reads_back_the_same(views, view, tmp_path):
    path = tmp_path / f"{view}.graphml"
    write_graph(views[view], "graphml", path)
    _same_graph(views[view], nx.read_graphml(path))


@pytest.mark.parametrize("view", VIEWS)
def test_gexf_reads_back_the_same(views, view, tmp_path):
    path = tmp_path / f"{view}.gexf"
    write_graph(views[view], "gexf", path)
    # GEXF numbers every edge; networkx reads that number back as an "id" attribute
    _same_graph(views[view], nx.read_gexf(path), ignore_edge_keys={"id"})


# ------------------------------------------------------------------------------------------------ Cytoscape.js, DOT

def test_cytoscape_json_has_every_element(views, tmp_path):
    path = tmp_path / "themes.cyjs"
    write_graph(views["themes"], "cytoscape", path)
    data = json.loads(path.read_text(encoding="utf-8"))
    nodes, edges = data["elements"]["nodes"], data["elements"]["edges"]
    assert len(nodes) == views["themes"].number_of_nodes() and len(edges) == views["themes"].number_of_edges()
    ids = {n["data"]["id"] for n in nodes}
    assert all(e["data"]["source"] in ids and e["data"]["target"] in ids for e in edges)


def test_dot_quotes_what_would_break_it():
    graph = nx.DiGraph(name='a "quoted" name', view="themes")
    graph.add_node('x"1', label='say "hi" \\ back\nslash {}; -> <b>', type="theme")
    graph.add_node("y", label="ünïcødé – fine", type="topic")
    graph.add_edge('x"1', "y", label='has "broader"')
    text = to_dot(graph)
    assert '\\"hi\\"' in text and "\\\\ back" in text and "\\n" in text
    dot = require_tool("dot")
    result = subprocess.run([dot, "-Tsvg"], input=text.encode("utf-8"), capture_output=True, timeout=60)
    assert result.returncode == 0, result.stderr.decode()
    assert b"&#34;hi&#34;" in result.stdout or b"&quot;hi&quot;" in result.stdout


@pytest.mark.parametrize("view", ["themes", "accountability", "partners", "coverage"])
def test_dot_renders_with_graphviz(views, view, tmp_path):
    dot = require_tool("dot")
    path = tmp_path / f"{view}.dot"
    write_graph(views[view], "dot", path)
    result = subprocess.run([dot, "-Tsvg", "-o", str(tmp_path / f"{view}.svg"), str(path)], capture_output=True,
                            timeout=120)
    assert result.returncode == 0, result.stderr.decode()
    assert b"Warning" not in result.stderr and b"Error" not in result.stderr, result.stderr.decode()
    svg = (tmp_path / f"{view}.svg").read_text(encoding="utf-8")
    assert svg.count('class="node"') == views[view].number_of_nodes()


# ------------------------------------------------------------------------------------------------ HTML

CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def _chromium(tmp_path: Path, *args: str) -> subprocess.CompletedProcess:
    chromium = require_tool("chromium")
    profile = tmp_path / f"profile-{len(list(tmp_path.glob('profile-*')))}"
    command = [chromium, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", "--enable-logging=stderr", "--v=0",
               "--virtual-time-budget=10000", *args]
    return subprocess.run(command, capture_output=True, timeout=180, cwd=tmp_path)


def _console_problems(stderr: bytes) -> list[str]:
    """Every console message and uncaught error. Chromium logs console messages of all levels as
    ``INFO:CONSOLE`` lines, so the page must log nothing at all (warnings included)."""
    lines = stderr.decode("utf-8", "replace").splitlines()
    return [line for line in lines if ":CONSOLE" in line or "Uncaught" in line]


@pytest.mark.browser
def test_console_error_detection_works(tmp_path):
    """The check above would see a broken page: the smallest page with an uncaught error."""
    page = tmp_path / "broken.html"
    page.write_text("<!DOCTYPE html><title>t</title><body><script>undefinedFunction();</script></body>",
                    encoding="utf-8")
    result = _chromium(tmp_path, "--dump-dom", page.as_uri())
    assert any("undefinedFunction" in line for line in _console_problems(result.stderr))


@pytest.mark.browser
@pytest.mark.parametrize("view", ["coverage", "themes"])
def test_html_page_opens_in_headless_chromium(built, view, tmp_path):
    page = tmp_path / f"{view}.html"
    assert main(["export", "--format", "html", "--view", view, "-o", str(page)]) == 0
    text = page.read_text(encoding="utf-8")
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", text), "the page must fetch nothing"
    expected = to_networkx(built, view=view).number_of_nodes()

    result = _chromium(tmp_path, "--dump-dom", page.as_uri())
    assert result.returncode == 0, result.stderr.decode()[-2000:]
    dom = result.stdout.decode("utf-8")
    body = re.search(r"<body[^>]*>", dom).group(0)
    assert f'data-nodes="{expected}"' in body, body
    assert 'data-errors="0"' in body, body
    assert f"{expected} nodes</title>" in dom
    assert _console_problems(result.stderr) == []
    assert "Uncaught" not in result.stderr.decode("utf-8", "replace")

    shot = tmp_path / f"{view}.png"
    result = _chromium(tmp_path, f"--screenshot={shot}", "--window-size=1200,800", page.as_uri())
    assert result.returncode == 0, result.stderr.decode()[-2000:]
    assert _png_size(shot) == (1200, 800)
    assert shot.stat().st_size > 10_000  # a drawn graph, not a blank page


# ------------------------------------------------------------------------------------------------ PNG

def _png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", f"{path} is not a PNG"
    assert data[12:16] == b"IHDR"
    return struct.unpack(">II", data[16:24])


def test_coverage_png_is_a_heatmap_of_the_expected_size(views, tmp_path):
    pytest.importorskip("matplotlib")
    path = tmp_path / "coverage.png"
    write_graph(views["coverage"], "png", path)
    graph = views["coverage"]
    councils = sum(1 for _, d in graph.nodes(data=True) if d["type"] == "council")
    requirements = sum(1 for _, d in graph.nodes(data=True) if d["type"] == "requirement")
    assert (councils, requirements) == (4, 102)
    assert _png_size(path) == heatmap_size(councils, requirements)


def test_png_of_a_layered_view(views, tmp_path):
    pytest.importorskip("matplotlib")
    path = tmp_path / "themes.png"
    write_graph(views["themes"], "png", path)
    width, height = _png_size(path)
    assert width >= 1000 and height >= 800


# ------------------------------------------------------------------------------------------------ command line

@pytest.mark.parametrize("fmt", [f for f in FORMATS if f not in ("png", "html")])
def test_cli_writes_each_format(fmt, tmp_path):
    out = tmp_path / f"rutland.{fmt}"
    assert main(["export", "--format", fmt, "--view", "coverage", "--council", "Rutland", "-o", str(out)]) == 0
    assert out.stat().st_size > 0
    assert not list(tmp_path.glob(".*.tmp")), "atomic write left a temporary file"


def test_cli_unknown_council_is_exit_2(tmp_path, capsys):
    out = tmp_path / "x.graphml"
    assert main(["export", "--format", "graphml", "--council", "Atlantis", "-o", str(out)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("wpgraph export: unknown council 'Atlantis'") and len(err.strip().splitlines()) == 1
    assert not out.exists()


def test_cli_bad_format_is_exit_2(tmp_path, capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["export", "--format", "pdf", "-o", str(tmp_path / "x.pdf")])
    assert exit_info.value.code == 2


def test_cli_output_folder_is_exit_2(tmp_path, capsys):
    assert main(["export", "--format", "dot", "-o", str(tmp_path)]) == 2
    assert "is a folder" in capsys.readouterr().err


def test_png_without_matplotlib_says_how_to_install(views, tmp_path, monkeypatch):
    import builtins

    real_import = builtins.__import__

    def no_matplotlib(name, *args, **kwargs):
        if name == "matplotlib" or name.startswith("matplotlib."):
            raise ImportError(name)
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_matplotlib)
    with pytest.raises(InputError, match=r"pip install 'wpgraph\[plot\]'"):
        write_graph(views["coverage"], "png", tmp_path / "x.png")
    assert not (tmp_path / "x.png").exists()


# ------------------------------------------------------------------------------------------------ readable views

def _overlaps(boxes: list[list]) -> list[tuple[str, str]]:
    """Pairs of label boxes ([id, x1, y1, x2, y2], page pixels) that overlap by more than a pixel's rounding."""
    found = []
    ordered = sorted(boxes, key=lambda b: b[1])
    for i, a in enumerate(ordered):
        for b in ordered[i + 1:]:
            if b[1] >= a[3] - 0.5:
                break
            if min(a[4], b[4]) - max(a[2], b[2]) > 0.5 and min(a[3], b[3]) - max(a[1], b[1]) > 0.5:
                found.append((a[0], b[0]))
    return found


def test_the_overlap_check_sees_an_overlap():
    assert _overlaps([["a", 0, 0, 100, 10], ["b", 50, 5, 150, 15], ["c", 0, 20, 100, 30]]) == [("a", "b")]


READABLE = [("coverage", None), ("themes", None), ("accountability", None), ("accountability", "Rutland"),
            ("partners", None), ("full", "Rutland")]


@pytest.mark.browser
@pytest.mark.parametrize("view, council", READABLE)
def test_at_the_default_zoom_no_labels_overlap(built, view, council, tmp_path):
    page = tmp_path / f"{view}.html"
    argv = ["export", "--format", "html", "--view", view, "-o", str(page)] + (["--council", council] if council else [])
    assert main(argv) == 0
    result = _chromium(tmp_path, "--window-size=1200,800", "--dump-dom", page.as_uri())
    assert result.returncode == 0, result.stderr.decode()[-2000:]
    body = re.search(r"<body[^>]*>", result.stdout.decode("utf-8")).group(0)
    assert 'data-errors="0"' in body
    boxes = json.loads(html.unescape(re.search(r'data-label-boxes="([^"]*)"', body).group(1)))
    nodes = to_networkx(built, view=view, council=council).number_of_nodes()
    assert len(boxes) >= min(nodes, 20), "labels are in sight at the default zoom, not hidden"
    zoom = float(re.search(r'data-zoom="([^"]*)"', body).group(1))
    assert zoom >= 0.8, "the default zoom is one at which 9-pixel labels can be read"
    assert _overlaps(boxes) == []


def test_layers_councils_then_requirements_by_theme(views):
    from wpgraph.views.layout import COLUMN, ROW, columns_of, positions

    graph = views["coverage"]
    columns = columns_of(graph)
    assert {graph.nodes[n]["type"] for n in columns[0]} == {"council"}
    themes = [{graph.nodes[n]["theme"] for n in column} for column in columns[1:]]
    assert all(len(t) == 1 for t in themes) and [t.pop() for t in themes] == ["0", "1", "2", "3", "4"]
    where = positions(graph)
    for x, column in enumerate(columns):
        ys = sorted(where[n][1] for n in column)
        assert {where[n][0] for n in column} == {x * COLUMN}
        assert all(b - a >= ROW for a, b in zip(ys, ys[1:], strict=False))


def test_themes_as_a_hierarchy(views):
    from wpgraph.views.layout import positions

    graph = views["themes"]
    where = positions(graph)
    for topic, data in graph.nodes(data=True):
        if data["type"] != "topic":
            continue
        children = [where[r][1] for r in graph.predecessors(topic)]
        assert children and min(children) <= where[topic][1] <= max(children), data["label"]
        assert where[topic][0] < min(where[r][0] for r in graph.predecessors(topic))


@pytest.mark.parametrize("fmt", ["html", "png"])
def test_a_picture_of_the_full_view_asks_for_a_council(tmp_path, capsys, fmt):
    out = tmp_path / f"full.{fmt}"
    assert main(["export", "--format", fmt, "--view", "full", "-o", str(out)]) == 2
    err = capsys.readouterr().err.strip()
    assert "give --council NAME" in err and len(err.splitlines()) == 1
    assert not out.exists()
    assert main(["export", "--format", "graphml", "--view", "full", "-o", str(tmp_path / "full.graphml")]) == 0


def test_the_default_view_is_one_people_can_read(tmp_path):
    out = tmp_path / "default.html"
    assert main(["export", "--format", "html", "-o", str(out)]) == 0
    assert '"view": "coverage"' in out.read_text(encoding="utf-8")


def test_every_view_in_every_format_for_a_plan_the_user_brings_without_scipy(tmp_path, monkeypatch):
    """The extras the README names (plot: matplotlib) are enough: scipy is not needed, even for the full view."""
    pytest.importorskip("matplotlib")
    from conftest import write_plan_folder

    import wpgraph
    from wpgraph.entrypoints import export

    write_plan_folder(tmp_path / "borsetshire")
    wpgraph.build([tmp_path / "borsetshire"], bundled=True, build=tmp_path / "build")
    monkeypatch.setitem(sys.modules, "scipy", None)  # import scipy now fails, as on a clean install
    for view in VIEWS:
        for fmt in FORMATS:
            out = tmp_path / f"{view}.{fmt}"
            graph = export(fmt, out, view=view, council="Borsetshire", build=tmp_path / "build")
            assert out.stat().st_size > 0, (view, fmt)
            if view in ("full", "accountability", "coverage"):  # themes and partners are the catalogue's
                assert any(d.get("council") == "Borsetshire" for _, d in graph.nodes(data=True)), view
