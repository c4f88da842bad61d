"""Posts, not spellings: the curated table of titles gives each post one stable IRI, whatever the spelling."""

from __future__ import annotations

import csv
import json
import shutil

import pytest
from conftest import seed_text, write_plan_folder
from rdflib import Literal, URIRef
from rdflib.namespace import RDF, RDFS, SKOS

import wpgraph
from wpgraph.errors import InputError
from wpgraph.reference import roles
from wpgraph.resources import bundled

WP = "https://w3id.org/wpgraph/ns#"
RUTLAND_ROLE = "https://w3id.org/wpgraph/id/council/E06000017/role/"


def test_every_curated_spelling_is_on_the_seed_line_it_cites():
    with bundled("data", "reference", "roles.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert rows
    for row in rows:
        line = " ".join(seed_text(row["seed_file"])[int(row["seed_line"]) - 1].split())
        assert row["spelling"] in line, row


def test_rutland_has_one_rise_team_manager_with_its_typo_as_a_hidden_label(dataset):
    graph = dataset.merged()
    manager = URIRef(RUTLAND_ROLE + "rise-team-manager")
    assert (manager, RDFS.label, Literal("RISE Team Manager")) in graph
    assert (manager, SKOS.hiddenLabel, Literal("RISE Team Manger")) in graph
    assert not list(graph.triples((URIRef(RUTLAND_ROLE + "rise-team-manger"), None, None)))
    # 3.20's row, "RCC HR Head of Commissioning RISE Team Manger", is owned by the one post
    owned = set(graph.subjects(URIRef(WP + "owner"), manager))
    assert URIRef("https://w3id.org/wpgraph/id/plan/E06000017/response/row-67") in owned


def test_co_ordinator_and_coordinator_are_one_post_and_count_together(run_cli):
    code, out, _ = run_cli("query", "accountability", "--param", "council=Rutland", "--format", "json")
    assert code == 0
    rows = {r["role"]: r for r in json.loads(out)}
    assert "RISE Care Home Coordinator" not in rows and "RISE Homecare Coordinator" not in rows
    assert "RISE Home Care Co-ordinator" not in rows and "RISE Team Manger" not in rows
    # every row naming the care home co-ordinator, in any spelling (1.8 and 4.10 say "Coordinator", 3.22 "Care home")
    assert rows["RISE Care Home Co-ordinator"]["responses"] == 13
    assert "Skills for Care" not in rows  # a body, not a post of the council


def test_skills_for_care_is_a_body_that_owns_not_a_post(dataset):
    graph = dataset.merged()
    assert not list(graph.triples((URIRef(RUTLAND_ROLE + "skills-for-care"), None, None)))
    owners = set(graph.subjects(URIRef(WP + "ownerBody"), URIRef("https://w3id.org/wpgraph/id/partner/SfC")))
    assert len(owners) == 2  # 3.18 and 3.19: "Skills for Care and RISE Team Manager"
    assert all((o, RDF.type, URIRef(WP + "Response")) in graph for o in owners)


def test_a_users_plan_keeps_its_own_titles(tmp_path):
    """The table is per council: another council's "RISE Team Manger" is its own post, as written."""
    rows = [{"ref": "1.1", "who": "RISE Team Manger"}]
    plan = write_plan_folder(tmp_path / "plans" / "borsetshire", rows=rows)
    result = wpgraph.build([plan.parent], build=tmp_path / "build")
    with wpgraph.open_build(result.folder) as build:
        graph = build.rdflib_graph()
    role = URIRef("https://w3id.org/wpgraph/id/council/E10000099/role/rise-team-manger")
    assert (role, RDFS.label, Literal("RISE Team Manger")) in graph


def test_a_bad_row_of_the_table_names_the_file_and_row(tmp_path, monkeypatch):
    table = tmp_path / "roles.csv"
    shutil.copy(bundled("data", "reference", "roles.csv"), table)
    with table.open("a", encoding="utf-8") as handle:
        handle.write("E06000017,Chief Cook,chief-cook,Chief Cook,chef,,001_668a3734a83c0d44.txt,1,\n")
    monkeypatch.setattr(roles, "roles_path", lambda: table)
    roles.curated_titles.cache_clear()
    try:
        with pytest.raises(InputError, match=r"roles.csv: row 16: kind must be one of post, organisation"):
            roles.curated_titles()
    finally:
        roles.curated_titles.cache_clear()
