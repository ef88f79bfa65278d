"""Records that arrive after their day has left the lookback still count on the days a daily run recomputes.

The windows (tickets, escalations and CSAT ratings, failed charges, NPS
responses, executive meetings and QBRs) are running sums: a record enters
its window on its day and leaves it a window later. A daily run recomputes only the lookback days, so the window
on the day before them must count every record in it, including one loaded
since the last run but dated weeks ago (a meeting logged late, a charge or a
survey response synced late). Counted from the model's own rows instead, such
a record would never enter and would still leave a window later, leaving the
count one short for good. Days before the lookback are not re-scored, by
design (DECISIONS.md), so this compares the days the run recomputed.

Zendesk ticket field history changes under rows already built too: a
change re-synced in place, a duplicate load, a ticket that arrives after
its history (an orphan until then), a ticket deleted, a change without a
ticket id. The daily run rebuilds those tickets' history from the raw
table, so its base table equals a full refresh's, row for row.

The other incremental base tables (Salesforce contacts, events,
opportunities and tasks; Stripe charges, invoices, line items and
subscriptions; Zendesk tickets and users) see their parents change, each
of an account that churned long ago: an account deleted in Salesforce and
an organization in Zendesk after the first build, a Stripe customer
delivered only after it. The daily run rebuilds the records whose orphan
check flipped, so each base table equals a full refresh's too.
"""
from __future__ import annotations

from datetime import date, timedelta

import pytest

from conftest import DbtProject, generate_world

ACCOUNTS = 120
START = date(2024, 12, 30)
FIRST_END = date(2026, 6, 29)
END = date(2026, 6, 30)
LATE_DAY = FIRST_END - timedelta(days=20)   # before the 7-day lookback of the daily run
FIRST_RECOMPUTED_DAY = FIRST_END - timedelta(days=7)

COMPARED = (
    "main_intermediate.int_support_windowed",
    "main_intermediate.int_commercial_windowed",
    "main_intermediate.int_sentiment_windowed",
    "main_intermediate.int_relationship_windowed",
)

# each late record: a copy of a recent record of an account, dated LATE_DAY and loaded after everything else
LATE_RECORDS = {
    "raw_salesforce.event": """
        insert into raw_salesforce.event
        select * replace (
            id || '_late' as id,
            cast(? as date) as activity_date,
            (select max(_fivetran_synced) from raw_salesforce.event) + interval 1 minute as _fivetran_synced
        )
        from raw_salesforce.event
        where id = (
            select min(id) from raw_salesforce.event
            where meeting_type_c = 'Executive Sponsor' and activity_date >= ? and not coalesce(is_deleted, false)
        )
    """,
    "raw_salesforce.task": """
        insert into raw_salesforce.task
        select * replace (
            id || '_late' as id,
            cast(? as date) as activity_date,
            (select max(_fivetran_synced) from raw_salesforce.task) + interval 1 minute as _fivetran_synced
        )
        from raw_salesforce.task
        where id = (
            select min(id) from raw_salesforce.task
            where csm_sentiment_c = 'Negative' and activity_date >= ? and not coalesce(is_deleted, false)
        )
    """,
    "raw_zendesk.ticket": """
        insert into raw_zendesk.ticket
        select * replace (
            (select max(id) from raw_zendesk.ticket) + 1 as id,
            cast(? as timestamp) + interval 9 hour as created_at,
            cast(? as timestamp) + interval 10 hour as updated_at,
            (select max(_fivetran_synced) from raw_zendesk.ticket) + interval 1 minute as _fivetran_synced
        )
        from raw_zendesk.ticket
        where id = (
            select min(id) from raw_zendesk.ticket
            where created_at >= ? and organization_id is not null and not coalesce(_fivetran_deleted, false)
        )
    """,
    "raw_stripe.charge": """
        insert into raw_stripe.charge
        select * replace (
            id || '_late' as id,
            cast(? as timestamp) + interval 12 hour as created,
            (select max(_fivetran_synced) from raw_stripe.charge) + interval 1 minute as _fivetran_synced
        )
        from raw_stripe.charge
        where id = (select min(id) from raw_stripe.charge where status = 'failed' and created >= ?)
    """,
    "raw_survey.nps_responses": """
        insert into raw_survey.nps_responses
        select * replace (
            id || '_late' as id,
            cast(? as varchar) || 'T12:00:00+00:00' as created_at,
            cast(? as varchar) || 'T12:01:00+00:00' as updated_at,
            (select max(_loaded_at) from raw_survey.nps_responses) + interval 1 minute as _loaded_at
        )
        from raw_survey.nps_responses
        where id = (select min(id) from raw_survey.nps_responses where _loaded_at >= ?)
    """,
}


def add_late_records(project: DbtProject) -> None:
    recent = LATE_DAY + timedelta(days=1)
    for table, sql in LATE_RECORDS.items():
        before = project.scalar(f"select count(*) from {table}")
        twice = table in ("raw_survey.nps_responses", "raw_zendesk.ticket")
        params = [LATE_DAY, LATE_DAY, recent] if twice else [LATE_DAY, recent]
        project.execute(sql, params)
        assert project.scalar(f"select count(*) from {table}") == before + 1, table


FIELD_HISTORY = "raw_zendesk.ticket_field_history"
BASE_FIELD_HISTORY = "main_staging.base_zendesk__ticket_field_history"
LATEST_SYNC = f"(select max(_fivetran_synced) from {FIELD_HISTORY}) + interval 1 minute"
# accepted tickets with at least three history rows, all loaded before the first build
OLD_TICKETS = f"""
    select history.ticket_id
    from {FIELD_HISTORY} as history
    inner join raw_zendesk.ticket on history.ticket_id = ticket.id
    where not coalesce(ticket._fivetran_deleted, false)
    group by history.ticket_id
    having count(*) >= 3 and max(history._fivetran_synced) < cast(? as timestamp)
        and max(ticket._fivetran_synced) < cast(? as timestamp)
    order by history.ticket_id
"""


def load_history_before_its_ticket(project: DbtProject) -> int:
    """Before the first build: a copy of one ticket's history under a ticket id Zendesk has not delivered yet."""
    ticket_id = project.scalar("select max(id) + 1000 from raw_zendesk.ticket")
    project.execute(
        f"""
        insert into {FIELD_HISTORY}
        select * replace (cast(? as bigint) as ticket_id)
        from {FIELD_HISTORY}
        where ticket_id = ({OLD_TICKETS} limit 1)
        """,
        [ticket_id, FIRST_END, FIRST_END],
    )
    assert project.scalar(f"select count(*) from {FIELD_HISTORY} where ticket_id = ?", [ticket_id]) >= 3
    return ticket_id


def change_field_history(project: DbtProject, arrived: int) -> dict[str, int]:
    """What a Zendesk sync can do to history the model already holds, one ticket each (returns the ticket ids)."""
    resynced, duplicated, deleted = (row[0] for row in project.query(OLD_TICKETS, [FIRST_END, FIRST_END])[1:4])
    # Fivetran re-syncs one change of a ticket in place: same key, new value, new sync time
    project.execute(
        f"""
        update {FIELD_HISTORY}
        set value = 'resynced', _fivetran_synced = {LATEST_SYNC}
        where rowid = (select min(rowid) from {FIELD_HISTORY} where ticket_id = ?)
        """,
        [resynced],
    )
    # a second copy of one change of another ticket, loaded later
    project.execute(
        f"""
        insert into {FIELD_HISTORY}
        select * replace ({LATEST_SYNC} as _fivetran_synced)
        from {FIELD_HISTORY}
        where rowid = (select min(rowid) from {FIELD_HISTORY} where ticket_id = ?)
        """,
        [duplicated],
    )
    # a ticket the first build held history for is deleted in Zendesk
    project.execute(
        "update raw_zendesk.ticket set _fivetran_deleted = true, "
        "_fivetran_synced = (select max(_fivetran_synced) from raw_zendesk.ticket) + interval 1 minute "
        "where id = ?",
        [deleted],
    )
    # the ticket of the history loaded before the first build arrives
    project.execute(
        """
        insert into raw_zendesk.ticket
        select * replace (
            cast(? as bigint) as id,
            (select max(_fivetran_synced) from raw_zendesk.ticket) + interval 1 minute as _fivetran_synced
        )
        from raw_zendesk.ticket
        where id = ?
        """,
        [arrived, resynced],
    )
    # a change without a ticket id
    project.execute(
        f"""
        insert into {FIELD_HISTORY}
        select * replace (null as ticket_id, {LATEST_SYNC} as _fivetran_synced)
        from {FIELD_HISTORY}
        where rowid = (select min(rowid) from {FIELD_HISTORY} where ticket_id = ?)
        """,
        [duplicated],
    )
    return {"resynced": resynced, "duplicated": duplicated, "deleted": deleted, "arrived": arrived}


def field_history_rows(project: DbtProject, tickets: dict[str, int]) -> dict[str, list[tuple]]:
    """Each changed ticket's base rows, (field_value, load_rank, reject_reason); the rows without a ticket; counts."""
    rows = {
        change: project.query(
            f"select field_value, load_rank, reject_reason from {BASE_FIELD_HISTORY} "
            "where ticket_id = ? order by changed_at, field_name, load_rank",
            [str(ticket_id)],
        )
        for change, ticket_id in tickets.items()
    }
    rows["without_ticket"] = project.query(
        f"select reject_reason, count(*) from {BASE_FIELD_HISTORY} where ticket_id is null group by reject_reason"
    )
    rows["counts"] = [(
        project.scalar(f"select count(*) from {FIELD_HISTORY}"),
        project.scalar(f"select count(*) from {BASE_FIELD_HISTORY}"),
    )]
    rows["all"] = project.query(
        f"select * exclude (built_at) from {BASE_FIELD_HISTORY} "
        "order by ticket_id, field_name, changed_at, fivetran_synced_at, field_value"
    )
    return rows


# the incremental base tables whose rows depend on a parent's orphan check, with the column naming it
LOAD_DRIVEN = {
    "main_staging.base_salesforce__contacts": "account_id",
    "main_staging.base_salesforce__events": "account_id",
    "main_staging.base_salesforce__opportunities": "account_id",
    "main_staging.base_salesforce__tasks": "account_id",
    "main_staging.base_stripe__charges": "customer_id",
    "main_staging.base_stripe__invoices": "customer_id",
    "main_staging.base_stripe__subscriptions": "customer_id",
    "main_staging.base_stripe__invoice_line_items": "invoice_id",
    "main_staging.base_zendesk__tickets": "organization_id",
    "main_staging.base_zendesk__users": "organization_id",
}
# Accounts that churned long before the daily run's lookback: their parents change under the base
# tables while the days the run re-scores stay as they were (a change to days before the lookback is
# not re-scored, by design). For each kind of parent, the first such account with records in every
# table that refers to it.
CHURNED_ACCOUNTS = """
    select json_extract_string(customer.metadata, '$.salesforce_account_id')
    from raw_stripe.customer
    inner join raw_stripe.subscription on customer.id = subscription.customer_id
    group by customer.metadata
    having max(coalesce(subscription.ended_at, timestamp '9999-12-31')) < cast(? as timestamp)
"""
CHURNED_PARENTS = {
    "account": f"""
        select id from raw_salesforce.account
        where id in ({CHURNED_ACCOUNTS})
            and id in (select account_id from raw_salesforce.contact)
            and id in (select account_id from raw_salesforce.event)
            and id in (select account_id from raw_salesforce.opportunity)
            and id in (select account_id from raw_salesforce.task)
        order by id limit 1
    """,
    "customer": f"""
        select id from raw_stripe.customer
        where json_extract_string(metadata, '$.salesforce_account_id') in ({CHURNED_ACCOUNTS})
            and id in (select customer_id from raw_stripe.charge)
            and id in (select customer_id from raw_stripe.subscription)
            and id in (
                select invoice.customer_id from raw_stripe.invoice
                inner join raw_stripe.invoice_line_item on invoice.id = invoice_line_item.invoice_id
            )
        order by id limit 1
    """,
    "organization": f"""
        select id from raw_zendesk.organization
        where external_id in ({CHURNED_ACCOUNTS})
            and id in (select organization_id from raw_zendesk.ticket)
            and id in (select organization_id from raw_zendesk.user where role = 'end-user')
        order by id limit 1
    """,
}
CHURNED_BEFORE = FIRST_END - timedelta(days=200)


def choose_parents_and_withhold_the_customer(project: DbtProject) -> dict[str, str]:
    """Before the first build: the parents to change are chosen, and the Stripe customer among them is set
    aside, so its records load before it does."""
    parents = {kind: project.scalar(sql, [CHURNED_BEFORE]) for kind, sql in CHURNED_PARENTS.items()}
    customer_id = parents["customer"]
    project.execute("create table raw_stripe.customer_withheld as select * from raw_stripe.customer where id = ?",
                    [customer_id])
    project.execute("delete from raw_stripe.customer where id = ?", [customer_id])
    return {**parents, "organization": str(parents["organization"])}


def change_parents(project: DbtProject, parents: dict[str, str]) -> None:
    """After the first build: an account and an organization are deleted, the withheld customer arrives."""
    project.execute(
        "update raw_salesforce.account set is_deleted = true, "
        "_fivetran_synced = (select max(_fivetran_synced) from raw_salesforce.account) + interval 1 minute "
        "where id = ?",
        [parents["account"]],
    )
    project.execute(
        "update raw_zendesk.organization set _fivetran_deleted = true, "
        "_fivetran_synced = (select max(_fivetran_synced) from raw_zendesk.organization) + interval 1 minute "
        "where id = ?",
        [int(parents["organization"])],
    )
    project.execute(
        """
        insert into raw_stripe.customer
        select * replace (
            (select max(_fivetran_synced) from raw_stripe.customer) + interval 1 minute as _fivetran_synced
        )
        from raw_stripe.customer_withheld
        """
    )
    project.execute("drop table raw_stripe.customer_withheld")


def children_reasons(project: DbtProject, parents: dict[str, str]) -> dict[str, set]:
    """The reject reasons of the latest load of each changed parent's records, per base table."""
    invoices = project.query(
        "select invoice_id from main_staging.base_stripe__invoices where customer_id = ?", [parents["customer"]]
    )
    parent_ids = {
        "account_id": [parents["account"]],
        "organization_id": [parents["organization"]],
        "customer_id": [parents["customer"]],
        "invoice_id": [invoice_id for (invoice_id,) in invoices],
    }
    reasons = {}
    for table, column in LOAD_DRIVEN.items():
        ids = parent_ids[column]
        placeholders = ", ".join("?" for _ in ids)
        reasons[table] = {
            reason
            for (reason,) in project.query(
                f"select reject_reason from {table} where {column} in ({placeholders}) and load_rank = 1", ids
            )
        }
    return reasons


def load_driven_tables(project: DbtProject) -> dict[str, list[tuple]]:
    return {table: project.query(f"select * exclude (built_at) from {table} order by all") for table in LOAD_DRIVEN}


def recomputed_days(project: DbtProject) -> dict[str, list[tuple]]:
    return {
        relation: project.query(
            f"select * exclude (built_at) from {relation} where date_day >= ? order by account_id, date_day",
            [FIRST_RECOMPUTED_DAY],
        )
        for relation in COMPARED
    }


@pytest.fixture(scope="module")
def late_world(tmp_path_factory):
    work = tmp_path_factory.mktemp("late_world")
    project = DbtProject(db_path=work / "warehouse.duckdb", work_dir=work)
    common = ["--accounts", str(ACCOUNTS), "--start-date", str(START)]
    generate_world(project.db_path, *common, "--end-date", str(FIRST_END))
    arrived = load_history_before_its_ticket(project)
    parents = choose_parents_and_withhold_the_customer(project)
    project.run("seed")
    project.run("run")
    generate_world(project.db_path, *common, "--end-date", str(END), "--append-after", str(FIRST_END))
    add_late_records(project)
    tickets = change_field_history(project, arrived)
    change_parents(project, parents)
    reasons_before = children_reasons(project, parents)   # as the first build left them
    project.run("run")
    incremental = recomputed_days(project)
    history_after_daily = field_history_rows(project, tickets)
    base_after_daily = load_driven_tables(project)
    reasons_after_daily = children_reasons(project, parents)
    project.run("run", "--full-refresh")
    return {
        "incremental": incremental,
        "full_refresh": recomputed_days(project),
        "history_after_daily": history_after_daily,
        "history_after_full_refresh": field_history_rows(project, tickets),
        "base_after_daily": base_after_daily,
        "base_after_full_refresh": load_driven_tables(project),
        "reasons_before": reasons_before,
        "reasons_after_daily": reasons_after_daily,
    }


@pytest.mark.parametrize("relation", COMPARED)
def test_a_late_record_counts_on_the_recomputed_days(late_world, relation):
    incremental, full_refresh = late_world["incremental"], late_world["full_refresh"]
    assert len(full_refresh[relation]) > ACCOUNTS
    assert incremental[relation] == full_refresh[relation]


def test_the_daily_run_rebuilds_the_ticket_history_that_changed(late_world):
    """After the daily run: each change to history already built shows, and every raw row is held once."""
    rows = late_world["history_after_daily"]
    resynced = rows["resynced"]
    assert [row for row in resynced if row[0] == "resynced"] == [("resynced", 1, None)]
    assert {reason for _, _, reason in resynced} == {None}
    duplicated = rows["duplicated"]
    assert [(rank, reason) for _, rank, reason in duplicated if rank > 1] == [(2, "duplicate_load")]
    assert len(duplicated) >= 4
    assert rows["deleted"] and {reason for _, _, reason in rows["deleted"]} == {"orphan_ticket"}
    assert len(rows["arrived"]) >= 3 and {reason for _, _, reason in rows["arrived"]} == {None}
    assert rows["without_ticket"] == [("missing_key", 1)]
    raw_count, base_count = rows["counts"][0]
    assert raw_count == base_count


def test_the_daily_ticket_history_equals_a_full_refresh(late_world):
    after_daily, after_full_refresh = late_world["history_after_daily"], late_world["history_after_full_refresh"]
    assert len(after_full_refresh["all"]) > 1000
    assert after_daily["all"] == after_full_refresh["all"]


def test_the_daily_run_rebuilds_the_records_whose_parent_changed(late_world):
    """Records of a deleted account or organization become orphans; those of a customer that arrived are accepted."""
    before, after = late_world["reasons_before"], late_world["reasons_after_daily"]
    orphan_reasons = {
        "account_id": "orphan_account", "organization_id": "orphan_organization",
        "customer_id": "orphan_customer", "invoice_id": "orphan_invoice",
    }
    for table, column in LOAD_DRIVEN.items():
        reason = orphan_reasons[column]
        assert before[table] and after[table], table
        if column in ("account_id", "organization_id"):     # deleted after the first build
            assert reason not in before[table] and reason in after[table], table
        else:                                               # the customer arrived after the first build
            assert reason in before[table] and reason not in after[table], table
            assert None in after[table], table


@pytest.mark.parametrize("table", list(LOAD_DRIVEN))
def test_the_daily_base_table_equals_a_full_refresh(late_world, table):
    after_daily, after_full_refresh = late_world["base_after_daily"], late_world["base_after_full_refresh"]
    assert len(after_full_refresh[table]) > 10
    assert after_daily[table] == after_full_refresh[table]
