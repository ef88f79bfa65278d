"""Bad scoring configuration fails when the project compiles, naming the key to fix."""
from __future__ import annotations

import copy

import pytest

from conftest import PROJECT_VARS, DbtProject


def scorecards_with(path: list[str], value):
    cards = copy.deepcopy(PROJECT_VARS["health_scorecards"])
    node = cards
    for key in path[:-1]:
        node = node.setdefault(key, {})
    node[path[-1]] = value
    return cards


def parse_error(project: DbtProject, vars: dict) -> str:
    result = project.run("parse", vars=vars, expect_success=False)
    assert not result.success, f"dbt parse accepted a bad configuration: {vars}"
    return str(result.exception)


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> DbtProject:
    work = tmp_path_factory.mktemp("config")
    return DbtProject(db_path=work / "unused.duckdb", work_dir=work)


def test_default_configuration_parses(project):
    assert project.run("parse").success


@pytest.mark.parametrize("as_of", ["2026-06-30", "2024-02-29"])
def test_a_valid_as_of_date_parses(project, as_of):
    assert project.run("parse", vars={"health_as_of_date": as_of}).success


@pytest.mark.parametrize(
    ("vars", "expected_fragments"),
    [
        pytest.param(
            {"health_scorecards": scorecards_with(["enterprise", "group_weights", "relationship"], -5)},
            ["health_scorecards.enterprise.group_weights.relationship", "must be >= 0"],
            id="negative-group-weight",
        ),
        pytest.param(
            {"health_scorecards": scorecards_with(["default", "signal_weights", "csat"], -1)},
            ["health_scorecards.default.signal_weights.csat", "must be >= 0"],
            id="negative-signal-weight",
        ),
        pytest.param(
            {"health_scorecards": scorecards_with(["default", "signal_weights", "logins_per_day"], 2)},
            ["health_scorecards.default.signal_weights.logins_per_day", "unknown signal"],
            id="unknown-signal-in-weights",
        ),
        pytest.param(
            {"health_signals": {**PROJECT_VARS["health_signals"], "logins_per_day": {
                "group": "product_engagement", "normalization": {"method": "percentile"}}}},
            ["health_signals.logins_per_day", "unknown signal"],
            id="unknown-signal-in-catalog",
        ),
        pytest.param(
            {"health_tier_thresholds": {"red_below": 80, "green_above": 60}},
            ["health_tier_thresholds", "overlap"],
            id="overlapping-thresholds",
        ),
        pytest.param(
            {"health_scorecards": {"default": {"group_weights": {
                "product_engagement": 0, "adoption": 0, "support": 0,
                "sentiment": 0, "commercial": 0, "relationship": 0}}}},
            ["health_scorecards.default", "sum to zero"],
            id="weights-sum-to-zero",
        ),
        pytest.param(
            {"health_signals": {**PROJECT_VARS["health_signals"], "csat": {
                "group": "support", "normalization": {"method": "capped_linear", "min": 1, "max": 0.5}}}},
            ["health_signals.csat.normalization", "must be below max"],
            id="capped-linear-min-above-max",
        ),
        pytest.param(
            {"health_signals": {**PROJECT_VARS["health_signals"], "escalated_tickets": {
                "group": "support", "higher_is_better": False,
                "normalization": {"method": "bands", "bands": [[0, 100], [2, 50], [1, 0]]}}}},
            ["health_signals.escalated_tickets.normalization.bands[2]", "overlap"],
            id="bands-not-ascending",
        ),
        pytest.param(
            {"health_signals": {**PROJECT_VARS["health_signals"], "escalated_tickets": {
                "group": "support", "higher_is_better": True,
                "normalization": {"method": "bands", "bands": [[0, 100], [1, 60], [2, 30]]}}}},
            ["health_signals.escalated_tickets.normalization.bands[1]", "falls below 100", "higher_is_better"],
            id="bands-against-higher-is-better",
        ),
        pytest.param(
            {"health_signals": {**PROJECT_VARS["health_signals"], "usage_trend": {
                "group": "product_engagement", "higher_is_better": False,
                "normalization": {"method": "bands", "bands": [[-1000, 0], [0, 100]]}}}},
            ["health_signals.usage_trend.normalization.bands[1]", "rises above 0", "higher_is_better"],
            id="bands-against-lower-is-better",
        ),
        pytest.param(
            {"health_signals": {**PROJECT_VARS["health_signals"], "csat": {
                "group": "support", "normalization": {"method": "zscore"}}}},
            ["health_signals.csat.normalization.method", "capped_linear, bands or percentile"],
            id="unknown-method",
        ),
        pytest.param(
            {"health_min_coverage_pct": 120},
            ["health_min_coverage_pct", "<= 100"],
            id="coverage-above-100",
        ),
        pytest.param(
            {"health_family_rollup_weighting": "contract_value"},
            ["health_family_rollup_weighting", "'contract_value'", "use arr"],
            id="unknown-family-weighting",
        ),
        pytest.param(
            {"health_tier_recovery_points": 30},
            ["health_tier_recovery_points", "must be <= 25"],
            id="recovery-band-wider-than-yellow",
        ),
        pytest.param(
            {"health_tier_recovery_points": -1},
            ["health_tier_recovery_points", "must be >= 0"],
            id="negative-recovery-band",
        ),
        pytest.param(
            {"health_windows": {"activity_days": 45}},
            ["health_windows.quality_days", "is missing", "restate its other keys"],
            id="partial-mapping-in-vars",
        ),
        pytest.param(
            {"health_as_of_date": "2026-13-01"},
            ["health_as_of_date", "'2026-13-01'", "YYYY-MM-DD"],
            id="as-of-date-not-a-day",
        ),
        pytest.param(
            {"health_history_start_date": "2026-02-30"},
            ["health_history_start_date", "'2026-02-30'", "YYYY-MM-DD"],
            id="history-start-not-a-day",
        ),
        pytest.param(
            {"health_backtest_at_risk_tiers": "red"},
            ["health_backtest_at_risk_tiers", "expected a list of tiers", "see README, Configuration"],
            id="at-risk-tiers-not-a-list",
        ),
        pytest.param(
            {"health_backtest_population": "everyone"},
            ["health_backtest_population", "use renewal_due or all_active", "see README, Configuration"],
            id="unknown-population",
        ),
        pytest.param(
            {"health_scorecards": scorecards_with(["smb", "group_weight"], {"support": 1})},
            ["health_scorecards.smb.group_weight", "unknown setting"],
            id="misspelt-key",
        ),
    ],
)
def test_bad_configuration_fails_to_compile(project, vars, expected_fragments):
    message = parse_error(project, vars)
    for fragment in expected_fragments:
        assert fragment in message, f"{fragment!r} not in error message: {message}"


def compiled_config_version(project: DbtProject, vars: dict | None = None) -> str:
    result = project.run("compile", "--quiet", "--inline", "select '{{ customer_health.health_config_version() }}' as v",
                         vars=vars)
    return result.result.results[0].node.compiled_code.split("'")[1]


def test_config_version_follows_what_scores_not_how_it_is_described(project):
    default = compiled_config_version(project)
    assert len(default) == 12
    signals = copy.deepcopy(PROJECT_VARS["health_signals"])
    signals["csat"]["description"] = "Reworded: the share of good CSAT ratings."
    assert compiled_config_version(project, {"health_signals": signals}) == default
    signals["csat"]["freshness_days"] = signals["csat"]["freshness_days"] + 1
    assert compiled_config_version(project, {"health_signals": signals}) != default
    assert compiled_config_version(project, {"health_tier_thresholds": {"red_below": 45, "green_above": 75}}) != default
    # the recovery band changes tiers, so it changes the version; without one, tiers are as before the
    # band existed, and so is the version (ef3edd19e01c: the defaults' version before it)
    assert compiled_config_version(project, {"health_tier_recovery_points": 2}) not in (default, "ef3edd19e01c")
    assert compiled_config_version(project, {"health_tier_recovery_points": 0}) == "ef3edd19e01c"


def test_duckdb_memory_limit_threads_and_checkpoint_threshold_come_from_the_profile(project, monkeypatch):
    monkeypatch.setenv("CUSTOMER_HEALTH_DUCKDB_MEMORY_LIMIT", "1234MB")
    monkeypatch.setenv("CUSTOMER_HEALTH_DUCKDB_THREADS", "3")
    monkeypatch.setenv("CUSTOMER_HEALTH_DUCKDB_CHECKPOINT_THRESHOLD", "300MB")
    result = project.run("show", "--inline", "select current_setting('memory_limit') as memory_limit, "
                         "current_setting('threads') as threads, "
                         "current_setting('checkpoint_threshold') as checkpoint_threshold")
    row = result.result.results[0].agate_table.rows[0]
    # DuckDB reports sizes in its own units (1234 MB = 1.1 GiB, 300 MB = 286.1 MiB)
    assert row[0] == "1.1 GiB" and int(row[1]) == 3 and row[2] == "286.1 MiB"


def test_duckdb_checkpoints_after_a_gigabyte_of_log_by_default(project, monkeypatch):
    monkeypatch.delenv("CUSTOMER_HEALTH_DUCKDB_CHECKPOINT_THRESHOLD", raising=False)
    result = project.run("show", "--inline", "select current_setting('checkpoint_threshold') as checkpoint_threshold")
    # DuckDB's own default is 16 MiB
    assert result.result.results[0].agate_table.rows[0][0] == "953.6 MiB"
