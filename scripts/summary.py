#!/usr/bin/env python3
"""Print a compact terminal summary of a built customer_health warehouse.

    python scripts/summary.py [--db PATH] [--report target/health_report.html]

Shows the tier counts with their shares, the backtest's overall AUC and
balanced accuracy (when the backtest table exists), the account families,
whether the CRM sync published today's scores or holds (and why), the ten riskiest active
accounts (lowest health score) and, last, where the warehouse and the HTML
report are. Reads the warehouse read-only; needs only the duckdb package.
"""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

import duckdb

TIER_ORDER = ("green", "yellow", "red", "insufficient_data")
RISKIEST = 10


def _table_exists(con, schema: str, table: str) -> bool:
    return bool(
        con.execute(
            "select count(*) from information_schema.tables where table_schema = ? and table_name = ?",
            [schema, table],
        ).fetchone()[0]
    )


def _clip(text, width: int) -> str:
    text = "—" if text is None or text == "" else str(text)
    return text if len(text) <= width else text[: width - 1] + "…"


def build_summary(db_path: Path, report_path: Path, schema_prefix: str = "main") -> list[str]:
    marts = f"{schema_prefix}_marts"
    con = duckdb.connect(str(db_path), read_only=True)
    try:
        if not _table_exists(con, marts, "customer_health"):
            raise SystemExit(
                f"error: {marts}.customer_health not found in {db_path} (run `dbt build` first)"
            )
        health = f'"{marts}"."customer_health"'
        as_of, accounts, config_version = con.execute(
            f"select max(score_date), count(*), max(config_version) from {health}"
        ).fetchone()
        tier_counts = dict(
            con.execute(
                f"select coalesce(health_tier, 'unknown'), count(*) from {health} group by 1"
            ).fetchall()
        )
        backtest = None
        if _table_exists(con, marts, "customer_health_backtest"):
            backtest = con.execute(
                f"""
                select auc, balanced_accuracy, top_decile_lift, evaluations
                from "{marts}"."customer_health_backtest"
                where scope_type = 'overall' or scope = 'overall'
                order by evaluations desc
                limit 1
                """
            ).fetchone()
        families = None
        if _table_exists(con, marts, "customer_health_account_families"):
            families = con.execute(
                f"""
                select
                    count(*),
                    sum(case when family_health_tier = 'red' then 1 else 0 end),
                    sum(case when worst_tier = 'red' then 1 else 0 end),
                    sum(red_arr)
                from "{marts}"."customer_health_account_families"
                """
            ).fetchone()
        sync = None
        if _table_exists(con, marts, "crm_account_health_sync_checks") and _table_exists(
            con, marts, "crm_account_health_sync"
        ):
            failed = [row[0] for row in con.execute(
                f'select check_name from "{marts}"."crm_account_health_sync_checks" where not passed order by 1'
            ).fetchall()]
            rows, published_for = con.execute(
                f'select count(*), max(cast(health_updated_at__c as date)) from "{marts}"."crm_account_health_sync"'
            ).fetchone()
            sync = (failed, rows, published_for)
        riskiest = con.execute(
            f"""
            select account_name, account_id, segment, health_score, health_tier, top_risk_driver
            from {health}
            where health_score is not null
            order by health_score asc, account_id
            limit {RISKIEST}
            """
        ).fetchall()
    finally:
        con.close()

    lines = [f"Customer health · as of {as_of} · {accounts} active accounts · config {config_version}"]
    tiers = [*TIER_ORDER, *sorted(set(tier_counts) - set(TIER_ORDER))]
    for tier in tiers:
        n = tier_counts.get(tier, 0)
        share = 100 * n / accounts if accounts else 0.0
        bar = "█" * round(share / 5)
        lines.append(f"  {tier:<17} {n:>6}  {share:5.1f}%  {bar}")

    if backtest is None:
        lines.append("Backtest: no customer_health_backtest table (or no overall row)")
    else:
        auc, balanced, lift, evaluations = backtest
        fmt = lambda x, p="{:.3f}": "—" if x is None else p.format(x)  # noqa: E731
        lines.append(
            f"Backtest (overall, {evaluations} evaluations): AUC {fmt(auc)} · "
            f"balanced accuracy {fmt(balanced)} · top-decile lift {fmt(lift, '{:.2f}x')}"
        )

    if families is not None and families[0]:
        count, red_families, with_red, red_arr = families
        lines.append(
            f"Account families (parents with subsidiaries): {count} · {red_families} red · "
            f"{with_red} with a red account (${float(red_arr or 0):,.0f} ARR in red accounts)"
        )

    if sync is not None:
        failed, rows, published_for = sync
        if not failed:
            lines.append(f"CRM sync: published, {rows} accounts, scores of {published_for}")
        elif rows:
            lines.append(f"CRM sync: HELD, checks failed: {', '.join(failed)}; the CRM keeps the "
                         f"publication of {published_for} ({rows} accounts)")
        else:
            lines.append(f"CRM sync: HELD, checks failed: {', '.join(failed)}; nothing published yet")

    lines.append(f"Riskiest {RISKIEST} active accounts:")
    lines.append(f"  {'#':>2}  {'account':<28} {'segment':<11} {'score':>6}  {'tier':<7} top risk driver")
    for rank, (name, account_id, segment, score, tier, driver) in enumerate(riskiest, start=1):
        lines.append(
            f"  {rank:>2}  {_clip(name or account_id, 28):<28} {_clip(segment, 11):<11} "
            f"{float(score):>6.1f}  {_clip(tier, 7):<7} {_clip(driver, 32)}"
        )

    report_state = "" if report_path.exists() else " (not written yet: python scripts/report.py)"
    lines.append(f"Warehouse: {db_path.resolve()} · report: {report_path.resolve()}{report_state}")
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--db",
        default=os.environ.get("CUSTOMER_HEALTH_DB") or "customer_health.duckdb",
        help="DuckDB warehouse (default: $CUSTOMER_HEALTH_DB, else ./customer_health.duckdb)",
    )
    parser.add_argument("--report", default="target/health_report.html",
                        help="HTML report path to mention (default: target/health_report.html)")
    parser.add_argument("--schema-prefix", default="main", help="reads <prefix>_marts (default: main)")
    args = parser.parse_args(argv)
    db_path = Path(args.db)
    if not db_path.exists():
        print(f"error: warehouse not found: {db_path}", file=sys.stderr)
        return 1
    print("\n".join(build_summary(db_path, Path(args.report), args.schema_prefix)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
