"""The same project on a real PostgreSQL server: identical scores, least privilege.

A throwaway server (Debian's postgresql package, installed when missing) runs
on loopback with a temporary data directory for the duration of this module.
A small demo world is generated once into DuckDB, built there, copied raw into
PostgreSQL and built there with the postgres target; the marts must agree.
"""
from __future__ import annotations

import os
from pathlib import Path

import psycopg2
import pytest

import load_raw_to_postgres
import postgres_server
from conftest import SMALL_WORLD_ACCOUNTS, DbtProject, generate_world

PG_WORLD_ACCOUNTS = 80
READER_ROLE = "bi_reader"
# A world this small is too noisy for the predictive gate; everything else runs.
NOT_THE_GATE = ("--exclude", "backtest_gate_auc", "backtest_gate_balanced_accuracy", "backtest_gate_tiers_monotonic")
MARTS_SCHEMA = "analytics_marts"


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
    generate_world(project.db_path, "--accounts", str(PG_WORLD_ACCOUNTS), "--dirty", "--seed", "7")
    project.run("build", *NOT_THE_GATE, vars={"health_reader_role": READER_ROLE})
    return project


@pytest.fixture(scope="module")
def postgres_world(server, duckdb_world: DbtProject, tmp_path_factory) -> DbtProject:
    load_raw_to_postgres.copy_raw(str(duckdb_world.db_path), server.dsn())
    work = tmp_path_factory.mktemp("pg_world")
    project = DbtProject(db_path=work / "unused.duckdb", work_dir=work)
    saved = {key: os.environ.get(key) for key in server.env()}
    os.environ.update(server.env())
    try:
        project.run("build", *NOT_THE_GATE, vars={"health_reader_role": READER_ROLE})
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
    return project


def pg_rows(server, sql: str, user: str = postgres_server.SUPERUSER) -> list[tuple]:
    with psycopg2.connect(server.dsn(user=user)) as connection, connection.cursor() as cursor:
        cursor.execute(sql)
        return cursor.fetchall()


def test_every_account_gets_the_same_score_and_tier_on_both_engines(server, duckdb_world, postgres_world):
    sql = "select account_id, health_score, health_tier, coverage_pct, top_risk_driver from {schema}.customer_health order by account_id"
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


def test_great_expectations_checkpoint_passes_on_postgres(server, postgres_world, tmp_path):
    import gx_check

    url = f"postgresql+psycopg2://{postgres_server.SUPERUSER}@127.0.0.1:{server.port}/{postgres_server.DATABASE}"
    result = gx_check.run_checkpoint(
        engine="postgres", pg_url=url, schema=MARTS_SCHEMA, data_docs_dir=tmp_path / "gx_docs", pg_backend="sql",
    )
    assert result.backend == "sql"
    assert result.success, result.format_table()
    assert (tmp_path / "gx_docs" / "index.html").exists()
