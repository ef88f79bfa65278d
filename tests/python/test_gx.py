"""The Great Expectations checkpoint on the marts (scripts/gx_check.py).

A clean build passes; each kind of corruption fails exactly the expectations
that guard against it; the Data Docs site is written where asked.

The built warehouse is the session fixture `dirty_world` (a `dbt build` of a
300-account demo world). To iterate without rebuilding, point
GX_TEST_WAREHOUSE at an already built warehouse file: it is only copied,
never written.
"""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import duckdb
import pytest

import gx_check
from conftest import PROJECT_DIR

HEALTH = "main_marts.customer_health"
HISTORY = "main_marts.customer_health_history"


@pytest.fixture(scope="module")
def built_warehouse(request) -> Path:
    override = os.environ.get("GX_TEST_WAREHOUSE")
    if override:
        return Path(override)
    return request.getfixturevalue("dirty_world").db_path


def copy_warehouse(source: Path, directory: Path) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    target = directory / "warehouse.duckdb"
    shutil.copy(source, target)
    return target


def execute(db_path: Path, *statements: str) -> None:
    con = duckdb.connect(str(db_path))
    try:
        for statement in statements:
            con.execute(statement)
    finally:
        con.close()


def first_account(db_path: Path, offset: int = 0) -> str:
    con = duckdb.connect(str(db_path), read_only=True)
    try:
        return con.execute(f"select account_id from {HEALTH} order by account_id limit 1 offset {offset}").fetchone()[0]
    finally:
        con.close()


@pytest.fixture(scope="module")
def clean_run(built_warehouse, tmp_path_factory):
    work = tmp_path_factory.mktemp("gx_clean")
    db_path = copy_warehouse(built_warehouse, work)
    # the clean run's site is the one `make test` leaves behind for people to open
    docs = PROJECT_DIR / gx_check.DEFAULT_DATA_DOCS_DIR / "duckdb"
    shutil.rmtree(docs, ignore_errors=True)
    return gx_check.run_checkpoint(engine="duckdb", db_path=db_path, data_docs_dir=docs), docs


def test_clean_mart_passes_the_checkpoint(clean_run):
    result, _ = clean_run
    assert result.success, result.format_table()
    assert result.failed == []
    assert result.backend == "pandas"
    names = {outcome.name for outcome in result.expectations}
    assert {
        "customer_health.account_id_unique",
        "customer_health.account_id_not_null",
        "customer_health.row_count_equals_active_accounts",
        "customer_health.health_score_between_0_and_100",
        "customer_health.health_tier_in_set",
        "customer_health.coverage_pct_between_0_and_100",
        "customer_health.coverage_pct_mean_at_least_min",
        "customer_health_history.account_id_score_date_config_version_unique",
        "customer_health_history.health_score_between_0_and_100",
    } <= names
    assert all(outcome.exception is None for outcome in result.expectations)


def test_row_count_expectation_uses_the_active_account_count(clean_run, built_warehouse):
    result, _ = clean_run
    con = duckdb.connect(str(built_warehouse), read_only=True)
    try:
        scored = con.execute(f"select count(*) from {HEALTH}").fetchone()[0]
    finally:
        con.close()
    assert result.expected_row_count == scored > 0


def test_data_docs_site_is_written_under_the_given_directory(clean_run):
    result, docs = clean_run
    assert docs.is_relative_to(PROJECT_DIR / "target")
    index = docs / "index.html"
    assert index.is_file()
    assert result.data_docs_index == index.resolve()
    # one validation result page per mart suite
    validations = docs / "validations"
    assert (validations / "customer_health_suite").is_dir()
    assert (validations / "customer_health_history_suite").is_dir()


CORRUPTIONS = {
    "score_150": (
        ["update {health} set health_score = 150 where account_id = '{account}'"],
        {"customer_health.health_score_between_0_and_100"},
    ),
    "tier_purple": (
        ["update {health} set health_tier = 'purple' where account_id = '{account}'"],
        {"customer_health.health_tier_in_set"},
    ),
    "duplicate_row": (
        ["insert into {health} select * from {health} where account_id = '{account}'"],
        {"customer_health.account_id_unique", "customer_health.row_count_equals_active_accounts"},
    ),
    "deleted_row": (
        ["delete from {health} where account_id = '{account}'"],
        {"customer_health.row_count_equals_active_accounts"},
    ),
    "null_score_on_a_scored_tier": (
        ["update {health} set health_score = null, health_tier = 'green' where account_id = '{account}'"],
        {"customer_health.health_score_not_null_unless_insufficient_data"},
    ),
    "low_coverage": (
        ["update {health} set coverage_pct = 5"],
        {"customer_health.coverage_pct_mean_at_least_min"},
    ),
    "duplicate_history_row": (
        ["insert into {history} select * from {history} where account_id = '{account}' "
         "order by score_date desc limit 1"],
        {"customer_health_history.account_id_score_date_config_version_unique"},
    ),
    "history_score_out_of_range": (
        ["update {history} set health_score = -1 where account_id = '{account}'"],
        {"customer_health_history.health_score_between_0_and_100"},
    ),
}


@pytest.mark.parametrize("corruption", list(CORRUPTIONS))
def test_corrupted_mart_fails_the_expected_expectations(built_warehouse, tmp_path, corruption):
    statements, expected_failures = CORRUPTIONS[corruption]
    db_path = copy_warehouse(built_warehouse, tmp_path / corruption)
    account = first_account(db_path)
    execute(db_path, *(s.format(health=HEALTH, history=HISTORY, account=account) for s in statements))

    result = gx_check.run_checkpoint(engine="duckdb", db_path=db_path, data_docs_dir=tmp_path / "docs")

    assert not result.success
    assert set(result.failed) == expected_failures, result.format_table()
    assert (tmp_path / "docs" / "index.html").is_file()


def test_null_score_is_allowed_for_insufficient_data(built_warehouse, tmp_path):
    db_path = copy_warehouse(built_warehouse, tmp_path / "insufficient")
    execute(db_path, f"update {HEALTH} set health_score = null, health_tier = 'insufficient_data' "
                     f"where account_id = '{first_account(db_path)}'")
    result = gx_check.run_checkpoint(engine="duckdb", db_path=db_path, data_docs_dir=tmp_path / "docs")
    assert result.success, result.format_table()


def test_cli_exit_codes(built_warehouse, tmp_path, capsys):
    db_path = copy_warehouse(built_warehouse, tmp_path / "cli")
    docs = tmp_path / "docs"
    assert gx_check.main(["--db", str(db_path), "--data-docs-dir", str(docs)]) == 0
    out = capsys.readouterr().out
    assert "PASS" in out and "FAIL" not in out and str(docs / "index.html") in out

    execute(db_path, f"update {HEALTH} set health_tier = 'purple' where account_id = '{first_account(db_path)}'")
    assert gx_check.main(["--db", str(db_path), "--data-docs-dir", str(docs)]) == 1
    out = capsys.readouterr().out
    assert "FAIL    customer_health.health_tier_in_set" in out

    assert gx_check.main(["--db", str(tmp_path / "missing.duckdb"), "--data-docs-dir", str(docs)]) == 2


def test_postgres_urls_are_normalised_for_gx_and_psycopg2(monkeypatch):
    assert gx_check.pg_urls("postgres://u:p%40ss@h:5433/db") == (
        "postgresql+psycopg2://u:p%40ss@h:5433/db", "postgresql://u:p%40ss@h:5433/db")
    monkeypatch.setenv("CUSTOMER_HEALTH_PG_PORT", "6000")
    monkeypatch.setenv("CUSTOMER_HEALTH_PG_PASSWORD", "s/cret")
    sqlalchemy_url, libpq_url = gx_check.pg_urls(None)
    assert sqlalchemy_url == "postgresql+psycopg2://postgres:s%2Fcret@127.0.0.1:6000/customer_health"
    assert libpq_url.startswith("postgresql://")
    with pytest.raises(gx_check.GxCheckError):
        gx_check.pg_urls("mysql://u@h/db")
