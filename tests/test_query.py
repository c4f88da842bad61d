"""Canned queries: the analysts' stories, parameter binding, and every query running."""

from __future__ import annotations

import json
import socket

import pyoxigraph as ox
import pytest
from conftest import write_plan_folder

import wpgraph
from wpgraph.errors import InputError
from wpgraph.queries.binding import prepare, values_block
from wpgraph.queries.registry import CannedQuery, Param, get_query, list_queries
from wpgraph.queries.run import run_query
from wpgraph.queries.runners import LocalRunner

EXPECTED = {"coverage", "open-actions", "partners-by-theme", "accountability", "requirement", "council-responses",
            "not-fully-met", "unevidenced", "partner-dependence", "deadlines", "figures", "compare"}
HOSTILE = 'x" } ; DROP ALL ; {'


@pytest.fixture(scope="session")
def store(built):
    return built.store


def query(name: str, store, **params):
    return run_query(get_query(name), params, LocalRunner(store))


def example_params(name: str) -> dict[str, str]:
    return {p.name: p.example for p in get_query(name).params if p.required}


def test_the_twelve_queries_are_there_with_headers():
    found = {q.name: q for q in list_queries()}
    assert EXPECTED <= set(found)
    for q in found.values():
        assert q.summary and q.description and q.example and q.variables, q.name
        for p in q.params:
            assert p.description, (q.name, p.name)
            if p.required:
                assert p.example, (q.name, p.name)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_every_canned_query_runs_and_returns_its_variables(store, name):
    rows = query(name, store=store, **example_params(name))
    assert rows, name
    assert list(rows[0]) == list(get_query(name).variables)


def test_coverage_wandsworth_has_8_partly_met_and_62_met(store):
    rows = query("coverage", store=store, council="Wandsworth")
    assert {r["council"] for r in rows} == {"Wandsworth"}
    assert sum(r["partlyMet"] for r in rows) == 8
    assert sum(r["met"] for r in rows) == 62
    for r in rows:
        assert r["met"] + r["partlyMet"] + r["notMet"] + r["notStated"] == r["direct"] <= r["answered"] <= r["required"]


@pytest.mark.parametrize("spelling", ["Wandsworth", "wandsworth", "London Borough of Wandsworth", "E09000032",
                                      "e09000032"])
def test_council_by_name_short_name_or_gss_code(store, spelling):
    rows = query("coverage", store=store, council=spelling)
    assert {r["council"] for r in rows} == {"Wandsworth"}


def test_council_responses_rutland_local_2_7_answers_2_10(store):
    rows = query("council-responses", store=store, council="Rutland")
    assert {"localRef": "2.7", "requirement": "2.10"}.items() <= next(r for r in rows if r["localRef"] == "2.7").items()


def test_cli_coverage_json(run_cli, tmp_path):
    code, out, err = run_cli("query", "coverage", "--param", "council=Wandsworth", "--format", "json",
                             "--build", tmp_path)
    assert code == 0, err
    rows = json.loads(out)
    assert sum(r["partlyMet"] for r in rows) == 8 and sum(r["met"] for r in rows) == 62


def test_cli_list_and_describe(run_cli):
    code, out, _ = run_cli("query", "--list")
    assert code == 0 and all(name in out for name in EXPECTED)
    code, out, _ = run_cli("query", "--describe", "open-actions")
    assert code == 0 and "asof" in out and "optional" in out


def test_hostile_text_value_is_just_an_unmatched_literal(store):
    before = len(store)
    ad_hoc = CannedQuery(name="by-reference", summary="", description="", params=(Param("ref"),),
                         text="PREFIX wp: <https://w3id.org/wpgraph/ns#>\n"
                              "SELECT ?req WHERE {\n#@params\n?req wp:reference ?ref }\n")
    text = prepare(ad_hoc, {"ref": HOSTILE}, LocalRunner(store))
    assert 'VALUES (?ref) { ("x\\" } ; DROP ALL ; {") }' in text
    assert run_query(ad_hoc, {"ref": HOSTILE}, LocalRunner(store)) == []
    assert run_query(ad_hoc, {"ref": "2.10"}, LocalRunner(store)) == [
        {"req": "https://w3id.org/wpgraph/id/requirement/2.10"}]
    assert len(store) == before


def test_hostile_requirement_is_an_unknown_requirement(store):
    with pytest.raises(InputError, match="unknown requirement"):
        query("requirement", store=store, ref=HOSTILE)


def test_an_unknown_requirement_is_exit_2_not_zero_rows(run_cli):
    code, out, err = run_cli("query", "requirement", "--param", "ref=9.99")
    assert code == 2 and out == "" and "unknown requirement '9.99'" in err


def test_a_repeated_param_is_exit_2_not_silently_dropped(run_cli):
    code, out, err = run_cli("query", "coverage", "--param", "council=Rutland", "--param", "council=Wandsworth")
    assert code == 2 and out == "" and "council is given twice" in err


def test_hostile_council_is_an_unknown_council(store):
    with pytest.raises(InputError, match="unknown council"):
        query("coverage", store=store, council=HOSTILE)


@pytest.mark.parametrize("name, params, message", [
    ("accountability", {}, "missing required parameter council"),
    ("coverage", {"colour": "red"}, "unknown parameter colour"),
    ("open-actions", {"asof": "31/12/2020"}, "not a date"),
    ("no-such-query", {}, "no canned query"),
])
def test_bad_parameters_are_input_errors(store, name, params, message):
    with pytest.raises(InputError, match=message):
        query(name, store=store, **params)


def test_cli_bad_parameter_exits_2_with_one_line(run_cli, tmp_path):
    code, out, err = run_cli("query", "accountability", "--build", tmp_path)
    assert code == 2 and out == "" and len(err.strip().splitlines()) == 1


def test_open_actions_asof_only_overdue(store):
    every = query("open-actions", store=store)
    overdue = query("open-actions", store=store, asof="2020-11-01")
    assert 0 < len(overdue) < len(every)
    assert all(r["due"] and r["due"] < "2020-11-01" for r in overdue)


def test_unevidenced_rows_are_met_without_evidence(store):
    rows = query("unevidenced", store=store)
    for row in rows[:20]:
        assert row["council"]


def test_ad_hoc_file_query(run_cli, tmp_path):
    rq = tmp_path / "councils.rq"
    rq.write_text("PREFIX wp: <https://w3id.org/wpgraph/ns#>\nSELECT ?gss WHERE { ?c a wp:Council ; wp:gssCode ?gss }"
                  " ORDER BY ?gss\n", encoding="utf-8")
    code, out, err = run_cli("query", "--file", rq, "--format", "csv", "--build", tmp_path / "b")
    assert code == 0, err
    assert out.splitlines() == ["gss", "E06000017", "E06000049", "E09000032", "E10000018"]


def test_values_are_typed_terms():
    block = values_block({"d": ox.Literal("2020-12-01", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#date"))})
    assert block == 'VALUES (?d) { ("2020-12-01"^^<http://www.w3.org/2001/XMLSchema#date>) }'


def test_a_session_in_memory_answers_every_query_as_the_store_on_disk(tmp_path):
    """An analyst opens a build of her own plan (beside the bundled ones) once, in memory, and runs query after
    query on it: every canned query gives the rows the store on disk gives, and the build stays open between."""
    mine = write_plan_folder(tmp_path / "plans" / "borsetshire").parent
    wpgraph.build([mine], build=tmp_path / "build", bundled=True)
    for _ in range(2):
        with wpgraph.open_build(tmp_path / "build", in_memory=True) as session:
            for canned in list_queries():
                params = {"council": "Borsetshire"} if any(p.name == "council" for p in canned.params) else {}
                params.update({k: v for k, v in example_params(canned.name).items() if k not in params})
                on_disk = wpgraph.run_sparql(canned, params, build=tmp_path / "build")
                assert wpgraph.run_sparql(canned, params, build=session) == on_disk, canned.name
            rows = wpgraph.run_sparql(get_query("coverage"), {"council": "Borsetshire"}, build=session)
            assert next(r for r in rows if r["theme"] == 1)["met"] == 5


def test_a_build_whose_dataset_file_was_spoilt_cannot_be_read_into_memory_and_says_so(tmp_path, run_cli):
    """The build's wpgraph.trig, cut short by hand: a session in memory (the API, or wpgraph serve --in-memory)
    is refused with one line naming the file; the store on disk still answers."""
    mine = write_plan_folder(tmp_path / "plans" / "borsetshire").parent
    wpgraph.build([mine], build=tmp_path / "build")
    dataset = tmp_path / "build" / "wpgraph.trig"
    dataset.write_text("<https://w3id.org/wpgraph/id/x> <", encoding="utf-8")
    for _ in range(2):
        with pytest.raises(InputError) as refused:
            wpgraph.open_build(tmp_path / "build", in_memory=True)
        assert str(refused.value).startswith(f"{dataset}: cannot read the build's dataset into memory")
        assert "\n" not in str(refused.value)
    with socket.socket() as taken:  # were the build read in after all, the server would stop here, not serve
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        code, out, err = run_cli("serve", "--in-memory", "--build", tmp_path / "build", "--port",
                                 str(taken.getsockname()[1]))
    assert code == 2 and out == "" and err.strip() == f"wpgraph serve: {refused.value}"
    assert wpgraph.query("coverage", council="Borsetshire", build=tmp_path / "build")
