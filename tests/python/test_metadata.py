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
