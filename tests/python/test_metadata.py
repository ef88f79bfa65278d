"""The metadata gate passes on the project and fails when a description or key test is missing."""
from __future__ import annotations

import copy
import json

import pytest

import check_metadata
from conftest import DbtProject


@pytest.fixture(scope="module")
def artifacts(dirty_world: DbtProject):
    dirty_world.run("docs", "generate")
    target = dirty_world.work_dir / "target"
    return json.loads((target / "manifest.json").read_text()), json.loads((target / "catalog.json").read_text())


def new_problems(manifest: dict, catalog: dict, artifacts) -> list[str]:
    """Problems the gate finds in a changed manifest that it does not find in the real one."""
    baseline = set(check_metadata.find_problems(*artifacts))
    return [problem for problem in check_metadata.find_problems(manifest, catalog) if problem not in baseline]


def test_the_project_compiles_before_anything_is_built(tmp_path):
    # dbt compile / docs generate on a fresh warehouse: tests that look at a
    # model's rows while compiling (the scoped key tests) must not need it built
    fresh = DbtProject(db_path=tmp_path / "empty.duckdb", work_dir=tmp_path)
    fresh.run("compile")
    compiled = tmp_path / "target" / "compiled" / "customer_health" / "models" / "intermediate" / "scoring"
    assert (compiled / "int_health_scored.sql").exists()


def test_every_model_and_column_is_described_and_keyed(artifacts):
    manifest, catalog = artifacts
    assert check_metadata.find_problems(manifest, catalog) == []


def test_gate_catches_a_missing_column_description(artifacts):
    manifest, catalog = copy.deepcopy(artifacts[0]), artifacts[1]
    node = manifest["nodes"]["model.customer_health.customer_health"]
    node["columns"]["health_tier"]["description"] = ""
    assert "customer_health.health_tier: column has no description" in check_metadata.find_problems(manifest, catalog)


def test_gate_catches_a_model_without_description(artifacts):
    manifest, catalog = copy.deepcopy(artifacts[0]), artifacts[1]
    manifest["nodes"]["model.customer_health.customer_health_alerts"]["description"] = "  "
    assert "customer_health_alerts: model has no description" in check_metadata.find_problems(manifest, catalog)


def test_gate_catches_an_undocumented_column(artifacts):
    manifest, catalog = copy.deepcopy(artifacts[0]), artifacts[1]
    del manifest["nodes"]["model.customer_health.stg_zendesk__tickets"]["columns"]["priority"]
    assert "stg_zendesk__tickets.priority: column has no description" in check_metadata.find_problems(manifest, catalog)


def test_gate_catches_a_model_without_primary_key_test(artifacts):
    manifest, catalog = copy.deepcopy(artifacts[0]), artifacts[1]
    for unique_id in list(manifest["nodes"]):
        node = manifest["nodes"][unique_id]
        if node["resource_type"] == "test" and "model.customer_health.stg_stripe__charges" in node["depends_on"]["nodes"]:
            del manifest["nodes"][unique_id]
    assert "stg_stripe__charges: model has no primary-key test (unique, or unique_combination_of_columns)" in check_metadata.find_problems(manifest, catalog)


def test_every_source_table_is_checked_by_the_gate(artifacts):
    # the source checks are not vacuous: the project's sources are in the manifest the gate reads
    manifest = artifacts[0]
    tables = {(s["source_name"], s["name"]) for s in manifest["sources"].values() if s["package_name"] == "customer_health"}
    assert {("salesforce", "account"), ("zendesk", "organization"), ("stripe", "subscription"),
            ("segment", "tracks"), ("survey", "nps_responses")} <= tables


def test_gate_catches_a_source_table_without_description(artifacts):
    manifest, catalog = copy.deepcopy(artifacts[0]), artifacts[1]
    manifest["sources"]["source.customer_health.stripe.subscription"]["description"] = " "
    assert new_problems(manifest, catalog, artifacts) == ["stripe.subscription: source table has no description"]


def test_gate_catches_a_source_without_description(artifacts):
    manifest, catalog = copy.deepcopy(artifacts[0]), artifacts[1]
    for source in manifest["sources"].values():
        if source["source_name"] == "survey":
            source["source_description"] = ""
    assert new_problems(manifest, catalog, artifacts) == ["survey: source has no description"]


def test_gate_catches_a_source_table_without_loaded_at_field(artifacts):
    manifest, catalog = copy.deepcopy(artifacts[0]), artifacts[1]
    source = manifest["sources"]["source.customer_health.zendesk.organization"]
    # dbt >= 1.10 keeps it under config and mirrors it top-level: blank both
    source["loaded_at_field"] = None
    source["config"]["loaded_at_field"] = None
    assert new_problems(manifest, catalog, artifacts) == ["zendesk.organization: source table has no loaded_at_field"]


@pytest.mark.parametrize(
    "freshness",
    [
        None,
        {"warn_after": {"count": None, "period": None}, "error_after": {"count": None, "period": None}, "filter": None},
        {"warn_after": {"count": 24, "period": None}, "error_after": {"count": None, "period": "hour"}, "filter": None},
    ],
    ids=["no_freshness_block", "empty_thresholds", "thresholds_without_count_or_period"],
)
def test_gate_catches_a_source_table_without_freshness(artifacts, freshness):
    manifest, catalog = copy.deepcopy(artifacts[0]), artifacts[1]
    source = manifest["sources"]["source.customer_health.salesforce.account"]
    source["freshness"] = copy.deepcopy(freshness)
    source["config"]["freshness"] = copy.deepcopy(freshness)
    assert new_problems(manifest, catalog, artifacts) == [
        "salesforce.account: source table has no freshness (warn_after or error_after)"
    ]


def test_gate_accepts_a_source_table_with_only_error_after(artifacts):
    manifest, catalog = copy.deepcopy(artifacts[0]), artifacts[1]
    source = manifest["sources"]["source.customer_health.salesforce.account"]
    for freshness in (source["freshness"], source["config"]["freshness"]):
        freshness["warn_after"] = {"count": None, "period": None}
    assert new_problems(manifest, catalog, artifacts) == []


def test_gate_ignores_sources_of_other_packages(artifacts):
    manifest, catalog = copy.deepcopy(artifacts[0]), artifacts[1]
    foreign = copy.deepcopy(manifest["sources"]["source.customer_health.salesforce.account"])
    foreign.update(package_name="some_package", description="", loaded_at_field=None, freshness=None)
    foreign["config"].update(loaded_at_field=None, freshness=None)
    manifest["sources"]["source.some_package.salesforce.account"] = foreign
    assert new_problems(manifest, catalog, artifacts) == []

def test_exposures_name_their_owners_and_what_they_read(artifacts):
    manifest = artifacts[0]
    exposures = {exposure["name"]: exposure for exposure in manifest["exposures"].values()}
    assert set(exposures) == {"customer_health_dashboard", "crm_health_sync"}
    for exposure in exposures.values():
        assert exposure["owner"]["name"] and "@" in exposure["owner"]["email"]
        assert exposure["description"].strip()
    reads = {name: set(exposure["depends_on"]["nodes"]) for name, exposure in exposures.items()}
    assert reads["crm_health_sync"] == {"model.customer_health.crm_account_health_sync"}
    assert {"model.customer_health.customer_health", "model.customer_health.customer_health_history",
            "model.customer_health.customer_health_backtest",
            "model.customer_health.customer_health_alerts"} <= reads["customer_health_dashboard"]
    # lineage: the sync's exposure sits downstream of the scores through the sync table
    assert "exposure.customer_health.crm_health_sync" in manifest["child_map"]["model.customer_health.crm_account_health_sync"]


def test_names_fit_postgres_identifiers(artifacts):
    """PostgreSQL cuts identifiers at 63 characters; dbt refuses longer relation names (unit tests build one each)."""
    manifest = artifacts[0]
    names = [node["name"] for node in manifest["nodes"].values() if node["resource_type"] in ("model", "seed")]
    names += [test["name"] for test in manifest.get("unit_tests", {}).values()]
    assert names and [name for name in names if len(name) > 63] == []
