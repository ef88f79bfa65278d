#!/usr/bin/env python3
"""Explain one account's health score, signal by signal.

Prints the account's latest score and tier, then every signal of its
scorecard: status, raw value, normalized 0-100 value, configured weight, the
weight after renormalization over observed signals, the contribution in
points (contributions sum to the score) and the points lost against a
perfect 100. Reads the built warehouse (DuckDB), writes nothing.

    python scripts/explain_account.py                       # an account from the at-risk end
    python scripts/explain_account.py --account 0015g00000000PjAAI
"""
from __future__ import annotations

import argparse
import os
import sys

import duckdb


def band_note(score, tier, red_below, green_above, recovery, overridden) -> str:
    """Why a score between the thresholds keeps a red or green tier: the recovery band."""
    if overridden or score is None or not recovery:
        return ""
    if tier == "red" and score >= red_below:
        return f" (recovery band: red until the score reaches {red_below + recovery:g})"
    if tier == "green" and score <= green_above:
        return f" (recovery band: green until the score falls to {green_above - recovery:g})"
    return ""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", default=os.environ.get("CUSTOMER_HEALTH_DB", "customer_health.duckdb"),
                        help="DuckDB warehouse (default: $CUSTOMER_HEALTH_DB, else ./customer_health.duckdb)")
    parser.add_argument("--account", help="CRM account id (default: the yellow account with the lowest coverage)")
    parser.add_argument("--schema", default="main_marts", help="schema of the marts (default main_marts)")
    args = parser.parse_args(argv)

    con = duckdb.connect(args.db, read_only=True)
    account = args.account or con.execute(
        f"select account_id from {args.schema}.customer_health where health_tier = 'yellow' "
        "order by coverage_pct, account_id limit 1"
    ).fetchone()[0]
    head = con.execute(
        f"select account_name, segment, scorecard, score_date, health_score, health_tier, coverage_pct, "
        f"score_change_30d, trend, top_risk_driver, top_strength_driver, is_overridden, config_version, "
        f"tier_red_below, tier_green_above, tier_recovery_points "
        f"from {args.schema}.customer_health where account_id = ?", [account],
    ).fetchone()
    if head is None:
        print(f"no account {account} in {args.schema}.customer_health", file=sys.stderr)
        return 1
    (name, segment, scorecard, score_date, score, tier, coverage, change, trend, risk, strength,
     overridden, version, red_below, green_above, recovery) = head
    print(f"{name} ({account}), {segment}, scorecard {scorecard}, {score_date}")
    print(f"score {score} -> tier {tier}{band_note(score, tier, red_below, green_above, recovery, overridden)}; "
          f"coverage {coverage}%; 30-day change {change} ({trend}); overridden: {overridden}; config {version}")
    print(f"top risk driver: {risk}; top strength driver: {strength}\n")
    rows = con.execute(
        f"select signal_group, signal_name, signal_status, raw_value, normalized_value, weight, "
        f"renormalized_weight, contribution, points_lost "
        f"from {args.schema}.customer_health_drivers where account_id = ? and score_date = ? "
        f"order by signal_group, signal_name", [account, score_date],
    ).fetchall()

    def fmt(value, digits=1):
        return "" if value is None else f"{value:.{digits}f}"

    print(f"{'group':20} {'signal':26} {'status':15} {'raw':>9} {'0-100':>6} {'weight':>6} {'renorm':>6} {'points':>6} {'lost':>6}")
    total = 0.0
    for group, signal, status, raw, normalized, weight, renormalized, contribution, lost in rows:
        if not weight:
            continue
        total += contribution or 0.0
        print(f"{group:20} {signal:26} {status:15} {fmt(raw, 2):>9} {fmt(normalized):>6} {fmt(weight):>6} "
              f"{fmt(renormalized):>6} {fmt(contribution, 2):>6} {fmt(lost, 2):>6}")
    print(f"{'':20} {'sum of contributions':26} {'':15} {'':>9} {'':>6} {'':>6} {'':>6} {total:6.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
