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
    project.run("seed")
    project.run("run")
    generate_world(project.db_path, *common, "--end-date", str(END), "--append-after", str(FIRST_END))
    add_late_records(project)
    project.run("run")
    incremental = recomputed_days(project)
    project.run("run", "--full-refresh")
    return incremental, recomputed_days(project)


@pytest.mark.parametrize("relation", COMPARED)
def test_a_late_record_counts_on_the_recomputed_days(late_world, relation):
    incremental, full_refresh = late_world
    assert len(full_refresh[relation]) > ACCOUNTS
    assert incremental[relation] == full_refresh[relation]
