"""queries/ as a grlc specification: the parameters grlc derives are wpgraph's, and a query run the way grlc
runs it (its own rewriting of the text) answers what ``wpgraph query`` answers."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import IN_CI, write_plan_folder

import wpgraph
from wpgraph.errors import InputError
from wpgraph.queries.registry import get_query, list_queries, load_query
from wpgraph.queries.run import normalise_lists, run_query
from wpgraph.queries.runners import LocalRunner

# grlc from PyPI (a test extra): its own code derives the specification, nothing of it re-implemented here.
# Skipped where it is not installed; in CI, which installs the test extra, its absence is a failure.
try:
    import grlc.gquery as gquery
except ImportError:
    if IN_CI:
        raise
    pytest.skip("grlc is not installed (pip install grlc; a test extra)", allow_module_level=True)

WP = "https://w3id.org/wpgraph/ns#"


def grlc_spec(name: str) -> dict:
    """What grlc reads from a query file: its metadata, with the parameters its API will have."""
    path = get_query(name).path
    assert path is not None
    return gquery.get_metadata(path.read_text(encoding="utf-8"), "http://127.0.0.1:1/sparql")


def council_iri(store, short_name: str) -> str:
    rows = LocalRunner(store).select(f'SELECT ?c WHERE {{ ?c <{WP}shortName> "{short_name}" }}')
    assert len(rows) == 1, short_name
    return rows[0]["c"]


def grlc_value(store, param, value: str) -> str:
    """The value a grlc user gives: the IRI itself where grlc substitutes an IRI."""
    if param.type == "council":
        return council_iri(store, value)
    if param.type == "partner":
        return f"https://w3id.org/wpgraph/id/partner/{value}"
    return value


def run_as_grlc(store, name: str, args: dict[str, str]) -> list[dict]:
    """The query as grlc would send it to the endpoint, run on the build's store."""
    spec = grlc_spec(name)
    text = gquery.rewrite_query(spec["query"], spec["parameters"], args)
    query = get_query(name)
    return normalise_lists(LocalRunner(store).select(text), query.lists, query.list_separator)


@pytest.mark.parametrize("name", [q.name for q in list_queries()])
def test_grlc_derives_the_parameters_of_each_header(name):
    query = get_query(name)
    spec = grlc_spec(name)
    assert spec["type"] == "SelectQuery"
    assert [str(v) for v in spec["variables"]] == list(query.variables)
    derived = spec["parameters"]
    assert sorted(derived) == sorted(p.name for p in query.params), "grlc's API has the header's parameters"
    for param in query.params:
        grlc = derived[param.name]
        assert grlc["required"] == param.required, param.name
        if param.type in ("council", "partner"):
            assert grlc.get("format") == "iri", f"{param.name}: grlc must put an IRI in, as wpgraph does"
        if param.type == "date":
            assert grlc.get("datatype") == "xsd:date"
        assert sorted(grlc.get("enum", [])) == sorted(param.enumerate)


def test_enumerations_are_the_catalogue_and_the_partner_vocabulary(built):
    refs = [r.reference for r in wpgraph.catalogue()]
    assert sorted(grlc_spec("requirement")["parameters"]["ref"]["enum"]) == sorted(refs)
    partners = LocalRunner(built.store).select(f"SELECT ?p WHERE {{ ?p a <{WP}PartnerBody> }}")
    assert sorted(grlc_spec("partner-dependence")["parameters"]["partner"]["enum"]) == sorted(
        r["p"] for r in partners)


@pytest.mark.parametrize("name", [q.name for q in list_queries()])
def test_under_grlc_each_query_answers_what_wpgraph_answers(built, name):
    query = get_query(name)
    params = {p.name: p.example for p in query.params if p.example}
    if name == "open-actions":
        params = {"council": "Cheshire East", "asof": "2021-02-01"}
    args = {k: grlc_value(built.store, query.param(k), v) for k, v in params.items()}
    ours = run_query(query, params, LocalRunner(built.store))
    theirs = run_as_grlc(built.store, name, args)
    assert theirs == ours
    assert ours, f"{name} answers something with its example parameters"


def test_under_grlc_accountability_is_one_councils_and_compare_one_pair(built):
    rutland = council_iri(built.store, "Rutland")
    wandsworth = council_iri(built.store, "Wandsworth")
    roles = run_as_grlc(built.store, "accountability", {"council": rutland})
    everyone = LocalRunner(built.store).select(
        f"SELECT DISTINCT ?r WHERE {{ ?r a <{WP}Role> ; <{WP}council> <{rutland}> }}")
    assert len(roles) == len(everyone) == 32  # posts after data/reference/roles.csv joins the spellings of one post
    pairs = run_as_grlc(built.store, "compare", {"a": rutland, "b": wandsworth})
    assert len(pairs) == len({row["requirement"] for row in pairs}), "one row per requirement, not per pair"


def test_an_optional_parameter_left_out_under_grlc_means_every_council(built):
    rows = run_as_grlc(built.store, "coverage", {})
    assert {row["council"] for row in rows} == {"Rutland", "Wandsworth", "Cheshire East", "Leicestershire"}
    one = run_as_grlc(built.store, "coverage", {"council": council_iri(built.store, "Wandsworth")})
    assert {row["council"] for row in one} == {"Wandsworth"}


def test_a_plan_the_user_brings_is_one_council_under_grlc(tmp_path):
    folder = write_plan_folder(tmp_path / "borsetshire").parent
    wpgraph.build([folder], bundled=True, build=tmp_path / "build")
    with wpgraph.open_build(tmp_path / "build") as build:
        iri = council_iri(build.store, "Borsetshire")
        rows = run_as_grlc(build.store, "council-responses", {"council": iri})
    assert [row["localRef"] for row in rows] == ["1.1", "1.2", "1.3", "1.4", "1.5"]


def test_a_header_that_disagrees_with_its_variables_is_an_input_error(tmp_path: Path):
    text = ("#+ name: x\n#+ params:\n#+   - name: council\n#+     type: council\n#+     required: true\n"
            "SELECT ?r WHERE {\n#@params\n?r <https://w3id.org/wpgraph/ns#council> ?__council_iri }\n")
    with pytest.raises(InputError, match="must start with \\?_"):
        load_query(tmp_path / "x.rq", text)
    wrong_form = text.replace("?__council_iri", "?_council")
    with pytest.raises(InputError, match="cannot be bound as \\?_council"):
        load_query(tmp_path / "x.rq", wrong_form)


def test_wpgraph_takes_the_values_grlc_offers_as_well_as_names(built):
    runner = LocalRunner(built.store)
    by_code = run_query(get_query("partner-dependence"), {"partner": "LRF"}, runner)
    by_iri = run_query(get_query("partner-dependence"), {"partner": "https://w3id.org/wpgraph/id/partner/LRF"},
                       runner)
    assert by_code == by_iri and by_code
    rutland = council_iri(built.store, "Rutland")
    assert run_query(get_query("accountability"), {"council": rutland}, runner) == run_query(
        get_query("accountability"), {"council": "Rutland"}, runner)
