"""The claim the README makes: on the default demo world the score tells churners from renewals at the field's bar.

The default world of `make demo` (2,000 accounts, seed 42) is generated and built with the project's own
configuration, gate included: the build itself fails when AUC or balanced accuracy fall below the configured
minimums (0.70) or when tiers stop being monotonic. The small world of the other tests has too few churners
for that bar to mean much (conftest.SMALL_WORLD_GATE); this one has several hundred.
"""
from __future__ import annotations

import pytest

from conftest import PROJECT_VARS, DbtProject, generate_world


@pytest.fixture(scope="module")
def demo_world(tmp_path_factory) -> DbtProject:
    work = tmp_path_factory.mktemp("demo_world")
    project = DbtProject(db_path=work / "warehouse.duckdb", work_dir=work)
    generate_world(project.db_path)            # the defaults of `make demo`
    project.run("build", "--exclude-resource-type", "unit_test")   # fails on a failed gate
    return project


def test_the_demo_world_meets_the_fields_bar(demo_world: DbtProject):
    (evaluations, churners, auc, balanced, green, yellow, red), = demo_world.query(
        "select evaluations, churners, auc, balanced_accuracy, churn_rate_green, churn_rate_yellow, churn_rate_red "
        "from main_marts.customer_health_backtest where scope = 'overall'"
    )
    # seed 42 (2026-11-29): 5,336 evaluations, 777 churners, AUC 0.781, balanced accuracy 0.714, churn rate
    # green 4.1% / yellow 10.0% / red 34.7%
    assert evaluations >= 4000 and churners >= 500, (evaluations, churners)
    assert PROJECT_VARS["health_backtest_min_auc"] <= auc < 0.95, auc
    assert PROJECT_VARS["health_backtest_min_balanced_accuracy"] <= balanced < 0.95, balanced
    assert red > yellow > green
