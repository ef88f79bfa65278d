"""A new day of loads, built incrementally, gives exactly what a full rebuild gives.

The daily build reads only the loads that arrived since the last run: the
Segment base models add the new raw rows (re-ranking re-delivered messages),
the Fivetran base models rebuild the records loaded since (and those whose
parent changed), the product event counts recompute only the days those loads touched, and the
account x day models recompute their lookback window. This test loads a world
up to one day, builds it, appends the next day's deliveries as the loaders
would (plus a re-delivery of an old message that moves it to another day,
re-deliveries of an identify and a group call, and a subscription that
Fivetran updates to ended three days ago),
builds incrementally, and compares every incremental table with a full
refresh of the same raw data.
"""
from __future__ import annotations

import json
import re
from datetime import date, timedelta

import duckdb
import pytest

from conftest import PROJECT_VARS, DbtProject, generate_world

ACCOUNTS = 120
START = date(2024, 12, 30)
FIRST_END = date(2026, 6, 29)
END = date(2026, 6, 30)

# (relation, order by): every incremental model and the marts the daily run feeds
COMPARED = [
    ("main_staging.base_zendesk__ticket_field_history",
     "ticket_id, field_name, changed_at, fivetran_synced_at, field_value"),
    *[(f"main_staging.base_{name}", "all") for name in (
        "salesforce__contacts", "salesforce__events", "salesforce__opportunities", "salesforce__tasks",
        "stripe__charges", "stripe__invoices", "stripe__invoice_line_items", "stripe__subscriptions",
        "zendesk__tickets", "zendesk__users",
    )],
    ("main_staging.base_segment__tracks", "message_id, loaded_at, load_rank"),
    ("main_staging.base_segment__identifies", "message_id, loaded_at, load_rank, received_at, user_id, anonymous_id"),
    ("main_staging.base_segment__groups", "message_id, loaded_at, load_rank, received_at, user_id, workspace_id"),
    ("main_staging.stg_rejected_rows", "source_table, record_key, loaded_at, reject_reason"),
    ("main_intermediate.int_product_events_mapped_to_accounts", "user_id, occurred_on, event_name"),
    ("main_intermediate.int_account_days", "account_id, date_day"),
    ("main_intermediate.int_product_usage_windowed", "account_id, date_day"),
    ("main_intermediate.int_support_windowed", "account_id, date_day"),
    ("main_intermediate.int_commercial_windowed", "account_id, date_day"),
    ("main_intermediate.int_sentiment_windowed", "account_id, date_day"),
    ("main_intermediate.int_relationship_windowed", "account_id, date_day"),
    ("main_intermediate.int_account_signals_daily", "account_id, date_day"),
    ("main_intermediate.int_health_scored", "account_id, date_day"),
    ("main_intermediate.int_health_scores_overridden", "account_id, date_day"),
    ("main_intermediate.int_health_drivers_recent", "account_id, date_day, signal_name"),
    ("main_intermediate.int_playbook_conditions_daily", "account_id, date_day"),
    ("main_intermediate.int_playbook_onsets", "account_id, rule_id, date_day"),
    ("main_marts.customer_health_alerts", "account_id, rule_id, alert_date"),
    ("main_marts.customer_health_tier_changes", "account_id, change_date"),
    ("main_marts.customer_health_history", "account_id, score_date, config_version"),
    ("main_marts.customer_health", "account_id"),
    ("main_marts.customer_health_account_families", "family_account_id"),
]


def snapshot(project: DbtProject) -> dict[str, list[tuple]]:
    """Every compared table's rows, less built_at (when the run that wrote a row started)."""
    return {
        relation: project.query(f"select * exclude (built_at) from {relation} order by {order}")
        if "built_at" in project.columns(relation)
        else project.query(f"select * from {relation} order by {order}")
        for relation, order in COMPARED
    }


SCORED = "main_intermediate.int_health_scored"
# rewrites every recomputed day (the scoring chain writes again only the days that changed)
WINDOWED = "main_intermediate.int_product_usage_windowed"
SCORED_KEY_TEST = "unique_combination_of_columns_int_health_scored_account_id__date_day__date_day"
TRACKS_KEY_TEST = "unique_combination_of_columns_stg_segment__tracks_message_id__message_id"


def execute(project: DbtProject, sql: str) -> None:
    con = duckdb.connect(str(project.db_path))
    try:
        con.execute(sql)
    finally:
        con.close()


def remove_duplicates(project: DbtProject) -> None:
    """Drop the copies inserted by a test: the later row of each duplicated scored key."""
    execute(
        project,
        f"delete from {SCORED} where rowid in (select max(rowid) from {SCORED} group by account_id, date_day "
        "having count(*) > 1)",
    )


def latest_run_scope(project: DbtProject) -> dict:
    """After the incremental run: which days carry its built_at, and whether the scoped key test catches duplicates.

    A scored row is copied twice: once into a day the run rewrote, stamped with an earlier run's
    built_at (a row the delete step should have removed), and once into a day the run kept. The
    scoped key test must fail on the first and, by design, not look at the second.
    """
    days = project.query(
        f"select date_day, max(built_at) = (select max(built_at) from {WINDOWED}) as by_latest_run "
        f"from {WINDOWED} group by date_day order by date_day"
    )
    facts = {
        "first_rewritten_day": min(day for day, by_latest in days if by_latest),
        "kept_days_after_it": sum(
            1 for day, by_latest in days if not by_latest and day > min(d for d, b in days if b)
        ),
        "days": len(days),
    }
    facts["clean"] = project.run("test", "-s", SCORED_KEY_TEST, expect_success=False).success

    def with_copy(day_sql: str) -> bool:
        execute(
            project,
            f"""
            insert into {SCORED}
            select * replace ((select min(built_at) from {SCORED}) as built_at)
            from {SCORED}
            where date_day = ({day_sql})
            order by account_id
            limit 1
            """,
        )
        passed = project.run("test", "-s", SCORED_KEY_TEST, expect_success=False).success
        remove_duplicates(project)
        return passed

    facts["passes_with_duplicate_in_rewritten_day"] = with_copy(f"select max(date_day) from {SCORED}")
    facts["passes_with_duplicate_in_kept_day"] = with_copy(f"select min(date_day) from {SCORED}")
    facts["tracks_key_test"] = planned_joins(project, TRACKS_KEY_TEST)
    return facts


def compiled_sql(project: DbtProject, name: str, *flags: str) -> str:
    """The SQL dbt compiles for one model or test (its tests and unit tests not selected with it)."""
    results = project.run("compile", "-s", name, "--indirect-selection", "empty", *flags).result.results
    (compiled,) = [result for result in results if result.node.name == name]
    return compiled.node.compiled_code


def profiled_operators(project: DbtProject, model: str, *flags: str) -> list[dict]:
    """Every operator of a model's compiled query, run once with DuckDB's JSON profiler (the tree flattened)."""
    sql = compiled_sql(project, model, *flags)
    profile = project.work_dir / f"{model}_profile.json"
    con = duckdb.connect(str(project.db_path), read_only=True)
    try:
        con.execute("pragma enable_profiling = 'json'")
        con.execute(f"pragma profiling_output = '{profile}'")
        con.execute(sql).fetchall()
        con.execute("pragma disable_profiling")
    finally:
        con.close()

    def walk(node: dict):
        yield node
        for child in node.get("children", []):
            yield from walk(child)

    return list(walk(json.loads(profile.read_text())))


def operator_cardinalities(project: DbtProject, model: str, operator_type: str, *flags: str,
                           table: str | None = None) -> list[int]:
    """The rows each operator of one type put out in a model's compiled query (of a scan: only scans of
    `table`, when given), run once with DuckDB's profiler."""
    return [
        int(operator["operator_cardinality"])
        for operator in profiled_operators(project, model, *flags)
        if operator.get("operator_type") == operator_type
        and (table is None or str((operator.get("extra_info") or {}).get("Table", "")).endswith(f".{table}"))
    ]


def planned_joins(project: DbtProject, test_name: str) -> dict:
    """The compiled SQL of a scoped key test and the join types DuckDB plans for it."""
    sql = compiled_sql(project, test_name)
    con = duckdb.connect(str(project.db_path), read_only=True)
    try:
        plan = "\n".join(row[1] for row in con.execute("explain " + sql).fetchall())
    finally:
        con.close()
    return {"scoped": "built_at >=" in sql, "joins": re.findall(r"Join Type: (\w+)", plan)}


# a message from a few days back (inside the default 7-day lookback of the
# account x day models; older changes are not re-scored, by design)
REDELIVERED_FROM = date(2026, 6, 25)


def redeliver_an_old_message(db_path) -> str:
    """Append a second copy of an earlier, accepted track, loaded after everything else and dated a day later."""
    con = duckdb.connect(str(db_path))
    try:
        message_id = con.execute(
            "select id from raw_segment.tracks where user_id is not null "
            "and cast(timestamp as date) = ? order by id limit 1",
            [REDELIVERED_FROM],
        ).fetchone()[0]
        con.execute(
            """
            insert into raw_segment.tracks
            select * replace (
                timestamp + interval 1 day as timestamp,
                (select max(uuid_ts) from raw_segment.tracks) + interval 1 minute as uuid_ts
            )
            from raw_segment.tracks
            where id = ?
            """,
            [message_id],
        )
    finally:
        con.close()
    return message_id


REDELIVERED_CALLS = ("identifies", "groups")


def redeliver_an_old_call(db_path, table: str) -> str:
    """Append a second copy of an identify or group call loaded once before the first build, loaded after everything else."""
    con = duckdb.connect(str(db_path))
    try:
        message_id = con.execute(
            f"select id from raw_segment.{table} where user_id is not null and uuid_ts < ? "
            "group by id having count(*) = 1 order by id limit 1",
            [FIRST_END],
        ).fetchone()[0]
        con.execute(
            f"""
            insert into raw_segment.{table}
            select * replace ((select max(uuid_ts) from raw_segment.{table}) + interval 1 minute as uuid_ts)
            from raw_segment.{table}
            where id = ?
            """,
            [message_id],
        )
    finally:
        con.close()
    return message_id


ENDED_ON = date(2026, 6, 27)


def end_a_subscription_recently(db_path) -> str:
    """Fivetran updates a subscription in place: canceled, ended three days ago (inside the lookback)."""
    con = duckdb.connect(str(db_path))
    try:
        customer_id = con.execute(
            "select customer_id from raw_stripe.subscription group by customer_id "
            "having count(*) = 1 and max(status) = 'active' order by customer_id limit 1"
        ).fetchone()[0]
        con.execute(
            """
            update raw_stripe.subscription
            set status = 'canceled',
                canceled_at = cast(? as timestamp),
                ended_at = cast(? as timestamp),
                _fivetran_synced = (select max(_fivetran_synced) from raw_stripe.subscription) + interval 1 minute
            where customer_id = ?
            """,
            [ENDED_ON, ENDED_ON, customer_id],
        )
    finally:
        con.close()
    return customer_id


def redelivered_rows(project: DbtProject, message_id: str, calls: dict[str, str]) -> dict[str, list[tuple]]:
    """The base rows of each re-delivered message: (load_rank, reject_reason), by load rank."""
    messages = {"tracks": message_id, **calls}
    return {
        table: project.query(
            f"select load_rank, reject_reason from main_staging.base_segment__{table} where message_id = ? "
            "order by load_rank",
            [messages[table]],
        )
        for table in messages
    }


# the models that write again only the recomputed days that changed (macro changed_days_only)
CHANGED_DAYS_ONLY = {
    "main_intermediate.int_account_signals_daily": "account_id, date_day",
    "main_intermediate.int_signals_normalized": "account_id, date_day",
    "main_intermediate.int_health_scored": "account_id, date_day",
    "main_intermediate.int_health_scores_overridden": "account_id, date_day",
    "main_intermediate.int_health_drivers_recent": "account_id, date_day, signal_name",
}
# the days a daily run recomputes: the last day held less the lookback, through the new day
RECOMPUTED = {FIRST_END - timedelta(days=7) + timedelta(days=n) for n in range(9)}


def rows_by_day(project: DbtProject, relation: str) -> dict[date, list[tuple]]:
    """A table's rows by day, less when they were written and their fingerprint."""
    fingerprint = "source_fingerprint" if relation.endswith("drivers_recent") else "row_fingerprint"
    rows = project.query(
        f"select date_day, * exclude (built_at, {fingerprint}) from {relation} order by {CHANGED_DAYS_ONLY[relation]}"
    )
    by_day: dict[date, list[tuple]] = {}
    for row in rows:
        by_day.setdefault(row[0], []).append(row[1:])
    return by_day


def changed_days_facts(project: DbtProject, before: dict[str, dict]) -> dict[str, dict]:
    """After the daily run, per model: the days it wrote, and the days whose rows differ from before it."""
    facts = {}
    for relation in CHANGED_DAYS_ONLY:
        after = rows_by_day(project, relation)
        rewritten = {
            day for (day,) in project.query(
                f"select distinct date_day from {relation} where built_at = (select max(built_at) from {relation})"
            )
        }
        facts[relation] = {
            "rewritten": rewritten,
            # (the drivers also drop the day that left their window: not a day written)
            "changed": {day for day in after if after[day] != before[relation].get(day)},
        }
    return facts


@pytest.fixture(scope="module")
def appended_world(tmp_path_factory):
    work = tmp_path_factory.mktemp("appended_world")
    project = DbtProject(db_path=work / "warehouse.duckdb", work_dir=work)
    common = ["--accounts", str(ACCOUNTS), "--dirty", "--start-date", str(START)]
    generate_world(project.db_path, *common, "--end-date", str(FIRST_END))
    project.run("seed")
    project.run("run")
    raw_before = project.scalar("select count(*) from raw_segment.tracks")

    generate_world(project.db_path, *common, "--end-date", str(END), "--append-after", str(FIRST_END))
    message_id = redeliver_an_old_message(project.db_path)
    project.redelivered_calls = {table: redeliver_an_old_call(project.db_path, table) for table in REDELIVERED_CALLS}
    customer_id = end_a_subscription_recently(project.db_path)
    raw_after = project.scalar("select count(*) from raw_segment.tracks")
    assert raw_after > raw_before

    before = {relation: rows_by_day(project, relation) for relation in CHANGED_DAYS_ONLY}
    project.run("run")
    incremental = snapshot(project)
    project.changed_days = changed_days_facts(project, before)
    project.redelivered_after_daily = redelivered_rows(project, message_id, project.redelivered_calls)
    project.scope = latest_run_scope(project)
    project.run("run", "--full-refresh")
    full_refresh = snapshot(project)
    return project, incremental, full_refresh, message_id, customer_id


@pytest.mark.parametrize("relation", [relation for relation, _ in COMPARED])
def test_incremental_run_equals_full_refresh(appended_world, relation):
    _, incremental, full_refresh, _, _ = appended_world
    assert len(full_refresh[relation]) > 0
    assert len(incremental[relation]) == len(full_refresh[relation])
    assert incremental[relation] == full_refresh[relation]


def stored_rows_out_of_day_order(project, relation: str, day_column: str) -> int:
    """Stored rows (DuckDB's rowid order) whose day is earlier than the row before them; 0 for a table in day order."""
    assert project.scalar(f"select count(distinct {day_column}) from {relation}") > 400
    return project.scalar(
        f"select count(*) from (select {day_column} < lag({day_column}) over (order by rowid) as earlier_than_previous "
        f"from {relation}) as stored where earlier_than_previous"
    )


def test_the_event_counts_are_stored_in_day_order(appended_world):
    """After the full refresh: the daily readers filter on the day, and in day order the engine skips other days."""
    project = appended_world[0]
    assert stored_rows_out_of_day_order(project, "main_intermediate.int_product_events_mapped_to_accounts",
                                        "occurred_on") == 0


def test_the_account_day_signals_are_stored_in_day_order(appended_world):
    """After the full refresh: the signals table is written in day order, and the wide tables read from it keep it.

    A daily run reads its recomputed days from each of them; with a day's rows together the engine reads those
    and skips the rest, where in account order every stretch of rows holds every day.
    """
    project = appended_world[0]
    assert stored_rows_out_of_day_order(project, "main_intermediate.int_account_signals_daily", "date_day") == 0
    # downstream: the days in each stretch of 2,048 stored rows (DuckDB's vector), ~20 in day order at this size
    # and every day (~550) in account order
    for relation in ("main_intermediate.int_signals_normalized", "main_intermediate.int_health_scored",
                     "main_intermediate.int_health_scores_overridden"):
        days_per_vector = project.scalar(
            f"select avg(days) from (select count(distinct date_day) as days from {relation} "
            f"group by rowid // 2048) as vectors"
        )
        assert days_per_vector < 60, (relation, days_per_vector)


def test_a_model_reads_its_first_day_to_recompute_once(appended_world):
    """The first day to recompute is a query on the model's table; models that need it in several places run it once."""
    project = appended_world[0]
    models = ("int_product_usage_windowed", "int_health_drivers_recent", "int_playbook_onsets")
    project.run("compile", "--select", " ".join(models))
    log = (project.work_dir / "logs" / "dbt.log").read_text(errors="replace")
    this_run = log[log.rindex("Running with dbt"):]
    reads = re.findall(r'as first_day,\s+max\(date_day\) as last_day\s+from "[^"]+"\."[^"]+"\."([^"]+)"', this_run)
    assert sorted(reads) == sorted(models)


def score_rows_from(project: DbtProject, first_day_sql: str) -> tuple[int, int]:
    """The rows of the score table, and those on or after a day (SQL; `calendar.as_of_date` is the as-of day)."""
    return project.query(
        f"""
        select count(*), count(case when scores.date_day >= {first_day_sql} then 1 end)
        from main_intermediate.int_health_scores_overridden as scores
        cross join (select as_of_date from main_intermediate.int_scoring_calendar where is_as_of_date) as calendar
        """
    )[0]


def test_the_current_scores_read_only_their_days_of_the_score_table(appended_world):
    """customer_health reads the as-of day and the day 30 before it. Given as one list of days, DuckDB applies
    them as a filter inside the scan of the scores, which passes on the rows of those 31 days at most; two
    equalities joined by "or" made it pass on every stored row to a join. (Skipping whole row groups of the
    day-ordered table shows at 20,000 accounts, not at this size, where the table is one row group.)"""
    project = appended_world[0]
    scans = operator_cardinalities(project, "customer_health", "TABLE_SCAN", table="int_health_scores_overridden")
    assert scans, "no scan of the scores in the profile"
    stored, in_window = score_rows_from(project, "calendar.as_of_date - 30")
    assert stored > 10 * in_window   # the days read are a small part of the table
    assert 0 < max(scans) <= in_window, (scans, in_window, stored)


def test_the_history_reads_only_its_lookback_days_of_the_score_table(appended_world):
    """An incremental run of the history re-scores the last day it holds less the lookback, and later days.

    That day is read when the model is compiled and written in as a literal, so DuckDB filters inside the scan
    of the scores; joined from a subquery, the scan passed on every stored row (the full table's count here).
    """
    project = appended_world[0]
    lookback = PROJECT_VARS["health_history_lookback_days"]
    last_held = project.scalar("select max(score_date) from main_marts.customer_health_history")
    assert last_held == END
    scans = operator_cardinalities(
        project, "customer_health_history", "TABLE_SCAN", table="int_health_scores_overridden"
    )
    assert scans, "no scan of the scores in the profile"
    stored, in_lookback = score_rows_from(project, f"cast('{last_held - timedelta(days=lookback)}' as date)")
    assert stored > 10 * in_lookback
    assert 0 < max(scans) <= in_lookback, (scans, in_lookback, stored)


def test_an_incremental_run_stamps_only_the_days_it_rewrote(appended_world):
    """A windowed model's rows of the latest run are the recomputed days (from the last day held less the lookback)."""
    scope = appended_world[0].scope
    assert scope["first_rewritten_day"] == date(2026, 6, 29) - timedelta(days=7)
    assert scope["kept_days_after_it"] == 0
    assert scope["days"] > 400   # days in the world; all but the last eight kept


@pytest.mark.parametrize("relation", list(CHANGED_DAYS_ONLY))
def test_a_daily_run_writes_again_only_the_days_that_changed(appended_world, relation):
    """The lookback days are recomputed; of them, the days that differ are written, the new day among them."""
    facts = appended_world[0].changed_days[relation]
    assert END in facts["rewritten"] and END in facts["changed"]
    # every day whose rows differ after the run was written by it (the equality with a full refresh
    # checks the values) ...
    assert facts["changed"] <= facts["rewritten"]
    # ... and the recomputed days that came out the same kept the rows they had
    assert facts["rewritten"] < RECOMPUTED


def test_the_key_test_checks_the_days_the_latest_run_rewrote(appended_world):
    """Scoped to rewritten days, the key test still fails on a leftover row there; it passes a kept day by design."""
    scope = appended_world[0].scope
    assert scope["clean"]
    assert not scope["passes_with_duplicate_in_rewritten_day"]
    assert scope["passes_with_duplicate_in_kept_day"]


def test_the_scoped_key_test_hashes_the_latest_runs_keys(appended_world):
    """The latest run's message ids are the hash join's build side, not every stored id (47.5 M at 20,000 accounts)."""
    planned = appended_world[0].scope["tracks_key_test"]
    assert planned["scoped"]
    assert planned["joins"] == ["SEMI"]


def test_the_key_test_checks_every_day_after_a_full_refresh(appended_world):
    """One run wrote every row: the same test checks the whole table."""
    project = appended_world[0]
    assert project.scalar(f"select count(distinct built_at) from {SCORED}") == 1
    execute(
        project,
        f"insert into {SCORED} select * from {SCORED} where date_day = (select min(date_day) from {SCORED}) limit 1",
    )
    try:
        assert not project.run("test", "-s", SCORED_KEY_TEST, expect_success=False).success
    finally:
        remove_duplicates(project)
    assert project.run("test", "-s", SCORED_KEY_TEST, expect_success=False).success


def test_the_new_day_was_scored(appended_world):
    project, _, _, _, _ = appended_world
    assert project.scalar("select max(score_date) from main_marts.customer_health") == END


# what DuckDB's sum() of integers returns; stored, it is bit-packed 128-bit
# integers, ~100x slower to scan than bigint (DECISIONS.md, "Counts are stored
# as bigint"), and BI drivers read it poorly
WIDE_INTEGER_TYPES = ("HUGEINT", "UHUGEINT")


def test_no_model_stores_a_128_bit_integer(appended_world):
    project, _, _, _, _ = appended_world
    model_columns = project.scalar(
        "select count(*) from information_schema.columns where table_schema like 'main\\_%' escape '\\'"
    )
    wide = project.query(
        "select table_schema, table_name, column_name from information_schema.columns "
        "where table_schema like 'main\\_%' escape '\\' and data_type in (?, ?) "
        "order by table_schema, table_name, column_name",
        list(WIDE_INTEGER_TYPES),
    )
    assert model_columns > 500
    assert wide == []


def test_a_redelivered_message_replaces_its_earlier_copy(appended_world):
    project, _, _, message_id, _ = appended_world
    rows = project.query(
        "select load_rank, reject_reason, occurred_on from main_staging.base_segment__tracks "
        "where message_id = ? order by load_rank",
        [message_id],
    )
    assert rows == [
        (1, None, date(2026, 6, 26)),
        (2, "duplicate_load", REDELIVERED_FROM),
    ]


@pytest.mark.parametrize("table", ("tracks", *REDELIVERED_CALLS))
def test_the_daily_run_ranks_a_redelivery_with_the_copy_it_holds(appended_world, table):
    """After the incremental run (not only after the full refresh): the new load wins, the stored copy is a reject."""
    project = appended_world[0]
    assert project.redelivered_after_daily[table] == [(1, None), (2, "duplicate_load")]
    project_after_full_refresh = redelivered_rows(project, appended_world[3], project.redelivered_calls)
    assert project_after_full_refresh[table] == project.redelivered_after_daily[table]


def test_days_after_a_recent_churn_are_removed(appended_world):
    """The account's spine now ends the day before its subscription ended; days it had are deleted."""
    project, _, _, _, customer_id = appended_world
    last_scored = project.scalar(
        """
        select max(scored.date_day)
        from main_intermediate.int_health_scored as scored
        inner join main_intermediate.int_account_identity_map as identities
            on scored.account_id = identities.account_id
        where identities.source_system = 'stripe' and identities.source_entity = 'customer'
            and identities.source_id = ?
        """,
        [customer_id],
    )
    assert last_scored == date(2026, 6, 26)


def test_onsets_join_the_earlier_values_per_day_and_offset_not_per_rule(appended_world):
    """The earlier-values join sees each account-day once per comparison offset, never once per rule.

    Crossing the days with every rule before that join made it probe days x rules rows (61 M at 20,000
    accounts) and run 1.6 s or 46 s on the same data; no hash join may now put out more rows than days x
    the rules that compare with an earlier day.
    """
    project = appended_world[0]
    days = project.scalar("select count(*) from main_intermediate.int_playbook_conditions_daily")
    rules, comparing = project.query(
        "select count(*), count(within_days) from main_config.health_playbook_rules"
    )[0]
    assert 0 < comparing < rules
    joins = operator_cardinalities(project, "int_playbook_onsets", "HASH_JOIN", "--full-refresh")
    assert joins
    assert max(joins) <= days * comparing, (max(joins), days, comparing, rules)


def test_a_changed_playbook_rule_re_evaluates_every_day(appended_world):
    """Onsets are sparse and kept incrementally: a rule edit must reach the whole history, and days must lose stale onsets."""
    project = appended_world[0]
    onsets = "select * exclude (built_at) from main_intermediate.int_playbook_onsets order by account_id, rule_id, date_day"
    count = "select count(*) from main_intermediate.int_playbook_onsets where rule_id = 'sharp_drop_outreach'"
    before = project.scalar(count)
    assert before > 0
    con = duckdb.connect(str(project.db_path))
    try:
        con.execute(
            "update main_config.health_playbook_rules set score_drop_points = score_drop_points + 10 "
            "where rule_id = 'sharp_drop_outreach'"
        )
    finally:
        con.close()

    project.run("run", "-s", "int_playbook_onsets+")
    incremental = project.query(onsets)
    after = project.scalar(count)
    project.run("run", "-s", "int_playbook_onsets+", "--full-refresh")
    assert after < before
    assert incremental == project.query(onsets)


def test_an_earlier_as_of_date_needs_a_full_refresh(appended_world):
    """An incremental run cannot remove the days after an earlier as-of date: it stops and says what to do."""
    project = appended_world[0]
    before = project.scalar("select max(date_day) from main_intermediate.int_account_days")
    result = project.run("run", "-s", "int_account_days", vars={"health_as_of_date": "2026-06-01"},
                         expect_success=False)
    assert not result.success
    message = str(result.exception) + " ".join(str(r.message) for r in (result.result or []))
    assert "health_as_of_date 2026-06-01 is before the last day" in message and "--full-refresh" in message
    assert project.scalar("select max(date_day) from main_intermediate.int_account_days") == before == END
    # the same as-of date as the data, or a later one, is an ordinary incremental run
    project.run("run", "-s", "int_account_days", vars={"health_as_of_date": str(END)})
