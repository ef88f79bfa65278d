#!/usr/bin/env python3
"""Say why a `dbt build` failed, in the words of the configuration that decides it.

    python scripts/gate_report.py [--target-path target] [--db PATH]

Reads the build's run_results.json. For a failed backtest gate it prints the
measured figure, the minimum it missed and the var that sets that minimum;
for any other failed node its name and dbt's message. `make demo` runs it
when the build fails. Exits 0 when nothing failed, else 1.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import sys
from pathlib import Path

import duckdb

# gate test -> (the figure in customer_health_backtest's overall row, its label, the var holding the minimum)
GATES = {
    "backtest_gate_auc": ("auc", "AUC", "health_backtest_min_auc"),
    "backtest_gate_balanced_accuracy": ("balanced_accuracy", "balanced accuracy", "health_backtest_min_balanced_accuracy"),
}
FAILED = ("fail", "error", "runtime error")


def failed_nodes(run_results: dict) -> list[dict]:
    return [r for r in run_results.get("results", []) if str(r.get("status")) in FAILED]


def minimum_in(compiled_code: str | None, column: str) -> str | None:
    """The literal minimum the gate compared against (the var as rendered into the test's SQL)."""
    found = re.search(rf"\b{column}\s*>=\s*(-?[0-9.]+)", compiled_code or "")
    return found.group(1) if found else None


def overall_backtest(db_path: Path, schema_prefix: str) -> dict | None:
    if not db_path.exists():
        return None
    con = duckdb.connect(str(db_path), read_only=True)
    try:
        rows = con.execute(
            f'select * from "{schema_prefix}_marts"."customer_health_backtest" where scope = \'overall\''
        ).fetchall()
        names = [d[0] for d in con.description]
    except duckdb.Error:
        return None
    finally:
        con.close()
    return dict(zip(names, rows[0])) if rows else None


def explain(run_results: dict, db_path: Path, schema_prefix: str = "main") -> list[str]:
    failures = failed_nodes(run_results)
    if not failures:
        return []
    names = {r["unique_id"].split(".")[2]: r for r in failures}
    lines = [f"dbt build failed: {len(failures)} node(s)."]
    gates = [name for name in names if name.startswith("backtest_gate_")]
    overall = overall_backtest(db_path, schema_prefix) if gates else None
    for name in gates:
        if name in GATES and overall is not None:
            column, label, var = GATES[name]
            minimum = minimum_in(names[name].get("compiled_code"), column)
            value = overall.get(column)
            shown = "none (no churners or no renewals to compare)" if value is None else f"{value:.3f}"
            lines.append(
                f"  Backtest gate: {label} {shown} is below the minimum {minimum} ({var}), "
                f"over {overall.get('evaluations')} evaluations ({overall.get('churners')} churners)."
            )
        elif name == "backtest_gate_tiers_monotonic" and overall is not None:
            rates = ", ".join(f"{tier} {overall.get(f'churn_rate_{tier}')}" for tier in ("red", "yellow", "green"))
            lines.append(f"  Backtest gate: churn rates by tier are not red > yellow > green ({rates}).")
        else:
            lines.append(f"  Backtest gate {name} failed: {names[name].get('message')}")
    if gates:
        lines += [
            "  The score does not tell this warehouse's churners from its renewals as well as the gate asks",
            "  (README, 'Does it predict churn?'). Look at the signals and weights, or, knowingly, lower the",
            "  minimum for a run: dbt build --vars '{<var>: <value>}'. Small worlds have few churners, so",
            "  their figures move more from one seed to the next.",
        ]
    for name, result in names.items():
        if name not in gates:
            message = (result.get("message") or "").strip().splitlines()
            lines.append(f"  {result['unique_id']}: {result.get('status')}" + (f" - {message[0]}" if message else ""))
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--target-path", default="target", help="dbt's target directory (default: target)")
    parser.add_argument("--db", default=os.environ.get("CUSTOMER_HEALTH_DB") or "customer_health.duckdb",
                        help="DuckDB warehouse (default: $CUSTOMER_HEALTH_DB, else ./customer_health.duckdb)")
    parser.add_argument("--schema-prefix", default="main", help="reads <prefix>_marts (default: main)")
    args = parser.parse_args(argv)
    path = Path(args.target_path) / "run_results.json"
    if not path.exists():
        print(f"no {path}: dbt did not get as far as running nodes (see its output above)", file=sys.stderr)
        return 1
    lines = explain(json.loads(path.read_text(encoding="utf-8")), Path(args.db), args.schema_prefix)
    if lines:
        print("\n".join(lines), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
