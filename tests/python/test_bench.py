"""The benchmark script runs end to end at a tiny size and reports what it measured.

Timings are not asserted (they depend on the machine); the test checks that
every step ran, that the floor and both builds were measured, that both builds
are production builds (data tests, no unit tests), that the daily build scored
the appended day, and that the results file is written with the machine facts
and the targets.
"""
from __future__ import annotations

import json
import re
import subprocess
import sys

from conftest import PROJECT_DIR

BENCH = PROJECT_DIR / "scripts" / "bench.py"
ACCOUNTS = 60


def test_bench_runs_every_step_and_writes_results(tmp_path):
    results = tmp_path / "results.md"
    completed = subprocess.run(
        [sys.executable, str(BENCH), "--accounts", str(ACCOUNTS), "--fresh",
         "--tmp-root", str(tmp_path), "--results", str(results)],
        capture_output=True, text=True, cwd=PROJECT_DIR, timeout=1500,
    )
    assert completed.returncode == 0, completed.stdout[-3000:] + completed.stderr[-3000:]
    out = completed.stdout

    # one table row per step, each with a wall time and a peak memory figure
    for step in ("generate", "floor", "full", "append", "incremental"):
        row = re.search(rf"^\s*{ACCOUNTS}\s+[\d,]+\s+{step}\s+([\d.]+)\s+([\d,]+)\s", out, re.MULTILINE)
        assert row, f"no {step} row in:\n{out}"
        assert float(row.group(1)) > 0
        assert int(row.group(2).replace(",", "")) > 0
    assert re.search(r"^\s*60\s+[\d,]+\s+full\s+.*\d+\.\d+x", out, re.MULTILINE)
    assert re.search(r"^\s*60\s+[\d,]+\s+incremental\s+.*\d+\.\d+%", out, re.MULTILINE)

    # the daily build added the appended day to the history: one more row per scored account
    rows = re.search(r"rows \{'customer_health': (\d+), 'customer_health_history': (\d+)", out)
    assert rows and int(rows.group(1)) > 0 and int(rows.group(2)) > int(rows.group(1))

    written = results.read_text()
    assert "## Machine" in written and "cores" in written
    assert "full build <= 5x floor" in written
    assert "incremental <= 10% of full" in written
    assert f"| {ACCOUNTS} |" in written

    # both builds ran the production command: every data test, no unit test
    data = json.loads(written.split("<!-- bench:data", 1)[1].split("bench:data -->", 1)[0])
    (size,) = [r for r in data if r["accounts"] == ACCOUNTS]
    for build in ("full", "incremental"):
        statuses = size["steps"][build]["run_results"]["statuses"]
        assert statuses.get("test:pass", 0) > 100, statuses
        assert not any(k.startswith("unit_test:") for k in statuses), statuses
