"""The national catalogue, the ontology, and `wpgraph catalogue` / `wpgraph build`."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import seed_text
from rdflib import Literal
from rdflib.namespace import OWL, RDF, RDFS

from wpgraph import rdfio
from wpgraph.errors import InputError
from wpgraph.reference.catalogue import catalogue, source_file_name
from wpgraph.resources import bundled

LGA_REFERENCES = ([f"0.{i}" for i in range(1, 14)] + [f"1.{i}" for i in range(1, 16)]
                  + [f"2.{i}" for i in range(1, 12)] + [f"3.{i}" for i in range(1, 37)]
                  + [f"4.{i}" for i in range(1, 12)])
W3C_BAD_TURTLE = sorted((Path(__file__).parent / "w3c-turtle-negative-syntax").glob("*.ttl"))


def _words(text: str) -> str:
    return " ".join(text.split())


def test_an_analyst_lists_the_86_council_requirements_as_json(run_cli):
    code, out, _ = run_cli("catalogue", "--format", "json", "--council-only")
    rows = json.loads(out)
    assert code == 0
    assert [r["reference"] for r in rows] == LGA_REFERENCES
    for row in rows:
        assert row["theme"] == row["reference"].split(".")[0]
        assert row["topic"] and row["text"] and row["actor"]


def test_requirements_name_their_partner_bodies_and_deadlines():
    reqs = {r.reference: r for r in catalogue()}
    assert "PHE" in reqs["1.2"].partners
    assert "LRF" in reqs["1.10"].partners
    assert "CQC" in reqs["4.7"].partners
    assert "CCG" in reqs["2.1"].partners
    assert [d.isoformat() for d in reqs["4.8"].deadlines] == ["2020-10-31"]
    assert [d.isoformat() for d in reqs["4.1"].deadlines] == ["2020-09-30"]
    assert [d.isoformat() for d in reqs["0.9"].deadlines] == ["2021-03-31"]  # "until March 2021"
    assert reqs["3.5"].partners == ()  # names no body: nothing tagged by hand


def test_overlapping_requirements_are_linked_both_ways():
    reqs = {r.reference: r for r in catalogue()}
    assert {"1.4", "4.3"} <= set(reqs["0.5"].overlaps_with)
    assert "0.5" in reqs["1.4"].overlaps_with
    assert {"3.1", "3.2"} <= set(reqs["0.13"].overlaps_with)
    assert "1.9" in reqs["0.9"].overlaps_with


def test_the_catalogue_carries_the_nhs_actions_addressed_to_nhs_bodies():
    nhs = [r for r in catalogue() if r.reference.startswith("NHS-")]
    assert len(nhs) == 16
    assert {r.actor for r in nhs} <= {"NHS", "CCG", "PCN", "PHE-HPT", "NHS+PHE"}
    assert not any(r.is_council_requirement for r in nhs)


# A seed is text extracted from a PDF or a spreadsheet: a requirement's text may wrap over the lines after the
# one it starts on (PDF columns wrap a sentence over up to ten), with a word hyphenated across a line break.
SEED_RUN = 12


def seed_run(lines: list[str], first: int) -> tuple[str, int]:
    """The cited line and the lines after it as one text, whitespace collapsed and line-break hyphens joined
    ("COVID-" / "19" is "COVID-19"); and the length of the cited line's own part of it."""
    run = re.sub(r"-\n\s*", "-", "\n".join(lines[first - 1: first - 1 + SEED_RUN]))
    return _words(run), len(_words(lines[first - 1]))


def stands_in_seed(text: str, lines: list[str], cited: tuple[int, ...]) -> str | None:
    """None when ``text`` is the seed's words: its first piece starting on the first cited line, each later piece
    (where a PDF's columns interleave other text) at the start of the next cited line; else what is wrong."""
    rest = _words(text)
    for number, line in enumerate(cited):
        run, line_length = seed_run(lines, line)
        if number == 0:  # the text starts somewhere on the cited line, at a word
            starts = [i for i in range(line_length) if (i == 0 or run[i - 1] == " ") and run.startswith(rest[:30], i)]
            if not starts:
                return f"does not start on line {line}"
            run = run[starts[0]:]
        if run.startswith(rest):
            return None if number == len(cited) - 1 else f"ends before line {cited[number + 1]}"
        words = rest.split(" ")
        taken = max((n for n in range(1, len(words)) if run.startswith(" ".join(words[:n]) + " ")), default=0)
        if taken == 0 or number == len(cited) - 1:
            return f"differs from the seed at line {line}: {' '.join(words[taken:taken + 6])!r}"
        rest = " ".join(words[taken:])
    return None


@pytest.mark.parametrize("requirement", catalogue(), ids=lambda r: r.reference)
def test_every_requirement_text_is_its_seeds_words_from_the_cited_line_on(requirement):
    """Verbatim: the whole text, whitespace aside, stands in the seed, starting on the line it cites."""
    lines = seed_text(source_file_name(requirement.text_source))
    problem = stands_in_seed(requirement.text, lines, (requirement.source_line, *requirement.continued_at))
    assert problem is None, f"{requirement.reference} ({requirement.text_source}): {problem}"


def test_the_council_requirements_have_the_lga_templates_wording():
    """Wandsworth's copy (003) where it has the row, Rutland's (001) for the page Wandsworth lost; never Cheshire
    East's rewording (002), whose typos ("rediness", "the money Infection Control Fund") are gone."""
    sources = {r.reference: r.text_source for r in catalogue()}
    lost = [f"3.{i}" for i in range(28, 37)] + [f"4.{i}" for i in range(1, 8)]
    assert {sources[ref] for ref in lost} == {"001"}
    assert {sources[ref] for ref in LGA_REFERENCES if ref not in lost} == {"003"}
    texts = {r.reference: r.text for r in catalogue()}
    assert texts["3.35"].endswith("enabling readiness for any increased pressures over the winter period.")
    assert texts["4.1"] == ("Provide DHSC with information about how the Infection Control Fund has been spent "
                            "by 30 September 2020.")
    assert texts["4.5"] == "Understand the local care market. Support and develop the market accordingly."


def test_a_text_is_checked_against_the_whole_run_of_its_seed_lines():
    lines = ["x\tReview any systemic safeguarding concerns that have", "arisen during the pan-", "demic period.",
             "other", "column", "text", "continues here."]
    assert stands_in_seed("Review any systemic safeguarding concerns that have arisen during the pan-demic period.",
                          lines, (1,)) is None
    assert stands_in_seed("arisen during the pan-demic period.", lines, (1,)) == "does not start on line 1"
    assert stands_in_seed("Review any systemic safeguarding concerns that have arisen during the pandemic period.",
                          lines, (1,)).startswith("differs from the seed at line 1")
    assert stands_in_seed("Review any systemic safeguarding concerns that have arisen during the pan-demic period. "
                          "text continues here.", lines, (1, 6)) is None
    assert stands_in_seed("Review any systemic safeguarding concerns that have arisen during the pan-demic period.",
                          lines, (1, 6)) == "ends before line 6"


def test_every_ontology_class_and_property_has_a_label_and_a_comment():
    graph = rdfio.read_graph(bundled("ontology", "wpgraph.ttl"))
    terms = set()
    for kind in (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty):  # wpgraph's own, not the standard terms
        terms |= {t for t in graph.subjects(RDF.type, kind) if str(t).startswith("https://w3id.org/wpgraph/ns#")}
    assert len(terms) > 40
    unlabelled = [t for t in terms if not graph.value(t, RDFS.label) or not graph.value(t, RDFS.comment)]
    assert unlabelled == []


def test_the_ontology_states_its_metadata():
    graph = rdfio.read_graph(bundled("ontology", "wpgraph.ttl"))
    ontology = next(graph.subjects(RDF.type, OWL.Ontology))
    for prop in ("http://purl.org/dc/terms/title", "http://purl.org/dc/terms/license",
                 "http://purl.org/dc/terms/description", str(OWL.versionInfo)):
        assert graph.value(ontology, type(ontology)(prop)) is not None, prop


@pytest.mark.parametrize("path", W3C_BAD_TURTLE, ids=lambda p: p.stem)
def test_wpgraph_refuses_every_w3c_negative_turtle_test(path):
    with pytest.raises(InputError) as caught:
        rdfio.read_graph(path)
    assert path.name in str(caught.value)
    assert "\n" not in str(caught.value)


def test_there_are_94_w3c_negative_syntax_files():
    assert len(W3C_BAD_TURTLE) == 94


def test_help_and_version_work_for_every_subcommand(run_cli):
    code, out, _ = run_cli("--version")
    assert code == 0 and out.startswith("wpgraph ")
    from wpgraph.cli.main import COMMANDS

    for command in COMMANDS:
        code, out, _ = run_cli(command, "--help")
        assert code == 0 and "usage: wpgraph" in out, command


def test_the_console_script_works_from_any_directory(tmp_path):
    """Run as a separate process from an unrelated folder: no reliance on the working directory."""
    result = subprocess.run([sys.executable, "-m", "wpgraph.cli", "catalogue", "--format", "json"],
                            cwd=tmp_path, capture_output=True, text=True, check=False,
                            env={"PYTHONPATH": str(Path(__file__).parent.parent), "PATH": "/usr/bin:/bin"})
    assert result.returncode == 0, result.stderr
    assert len(json.loads(result.stdout)) == len(catalogue())


def test_the_catalogue_graph_keeps_verbatim_text_and_provenance(dataset):
    from wpgraph.namespaces import PROV, WP, WPID

    graph = dataset.graphs[WPID["graph/catalogue"]]
    req = WPID["requirement/4.8"]
    assert graph.value(req, WP.reference) == Literal("4.8")
    location = graph.value(req, PROV.wasDerivedFrom)
    assert str(location).endswith("003_c442e4a153fc2022.txt#L107")


def test_the_installed_console_script_runs_outside_the_checkout(tmp_path):
    """Smoke-test the entry point itself, as pip installed it next to this Python."""
    script = Path(sys.executable).parent / "wpgraph"
    if not script.exists():
        pytest.skip("wpgraph is not installed as a console script in this environment")
    result = subprocess.run([str(script), "catalogue", "--format", "csv", "--theme", "4"], cwd=tmp_path,
                            capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[0].startswith("reference,theme,topic")
    assert len(result.stdout.splitlines()) == 1 + 11 + sum(r.reference.startswith("NHS-4.") for r in catalogue())
