#!/usr/bin/env python3
"""Fit signal weights from this warehouse's own history and say whether they beat the configured ones.

Method
  1. The evaluation set is the backtest's (int_backtest_evaluations): at each
     snapshot date, the accounts in the population, whether they churned
     within the horizon, and (from int_signals_normalized) every signal's
     0-100 value and status on that date.
  2. Snapshots before the split date are the fitting window; snapshots on or
     after it are the evaluation window. Nothing from the evaluation window is
     used to fit.
  3. Calibrated weights: a logistic regression of churn on the normalized
     signals (unobserved values filled with the fitting window's mean, which
     mimics the score's renormalization). A signal whose higher values go
     with churn gets weight 0 (weights are non-negative, as the score's are);
     the rest get the size of their coefficient, scaled to sum to 100. The
     calibrated score is then computed exactly like the project's score: a
     weighted average over the observed signals.
  4. A gradient-boosted model on the raw signal values (and segment) shows
     what a black box reaches on the same data: the headroom, not a
     recommendation.
  5. AUC (rank-based), accuracy and balanced accuracy of the at-risk call are reported
     on the evaluation window. The configured score's at-risk call is the
     backtest's (its tiers, recovery band included); the calibrated score has
     no history, so its tiers apply the configured thresholds to each
     snapshot alone (no recovery band); the black box uses the probability
     cut-off that maximizes balanced accuracy in the fitting window.

It reads the warehouse the project built and prints; it writes nothing.
Paste the printed vars block into dbt_project.yml (or pass it with --vars) to
adopt the calibrated weights for the default scorecard.

Usage:
    python scripts/calibrate_weights.py [--db customer_health.duckdb] [--split-date YYYY-MM-DD]
"""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import yaml
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score

PROJECT_DIR = Path(__file__).resolve().parents[1]


def load_project_vars() -> dict:
    return yaml.safe_load((PROJECT_DIR / "dbt_project.yml").read_text())["vars"]


def load_evaluations(con: duckdb.DuckDBPyConnection, schema_prefix: str, signals: list[str]) -> pd.DataFrame:
    columns = ", ".join(
        f"normalized.{s}__normalized as {s}__normalized, normalized.{s}__status as {s}__status, normalized.{s}__raw as {s}__raw"
        for s in signals
    )
    return con.execute(
        f"""
        select
            evaluations.account_id,
            evaluations.snapshot_date,
            evaluations.segment,
            evaluations.health_score,
            evaluations.health_tier,
            evaluations.is_at_risk,
            evaluations.is_churned,
            {columns}
        from {schema_prefix}_intermediate.int_backtest_evaluations as evaluations
        inner join {schema_prefix}_intermediate.int_signals_normalized as normalized
            on evaluations.account_id = normalized.account_id
            and evaluations.snapshot_date = normalized.date_day
        where evaluations.health_score is not null
        """
    ).df()


def accuracy(flagged: np.ndarray, churned: np.ndarray) -> float:
    """Share of evaluations the at-risk call gets right (near 1 for a call that flags nobody: read it
    next to balanced accuracy)."""
    return float((flagged.astype(bool) == churned.astype(bool)).mean()) if len(churned) else float("nan")


def balanced_accuracy(flagged: np.ndarray, churned: np.ndarray) -> float:
    churned = churned.astype(bool)
    flagged = flagged.astype(bool)
    if churned.all() or (~churned).all():
        return float("nan")
    recall = (flagged & churned).sum() / churned.sum()
    specificity = (~flagged & ~churned).sum() / (~churned).sum()
    return float((recall + specificity) / 2)


def auc(risk: np.ndarray, churned: np.ndarray) -> float:
    if len(np.unique(churned)) < 2:
        return float("nan")
    return float(roc_auc_score(churned.astype(int), risk))


def weighted_score(frame: pd.DataFrame, weights: dict[str, float]) -> np.ndarray:
    points = np.zeros(len(frame))
    total = np.zeros(len(frame))
    for signal, weight in weights.items():
        if weight <= 0:
            continue
        observed = (frame[f"{signal}__status"] == "observed").to_numpy()
        values = frame[f"{signal}__normalized"].fillna(0).to_numpy()
        points += np.where(observed, weight * values, 0.0)
        total += np.where(observed, weight, 0.0)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(total > 0, points / total, np.nan)


def fit_weights(train: pd.DataFrame, signals: list[str]) -> dict[str, float]:
    features = pd.DataFrame({
        s: train[f"{s}__normalized"].where(train[f"{s}__status"] == "observed") for s in signals
    })
    usable = [s for s in signals if features[s].notna().sum() >= 20]
    filled = features[usable].fillna(features[usable].mean())
    scaled = (filled - 50.0) / 50.0
    model = LogisticRegression(C=1.0, max_iter=2000)
    model.fit(scaled.to_numpy(), train["is_churned"].astype(int).to_numpy())
    raw = {s: max(0.0, -coef) for s, coef in zip(usable, model.coef_[0])}
    total = sum(raw.values())
    if total == 0:
        raise SystemExit("calibration found no signal that separates churners from renewers in the fitting window")
    weights = {s: 0.0 for s in signals}
    weights.update({s: 100.0 * w / total for s, w in raw.items()})
    return weights


def black_box(train: pd.DataFrame, test: pd.DataFrame, signals: list[str]) -> tuple[np.ndarray, np.ndarray]:
    def matrix(frame: pd.DataFrame) -> np.ndarray:
        values = pd.DataFrame({s: frame[f"{s}__raw"].where(frame[f"{s}__status"] != "not_applicable") for s in signals})
        for segment in ("smb", "mid_market", "enterprise"):
            values[f"segment_{segment}"] = (frame["segment"] == segment).astype(float)
        return values.astype(float).to_numpy()

    model = HistGradientBoostingClassifier(max_iter=300, learning_rate=0.05, max_leaf_nodes=15, random_state=0)
    model.fit(matrix(train), train["is_churned"].astype(int).to_numpy())
    return model.predict_proba(matrix(train))[:, 1], model.predict_proba(matrix(test))[:, 1]


def best_cutoff(probabilities: np.ndarray, churned: np.ndarray) -> float:
    candidates = np.unique(np.quantile(probabilities, np.linspace(0.01, 0.99, 99)))
    scores = [balanced_accuracy(probabilities >= c, churned) for c in candidates]
    return float(candidates[int(np.nanargmax(scores))])


def vars_block(weights: dict[str, float], signal_groups: dict[str, str], scorecards: dict) -> str:
    groups: dict[str, float] = {}
    for signal, weight in weights.items():
        groups[signal_groups[signal]] = groups.get(signal_groups[signal], 0.0) + weight
    card = {
        "group_weights": {g: round(float(w), 1) for g, w in groups.items()},
        "signal_weights": {s: round(float(w), 2) for s, w in weights.items()},
    }
    merged = {"default": card, **{name: settings for name, settings in scorecards.items() if name != "default"}}
    return yaml.safe_dump({"health_scorecards": merged}, sort_keys=False)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", default=os.environ.get("CUSTOMER_HEALTH_DB", "customer_health.duckdb"),
                        help="DuckDB warehouse the project built (default: $CUSTOMER_HEALTH_DB or customer_health.duckdb)")
    parser.add_argument("--schema-prefix", default="main", help="target schema of the dbt profile (default: main)")
    parser.add_argument("--split-date", help="first snapshot of the evaluation window (default: 60%% of snapshots fit, 40%% evaluate)")
    args = parser.parse_args(argv)

    project_vars = load_project_vars()
    signal_settings = project_vars["health_signals"]
    signals = list(signal_settings)
    signal_groups = {s: settings["group"] for s, settings in signal_settings.items()}
    red_below = project_vars["health_tier_thresholds"]["red_below"]
    green_above = project_vars["health_tier_thresholds"]["green_above"]
    at_risk_tiers = set(project_vars["health_backtest_at_risk_tiers"])

    con = duckdb.connect(args.db, read_only=True)
    frame = load_evaluations(con, args.schema_prefix, signals)
    con.close()
    if frame.empty:
        print("no backtest evaluations in the warehouse: run `dbt build` first", file=sys.stderr)
        return 1

    snapshots = sorted(frame["snapshot_date"].unique())
    split = pd.Timestamp(args.split_date) if args.split_date else pd.Timestamp(snapshots[int(len(snapshots) * 0.6)])
    train = frame[frame["snapshot_date"] < split]
    test = frame[frame["snapshot_date"] >= split]
    if train["is_churned"].nunique() < 2 or test["is_churned"].nunique() < 2:
        print("each window needs churners and renewers; choose another --split-date", file=sys.stderr)
        return 1

    def tiers_of(score: np.ndarray) -> np.ndarray:
        return np.where(score < red_below, "red", np.where(score > green_above, "green", "yellow"))

    churned_test = test["is_churned"].to_numpy()
    rows = []
    configured = test["health_score"].to_numpy()
    calls = [("configured weights", -configured, test["is_at_risk"].to_numpy(), churned_test)]

    weights = fit_weights(train, signals)
    calibrated = weighted_score(test, weights)
    known = ~np.isnan(calibrated)
    calls.append(("calibrated weights", -calibrated[known],
                  np.isin(tiers_of(calibrated[known]), list(at_risk_tiers)), churned_test[known]))

    train_probability, test_probability = black_box(train, test, signals)
    cutoff = best_cutoff(train_probability, train["is_churned"].to_numpy())
    calls.append(("gradient boosting (black box)", test_probability, test_probability >= cutoff, churned_test))
    for name, risk, flagged, churned in calls:
        rows.append((name, auc(risk, churned), accuracy(flagged, churned), balanced_accuracy(flagged, churned)))

    print(f"fitting window:    {len(train):>6} evaluations, {int(train['is_churned'].sum()):>5} churners, snapshots before {split.date()}")
    print(f"evaluation window: {len(test):>6} evaluations, {int(test['is_churned'].sum()):>5} churners, snapshots from {split.date()}")
    print()
    print(f"{'model':<32} {'AUC':>7} {'accuracy':>9} {'balanced accuracy':>18}")
    for name, auc_value, plain, balanced in rows:
        print(f"{name:<32} {auc_value:>7.3f} {plain:>9.3f} {balanced:>18.3f}")
    print()
    print("calibrated weights for the default scorecard (the other scorecards as configured), ready to paste under vars:")
    print()
    print(vars_block(weights, signal_groups, project_vars["health_scorecards"]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
