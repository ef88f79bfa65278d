"""The same project on a real PostgreSQL server: identical scores, least privilege.

A throwaway server (Debian's postgresql package, installed when missing) runs
on loopback with a temporary data directory for the duration of this module.
A small demo world is generated once into DuckDB, built there, copied raw into
PostgreSQL and built there with the postgres target; the marts must agree.
Then the next day's loads are appended and both engines run the daily
incremental build: they must agree again.
"""
from __future__ import annotations

import datetime as dt
import os
import shutil
from contextlib import contextmanager
from pathlib import Path

import psycopg2
import pytest

import load_raw_to_postgres
import postgres_server
from conftest import PROJECT_DIR, PROJECT_VARS, SMALL_WORLD_ACCOUNTS, DbtProject, generate_world

PG_WORLD_ACCOUNTS = 80
TREND_FLAT_POINTS = PROJECT_VARS["health_trend_flat_points"]
READER_ROLE = "bi_reader"
# A world this small is too noisy for the predictive gate; everything else runs.
NOT_THE_GATE = ("--exclude", "backtest_gate_auc", "backtest_gate_balanced_accuracy", "backtest_gate_tiers_monotonic")
MARTS_SCHEMA = "analytics_marts"
# the world ends the day before END; the daily test appends END
START, END = dt.date(2024, 12, 31), dt.date(2026, 6, 30)
WORLD = ("--accounts", str(PG_WORLD_ACCOUNTS), "--dirty", "--seed", "7", "--start-date", str(START))


@pytest.fixture(scope="module")
def server():
    instance = postgres_server.start_server()
    try:
        with psycopg2.connect(instance.dsn()) as connection, connection.cursor() as cursor:
            cursor.execute(f"create role {READER_ROLE} login")
        yield instance
    finally:
        instance.stop()


@pytest.fixture(scope="module")
def duckdb_world(tmp_path_factory) -> DbtProject:
    work = tmp_path_factory.mktemp("pg_duckdb_world")
    project = DbtProject(db_path=work / "warehouse.duckdb", work_dir=work)
    generate_world(project.db_path, *WORLD, "--end-date", str(END - dt.timedelta(days=1)))
    project.run("build", *NOT_THE_GATE, vars={"health_reader_role": READER_ROLE})
    return project


@contextmanager
def postgres_target(server):
    saved = {key: os.environ.get(key) for key in server.env()}
    os.environ.update(server.env())
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


@pytest.fixture(scope="module")
def postgres_world(server, duckdb_world: DbtProject, tmp_path_factory) -> DbtProject:
    load_raw_to_postgres.copy_raw(str(duckdb_world.db_path), server.dsn())
    work = tmp_path_factory.mktemp("pg_world")
    project = DbtProject(db_path=work / "unused.duckdb", work_dir=work)
    with postgres_target(server):
        project.run("build", *NOT_THE_GATE, vars={"health_reader_role": READER_ROLE})
    return project


@pytest.fixture(scope="module")
def daily_run_on_both_engines(server, duckdb_world: DbtProject, postgres_world: DbtProject):
    """The next day's loads appended, and the daily (incremental) build on both engines."""
    generate_world(duckdb_world.db_path, *WORLD, "--end-date", str(END), "--append-after", str(END - dt.timedelta(days=1)))
    duckdb_world.run("build", *NOT_THE_GATE, vars={"health_reader_role": READER_ROLE})
    load_raw_to_postgres.copy_raw(str(duckdb_world.db_path), server.dsn())
    with postgres_target(server):
        postgres_world.run("build", *NOT_THE_GATE, vars={"health_reader_role": READER_ROLE})
    return duckdb_world, postgres_world


def pg_rows(server, sql: str, user: str = postgres_server.SUPERUSER) -> list[tuple]:
    with psycopg2.connect(server.dsn(user=user)) as connection, connection.cursor() as cursor:
        cursor.execute(sql)
        return cursor.fetchall()


def test_every_account_gets_the_same_score_and_tier_on_both_engines(server, duckdb_world, postgres_world):
    sql = (
        "select account_id, health_score, health_tier, coverage_pct, top_risk_driver, score_change_30d, trend "
        "from {schema}.customer_health order by account_id"
    )
    on_duckdb = duckdb_world.query(sql.format(schema="main_marts"))
    on_postgres = pg_rows(server, sql.format(schema=MARTS_SCHEMA))
    assert len(on_duckdb) > PG_WORLD_ACCOUNTS / 2
    assert [row[0] for row in on_postgres] == [row[0] for row in on_duckdb]
    for duck, pg in zip(on_duckdb, on_postgres):
        if duck[1] is None or pg[1] is None:
            assert duck[1] is None and pg[1] is None, (duck, pg)
        else:
            assert abs(float(duck[1]) - float(pg[1])) <= 0.01, (duck, pg)
        assert duck[2] == pg[2], (duck, pg)
        assert abs(float(duck[3]) - float(pg[3])) <= 0.1, (duck, pg)
        # the change over 30 days reads the score 30 days back: both engines find it or neither does
        assert (duck[5] is None) == (pg[5] is None), (duck, pg)
        if duck[5] is not None:
            assert abs(float(duck[5]) - float(pg[5])) <= 0.02, (duck, pg)
            if abs(abs(float(duck[5])) - TREND_FLAT_POINTS) > 0.02:   # not on the edge of 'flat'
                assert duck[6] == pg[6], (duck, pg)
    assert sum(row[5] is not None for row in on_duckdb) > len(on_duckdb) / 2


def test_history_and_backtest_agree_on_both_engines(server, duckdb_world, postgres_world):
    sql = "select count(*), round(cast(avg(health_score) as numeric), 2) from {schema}.customer_health_history"
    duck = duckdb_world.query(sql.format(schema="main_marts"))[0]
    pg = pg_rows(server, sql.format(schema=MARTS_SCHEMA))[0]
    assert duck[0] == pg[0]
    assert abs(float(duck[1]) - float(pg[1])) <= 0.01
    sql = "select evaluations, churners, auc from {schema}.customer_health_backtest where scope = 'overall'"
    duck = duckdb_world.query(sql.format(schema="main_marts"))[0]
    pg = pg_rows(server, sql.format(schema=MARTS_SCHEMA))[0]
    assert duck[:2] == tuple(int(value) for value in pg[:2])
    assert abs(float(duck[2]) - float(pg[2])) <= 1e-6


def test_account_families_agree_on_both_engines(server, duckdb_world, postgres_world):
    # the hierarchy walk's edge cases (depth, missing parents, loops) are the mart's unit tests, run on both engines
    sql = ("select family_account_id, family_health_score, family_health_tier, coverage_pct, member_accounts, "
           "score_change_30d from {schema}.customer_health_account_families order by family_account_id")
    on_duckdb = duckdb_world.query(sql.format(schema="main_marts"))
    on_postgres = pg_rows(server, sql.format(schema=MARTS_SCHEMA))
    assert [(row[0], row[2], row[4]) for row in on_postgres] == [(row[0], row[2], row[4]) for row in on_duckdb]
    for duck, pg in zip(on_duckdb, on_postgres):
        assert (duck[1] is None) == (pg[1] is None), (duck, pg)
        if duck[1] is not None:
            assert abs(float(duck[1]) - float(pg[1])) <= 0.01, (duck, pg)
        assert abs(float(duck[3]) - float(pg[3])) <= 0.1, (duck, pg)
        assert (duck[5] is None) == (pg[5] is None), (duck, pg)
        if duck[5] is not None:
            assert abs(float(duck[5]) - float(pg[5])) <= 0.02, (duck, pg)


def test_rejects_reconcile_the_same_way_on_both_engines(server, duckdb_world, postgres_world):
    sql = "select source_table, reject_reason, count(*) from {schema}.stg_rejected_rows group by 1, 2 order by 1, 2"
    duck = duckdb_world.query(sql.format(schema="main_staging"))
    pg = pg_rows(server, sql.format(schema="analytics_staging"))
    assert duck and [tuple(row) for row in pg] == duck


def test_the_bi_reader_can_read_the_marts_and_nothing_else(server, postgres_world):
    assert pg_rows(server, f"select count(*) from {MARTS_SCHEMA}.customer_health", user=READER_ROLE)[0][0] > 0
    assert pg_rows(server, f"select count(*) from {MARTS_SCHEMA}.crm_account_health_sync", user=READER_ROLE)[0][0] > 0
    for relation in ("raw_salesforce.account", "raw_segment.tracks", "analytics_staging.stg_salesforce__accounts",
                     "analytics_intermediate.int_health_scored"):
        with pytest.raises(psycopg2.errors.InsufficientPrivilege):
            pg_rows(server, f"select count(*) from {relation}", user=READER_ROLE)


def gx_on_postgres(server, schema: str, docs: Path):
    import gx_check

    url = f"postgresql+psycopg2://{postgres_server.SUPERUSER}@127.0.0.1:{server.port}/{postgres_server.DATABASE}"
    return gx_check.run_checkpoint(engine="postgres", pg_url=url, schema=schema, data_docs_dir=docs, pg_backend="sql",
                                   staging_schema="analytics_staging", intermediate_schema="analytics_intermediate")


def test_great_expectations_checkpoint_passes_on_postgres(server, postgres_world):
    import gx_check

    # the site `make test` leaves behind next to the DuckDB one
    docs = PROJECT_DIR / gx_check.DEFAULT_DATA_DOCS_DIR / "postgres"
    shutil.rmtree(docs, ignore_errors=True)
    result = gx_on_postgres(server, MARTS_SCHEMA, docs)
    assert result.backend == "sql"
    assert result.success, result.format_table()
    assert result.expected_row_count == pg_rows(server, f"select count(*) from {MARTS_SCHEMA}.customer_health")[0][0]
    names = {outcome.name for outcome in result.expectations}
    assert {"customer_health.account_id_unique", "customer_health.row_count_equals_active_accounts",
            "customer_health.health_score_between_0_and_100", "customer_health.health_tier_in_set",
            "customer_health.coverage_pct_mean_at_least_min",
            "customer_health_history.account_id_score_date_config_version_unique"} <= names
    assert (docs / "index.html").is_file()


def test_a_corrupted_mart_fails_the_checkpoint_on_postgres(server, postgres_world, tmp_path):
    # copies of the marts in their own schema, so the tests after this one see the built marts untouched
    with psycopg2.connect(server.dsn()) as connection, connection.cursor() as cursor:
        cursor.execute("drop schema if exists corrupted_marts cascade; create schema corrupted_marts")
        for table in ("customer_health", "customer_health_history"):
            cursor.execute(f"create table corrupted_marts.{table} as select * from {MARTS_SCHEMA}.{table}")
        cursor.execute("update corrupted_marts.customer_health set health_score = 150, health_tier = 'purple' "
                       "where account_id = (select min(account_id) from corrupted_marts.customer_health)")
    try:
        result = gx_on_postgres(server, "corrupted_marts", tmp_path / "docs")
    finally:
        pg_rows(server, "drop schema corrupted_marts cascade; select 1")
    assert result.backend == "sql"
    assert not result.success
    assert set(result.failed) == {"customer_health.health_score_between_0_and_100", "customer_health.health_tier_in_set"}


# Last in this module: it appends a day to the world the tests above compared.
def test_a_daily_incremental_run_gives_the_same_scores_on_both_engines(server, daily_run_on_both_engines):
    duckdb_world, _ = daily_run_on_both_engines
    # the daily run on PostgreSQL took the incremental path: history keeps the rows of the first build
    # and holds the new day, written by the second
    runs = pg_rows(server, f"select count(distinct built_at), max(score_date) from {MARTS_SCHEMA}.customer_health_history")[0]
    assert runs == (2, END)
    sql = "select account_id, score_date, health_score, health_tier from {schema}.customer_health order by account_id"
    on_duckdb = duckdb_world.query(sql.format(schema="main_marts"))
    on_postgres = pg_rows(server, sql.format(schema=MARTS_SCHEMA))
    assert on_duckdb and {row[1] for row in on_duckdb} == {END}
    assert [(row[0], row[1], row[3]) for row in on_postgres] == [(row[0], row[1], row[3]) for row in on_duckdb]
    for duck, pg in zip(on_duckdb, on_postgres):
        assert (duck[2] is None) == (pg[2] is None) and (duck[2] is None or abs(float(duck[2]) - float(pg[2])) <= 0.01)
    sql = "select count(*), round(cast(avg(health_score) as numeric), 2) from {schema}.customer_health_history"
    duck = duckdb_world.query(sql.format(schema="main_marts"))[0]
    pg = pg_rows(server, sql.format(schema=MARTS_SCHEMA))[0]
    assert duck[0] == pg[0] and abs(float(duck[1]) - float(pg[1])) <= 0.01
