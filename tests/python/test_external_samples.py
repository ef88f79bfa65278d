"""Staging accepts the layouts the Fivetran connectors really write (their own integration samples)."""
from __future__ import annotations

from conftest import DbtProject, generate_world
from external_samples import SAMPLES_DIR, load_samples


def test_staging_builds_on_fivetran_samples(tmp_path):
    assert SAMPLES_DIR.exists(), f"samples not found at {SAMPLES_DIR}"
    project = DbtProject(db_path=tmp_path / "samples.duckdb", work_dir=tmp_path)
    # Segment and survey have no Fivetran samples: a tiny generated world supplies them.
    generate_world(project.db_path, "--accounts", "20")
    loaded = load_samples(project.db_path)
    assert loaded["raw_salesforce.account"] > 0 and loaded["raw_stripe.charge"] > 0

    # Build and test the whole staging layer (reconciliation and key tests included).
    project.run("build", "--select", "staging", "--indirect-selection", "cautious")

    staged = dict(project.query(
        """
        select 'accounts', count(*) from main_staging.stg_salesforce__accounts
        union all select 'organizations', count(*) from main_staging.stg_zendesk__organizations
        union all select 'customers', count(*) from main_staging.stg_stripe__customers
        union all select 'prices', count(*) from main_staging.stg_stripe__prices
        """
    ))
    assert staged["organizations"] == loaded["raw_zendesk.organization"]
    assert staged["customers"] >= 1 and staged["prices"] >= 1 and staged["accounts"] >= 1

    # Text booleans ('true', 'FALSE') are read as booleans: the sample's deleted accounts are quarantined.
    deleted = project.scalar(
        "select count(*) from raw_salesforce.account where lower(is_deleted) = 'true'"
    )
    soft_deleted = project.scalar(
        "select count(*) from main_staging.stg_rejected_rows "
        "where source_system = 'salesforce' and source_table = 'account' and reject_reason = 'soft_deleted'"
    )
    assert deleted > 0 and soft_deleted == deleted

    # Text timestamps in the loader's format are parsed.
    unparsed = project.scalar(
        "select count(*) from main_staging.stg_stripe__customers where created_at is null"
    )
    assert unparsed == 0
