"""History is point in time and incremental-safe; the backtest measures and gates; calibration runs."""
from __future__ import annotations

import json
import re
import subprocess
import sys
from datetime import timedelta

import pytest

from conftest import PROJECT_DIR, PROJECT_VARS, SMALL_WORLD_GATE, DbtProject, copy_of
from gate_report import explain

HISTORY_COLUMNS = (
    "account_id, score_date, segment, scorecard, health_score, health_tier, coverage_pct, "
    "computed_health_score, computed_health_tier, is_overridden, licensed_seats, renewal_date, config_version"
)


def history_rows(project: DbtProject, where: str = "1 = 1") -> list[tuple]:
    return project.query(
        f"select {HISTORY_COLUMNS} from main_marts.customer_health_history where {where} "
        "order by account_id, score_date, config_version"
    )


def scored_rows(project: DbtProject) -> list[tuple]:
    return project.query(
        "select scored.account_id, scored.date_day, scored.is_as_of_date, scored.health_score, scored.health_tier, "
        "scored.coverage_pct, scored.top_risk_driver, signals.active_user_ratio__normalized, "
        "signals.core_workflows_per_seat__normalized, scored.config_version "
        "from main_intermediate.int_health_scored as scored "
        "inner join main_intermediate.int_signals_normalized as signals "
        "on scored.account_id = signals.account_id and scored.date_day = signals.date_day "
        "order by scored.account_id, scored.date_day"
    )


def test_incremental_daily_runs_equal_a_full_refresh(dirty_world: DbtProject, tmp_path):
    project = copy_of(dirty_world, tmp_path, "incremental")
    as_of = project.scalar("select max(score_date) from main_marts.customer_health_history")
    earlier = as_of - timedelta(days=10)

    # history as it stood ten days ago, then the daily runs catch up incrementally
    project.run("run", "--select", "+customer_health_history", "--full-refresh",
                vars={"health_as_of_date": str(earlier)})
    assert project.scalar("select max(score_date) from main_marts.customer_health_history") == earlier
    for day in (earlier + timedelta(days=3), as_of):
        project.run("run", "--select", "+customer_health_history", vars={"health_as_of_date": str(day)})
    incremental = history_rows(project)
    incremental_scored = scored_rows(project)

    # a full refresh of everything upstream too: the incremental daily
    # signals, normalized values and scores must equal a rebuild from scratch
    project.run("run", "--select", "+customer_health_history", "--full-refresh")
    full_refresh = history_rows(project)
    full_refresh_scored = scored_rows(project)

    assert len(incremental) == len(full_refresh) > 0
    assert incremental == full_refresh
    assert len(incremental_scored) == len(full_refresh_scored) > 0
    assert incremental_scored == full_refresh_scored


def test_rescoring_under_a_new_configuration_keeps_the_old_rows(dirty_world: DbtProject, tmp_path):
    project = copy_of(dirty_world, tmp_path, "versions")
    before = history_rows(project)
    old_versions = {row[-1] for row in before}
    assert len(old_versions) == 1

    project.run("run", "--select", "+customer_health_history", vars={"health_min_coverage_pct": 95})
    versions = dict(project.query(
        "select config_version, count(*) from main_marts.customer_health_history group by 1"
    ))
    assert len(versions) == 2, versions
    (old_version,) = old_versions
    new_version = next(v for v in versions if v != old_version)
    assert versions[new_version] == versions[old_version], "the new version re-scores the same account-days"
    assert history_rows(project, f"config_version = '{old_version}'") == before, "old rows are untouched"
    # the two versions can be compared on the same dates
    changed = project.scalar(
        f"""
        select count(*)
        from main_marts.customer_health_history as old_rows
        inner join main_marts.customer_health_history as new_rows
            on old_rows.account_id = new_rows.account_id
            and old_rows.score_date = new_rows.score_date
        where old_rows.config_version = '{old_version}'
            and new_rows.config_version = '{new_version}'
            and old_rows.health_tier <> new_rows.health_tier
        """
    )
    assert changed > 0, "a stricter minimum coverage turns some tiers into insufficient_data"


def test_history_is_point_in_time(dirty_world: DbtProject, tmp_path):
    """Scores for past days do not change when later data arrives."""
    project = copy_of(dirty_world, tmp_path, "point_in_time")
    as_of = project.scalar("select max(score_date) from main_marts.customer_health_history")
    cutoff = as_of - timedelta(days=60)
    full = history_rows(project, f"score_date <= date '{cutoff}'")
    project.run("run", "--select", "+customer_health_history", "--full-refresh",
                vars={"health_as_of_date": str(cutoff)})
    assert history_rows(project) == full


@pytest.mark.parametrize("tamper", [
    "score_change_30d = score_change_30d + 1",
    "trend = case trend when 'down' then 'up' else 'down' end",
])
def test_the_trend_check_fails_when_the_current_trend_disagrees_with_history(
    dirty_world: DbtProject, tmp_path, tamper
):
    """assert_customer_health_trend_matches_history reads the history on the score date and 30 days
    earlier: it passes on the built marts and fails when one account's change or trend is off."""
    dirty_world.run("test", "--select", "assert_customer_health_trend_matches_history")
    copy = copy_of(dirty_world, tmp_path, "trend")
    account_id = copy.scalar(
        "select min(account_id) from main_marts.customer_health where score_change_30d is not null"
    )
    assert account_id is not None, "no account has a 30-day change to tamper with"
    copy.execute(f"update main_marts.customer_health set {tamper} where account_id = ?", [account_id])
    result = copy.run("test", "--select", "assert_customer_health_trend_matches_history", expect_success=False)
    assert not result.success


def test_an_account_whose_product_data_cannot_be_mapped_is_insufficient_data_not_red(dirty_world: DbtProject):
    """Missing is not bad: without its workspace id in the CRM an account's usage is unknown, not zero."""
    rows = dirty_world.query(
        "select health.health_tier, health.coverage_pct from main_marts.customer_health as health "
        "inner join main_staging.stg_salesforce__accounts as accounts on health.account_id = accounts.account_id "
        "where accounts.product_workspace_id is null"
    )
    assert len(rows) >= 3, "the small world has accounts without a workspace id"
    assert {tier for tier, _ in rows} == {"insufficient_data"}, rows
    assert all(coverage < PROJECT_VARS["health_min_coverage_pct"] for _, coverage in rows)
    statuses = dirty_world.query(
        "select distinct drivers.signal_status from main_marts.customer_health_drivers as drivers "
        "inner join main_staging.stg_salesforce__accounts as accounts on drivers.account_id = accounts.account_id "
        "where accounts.product_workspace_id is null and drivers.signal_name = 'active_user_ratio'"
    )
    assert statuses == [("missing",)], statuses


def test_backtest_overall_row_and_metrics(dirty_world: DbtProject):
    overall = dirty_world.query(
        "select evaluations, churners, renewers, auc, accuracy, balanced_accuracy, "
        "churn_rate_green, churn_rate_yellow, churn_rate_red from main_marts.customer_health_backtest where scope = 'overall'"
    )
    assert len(overall) == 1
    evaluations, churners, renewers, auc, accuracy, balanced, green, yellow, red = overall[0]
    assert churners > 0 and renewers > 0 and evaluations == churners + renewers
    assert 0 <= accuracy <= 1
    # the small world's gate holds (the field's 0.70: test_demo_world_proof.py), and the score is not
    # suspiciously good: above 0.95 the generator would be leaking the answer (a third of churn is
    # unrelated to behaviour)
    assert SMALL_WORLD_GATE["health_backtest_min_auc"] <= auc < 0.95
    assert SMALL_WORLD_GATE["health_backtest_min_balanced_accuracy"] <= balanced < 0.95
    scopes = {row[0] for row in dirty_world.query("select scope_type from main_marts.customer_health_backtest")}
    assert scopes == {"overall", "segment", "snapshot"}


def test_backtest_excludes_accounts_whose_horizon_is_not_over(dirty_world: DbtProject):
    as_of = dirty_world.scalar("select as_of_date from main_intermediate.int_scoring_calendar where is_as_of_date")
    last_snapshot = dirty_world.scalar("select max(snapshot_date) from main_intermediate.int_backtest_evaluations")
    assert last_snapshot <= as_of - timedelta(days=90)


@pytest.mark.parametrize(
    ("tamper", "failing_test"),
    [
        ("update main_marts.customer_health_backtest set auc = 0.6 where scope = 'overall'", "backtest_gate_auc"),
        ("update main_marts.customer_health_backtest set balanced_accuracy = 0.5 where scope = 'overall'", "backtest_gate_balanced_accuracy"),
        ("update main_marts.customer_health_backtest set churn_rate_red = churn_rate_green where scope = 'overall'", "backtest_gate_tiers_monotonic"),
    ],
)
def test_gate_fails_the_build_when_the_score_stops_predicting(dirty_world: DbtProject, tmp_path, tamper, failing_test):
    project = copy_of(dirty_world, tmp_path, failing_test)
    project.run("test", "--select", "customer_health_backtest,test_type:data")
    project.execute(tamper)
    result = project.run("test", "--select", "customer_health_backtest,test_type:data", expect_success=False)
    assert not result.success
    failed = {r.node.name for r in result.result.results if str(r.status) == "fail"}
    assert failed == {failing_test}


@pytest.mark.parametrize(
    ("minimum", "gate"),
    [("health_backtest_min_auc", "backtest_gate_auc"),
     ("health_backtest_min_balanced_accuracy", "backtest_gate_balanced_accuracy")],
)
def test_gate_thresholds_are_configurable(dirty_world: DbtProject, minimum, gate):
    assert dirty_world.run("test", "--select", gate).success
    result = dirty_world.run("test", "--select", gate, vars={minimum: 0.999}, expect_success=False)
    assert not result.success
    assert {r.node.name for r in result.result.results if str(r.status) == "fail"} == {gate}
    # what `make demo` prints when the gate stops the build: the figure, the minimum and the var
    run_results = json.loads((dirty_world.work_dir / "target" / "run_results.json").read_text())
    figure = dirty_world.scalar(f"select {gate.removeprefix('backtest_gate_')} from main_marts.customer_health_backtest "
                                f"where scope = 'overall'")
    lines = explain(run_results, dirty_world.db_path)
    assert lines[0] == "dbt build failed: 1 node(s)."
    assert re.fullmatch(rf"  Backtest gate: .+ {figure:.3f} is below the minimum 0\.999 \({minimum}\), "
                        r"over \d+ evaluations \(\d+ churners\)\.", lines[1]), lines
    assert explain(json.loads(json.dumps({"results": []})), dirty_world.db_path) == []


def test_calibration_prints_comparison_and_vars_block(dirty_world: DbtProject):
    before = dirty_world.db_path.stat().st_mtime_ns
    completed = subprocess.run(
        [sys.executable, str(PROJECT_DIR / "scripts" / "calibrate_weights.py"), "--db", str(dirty_world.db_path)],
        capture_output=True, text=True, check=True, cwd=PROJECT_DIR,
    )
    out = completed.stdout
    for line in ("configured weights", "calibrated weights", "gradient boosting (black box)", "health_scorecards:"):
        assert line in out, out
    header = next(line for line in out.splitlines() if line.startswith("model "))
    assert header.split()[1:] == ["AUC", "accuracy", "balanced", "accuracy"], header
    rows = re.findall(r"^(configured weights|calibrated weights|gradient boosting \(black box\)) +"
                      r"([\d.]+) +([\d.]+) +([\d.]+)$", out, re.M)
    assert [row[0] for row in rows] == ["configured weights", "calibrated weights", "gradient boosting (black box)"], out
    assert all(0 <= float(value) <= 1 for row in rows for value in row[1:]), out
    assert dirty_world.db_path.stat().st_mtime_ns == before, "calibration must not write to the warehouse"
