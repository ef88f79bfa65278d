"""Staging on a dirty demo world: bad rows are quarantined with a reason, nothing is lost."""
from __future__ import annotations

import shutil
from datetime import datetime, timezone

import duckdb
import pytest

from conftest import DbtProject

RAW_TABLES = {
    ("salesforce", "account"): ("raw_salesforce", "stg_salesforce__accounts"),
    ("salesforce", "contact"): ("raw_salesforce", "stg_salesforce__contacts"),
    ("salesforce", "opportunity"): ("raw_salesforce", "stg_salesforce__opportunities"),
    ("salesforce", "task"): ("raw_salesforce", "stg_salesforce__tasks"),
    ("salesforce", "event"): ("raw_salesforce", "stg_salesforce__events"),
    ("salesforce", "user"): ("raw_salesforce", "stg_salesforce__users"),
    ("zendesk", "organization"): ("raw_zendesk", "stg_zendesk__organizations"),
    ("zendesk", "user"): ("raw_zendesk", "stg_zendesk__users"),
    ("zendesk", "ticket"): ("raw_zendesk", "stg_zendesk__tickets"),
    ("zendesk", "ticket_field_history"): ("raw_zendesk", "stg_zendesk__ticket_field_history"),
    ("stripe", "customer"): ("raw_stripe", "stg_stripe__customers"),
    ("stripe", "price"): ("raw_stripe", "stg_stripe__prices"),
    ("stripe", "subscription"): ("raw_stripe", "stg_stripe__subscriptions"),
    ("stripe", "invoice"): ("raw_stripe", "stg_stripe__invoices"),
    ("stripe", "invoice_line_item"): ("raw_stripe", "stg_stripe__invoice_line_items"),
    ("stripe", "charge"): ("raw_stripe", "stg_stripe__charges"),
    ("segment", "identifies"): ("raw_segment", "stg_segment__identifies"),
    ("segment", "groups"): ("raw_segment", "stg_segment__groups"),
    ("segment", "tracks"): ("raw_segment", "stg_segment__tracks"),
    ("survey", "nps_responses"): ("raw_survey", "stg_survey__nps_responses"),
}


def test_every_raw_row_is_staged_or_rejected(dirty_world: DbtProject):
    rejected = {
        (system, table): count
        for system, table, count in dirty_world.query(
            "select source_system, source_table, count(*) from main_staging.stg_rejected_rows group by 1, 2"
        )
    }
    for (system, table), (raw_schema, staging_model) in RAW_TABLES.items():
        raw = dirty_world.scalar(f'select count(*) from {raw_schema}."{table}"')
        staged = dirty_world.scalar(f"select count(*) from main_staging.{staging_model}")
        assert raw == staged + rejected.get((system, table), 0), (system, table, raw, staged, rejected.get((system, table)))
    assert sum(rejected.values()) > 0, "the dirty world should have rejected rows"


@pytest.mark.parametrize(
    "reason",
    [
        "missing_key",
        "duplicate_load",
        "soft_deleted",
        "future_date",
        "unparseable_score",
        "unparseable_created_at",
        "unparseable_metadata",
        "orphan_account",
        "orphan_organization",
        "orphan_customer",
        "orphan_invoice",
    ],
)
def test_each_kind_of_bad_row_is_quarantined_with_its_reason(dirty_world: DbtProject, reason: str):
    count = dirty_world.scalar(
        "select count(*) from main_staging.stg_rejected_rows where reject_reason = ?", [reason]
    )
    assert count > 0, f"no rows rejected as {reason}"


def test_latest_load_of_a_duplicated_record_wins(dirty_world: DbtProject):
    duplicated = dirty_world.query(
        """
        select id, max(_fivetran_synced)
        from raw_salesforce.account
        where id is not null
        group by id
        having count(*) > 1
        """
    )
    assert duplicated, "the dirty world should load some accounts twice"
    for account_id, latest_synced in duplicated:
        latest = dirty_world.query(
            "select name, coalesce(is_deleted, false) or coalesce(_fivetran_deleted, false) "
            "from raw_salesforce.account where id = ? and _fivetran_synced = ?",
            [account_id, latest_synced],
        )[0]
        staged = dirty_world.query(
            "select account_name from main_staging.stg_salesforce__accounts where account_id = ?", [account_id]
        )
        if latest[1]:
            assert staged == [], "a record whose latest load is deleted is not staged"
        else:
            assert staged == [(latest[0],)]


def test_survey_times_become_utc_and_scores_numbers(dirty_world: DbtProject):
    rows = dirty_world.query(
        """
        select raw.created_at, raw.score, staged.responded_at, staged.score
        from raw_survey.nps_responses as raw
        inner join main_staging.stg_survey__nps_responses as staged
            on raw.id = staged.response_id
        where raw.created_at not like '%+00:00' and raw.created_at not like '%Z'
        limit 50
        """
    )
    assert rows, "the survey export should carry non-UTC offsets"
    for raw_created_at, raw_score, responded_at, score in rows:
        expected = datetime.fromisoformat(raw_created_at).astimezone(timezone.utc).replace(tzinfo=None)
        assert responded_at == expected
        assert score == int(raw_score)


def test_stripe_cents_become_currency_units(dirty_world: DbtProject):
    mismatches = dirty_world.scalar(
        """
        select count(*)
        from raw_stripe.invoice as raw
        inner join main_staging.stg_stripe__invoices as staged
            on raw.id = staged.invoice_id
        where abs(staged.amount_due - raw.amount_due / 100.0) > 0.001
        """
    )
    assert mismatches == 0


def test_unmatched_identities_are_counted_not_dropped(dirty_world: DbtProject):
    outcomes = {
        (system, entity, outcome): count
        for system, entity, outcome, count in dirty_world.query(
            "select source_system, source_entity, match_outcome, record_count from main_intermediate.int_identity_match_summary"
        )
    }
    assert outcomes.get(("stripe", "customer", "no_crm_account_id_in_metadata"), 0) > 0
    assert outcomes.get(("zendesk", "organization", "no_external_id"), 0) > 0
    assert outcomes.get(("segment", "workspace", "workspace_not_on_any_account"), 0) > 0
    assert outcomes.get(("survey", "respondent", "email_not_found"), 0) > 0
    # every staged Stripe customer appears in the identity map, matched or not
    staged_customers = dirty_world.scalar("select count(*) from main_staging.stg_stripe__customers")
    mapped_customers = sum(c for (s, e, _), c in outcomes.items() if (s, e) == ("stripe", "customer"))
    assert mapped_customers == staged_customers


def test_reconciliation_test_fails_when_a_row_goes_missing(dirty_world: DbtProject, tmp_path):
    """The rows_reconcile data test is not vacuous: lose one rejected row and it fails."""
    copy = DbtProject(db_path=tmp_path / "copy.duckdb", work_dir=tmp_path)
    shutil.copy(dirty_world.db_path, copy.db_path)
    con = duckdb.connect(str(copy.db_path))
    con.execute(
        """
        delete from main_staging.stg_rejected_rows
        where source_system = 'salesforce' and source_table = 'account'
          and record_key = (
              select min(record_key) from main_staging.stg_rejected_rows
              where source_system = 'salesforce' and source_table = 'account'
          )
        """
    )
    con.close()
    result = copy.run("test", "--select", "stg_salesforce__accounts,test_name:rows_reconcile", expect_success=False)
    assert not result.success
