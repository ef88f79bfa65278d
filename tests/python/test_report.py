"""The HTML report is self-contained and renders offline in headless Chromium; the summary prints.

Chromium comes from scripts/chromium.py: found on PATH, or Debian's `chromium`
package installed with apt-get when running as root.
"""
from __future__ import annotations

import os
import re
import struct
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import duckdb
import pytest

from chromium import ChromiumUnavailable, ensure_chromium, headless_args
from conftest import PROJECT_DIR, DbtProject, copy_of
from report import collect, render_html

REPORT = PROJECT_DIR / "scripts" / "report.py"
SUMMARY = PROJECT_DIR / "scripts" / "summary.py"
SVG_CHARTS = (
    "tier-mix",
    "score-distribution",
    "churn-by-tier",
    "churn-by-decile",
    "account-history",
    "account-drivers",
)
TABLE_CHARTS = ("at-risk-table", "families-table")
CHROMIUM_TIMEOUT_S = 180

# A tag that pulls a resource from elsewhere: <script src>, <link href>, <img src>, ...
EXTERNAL_REFERENCE = re.compile(
    r"<(?:script|link|img|iframe|source|embed|object|audio|video)\b[^>]*\b(?:src|href|data)\s*=\s*[\"']?\s*(?:https?:)?//",
    re.IGNORECASE,
)
EXTERNAL_CSS = re.compile(r"(?:@import|url\()\s*[\"']?\s*(?:https?:)?//", re.IGNORECASE)


# --------------------------------------------------------------------------- helpers


def run_script(script: Path, *args: str) -> subprocess.CompletedProcess:
    result = subprocess.run(
        [sys.executable, str(script), *args],
        capture_output=True,
        text=True,
        cwd=PROJECT_DIR,
        timeout=300,
    )
    assert result.returncode == 0, f"{script.name} failed:\n{result.stdout}\n{result.stderr}"
    return result


def chromium() -> str:
    try:
        return ensure_chromium()
    except ChromiumUnavailable as error:
        pytest.fail(f"headless Chromium is needed for the report test: {error}")


def run_chromium(report: Path, work: Path, *args: str) -> subprocess.CompletedProcess:
    profile = work / "chromium-profile"
    profile.mkdir(exist_ok=True)
    command = [
        chromium(),
        *headless_args(profile),
        "--virtual-time-budget=5000",
        *args,
        report.resolve().as_uri(),
    ]
    result = subprocess.run(
        command, capture_output=True, text=True, timeout=CHROMIUM_TIMEOUT_S, cwd=work
    )
    assert result.returncode == 0, f"chromium failed ({result.returncode}):\n{result.stderr[-3000:]}"
    return result


class RenderedDom(HTMLParser):
    """Collects body attributes and, per chart container, its attributes and descendant tags."""

    def __init__(self) -> None:
        super().__init__()
        self.body: dict[str, str | None] = {}
        self.charts: dict[str, dict] = {}
        self._current: str | None = None
        self._div_depth = 0

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "body":
            self.body = attributes
        if self._current is not None:
            self.charts[self._current]["tags"].add(tag)
            if tag == "div":
                self._div_depth += 1
            return
        classes = (attributes.get("class") or "").split()
        if tag == "div" and "chart" in classes and attributes.get("data-chart"):
            self._current = attributes["data-chart"]
            self._div_depth = 1
            self.charts[self._current] = {"attrs": attributes, "tags": set()}

    def handle_endtag(self, tag):
        if self._current is not None and tag == "div":
            self._div_depth -= 1
            if self._div_depth == 0:
                self._current = None


def parse_dom(dom: str) -> RenderedDom:
    parser = RenderedDom()
    parser.feed(dom)
    parser.close()
    return parser


def png_size(path: Path) -> tuple[int, int]:
    header = path.read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG file"
    return struct.unpack(">II", header[16:24])


def assert_self_contained(html: str) -> None:
    assert not EXTERNAL_REFERENCE.findall(html), EXTERNAL_REFERENCE.findall(html)
    assert not EXTERNAL_CSS.findall(html), EXTERNAL_CSS.findall(html)
    assert not re.search(r"<script\b[^>]*\bsrc\s*=", html, re.IGNORECASE), "scripts must be inline"
    assert not re.search(r"<link\b[^>]*\bhref\s*=", html, re.IGNORECASE), "styles must be inline"
    assert '<script type="application/json" id="report-data">' in html


def assert_rendered(dom: str) -> RenderedDom:
    parsed = parse_dom(dom)
    assert parsed.body.get("data-rendered") == "true", f"body attributes: {parsed.body}"
    missing = set(SVG_CHARTS + TABLE_CHARTS) - set(parsed.charts)
    assert not missing, f"chart containers missing: {sorted(missing)}"
    for name in SVG_CHARTS:
        assert "svg" in parsed.charts[name]["tags"], f"{name} has no <svg>"
    for name in TABLE_CHARTS:
        assert "table" in parsed.charts[name]["tags"], f"{name} has no <table>"
    for name, chart in parsed.charts.items():
        assert chart["attrs"].get("data-rendered") == "true", f"{name} did not render"
    return parsed


# --------------------------------------------------------------------------- built world


@pytest.fixture(scope="module")
def report_file(dirty_world: DbtProject, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("report") / "health_report.html"
    result = run_script(REPORT, "--db", str(dirty_world.db_path), "--out", str(out))
    assert str(out.resolve()) in result.stdout
    return out


@pytest.mark.slow
def test_report_is_self_contained(report_file: Path):
    html = report_file.read_text(encoding="utf-8")
    assert_self_contained(html)
    for name in SVG_CHARTS + TABLE_CHARTS:
        assert f'data-chart="{name}"' in html


@pytest.mark.slow
def test_report_renders_every_chart_in_headless_chromium(report_file: Path, tmp_path):
    dom = run_chromium(report_file, tmp_path, "--dump-dom").stdout
    parsed = assert_rendered(dom)
    # The at-risk table lists red/yellow accounts, at most 15.
    assert "Accounts at risk" in dom
    assert parsed.charts["at-risk-table"]["tags"] >= {"tr", "td"}
    # The families table lists parent accounts rolled up with their subsidiaries.
    assert "Account families" in dom and "Active / in the CRM" in dom
    assert parsed.charts["families-table"]["tags"] >= {"tr", "td", "span"}


@pytest.mark.slow
def test_report_screenshot(report_file: Path, tmp_path):
    screenshot = tmp_path / "report.png"
    run_chromium(
        report_file, tmp_path, "--hide-scrollbars", f"--screenshot={screenshot}", "--window-size=1400,3000"
    )
    assert screenshot.exists(), "chromium wrote no screenshot"
    assert png_size(screenshot) == (1400, 3000)
    # A blank page of that size compresses to a few kilobytes; charts do not.
    assert screenshot.stat().st_size > 40_000, screenshot.stat().st_size


@pytest.mark.slow
def test_report_for_a_chosen_account(dirty_world: DbtProject, tmp_path):
    account_id, account_name = dirty_world.query(
        "select account_id, account_name from main_marts.customer_health order by health_score desc limit 1"
    )[0]
    out = tmp_path / "account.html"
    run_script(REPORT, "--db", str(dirty_world.db_path), "--out", str(out), "--account", account_id)
    html = out.read_text(encoding="utf-8")
    assert account_id in html
    if account_name:
        assert f"Account: {account_name}" in html.replace("&#x27;", "'").replace("&amp;", "&")


@pytest.mark.slow
def test_report_draws_the_configured_tier_bands(dirty_world: DbtProject, tmp_path):
    """The bands come from the thresholds the mart was tiered with, not from constants in the report."""
    assert dirty_world.query(
        "select distinct tier_red_below, tier_green_above from main_marts.customer_health"
    ) == [(50, 75)]
    world = copy_of(dirty_world, tmp_path, "thresholds")
    con = duckdb.connect(str(world.db_path))
    try:
        con.execute("update main_marts.customer_health set tier_red_below = 40, tier_green_above = 80")
    finally:
        con.close()
    out = tmp_path / "bands.html"
    run_script(REPORT, "--db", str(world.db_path), "--out", str(out))
    html = out.read_text(encoding="utf-8")
    assert "red below 40, green above 80" in html
    assert re.search(r'"thresholds":\s*\{"red_below":\s*40(\.0)?,\s*"green_above":\s*80(\.0)?\}', html)


def test_report_charts_the_current_configuration_when_the_history_holds_two(dirty_world: DbtProject, tmp_path):
    """After a configuration change the history keeps the old version's scores; the charts must not add them in."""
    world = copy_of(dirty_world, tmp_path, "two_versions")
    account = world.scalar("select min(account_id) from main_marts.customer_health")
    before = collect(world.db_path, "main", account)
    # every history row again under an earlier configuration, with other tiers and scores
    world.execute(
        "insert into main_marts.customer_health_history by name "
        "select * replace ('earlier_config' as config_version, 100 - health_score as health_score, "
        "case when health_tier = 'red' then 'green' else 'red' end as health_tier) "
        "from main_marts.customer_health_history"
    )
    after = collect(world.db_path, "main", account)
    assert after["header"]["config_versions"] == before["header"]["config_versions"] + 1
    assert after["tier_mix"] == before["tier_mix"]
    assert after["account"]["history"] == before["account"]["history"]
    dates = [point["date"] for point in after["account"]["history"]]
    assert dates and len(dates) == len(set(dates))
    assert "the history holds 2 config versions" in render_html(after)


@pytest.mark.slow
def test_summary_lists_tiers_and_ten_riskiest(dirty_world: DbtProject, tmp_path):
    report = tmp_path / "health_report.html"
    output = run_script(SUMMARY, "--db", str(dirty_world.db_path), "--report", str(report)).stdout
    lines = output.splitlines()
    for tier in ("green", "yellow", "red"):
        assert re.search(rf"^\s+{tier}\s+\d+\s+\d+\.\d%", output, re.MULTILINE), f"no {tier} line:\n{output}"
    assert "AUC" in output and "balanced accuracy" in output
    families = dirty_world.scalar("select count(*) from main_marts.customer_health_account_families")
    assert families > 0 and f"Account families (parents with subsidiaries): {families} · " in output, output
    ranked = [line for line in lines if re.match(r"^\s+\d{1,2}\s{2}\S", line)]
    assert len(ranked) == 10, output
    assert [int(line.split()[0]) for line in ranked] == list(range(1, 11))
    assert lines[-1].startswith("Warehouse:") and str(report.resolve()) in lines[-1]
    assert str(dirty_world.db_path.resolve()) in lines[-1]
    assert len(lines) <= 30


# --------------------------------------------------------------------------- minimal warehouse


@pytest.fixture
def minimal_warehouse(tmp_path) -> Path:
    """Only customer_health exists: no history, drivers, backtest or alerts."""
    path = tmp_path / "minimal.duckdb"
    con = duckdb.connect(str(path))
    try:
        con.execute("create schema main_marts")
        con.execute(
            """
            create table main_marts.customer_health as
            select * from (values
                ('a1', 'Acme <Corp>', 'smb', 'default', date '2026-01-31', 42.5, 'red', 'down', -12.0,
                 'nps', 'active_days', date '2026-04-01', 12000.0, 'Ann', 'v1'),
                ('a2', 'Beta', 'enterprise', 'enterprise', date '2026-01-31', 61.0, 'yellow', 'flat', 0.5,
                 'csat', 'nps', date '2026-09-01', 90000.0, 'Bob', 'v1'),
                ('a3', 'Gamma', 'smb', 'default', date '2026-01-31', 88.0, 'green', 'up', 4.0,
                 null, 'nps', null, null, null, 'v1')
            ) as t(account_id, account_name, segment, scorecard, score_date, health_score, health_tier,
                   trend, score_change_30d, top_risk_driver, top_strength_driver, renewal_date, arr,
                   csm_owner_name, config_version)
            """
        )
    finally:
        con.close()
    return path


def test_report_tolerates_missing_tables(minimal_warehouse: Path, tmp_path):
    out = tmp_path / "minimal.html"
    run_script(REPORT, "--db", str(minimal_warehouse), "--out", str(out))
    html = out.read_text(encoding="utf-8")
    assert_self_contained(html)
    assert "Acme <Corp>" not in html  # escaped inside the JSON payload
    assert "alerts table is not in this warehouse" in html
    dom = run_chromium(out, tmp_path, "--dump-dom").stdout
    assert_rendered(dom)
    assert "No backtest" in dom
    assert "The account families table is not in this warehouse." in dom
    # No alerts table: the alert column shows a dash for every at-risk account.
    assert dom.count('<td class="wrap">—</td>') == 2


def test_summary_without_backtest(minimal_warehouse: Path, tmp_path):
    output = run_script(SUMMARY, "--db", str(minimal_warehouse), "--report", str(tmp_path / "r.html")).stdout
    assert "no customer_health_backtest table" in output
    assert "Account families" not in output   # no families table: no line about it
    ranked = [line for line in output.splitlines() if re.match(r"^\s+\d{1,2}\s{2}\S", line)]
    assert len(ranked) == 3
    assert "not written yet" in output


def test_make_demo_generates_builds_reports_then_prints_the_summary():
    """`make demo` runs its steps in order (the Makefile is serial even under -j) and ends with the summary."""
    # on its own, not as a sub-make of `make test` (which would print its directory changes)
    env = {key: value for key, value in os.environ.items() if key not in ("MAKEFLAGS", "MAKELEVEL", "MFLAGS")}
    dry_run = subprocess.run(["make", "--no-print-directory", "-n", "-j2", "demo", "ACCOUNTS=10"], cwd=PROJECT_DIR,
                             capture_output=True, text=True, check=True, env=env).stdout.splitlines()

    def step(needle: str) -> int:
        return next(i for i, line in enumerate(dry_run) if needle in line)

    assert step("scripts/generate_demo_world.py") < step("dbt build") < step("scripts/report.py") \
        < step("scripts/summary.py") == len(dry_run) - 1


def test_explain_account_says_when_the_recovery_band_keeps_a_tier(dirty_world: DbtProject):
    from explain_account import band_note

    assert band_note(51.2, "red", 50, 75, 3, False) == " (recovery band: red until the score reaches 53)"
    assert band_note(73.0, "green", 50, 75, 3, False) == " (recovery band: green until the score falls to 72)"
    assert band_note(49.0, "red", 50, 75, 3, False) == ""          # red by the threshold itself
    assert band_note(51.2, "red", 50, 75, 3, True) == ""           # an override decided the tier
    assert band_note(51.2, "yellow", 50, 75, 0, False) == ""
    account = dirty_world.scalar("select min(account_id) from main_marts.customer_health where health_score is not null")
    output = run_script(PROJECT_DIR / "scripts" / "explain_account.py", "--db", str(dirty_world.db_path),
                        "--account", account).stdout
    assert re.search(r"^score [\d.]+ -> tier (green|yellow|red)( \(recovery band: .+\))?; coverage ", output, re.M), output
