"""Staging on a dirty demo world: bad rows are quarantined with a reason, nothing is lost."""
from __future__ import annotations

import numbers
from datetime import datetime, timezone

import duckdb
import pytest

from conftest import DbtProject, copy_of

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



# Raw Fivetran tables with a `_fivetran_deleted` column, as their base models
# (models/staging/*/base/) read them: (raw schema, raw table) -> (staging model,
# staging key, the tie-break column after _fivetran_synced in the load ranking,
# what else the base model counts as a soft delete).
SOFT_DELETABLE_TABLES = {
    ("raw_salesforce", "account"): ("stg_salesforce__accounts", "account_id", "last_modified_date", "coalesce(is_deleted, false)"),
    ("raw_salesforce", "contact"): ("stg_salesforce__contacts", "contact_id", "last_modified_date", "coalesce(is_deleted, false)"),
    ("raw_salesforce", "opportunity"): ("stg_salesforce__opportunities", "opportunity_id", "last_modified_date", "coalesce(is_deleted, false)"),
    ("raw_salesforce", "task"): ("stg_salesforce__tasks", "task_id", None, "coalesce(is_deleted, false)"),
    ("raw_salesforce", "event"): ("stg_salesforce__events", "event_id", None, "coalesce(is_deleted, false)"),
    ("raw_salesforce", "user"): ("stg_salesforce__users", "user_id", "last_modified_date", "false"),
    ("raw_zendesk", "organization"): ("stg_zendesk__organizations", "organization_id", "updated_at", "false"),
    ("raw_zendesk", "user"): ("stg_zendesk__users", "user_id", "updated_at", "false"),
    ("raw_zendesk", "ticket"): ("stg_zendesk__tickets", "ticket_id", "updated_at", "coalesce(lower(status) = 'deleted', false)"),
    ("raw_stripe", "customer"): ("stg_stripe__customers", "customer_id", None, "coalesce(is_deleted, false)"),
    ("raw_stripe", "price"): ("stg_stripe__prices", "price_id", None, "coalesce(is_deleted, false)"),
    ("raw_stripe", "subscription"): ("stg_stripe__subscriptions", "subscription_id", None, "false"),
    ("raw_stripe", "invoice"): ("stg_stripe__invoices", "invoice_id", None, "coalesce(is_deleted, false)"),
}
# marked deleted by _fivetran_deleted alone: the dirty world must soft-delete some of each
ONLY_FIVETRAN_DELETED = {("raw_zendesk", "organization"), ("raw_zendesk", "user"), ("raw_stripe", "subscription")}


def test_every_table_with_fivetran_deletes_is_checked(dirty_world: DbtProject):
    with_deleted_column = {
        (schema, table)
        for schema, table in dirty_world.query(
            "select table_schema, table_name from information_schema.columns "
            "where table_schema in ('raw_salesforce', 'raw_zendesk', 'raw_stripe') and column_name = '_fivetran_deleted'"
        )
    }
    assert with_deleted_column == set(SOFT_DELETABLE_TABLES)
    assert ONLY_FIVETRAN_DELETED <= with_deleted_column


@pytest.mark.parametrize("raw_table", list(SOFT_DELETABLE_TABLES), ids=lambda t: ".".join(t))
def test_soft_deleted_rows_are_quarantined_not_staged(dirty_world: DbtProject, raw_table):
    """What the base models promise for a row marked deleted (_fivetran_deleted, or the table's own flag).

    Reasons go in order missing_key, duplicate_load, soft_deleted: a deleted row
    without a key is missing_key, a deleted row that is not the latest load of
    its record is duplicate_load, and every keyed latest load that is deleted is
    soft_deleted; no deleted load is staged.
    """
    raw_schema, table = raw_table
    system = raw_schema.removeprefix("raw_")
    staging_model, key, tie_break, other_delete_flag = SOFT_DELETABLE_TABLES[raw_table]
    order = "_fivetran_synced desc" + (f", {tie_break} desc" if tie_break else "")
    raw_loads = f"""
        raw_loads as (
            select
                nullif(trim(cast(id as varchar)), '') as record_key,
                _fivetran_synced as loaded_at,
                coalesce(_fivetran_deleted, false) as is_fivetran_deleted,
                coalesce(_fivetran_deleted, false) or {other_delete_flag} as is_deleted,
                rank() over (partition by nullif(trim(cast(id as varchar)), '') order by {order}) as load_rank
            from {raw_schema}."{table}"
        ),
        expected as (
            select
                raw_loads.*,
                case
                    when record_key is null then 'missing_key'
                    when load_rank > 1 then 'duplicate_load'
                    when is_deleted then 'soft_deleted'
                end as expected_reason
            from raw_loads
        ),
        rejected as (
            select record_key, loaded_at, reject_reason, count(*) as rejected_rows
            from main_staging.stg_rejected_rows
            where source_system = '{system}' and source_table = '{table}'
            group by all
        )
    """
    fivetran_deleted, keyed_latest_fivetran_deleted, expected_soft_deleted, latest_ties = dirty_world.query(
        f"""
        with {raw_loads}
        select
            count(*) filter (where is_fivetran_deleted),
            count(*) filter (where is_fivetran_deleted and expected_reason = 'soft_deleted'),
            count(*) filter (where expected_reason = 'soft_deleted'),
            count(*) filter (where record_key is not null and load_rank = 1)
                - count(distinct record_key) filter (where load_rank = 1)
        from expected
        """
    )[0]
    assert latest_ties == 0, "two loads of one record share the latest _fivetran_synced: no load wins"
    soft_deleted = dirty_world.scalar(
        "select count(*) from main_staging.stg_rejected_rows "
        "where source_system = ? and source_table = ? and reject_reason = 'soft_deleted'",
        [system, table],
    )
    # exactly the keyed latest loads marked deleted are rejected as soft_deleted
    assert soft_deleted == expected_soft_deleted, (raw_table, soft_deleted, expected_soft_deleted)
    if fivetran_deleted:
        assert soft_deleted >= keyed_latest_fivetran_deleted > 0, (raw_table, fivetran_deleted, keyed_latest_fivetran_deleted)
    if raw_table in ONLY_FIVETRAN_DELETED:
        assert keyed_latest_fivetran_deleted > 0, f"the dirty world should soft-delete some {table} rows"

    # every raw row marked deleted sits in stg_rejected_rows under the reason that comes first
    unaccounted = dirty_world.query(
        f"""
        with {raw_loads},
        deleted_loads as (
            select record_key, loaded_at, expected_reason, count(*) as raw_rows
            from expected
            where is_deleted
            group by all
        )
        select deleted_loads.*, coalesce(rejected.rejected_rows, 0)
        from deleted_loads
        left join rejected
            on rejected.record_key is not distinct from deleted_loads.record_key
            and rejected.loaded_at = deleted_loads.loaded_at
            and rejected.reject_reason = deleted_loads.expected_reason
        where coalesce(rejected.rejected_rows, 0) < deleted_loads.raw_rows
        """
    )
    assert unaccounted == [], unaccounted[:5]

    # no deleted load reaches the staging model: a staged record with a deleted load was loaded again later
    staged_deleted = dirty_world.query(
        f"""
        with {raw_loads}
        select raw_loads.record_key, raw_loads.loaded_at, staged.fivetran_synced_at
        from raw_loads
        inner join main_staging.{staging_model} as staged
            on cast(staged.{key} as varchar) = raw_loads.record_key
        where raw_loads.is_deleted
          and (raw_loads.load_rank = 1 or staged.fivetran_synced_at <= raw_loads.loaded_at)
        """
    )
    assert staged_deleted == [], staged_deleted[:5]

# Raw Fivetran tables the dirty world loads twice, the stale copy changing some
# columns (scripts/demo_world/dirty.py): (raw schema, raw table) -> (staging
# model, staging key, the base model's tie-break column after _fivetran_synced,
# [(raw expression, staged column, whether the stale copy changes it)]).
DUPLICATED_TABLES = {
    ("raw_salesforce", "account"): ("stg_salesforce__accounts", "account_id", "last_modified_date", [
        ("number_of_employees", "number_of_employees", True),
        ("annual_revenue", "company_annual_revenue", True),
        ("name", "account_name", False),
    ]),
    ("raw_zendesk", "organization"): ("stg_zendesk__organizations", "organization_id", "updated_at", [
        ("name", "organization_name", True),
    ]),
    ("raw_stripe", "subscription"): ("stg_stripe__subscriptions", "subscription_id", None, [
        ("lower(status)", "status", True),
    ]),
    ("raw_stripe", "invoice"): ("stg_stripe__invoices", "invoice_id", None, [
        ("lower(status)", "status", True),
        ("amount_paid / 100.0", "amount_paid", True),
    ]),
}


def same_value(left, right) -> bool:
    if left is None or right is None:
        return left is None and right is None
    if isinstance(left, numbers.Number) and isinstance(right, numbers.Number):
        return abs(float(left) - float(right)) < 0.001
    return left == right


@pytest.mark.parametrize("raw_table", list(DUPLICATED_TABLES), ids=lambda t: ".".join(t))
def test_latest_load_of_a_duplicated_record_wins(dirty_world: DbtProject, raw_table):
    """Of two loads of one record, the one with the highest _fivetran_synced is staged.

    Compared on columns the stale duplicate copy changes, so staging the older
    load instead would fail."""
    raw_schema, table = raw_table
    staging_model, key, tie_break, columns = DUPLICATED_TABLES[raw_table]
    raw_values = ", ".join(f"{expression} as raw_{i}" for i, (expression, _, _) in enumerate(columns))
    order = "_fivetran_synced desc" + (f", {tie_break} desc" if tie_break else "")
    rows = dirty_world.query(
        f"""
        with raw_loads as (
            select
                nullif(trim(cast(id as varchar)), '') as record_key,
                _fivetran_synced,
                {raw_values},
                rank() over (partition by nullif(trim(cast(id as varchar)), '') order by {order}) as load_rank,
                count(*) over (partition by nullif(trim(cast(id as varchar)), '')) as loads
            from {raw_schema}."{table}"
        ),
        duplicated as (
            select * from raw_loads where record_key is not null and loads > 1
        )
        select
            latest.record_key,
            latest._fivetran_synced,
            (select count(*) from duplicated as tied
             where tied.record_key = latest.record_key and tied.load_rank = 1) as latest_loads,
            staged.{key} is not null as is_staged,
            staged.fivetran_synced_at,
            {", ".join(f"latest.raw_{i}, older.raw_{i}, staged.{column}" for i, (_, column, _) in enumerate(columns))}
        from duplicated as latest
        inner join duplicated as older
            on older.record_key = latest.record_key and older.load_rank > 1
        left join main_staging.{staging_model} as staged
            on cast(staged.{key} as varchar) = latest.record_key
        where latest.load_rank = 1
        """
    )
    assert rows, f"the dirty world should load some {table} records twice"
    # (latest load's value, older load's value, staged value) per compared column
    values = {row[0]: [row[5 + 3 * i: 8 + 3 * i] for i in range(len(columns))] for row in rows}
    staged_rows = [row for row in rows if row[3]]
    assert staged_rows, f"no twice-loaded {table} record was staged"
    for record_key, latest_synced, latest_loads, is_staged, staged_synced, *_ in rows:
        assert latest_loads == 1, f"{record_key}: two loads share the latest _fivetran_synced; no load wins"
        if is_staged:
            assert staged_synced == latest_synced, (record_key, staged_synced, latest_synced)
            for (_, column, _), (latest_value, _, staged_value) in zip(columns, values[record_key]):
                assert same_value(latest_value, staged_value), (record_key, column, latest_value, staged_value)
        else:
            # not staged: then the latest load is rejected for a reason of its own, never as a duplicate
            reasons = [r for (r,) in dirty_world.query(
                "select reject_reason from main_staging.stg_rejected_rows "
                "where source_system = ? and source_table = ? and record_key = ? and loaded_at = ?",
                [raw_schema.removeprefix("raw_"), table, record_key, latest_synced],
            )]
            assert reasons and "duplicate_load" not in reasons, (record_key, reasons)
    # not vacuous: for every column the stale copy changes, some staged record's older load holds another value
    for i, (_, column, changed_by_stale_copy) in enumerate(columns):
        assert not changed_by_stale_copy or any(not same_value(*values[row[0]][i][:2]) for row in staged_rows), (
            f"the stale {table} copies never change {column}: the comparison cannot catch the older load winning"
        )


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



def survey_base_with(dirty_world: DbtProject, tmp_path, name: str, rows: list[dict]) -> DbtProject:
    """A copy of the dirty world with extra raw survey rows, and base_survey__nps_responses rebuilt on it."""
    copy = copy_of(dirty_world, tmp_path, name)
    con = duckdb.connect(str(copy.db_path))
    for row in rows:
        con.execute(
            f"insert into raw_survey.nps_responses ({', '.join(row)}, score, _loaded_at) "
            f"values ({', '.join('?' for _ in row)}, '8', timestamp '2026-06-30 12:00:00')",
            list(row.values()),
        )
    con.close()
    copy.run("run", "--select", "base_survey__nps_responses")
    return copy


def test_survey_times_that_are_no_instant_are_quarantined(dirty_world: DbtProject, tmp_path):
    """'infinity' is no response time: rejected as unparseable (as on PostgreSQL), not staged or called a
    future date. A time near the end of the timestamp range is a future date, not a failed build."""
    cases = {
        "tz_infinity": ("infinity", "unparseable_created_at"),
        "tz_minus_infinity": ("-infinity", "unparseable_created_at"),
        "tz_range_end": ("294247-01-10 04:00:54.775806+00", "future_date"),
        "tz_offset": ("2026-06-29T20:30:00-05:00", None),
    }
    copy = survey_base_with(dirty_world, tmp_path, "survey_times", [
        {"id": response_id, "email": "tz@example.com", "created_at": created_at}
        for response_id, (created_at, _) in cases.items()
    ])
    got = dict(copy.query(
        "select response_id, reject_reason from main_staging.base_survey__nps_responses "
        "where response_id like 'tz_%'"
    ))
    assert got == {response_id: reason for response_id, (_, reason) in cases.items()}
    responded_at = copy.query(
        "select responded_at from main_staging.base_survey__nps_responses where response_id = 'tz_offset'"
    )
    assert responded_at == [(datetime(2026, 6, 30, 1, 30),)]


def test_ids_are_trimmed_and_blank_ids_are_missing_keys(dirty_world: DbtProject, tmp_path):
    """clean_id: spaces around an id go, spaces inside stay, and a blank id is a missing key."""
    raw_ids = ["  pad_both  ", " pad_lead", "pad_trail ", "pad in side", "   ", ""]
    copy = survey_base_with(dirty_world, tmp_path, "padded_ids", [
        {"id": raw_id, "person_id": f" person_{n} ", "email": "pad@example.com",
         "created_at": "2026-06-29T10:00:00Z"}
        for n, raw_id in enumerate(raw_ids)
    ])
    got = copy.query(
        "select response_id, respondent_id, reject_reason from main_staging.base_survey__nps_responses "
        "where respondent_email = 'pad@example.com' order by respondent_id"
    )
    assert got == [
        ("pad_both", "person_0", None),
        ("pad_lead", "person_1", None),
        ("pad_trail", "person_2", None),
        ("pad in side", "person_3", None),
        (None, "person_4", "missing_key"),
        (None, "person_5", "missing_key"),
    ]


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


def test_survey_respondents_match_by_contact_email_then_product_user_email(dirty_world: DbtProject, tmp_path):
    """A respondent's email maps to the one account whose CRM contacts carry it; an email on contacts of
    two accounts is ambiguous and stays unmatched; an email on no contact maps through the product users
    who identified with it; an email on neither is not found. Emails compare lower-cased and trimmed."""
    single_contact_email, its_account = dirty_world.query(
        """
        select email, min(account_id)
        from main_staging.stg_salesforce__contacts
        where email in (
            select email from main_staging.stg_salesforce__contacts
            where email is not null
            group by email
            having count(distinct account_id) = 1
        )
        group by email
        order by 1
        limit 1
        """
    )[0]
    # a staged contact whose raw record was loaded once, so the copy below is that very row
    shared_contact_id, shared_email, first_account = dirty_world.query(
        """
        select contact_id, email, account_id from main_staging.stg_salesforce__contacts
        where email is not null
            and email <> ?
            and contact_id in (select id from raw_salesforce.contact group by id having count(*) = 1)
        order by contact_id
        limit 1
        """,
        [single_contact_email],
    )[0]
    other_account = dirty_world.scalar(
        "select min(account_id) from main_staging.stg_salesforce__accounts where account_id <> ?", [first_account]
    )
    product_email, product_account = dirty_world.query(
        """
        select identifies.email, min(users.account_id)
        from main_staging.stg_segment__identifies as identifies
        inner join main_intermediate.int_account_identity_map as users
            on users.source_system = 'segment' and users.source_entity = 'user'
            and identifies.user_id = users.source_id
        where identifies.email is not null
            and users.account_id is not null
            and identifies.email not in (
                select email from main_staging.stg_salesforce__contacts where email is not null
            )
        group by identifies.email
        having count(distinct users.account_id) = 1
        order by 1
        limit 1
        """
    )[0]
    unknown_email = "nobody.at.all@example.invalid"

    copy = survey_base_with(dirty_world, tmp_path, "respondent_emails", [
        {"id": f"respondent_match_{n}", "person_id": f"respondent_person_{n}", "email": f"  {email.upper()} ",
         "created_at": "2026-06-29T10:00:00Z"}
        for n, email in enumerate([single_contact_email, shared_email, product_email, unknown_email])
    ])
    # the same person, now also a contact of another account
    copy.execute(
        "insert into raw_salesforce.contact "
        "select * replace ('003SHAREDEMAIL01' as id, ? as account_id, ? as email) from raw_salesforce.contact "
        "where id = ?",
        [other_account, shared_email, shared_contact_id],
    )
    copy.run("run", "--full-refresh", "--select", "base_salesforce__contacts", "int_account_identity_map")

    got = {
        source_id: (account_id, match_method, unmatched_reason)
        for source_id, account_id, match_method, unmatched_reason in copy.query(
            """
            select source_id, account_id, match_method, unmatched_reason
            from main_intermediate.int_account_identity_map
            where source_system = 'survey' and source_entity = 'respondent'
            """
        )
    }
    assert got[single_contact_email] == (its_account, "crm_contact_email", None)
    assert got[shared_email] == (None, "crm_contact_email", "email_on_several_accounts")
    assert got[product_email] == (product_account, "product_user_email", None)
    assert got[unknown_email] == (None, "product_user_email", "email_not_found")


def test_reconciliation_test_fails_when_a_row_goes_missing(dirty_world: DbtProject, tmp_path):
    """The rows_reconcile data test is not vacuous: lose one rejected row and it fails."""
    copy = copy_of(dirty_world, tmp_path, "reconcile")
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
