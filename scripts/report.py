#!/usr/bin/env python3
"""Write a self-contained HTML health report from a built customer_health warehouse.

    python scripts/report.py [--db PATH] [--out target/health_report.html]
                             [--account ACCOUNT_ID] [--schema-prefix main]

The warehouse is opened read-only with the duckdb package. The report is one
HTML file with no external resources (no CDN, fonts or scripts): the data is
embedded as JSON in a <script type="application/json"> tag and a small inline
script draws SVG charts into <div class="chart" data-chart="NAME"> containers.
When every chart is drawn, the script sets document.body.dataset.rendered to
"true" (the headless-browser test waits for that).

Sections (data-chart names):
  tier-mix            share of accounts per tier per week (customer_health_history)
  score-distribution  histogram of the latest health_score, by tier (customer_health)
  churn-by-tier       churn rate per tier in the backtest (customer_health_backtest, overall)
  churn-by-decile     churn rate per score decile (int_backtest_evaluations, ntile(10))
  at-risk-table       the 15 lowest-scored red/yellow accounts with their latest alert
  families-table      the 15 lowest-scored account families (customer_health_account_families)
  account-history     one account's score over time, with the tier bands
  account-drivers     that account's latest per-signal contribution vs weight

Missing tables are tolerated: the section says so instead of failing.
The default --account is the riskiest red/yellow account among those with the
most scoring history.
"""
from __future__ import annotations

import argparse
import datetime as dt
import decimal
import html
import json
import os
import sys
from pathlib import Path

import duckdb

TIERS = ("green", "yellow", "red", "insufficient_data")
TIER_COLOURS = {
    "green": "#2e7d32",
    "yellow": "#f9a825",
    "red": "#c62828",
    "insufficient_data": "#9e9e9e",
}
AT_RISK_ROWS = 15
HISTOGRAM_BIN = 5  # score points per histogram bar


# --------------------------------------------------------------------------- data


class Warehouse:
    """Read-only access to the marts and intermediate schemas of one warehouse."""

    def __init__(self, db_path: Path, schema_prefix: str = "main") -> None:
        self.con = duckdb.connect(str(db_path), read_only=True)
        self.marts = f"{schema_prefix}_marts"
        self.intermediate = f"{schema_prefix}_intermediate"
        self._tables = {
            (schema, table)
            for schema, table in self.con.execute(
                "select table_schema, table_name from information_schema.tables"
            ).fetchall()
        }

    def close(self) -> None:
        self.con.close()

    def has(self, schema: str, table: str) -> bool:
        return (schema, table) in self._tables

    def columns(self, schema: str, table: str) -> set[str]:
        rows = self.con.execute(
            "select column_name from information_schema.columns "
            "where table_schema = ? and table_name = ?",
            [schema, table],
        ).fetchall()
        return {row[0] for row in rows}

    def rows(self, sql: str, params: list | None = None) -> list[dict]:
        cursor = self.con.execute(sql, params or [])
        names = [column[0] for column in cursor.description]
        return [
            {name: _jsonable(value) for name, value in zip(names, row)}
            for row in cursor.fetchall()
        ]

    def mart(self, table: str) -> str:
        return f'"{self.marts}"."{table}"'

    def inter(self, table: str) -> str:
        return f'"{self.intermediate}"."{table}"'


def _jsonable(value):
    if isinstance(value, decimal.Decimal):
        return float(value)
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, float) and value != value:  # NaN
        return None
    return value


def load_header(wh: Warehouse) -> dict:
    table = wh.mart("customer_health")
    summary = wh.rows(
        f"""
        select
            max(score_date) as as_of,
            count(*) as accounts,
            max(config_version) as config_version,
            count(distinct config_version) as config_versions
        from {table}
        """
    )[0]
    counts = wh.rows(
        f"select coalesce(health_tier, 'unknown') as tier, count(*) as n from {table} group by 1"
    )
    summary["tiers"] = {row["tier"]: row["n"] for row in counts}
    # the history keeps every configuration's scores; the charts show the current one's
    if wh.has(wh.marts, "customer_health_history"):
        summary["config_versions"] = wh.rows(
            f"select count(distinct config_version) as n from {wh.mart('customer_health_history')}"
        )[0]["n"]
    return summary


def load_sync_status(wh: Warehouse) -> dict | None:
    """Whether the CRM sync published today's scores or holds an earlier publication (and why)."""
    if not wh.has(wh.marts, "crm_account_health_sync_checks"):
        return None
    failed = [row["check_name"] for row in wh.rows(
        f"select check_name from {wh.mart('crm_account_health_sync_checks')} where not passed order by check_name"
    )]
    published_for = None
    if wh.has(wh.marts, "crm_account_health_sync"):
        published_for = wh.rows(
            f"select max(cast(health_updated_at__c as date)) as day from {wh.mart('crm_account_health_sync')}"
        )[0]["day"]
    return {"failed_checks": failed, "published_for": published_for}


def load_thresholds(wh: Warehouse) -> dict:
    """The tier thresholds the scores were tiered with (columns of customer_health; the defaults before they existed)."""
    if {"tier_red_below", "tier_green_above"} <= wh.columns(wh.marts, "customer_health"):
        row = wh.rows(
            f"select max(tier_red_below) as red_below, max(tier_green_above) as green_above "
            f"from {wh.mart('customer_health')}"
        )[0]
        if row["red_below"] is not None:
            return {"red_below": float(row["red_below"]), "green_above": float(row["green_above"])}
    return {"red_below": 50.0, "green_above": 75.0}


def load_tier_mix(wh: Warehouse, config_version: str | None) -> list[dict]:
    """Share of accounts per tier on the last scored day of each week, under the current configuration."""
    if not wh.has(wh.marts, "customer_health_history"):
        return []
    table = wh.mart("customer_health_history")
    rows = wh.rows(
        f"""
        with current_scores as (
            select * from {table} where config_version = ?
        ),

        week_ends as (
            select max(score_date) as score_date
            from current_scores
            group by date_trunc('week', score_date)
        ),

        tier_counts as (
            select
                history.score_date,
                coalesce(history.health_tier, 'insufficient_data') as health_tier,
                count(*) as accounts
            from current_scores as history
            inner join week_ends on history.score_date = week_ends.score_date
            group by 1, 2
        )

        select
            score_date,
            health_tier,
            accounts,
            accounts / sum(accounts) over (partition by score_date) as share
        from tier_counts
        order by score_date, health_tier
        """,
        [config_version],
    )
    weeks: dict[str, dict] = {}
    for row in rows:
        week = weeks.setdefault(
            row["score_date"], {"date": row["score_date"], "total": 0, **{t: 0.0 for t in TIERS}}
        )
        week[row["health_tier"]] = row["share"]
        week["total"] += row["accounts"]
    return list(weeks.values())


def load_score_distribution(wh: Warehouse) -> list[dict]:
    table = wh.mart("customer_health")
    rows = wh.rows(
        f"""
        select
            least(floor(health_score / {HISTOGRAM_BIN}) * {HISTOGRAM_BIN}, {100 - HISTOGRAM_BIN}) as bin_start,
            coalesce(health_tier, 'insufficient_data') as health_tier,
            count(*) as accounts
        from {table}
        where health_score is not null
        group by 1, 2
        order by 1, 2
        """
    )
    bins = {
        start: {"start": start, "end": start + HISTOGRAM_BIN, **{t: 0 for t in TIERS}}
        for start in range(0, 100, HISTOGRAM_BIN)
    }
    for row in rows:
        bins[int(row["bin_start"])][row["health_tier"]] = row["accounts"]
    return list(bins.values())


def load_backtest_overall(wh: Warehouse) -> dict | None:
    if not wh.has(wh.marts, "customer_health_backtest"):
        return None
    rows = wh.rows(
        f"""
        select *
        from {wh.mart("customer_health_backtest")}
        where scope_type = 'overall' or scope = 'overall'
        order by evaluations desc
        limit 1
        """
    )
    return rows[0] if rows else None


def load_churn_by_decile(wh: Warehouse, backtest: dict | None) -> list[dict]:
    if not wh.has(wh.intermediate, "int_backtest_evaluations"):
        return []
    columns = wh.columns(wh.intermediate, "int_backtest_evaluations")
    filters, params = ["health_score is not null", "is_churned is not null"], []
    # Same population and horizon as the overall backtest row, when both say.
    for column in ("population", "horizon_days"):
        if backtest and column in columns and backtest.get(column) is not None:
            filters.append(f"{column} = ?")
            params.append(backtest[column])
    return wh.rows(
        f"""
        with deciles as (
            select
                ntile(10) over (order by health_score, account_id, snapshot_date) as decile,
                health_score,
                case when is_churned then 1 else 0 end as churned
            from {wh.inter("int_backtest_evaluations")}
            where {" and ".join(filters)}
        )

        select
            decile,
            count(*) as evaluations,
            sum(churned) as churners,
            avg(churned) as churn_rate,
            min(health_score) as min_score,
            max(health_score) as max_score
        from deciles
        group by decile
        order by decile
        """,
        params,
    )


def load_at_risk(wh: Warehouse) -> list[dict]:
    has_alerts = wh.has(wh.marts, "customer_health_alerts")
    alert_join = ""
    alert_columns = "null as alert_action, null as alert_date, null as alert_priority"
    if has_alerts:
        alert_columns = (
            "latest_alerts.action as alert_action, latest_alerts.alert_date as alert_date, "
            "latest_alerts.priority as alert_priority"
        )
        alert_join = f"""
        left join (
            select account_id, action, alert_date, priority
            from {wh.mart("customer_health_alerts")}
            qualify row_number() over (
                partition by account_id order by alert_date desc, priority, alert_id
            ) = 1
        ) as latest_alerts on health.account_id = latest_alerts.account_id
        """
    return wh.rows(
        f"""
        select
            health.account_id,
            health.account_name,
            health.segment,
            health.health_score,
            health.health_tier,
            health.trend,
            health.score_change_30d,
            health.top_risk_driver,
            health.renewal_date,
            health.arr,
            health.csm_owner_name,
            {alert_columns}
        from {wh.mart("customer_health")} as health
        {alert_join}
        where health.health_tier in ('red', 'yellow')
        order by health.health_score asc, health.account_id
        limit {AT_RISK_ROWS}
        """
    )


def load_families(wh: Warehouse) -> list[dict]:
    """Parent accounts rolled up with their subsidiaries, lowest family score first (none: not built)."""
    if not wh.has(wh.marts, "customer_health_account_families"):
        return []
    return wh.rows(
        f"""
        select
            families.family_account_id,
            families.family_account_name,
            families.family_health_score,
            families.family_health_tier,
            families.coverage_pct,
            families.trend,
            families.score_change_30d,
            families.member_accounts,
            families.crm_accounts_in_family,
            families.worst_tier,
            coalesce(lowest.account_name, families.lowest_scoring_account_id) as lowest_scoring_account,
            families.lowest_health_score,
            families.family_arr,
            families.red_arr,
            families.next_renewal_date
        from {wh.mart("customer_health_account_families")} as families
        left join {wh.mart("customer_health")} as lowest
            on families.lowest_scoring_account_id = lowest.account_id
        order by families.family_health_score asc nulls last, families.family_account_id
        limit {AT_RISK_ROWS}
        """
    )


def pick_account(wh: Warehouse) -> str | None:
    """The riskiest red/yellow account among those with the most history."""
    history_join = ""
    order_terms = ["case when health.health_tier in ('red', 'yellow') then 0 else 1 end"]
    if wh.has(wh.marts, "customer_health_history"):
        history_join = f"""
        left join (
            select account_id, count(*) as days
            from {wh.mart("customer_health_history")}
            group by account_id
        ) as history on health.account_id = history.account_id
        """
        order_terms.append("coalesce(history.days, 0) desc")
    order_terms += ["health.health_score asc", "health.account_id"]
    rows = wh.rows(
        f"""
        select health.account_id
        from {wh.mart("customer_health")} as health
        {history_join}
        where health.health_score is not null
        order by {", ".join(order_terms)}
        limit 1
        """
    )
    return rows[0]["account_id"] if rows else None


def load_account(wh: Warehouse, account_id: str, config_version: str | None) -> dict:
    info = wh.rows(
        f"""
        select account_id, account_name, segment, scorecard, health_score, health_tier,
               trend, top_risk_driver, top_strength_driver, renewal_date, arr, csm_owner_name
        from {wh.mart("customer_health")}
        where account_id = ?
        """,
        [account_id],
    )
    if not info:
        print(f"warning: account {account_id} is not in {wh.marts}.customer_health", file=sys.stderr)
    account = info[0] if info else {"account_id": account_id, "account_name": None}
    account["history"] = []
    if wh.has(wh.marts, "customer_health_history"):
        account["history"] = wh.rows(
            f"""
            select score_date as date, health_score as score, health_tier as tier
            from {wh.mart("customer_health_history")}
            where account_id = ? and config_version = ?
            order by score_date
            """,
            [account_id, config_version],
        )
    account["drivers"] = []
    account["drivers_date"] = None
    if wh.has(wh.marts, "customer_health_drivers"):
        table = wh.mart("customer_health_drivers")
        account["drivers"] = wh.rows(
            f"""
            select signal_name, signal_group, signal_status, raw_value, normalized_value,
                   weight, renormalized_weight, contribution, points_lost, delta_30d, score_date
            from {table}
            where account_id = ?
              and score_date = (select max(score_date) from {table} where account_id = ?)
            order by renormalized_weight desc nulls last, weight desc, signal_name
            """,
            [account_id, account_id],
        )
        if account["drivers"]:
            account["drivers_date"] = account["drivers"][0]["score_date"]
    return account


def collect(db_path: Path, schema_prefix: str, account_id: str | None) -> dict:
    wh = Warehouse(db_path, schema_prefix)
    try:
        if not wh.has(wh.marts, "customer_health"):
            raise SystemExit(
                f"error: {wh.marts}.customer_health not found in {db_path} "
                "(build the project with `dbt build`, or check --schema-prefix)"
            )
        backtest = load_backtest_overall(wh)
        chosen = account_id or pick_account(wh)
        header = load_header(wh)       # its config_version is the current one: the charts read its history
        return {
            "generated_at": dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
            "warehouse": str(db_path),
            "tier_colours": TIER_COLOURS,
            "thresholds": load_thresholds(wh),
            "header": header,
            "tier_mix": load_tier_mix(wh, header["config_version"]),
            "score_distribution": load_score_distribution(wh),
            "backtest": backtest,
            "churn_by_decile": load_churn_by_decile(wh, backtest),
            "at_risk": load_at_risk(wh),
            "has_alerts": wh.has(wh.marts, "customer_health_alerts"),
            "families": load_families(wh),
            "has_families": wh.has(wh.marts, "customer_health_account_families"),
            "account": load_account(wh, chosen, header["config_version"]) if chosen else None,
            "sync": load_sync_status(wh),
        }
    finally:
        wh.close()


# --------------------------------------------------------------------------- html

CSS = """
:root { --green: #2e7d32; --yellow: #f9a825; --red: #c62828; --grey: #9e9e9e;
        --ink: #212121; --muted: #616161; --rule: #e0e0e0; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, Helvetica, Arial, sans-serif;
       color: var(--ink); background: #fafafa; }
header { padding: 20px 32px 12px; background: #fff; border-bottom: 1px solid var(--rule); }
header h1 { margin: 0 0 6px; font-size: 22px; }
.meta { color: var(--muted); }
.notice { margin-top: 10px; padding: 8px 12px; border-left: 4px solid var(--red); background: #fdecea; }
.kpis { display: flex; flex-wrap: wrap; gap: 10px; margin-top: 12px; }
.kpi { padding: 8px 14px; border: 1px solid var(--rule); border-radius: 6px; background: #fff; min-width: 110px; }
.kpi b { display: block; font-size: 20px; }
.kpi.green { border-left: 5px solid var(--green); } .kpi.yellow { border-left: 5px solid var(--yellow); }
.kpi.red { border-left: 5px solid var(--red); } .kpi.insufficient_data { border-left: 5px solid var(--grey); }
main { padding: 16px 32px 40px; display: grid; grid-template-columns: repeat(2, minmax(0, 1fr)); gap: 18px; }
section { background: #fff; border: 1px solid var(--rule); border-radius: 8px; padding: 14px 18px; min-width: 0; }
section.wide { grid-column: 1 / -1; }
section h2 { margin: 0 0 2px; font-size: 16px; }
section p.note { margin: 0 0 8px; color: var(--muted); font-size: 13px; }
.chart svg { display: block; width: 100%; height: auto; }
.chart svg text { font: 11px system-ui, sans-serif; fill: #424242; }
.chart .empty { color: var(--muted); font-style: italic; padding: 20px 0; }
.legend { display: flex; gap: 14px; flex-wrap: wrap; font-size: 12px; color: var(--muted); margin: 4px 0 6px; }
.legend i { display: inline-block; width: 11px; height: 11px; border-radius: 2px; margin-right: 5px; vertical-align: -1px; }
table { border-collapse: collapse; width: 100%; font-size: 13px; }
th, td { text-align: left; padding: 5px 8px; border-bottom: 1px solid var(--rule); white-space: nowrap; }
th { color: var(--muted); font-weight: 600; background: #f5f5f5; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
td.wrap { white-space: normal; }
.pill { display: inline-block; padding: 1px 8px; border-radius: 10px; color: #fff; font-size: 12px; }
.pill.yellow { color: #212121; }
.stats { font-variant-numeric: tabular-nums; }
footer { padding: 0 32px 24px; color: var(--muted); font-size: 12px; }
@media (max-width: 900px) { main { grid-template-columns: 1fr; } }
"""

# Vanilla JS, no dependencies. Every chart function takes its container and the
# report data, appends one <svg> (or a <table>), and the last line flags the body.
JS = r"""
(function () {
  "use strict";
  var DATA = JSON.parse(document.getElementById("report-data").textContent);
  var C = DATA.tier_colours;
  var TIERS = ["green", "yellow", "red", "insufficient_data"];
  var NS = "http://www.w3.org/2000/svg";

  function el(name, attrs, parent, text) {
    var node = document.createElementNS(NS, name);
    for (var key in attrs) { if (attrs[key] !== null && attrs[key] !== undefined) node.setAttribute(key, attrs[key]); }
    if (text !== undefined) node.textContent = text;
    if (parent) parent.appendChild(node);
    return node;
  }
  function tip(node, text) { el("title", {}, node, text); return node; }
  function svg(container, w, h) {
    return el("svg", { viewBox: "0 0 " + w + " " + h, width: w, height: h,
                       preserveAspectRatio: "xMidYMid meet", role: "img" }, container);
  }
  function pct(x, digits) { return x === null || x === undefined ? "—" : (100 * x).toFixed(digits === undefined ? 0 : digits) + "%"; }
  function num(x, digits) { return x === null || x === undefined ? "—" : Number(x).toFixed(digits === undefined ? 1 : digits); }
  function label(t) { return t === "insufficient_data" ? "insufficient data" : t; }
  function empty(container, message) {
    var s = svg(container, 600, 60);
    el("text", { x: 10, y: 34 }, s, message);
    return s;
  }
  function yAxis(s, m, w, h, max, ticks, fmt) {
    for (var i = 0; i <= ticks; i++) {
      var v = max * i / ticks, y = m.t + h - h * i / ticks;
      el("line", { x1: m.l, x2: m.l + w, y1: y, y2: y, stroke: "#eeeeee" }, s);
      el("text", { x: m.l - 6, y: y + 4, "text-anchor": "end" }, s, fmt(v));
    }
  }
  function legend(container, tiers) {
    var div = document.createElement("div");
    div.className = "legend";
    tiers.forEach(function (t) {
      var span = document.createElement("span"), i = document.createElement("i");
      i.style.background = C[t]; span.appendChild(i); span.appendChild(document.createTextNode(label(t)));
      div.appendChild(span);
    });
    container.appendChild(div);
  }

  // Stacked area: share of accounts per tier, one point per week.
  function tierMix(container) {
    var rows = DATA.tier_mix;
    if (!rows.length) return empty(container, "No score history (customer_health_history missing or empty).");
    legend(container, TIERS);
    var W = 1200, H = 300, m = { l: 44, r: 16, t: 10, b: 34 }, w = W - m.l - m.r, h = H - m.t - m.b;
    var s = svg(container, W, H);
    var x = function (i) { return m.l + (rows.length === 1 ? w / 2 : w * i / (rows.length - 1)); };
    var y = function (v) { return m.t + h - h * v; };
    var base = rows.map(function () { return 0; });
    // Stack from the bottom: red, yellow, green, insufficient data on top.
    ["red", "yellow", "green", "insufficient_data"].forEach(function (t) {
      var top = rows.map(function (r, i) { return base[i] + (r[t] || 0); });
      var pts = rows.map(function (r, i) { return x(i) + "," + y(top[i]); });
      for (var i = rows.length - 1; i >= 0; i--) pts.push(x(i) + "," + y(base[i]));
      tip(el("polygon", { points: pts.join(" "), fill: C[t], "fill-opacity": 0.85, stroke: "#fff", "stroke-width": 0.5 }, s), label(t));
      base = top;
    });
    yAxis(s, m, w, h, 1, 4, function (v) { return pct(v); });
    var step = Math.max(1, Math.ceil(rows.length / 12));
    rows.forEach(function (r, i) {
      var last = i === rows.length - 1;
      if ((i % step === 0 && rows.length - 1 - i >= step) || last) {
        el("line", { x1: x(i), x2: x(i), y1: m.t + h, y2: m.t + h + 4, stroke: "#9e9e9e" }, s);
        el("text", { x: x(i), y: H - 12, "text-anchor": last ? "end" : "middle" }, s, r.date);
      }
      // Invisible hover strips carry the exact shares.
      tip(el("rect", { x: x(i) - w / rows.length / 2, y: m.t, width: w / rows.length, height: h, fill: "transparent" }, s),
          r.date + " (" + r.total + " accounts)\n" + TIERS.map(function (t) { return label(t) + ": " + pct(r[t], 1); }).join("\n"));
    });
    return s;
  }

  // Histogram of the latest score, bars stacked by tier.
  function scoreDistribution(container) {
    var bins = DATA.score_distribution;
    legend(container, TIERS);
    var W = 600, H = 280, m = { l: 40, r: 10, t: 10, b: 36 }, w = W - m.l - m.r, h = H - m.t - m.b;
    var s = svg(container, W, H);
    var totals = bins.map(function (b) { return TIERS.reduce(function (a, t) { return a + (b[t] || 0); }, 0); });
    var max = Math.max.apply(null, totals.concat([1]));
    var nice = Math.ceil(max / 5) * 5;
    yAxis(s, m, w, h, nice, 5, function (v) { return Math.round(v); });
    var bw = w / bins.length;
    bins.forEach(function (b, i) {
      var y0 = m.t + h;
      TIERS.forEach(function (t) {
        var n = b[t] || 0; if (!n) return;
        var bh = h * n / nice; y0 -= bh;
        tip(el("rect", { x: m.l + i * bw + 1, y: y0, width: bw - 2, height: bh, fill: C[t] }, s),
            "score " + b.start + "–" + b.end + ": " + n + " " + label(t));
      });
      if (b.start % 10 === 0) el("text", { x: m.l + i * bw, y: m.t + h + 14, "text-anchor": "middle" }, s, b.start);
    });
    el("text", { x: m.l + w, y: m.t + h + 14, "text-anchor": "middle" }, s, 100);
    el("text", { x: m.l + w / 2, y: H - 4, "text-anchor": "middle" }, s, "health score");
    return s;
  }

  function bars(container, items, opts) {
    opts = opts || {};
    var W = opts.width || 600, H = opts.height || 260, m = { l: 44, r: 10, t: 18, b: opts.xTitle ? 50 : 40 }, w = W - m.l - m.r, h = H - m.t - m.b;
    var s = svg(container, W, H);
    var max = Math.max.apply(null, items.map(function (d) { return d.value || 0; }).concat([0.05]));
    var nice = Math.min(1, Math.ceil(max * 10 + 0.5) / 10);
    yAxis(s, m, w, h, nice, 4, function (v) { return pct(v); });
    var bw = w / items.length;
    items.forEach(function (d, i) {
      var cx = m.l + i * bw + bw / 2, bh = d.value === null ? 0 : h * d.value / nice;
      var wide = Math.min(bw * 0.7, 90);
      tip(el("rect", { x: cx - wide / 2, y: m.t + h - bh, width: wide, height: bh, fill: d.colour }, s), d.tip);
      el("text", { x: cx, y: m.t + h - bh - 4, "text-anchor": "middle", "font-weight": 600 }, s,
         d.value === null ? "n/a" : pct(d.value, 1));
      el("text", { x: cx, y: m.t + h + 14, "text-anchor": "middle" }, s, d.label);
      if (d.sub) el("text", { x: cx, y: m.t + h + 27, "text-anchor": "middle", fill: "#757575" }, s, d.sub);
    });
    if (opts.xTitle) el("text", { x: m.l + w / 2, y: H - 2, "text-anchor": "middle" }, s, opts.xTitle);
    return s;
  }

  function churnByTier(container) {
    var b = DATA.backtest;
    if (!b) return empty(container, "No backtest (customer_health_backtest missing or without an overall row).");
    var items = TIERS.filter(function (t) { return (b["evaluations_" + t] || 0) > 0 || t !== "insufficient_data"; })
      .map(function (t) {
        var n = b["evaluations_" + t], r = b["churn_rate_" + t];
        return { label: label(t), value: r === undefined ? null : r, colour: C[t],
                 sub: (n === null || n === undefined ? 0 : n) + " evaluations",
                 tip: label(t) + ": churn " + pct(r, 1) + " of " + n + " evaluations" };
      });
    return bars(container, items);
  }

  function churnByDecile(container) {
    var rows = DATA.churn_by_decile;
    if (!rows.length) return empty(container, "No backtest evaluations (int_backtest_evaluations missing or empty).");
    var th = DATA.thresholds;
    var items = rows.map(function (r) {
      var mid = (r.min_score + r.max_score) / 2;
      var tier = mid < th.red_below ? "red" : (mid >= th.green_above ? "green" : "yellow");
      return { label: "D" + r.decile, value: r.churn_rate, colour: C[tier],
               sub: num(r.min_score, 0) + "–" + num(r.max_score, 0),
               tip: "decile " + r.decile + " (score " + num(r.min_score) + "–" + num(r.max_score) + "): " +
                    r.churners + " of " + r.evaluations + " churned" };
    });
    return bars(container, items, { width: 1200, height: 260, xTitle: "score decile (D1 = lowest scores), score range below" });
  }

  // A table of rows: cols are [heading, key, kind, cell class]; kind "num" (one decimal), "money", "tier"
  // (a pill), or a function(row) that returns the cell's text; number cells get the class "num".
  function dataTable(container, rows, cols, emptyText) {
    var table = document.createElement("table");
    var thead = table.createTHead().insertRow();
    cols.forEach(function (c) {
      var th = document.createElement("th"); th.textContent = c[0];
      if (c[2] === "num" || c[2] === "money") th.className = "num";
      thead.appendChild(th);
    });
    var body = table.createTBody();
    if (!rows.length) {
      var cell = body.insertRow().insertCell(); cell.colSpan = cols.length; cell.textContent = emptyText;
    }
    rows.forEach(function (r) {
      var tr = body.insertRow();
      cols.forEach(function (c) {
        var td = tr.insertCell(), v = r[c[1]], kind = c[2];
        if (kind === "tier") {
          var pill = document.createElement("span"); pill.className = "pill " + v; pill.style.background = C[v] || C.insufficient_data;
          pill.textContent = label(v); td.appendChild(pill); return;
        }
        if (c[3]) td.className = c[3];
        else if (kind === "num" || kind === "money") td.className = "num";
        if (typeof kind === "function") v = kind(r);
        else if (kind === "num") v = num(v, 1);
        else if (kind === "money") v = v === null ? "—" : "$" + Math.round(v).toLocaleString("en-US");
        td.textContent = v === null || v === undefined || v === "" ? "—" : v;
      });
    });
    container.appendChild(table);
    return table;
  }

  var ARROWS = { up: "▲ up", down: "▼ down", flat: "▶ flat" };
  function trendText(trend, change) {
    return trend ? (ARROWS[trend] || trend) + (change !== null ? " (" + (change > 0 ? "+" : "") + num(change) + ")" : "") : null;
  }

  function atRiskTable(container) {
    return dataTable(container, DATA.at_risk, [
      ["Account", "account_name", function (r) { return r.account_name || r.account_id; }],
      ["Segment", "segment"], ["Score", "health_score", "num"], ["Tier", "health_tier", "tier"],
      ["Trend", "trend", function (r) { return trendText(r.trend, r.score_change_30d); }],
      ["Top risk driver", "top_risk_driver"], ["Renewal", "renewal_date"], ["ARR", "arr", "money"],
      ["CSM owner", "csm_owner_name"],
      ["Latest alert action", "alert_action", function (r) {
        return r.alert_action ? r.alert_action + " (" + r.alert_date + (r.alert_priority ? ", " + r.alert_priority : "") + ")" : null;
      }, "wrap"]
    ], "No red or yellow accounts.");
  }

  function familiesTable(container) {
    return dataTable(container, DATA.families, [
      ["Parent account", "family_account_name", function (r) { return r.family_account_name || r.family_account_id; }, "wrap"],
      ["Family score", "family_health_score", "num"], ["Family tier", "family_health_tier", "tier"],
      ["Trend", "trend", function (r) { return trendText(r.trend, r.score_change_30d); }],
      ["Scored %", "coverage_pct", "num"],
      ["Active / in the CRM", "member_accounts", function (r) { return r.member_accounts + " / " + r.crm_accounts_in_family; }],
      ["Worst tier", "worst_tier", "tier"],
      ["Lowest-scored account", "lowest_scoring_account", function (r) {
        return r.lowest_scoring_account ? r.lowest_scoring_account + " (" + num(r.lowest_health_score) + ")" : null;
      }, "wrap"],
      ["Family ARR", "family_arr", "money"], ["ARR in red", "red_arr", "money"], ["Next renewal", "next_renewal_date"]
    ], DATA.has_families ? "No parent account has a scored subsidiary." : "The account families table is not in this warehouse.");
  }

  // Score over time with the tier bands behind it.
  function accountHistory(container) {
    var a = DATA.account;
    if (!a || !a.history.length) return empty(container, "No history for this account.");
    var rows = a.history.filter(function (r) { return r.score !== null; });
    var th = DATA.thresholds;
    var W = 1200, H = 300, m = { l: 40, r: 16, t: 10, b: 30 }, w = W - m.l - m.r, h = H - m.t - m.b;
    var s = svg(container, W, H);
    var t0 = Date.parse(a.history[0].date), t1 = Date.parse(a.history[a.history.length - 1].date);
    var x = function (d) { return m.l + (t1 === t0 ? w / 2 : w * (Date.parse(d) - t0) / (t1 - t0)); };
    var y = function (v) { return m.t + h - h * v / 100; };
    [["red", 0, th.red_below], ["yellow", th.red_below, th.green_above], ["green", th.green_above, 100]].forEach(function (band) {
      tip(el("rect", { x: m.l, y: y(band[2]), width: w, height: y(band[1]) - y(band[2]), fill: C[band[0]], "fill-opacity": 0.1 }, s),
          band[0] + " band " + band[1] + "–" + band[2]);
    });
    [th.red_below, th.green_above].forEach(function (v) {
      el("line", { x1: m.l, x2: m.l + w, y1: y(v), y2: y(v), stroke: "#9e9e9e", "stroke-dasharray": "4 3" }, s);
    });
    [0, 25, 50, 75, 100].forEach(function (v) { el("text", { x: m.l - 6, y: y(v) + 4, "text-anchor": "end" }, s, v); });
    // Insufficient-data days (no score) as grey ticks on the axis.
    a.history.forEach(function (r) {
      if (r.score === null) el("line", { x1: x(r.date), x2: x(r.date), y1: m.t + h - 6, y2: m.t + h, stroke: C.insufficient_data }, s);
    });
    // Line segments coloured by the tier on that day; a gap where the score is missing.
    for (var i = 1; i < a.history.length; i++) {
      var p = a.history[i - 1], q = a.history[i];
      if (p.score === null || q.score === null) continue;
      el("line", { x1: x(p.date), y1: y(p.score), x2: x(q.date), y2: y(q.score), stroke: C[q.tier] || "#424242",
                   "stroke-width": 2.2, "stroke-linecap": "round" }, s);
    }
    var step = Math.max(1, Math.floor(rows.length / 60));
    rows.forEach(function (r, i) {
      if (i % step === 0 || i === rows.length - 1)
        tip(el("circle", { cx: x(r.date), cy: y(r.score), r: 6, fill: "transparent" }, s), r.date + ": " + num(r.score) + " (" + label(r.tier) + ")");
    });
    var last = rows[rows.length - 1];
    if (last) {
      el("circle", { cx: x(last.date), cy: y(last.score), r: 4, fill: C[last.tier] || "#424242", stroke: "#fff" }, s);
      el("text", { x: x(last.date) - 6, y: y(last.score) - 8, "text-anchor": "end", "font-weight": 600 }, s, num(last.score));
    }
    var months = {}, prev = null;
    a.history.forEach(function (r) {
      var key = r.date.slice(0, 7);
      if (key !== prev && !months[key]) { months[key] = true; prev = key;
        var first = key + "-01"; if (Date.parse(first) < t0) return;
        el("line", { x1: x(first), x2: x(first), y1: m.t + h, y2: m.t + h + 4, stroke: "#9e9e9e" }, s);
        el("text", { x: x(first), y: H - 10, "text-anchor": "middle" }, s, key);
      }
    });
    return s;
  }

  // Per-signal bars: full length = the weight the signal carried (renormalized),
  // solid part = points contributed, hatched/pale part = points lost.
  function accountDrivers(container) {
    var a = DATA.account;
    var rows = a ? a.drivers : [];
    if (!rows.length) return empty(container, "No driver breakdown for this account.");
    var div = document.createElement("div"); div.className = "legend";
    div.innerHTML = '<span><i style="background:#1565c0"></i>points contributed</span>' +
                    '<span><i style="background:#ef9a9a"></i>points lost</span>' +
                    '<span><i style="background:#fff;border:1px dashed #757575"></i>configured weight</span>' +
                    '<span><i style="background:#eeeeee"></i>signal not observed (weight renormalized away)</span>';
    container.appendChild(div);
    var rowH = 26, W = 1200, m = { l: 300, r: 250, t: 8, b: 30 };
    var H = m.t + m.b + rowH * rows.length, w = W - m.l - m.r;
    var s = svg(container, W, H);
    var max = Math.max.apply(null, rows.map(function (r) { return Math.max(r.renormalized_weight || 0, r.weight || 0); }).concat([1]));
    var x = function (v) { return m.l + w * v / max; };
    for (var g = 0; g <= max; g += 5) {
      el("line", { x1: x(g), x2: x(g), y1: m.t, y2: H - m.b, stroke: "#eeeeee" }, s);
      el("text", { x: x(g), y: H - m.b + 14, "text-anchor": "middle" }, s, g);
    }
    el("text", { x: m.l + w / 2, y: H - 2, "text-anchor": "middle" }, s, "score points");
    rows.forEach(function (r, i) {
      var y0 = m.t + i * rowH + 4, bh = rowH - 8;
      var observed = (r.renormalized_weight || 0) > 0;
      var name = el("text", { x: m.l - 8, y: y0 + bh / 2 + 4, "text-anchor": "end" }, s, r.signal_name);
      el("tspan", { fill: "#9e9e9e" }, name, " · " + r.signal_group);
      var text = r.signal_name + " (" + r.signal_status + ")\nraw " + num(r.raw_value, 2) + ", normalized " + num(r.normalized_value) +
                 "\nweight " + num(r.weight) + " → " + num(r.renormalized_weight) + " after renormalization" +
                 "\ncontribution " + num(r.contribution, 2) + ", points lost " + num(r.points_lost, 2);
      if (!observed) {
        tip(el("rect", { x: m.l, y: y0, width: x(r.weight || 0) - m.l, height: bh, fill: "#eeeeee" }, s), text);
      } else {
        tip(el("rect", { x: m.l, y: y0, width: x(r.contribution || 0) - m.l, height: bh, fill: "#1565c0" }, s), text);
        tip(el("rect", { x: x(r.contribution || 0), y: y0, width: x(r.points_lost || 0) - m.l, height: bh, fill: "#ef9a9a" }, s), text);
      }
      el("rect", { x: m.l, y: y0 - 2, width: x(r.weight || 0) - m.l, height: bh + 4, fill: "none", stroke: "#757575", "stroke-dasharray": "3 2" }, s);
      el("text", { x: x(max) + 8, y: y0 + bh / 2 + 4 }, s,
         observed ? num(r.contribution) + " of " + num(r.renormalized_weight) + " pts (lost " + num(r.points_lost) + ")"
                  : (r.weight > 0 ? r.signal_status + " — weight renormalized away" : "weight 0 in this scorecard"));
    });
    return s;
  }

  var CHARTS = {
    "tier-mix": tierMix, "score-distribution": scoreDistribution, "churn-by-tier": churnByTier,
    "churn-by-decile": churnByDecile, "at-risk-table": atRiskTable, "families-table": familiesTable,
    "account-history": accountHistory, "account-drivers": accountDrivers
  };
  var nodes = document.querySelectorAll(".chart[data-chart]");
  for (var i = 0; i < nodes.length; i++) {
    var node = nodes[i], draw = CHARTS[node.dataset.chart];
    try {
      if (draw) { draw(node); node.dataset.rendered = "true"; }
    } catch (err) {
      node.dataset.rendered = "error";
      var p = document.createElement("p"); p.className = "empty"; p.textContent = "Chart failed: " + err; node.appendChild(p);
      if (window.console) console.error(err);
    }
  }
  document.body.dataset.rendered = "true";
})();
"""


def _fmt(value, pattern: str = "{:.2f}") -> str:
    return "—" if value is None else pattern.format(value)


def render_html(data: dict) -> str:
    header = data["header"]
    tiers = header["tiers"]
    total = header["accounts"] or 0
    esc = html.escape

    kpis = [f'<div class="kpi"><b>{total}</b>active accounts</div>']
    for tier in [*TIERS, *sorted(set(tiers) - set(TIERS))]:
        n = tiers.get(tier, 0)
        share = f"{100 * n / total:.0f}%" if total else "—"
        kpis.append(
            f'<div class="kpi {esc(tier)}"><b>{n}</b>{esc(tier.replace("_", " "))} · {share}</div>'
        )

    backtest = data["backtest"]
    if backtest:
        backtest_note = (
            f'<span class="stats">AUC <b>{_fmt(backtest.get("auc"))}</b> · '
            f'balanced accuracy <b>{_fmt(backtest.get("balanced_accuracy"))}</b> · '
            f'top-decile lift <b>{_fmt(backtest.get("top_decile_lift"), "{:.1f}×")}</b> · '
            f'{backtest.get("evaluations")} evaluations of {backtest.get("accounts")} accounts, '
            f'population {esc(str(backtest.get("population")))}, '
            f'{backtest.get("horizon_days")}-day horizon</span>'
        )
    else:
        backtest_note = "No backtest table in this warehouse."

    account = data["account"] or {}
    account_title = esc(account.get("account_name") or account.get("account_id") or "no account")
    account_bits = []
    if account.get("health_score") is not None:
        account_bits.append(
            f'score {account["health_score"]:.1f} ({esc(str(account.get("health_tier")).replace("_", " "))}), '
            f'trend {esc(str(account.get("trend") or "—"))}'
        )
    for key, name in (("segment", "segment"), ("renewal_date", "renewal"), ("csm_owner_name", "CSM")):
        if account.get(key):
            account_bits.append(f"{name} {esc(str(account[key]))}")
    if account.get("account_id"):
        account_bits.append(f'id {esc(account["account_id"])}')
    drivers_note = (
        f'Signals scored on {esc(account["drivers_date"])}. ' if account.get("drivers_date") else ""
    )
    versions_note = (
        f' (the history holds {header["config_versions"]} config versions; the charts show this one\'s scores)'
        if (header.get("config_versions") or 0) > 1 else ""
    )
    sync = data.get("sync")
    sync_notice = ""
    if sync and sync["failed_checks"]:
        kept = (f'keeps the publication for {esc(str(sync["published_for"]))}' if sync["published_for"]
                else "has published nothing yet")
        sync_notice = (
            f'<div class="notice" id="sync-held"><b>CRM sync held:</b> checks failed: '
            f'{esc(", ".join(sync["failed_checks"]))}. The CRM {kept}; '
            f'see crm_account_health_sync_checks.</div>'
        )
    alerts_note = "" if data["has_alerts"] else " The alerts table is not in this warehouse, so the alert column shows —."

    # "<" is escaped so the JSON cannot close the script tag early.
    payload = json.dumps(data, separators=(",", ":"), allow_nan=False).replace("<", "\\u003c")

    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Customer health report · {esc(str(header.get("as_of")))}</title>
<style>{CSS}</style>
</head>
<body>
<header>
  <h1>Customer health report</h1>
  <div class="meta">As of <b>{esc(str(header.get("as_of")))}</b> · config_version
    <code>{esc(str(header.get("config_version")))}</code>{versions_note} · generated {esc(data["generated_at"])}</div>
  <div class="kpis">{"".join(kpis)}</div>
  {sync_notice}
</header>
<noscript><p style="padding:0 32px">The charts need JavaScript (inline, no network access).</p></noscript>
<main>
  <section class="wide">
    <h2>Tier mix over time</h2>
    <p class="note">Share of scored accounts in each tier on the last scored day of each week.</p>
    <div class="chart" data-chart="tier-mix"></div>
  </section>
  <section>
    <h2>Score distribution today</h2>
    <p class="note">Latest health score of each active account, {HISTOGRAM_BIN}-point bins, coloured by tier.</p>
    <div class="chart" data-chart="score-distribution"></div>
  </section>
  <section>
    <h2>Churn rate by tier (backtest)</h2>
    <p class="note">{backtest_note}</p>
    <div class="chart" data-chart="churn-by-tier"></div>
  </section>
  <section class="wide">
    <h2>Churn rate by score decile (backtest)</h2>
    <p class="note">Backtest evaluations split into ten equal groups by score at the snapshot; a good score churns most in the low deciles.</p>
    <div class="chart" data-chart="churn-by-decile"></div>
  </section>
  <section class="wide">
    <h2>Accounts at risk</h2>
    <p class="note">The {AT_RISK_ROWS} lowest-scored red and yellow accounts, with their latest playbook alert.{alerts_note}</p>
    <div class="chart" data-chart="at-risk-table"></div>
  </section>
  <section class="wide">
    <h2>Account families</h2>
    <p class="note">Parent accounts with their subsidiaries, the lowest family score first (at most {AT_RISK_ROWS}). The family score weighs each scored account's score by its ARR; accounts with insufficient data add nothing to it, and scored % says how much of the family's ARR (of its accounts, for a family without ARR) was scored.</p>
    <div class="chart" data-chart="families-table"></div>
  </section>
  <section class="wide">
    <h2>Account: {account_title}</h2>
    <p class="note">{" · ".join(account_bits) + ". " if account_bits else ""}Daily score with the tier bands (red below {data["thresholds"]["red_below"]:g}, green above {data["thresholds"]["green_above"]:g}).</p>
    <div class="chart" data-chart="account-history"></div>
  </section>
  <section class="wide">
    <h2>What drives {account_title}'s score</h2>
    <p class="note">{drivers_note}Each bar is a signal's weight after renormalization over the observed signals: the blue part is the points it earns, the pink part the points it loses; the dashed box is the configured weight.</p>
    <div class="chart" data-chart="account-drivers"></div>
  </section>
</main>
<footer>Warehouse: {esc(data["warehouse"])}. Self-contained file: no network access needed.</footer>
<script type="application/json" id="report-data">{payload}</script>
<script>{JS}</script>
</body>
</html>
"""


# --------------------------------------------------------------------------- cli


def default_db() -> str:
    return os.environ.get("CUSTOMER_HEALTH_DB") or "customer_health.duckdb"


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", default=default_db(),
                        help="DuckDB warehouse (default: $CUSTOMER_HEALTH_DB, else ./customer_health.duckdb)")
    parser.add_argument("--out", default="target/health_report.html", help="HTML file to write")
    parser.add_argument("--account", help="account_id for the account sections "
                        "(default: the riskiest red/yellow account with the most history)")
    parser.add_argument("--schema-prefix", default="main",
                        help="schema prefix: reads <prefix>_marts and <prefix>_intermediate (default: main)")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    db_path = Path(args.db)
    if not db_path.exists():
        print(f"error: warehouse not found: {db_path}", file=sys.stderr)
        return 1
    data = collect(db_path, args.schema_prefix, args.account)
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(render_html(data), encoding="utf-8")
    print(out.resolve())
    return 0


if __name__ == "__main__":
    sys.exit(main())
