#!/usr/bin/env python3
"""Benchmark the customer_health build against a hand-written floor.

For every size given with --accounts, in a temporary directory:

  1. generate      the demo world, ending one day before --end-date (timed);
  2. floor         one hand-written DuckDB query: a single scan of
                   raw_segment.tracks aggregated per account and day (events,
                   distinct users), mapped user -> workspace -> account; run in a
                   subprocess so its memory is measured like the other steps;
  3. full build    `dbt build --exclude-resource-type unit_test` on the fresh
                   world (a production build: unit tests run in `make test`);
  4. append        one new day of raw data (generator --append-after), then
     incremental   the daily build, the same command (the models decide what is
                   incremental);
  5. row counts    main_marts.customer_health / customer_health_history /
                   customer_health_drivers and raw_segment.tracks.

Every step is a child process started with subprocess.Popen and reaped with
os.wait4, whose rusage gives that child's own peak RSS (ru_maxrss: the largest
resident set of the child or of any descendant it waited for - dbt-duckdb runs
in one process, so this is the build's peak). Wall time is measured around it.

Targets checked: full build <= 5x floor, incremental <= 10% of full build, peak
RSS of the dbt builds < 8 GiB at <= 20k accounts and < 16 GiB at <= 100k.

Results are printed and written to benchmarks/results.md. The per-size data is
also kept inside results.md (an HTML comment), so runs of different sizes made
one at a time are merged (a new run of a size replaces the old); --fresh drops
the old ones. Text between the `bench:notes` markers of an existing results.md
is kept as is (hand-written notes survive reruns).

dbt exit code 1 with only test failures is reported as "built with test
failures" and the benchmark goes on.

Examples:
  python scripts/bench.py --accounts 2000                  # debug size
  python scripts/bench.py                                  # 20,000 accounts
  python scripts/bench.py --accounts 2000 20000 --keep     # growth between sizes
  python scripts/bench.py --accounts 2000 --threads 4 --memory-limit 12GB
  python scripts/bench.py --accounts 2000 --keep --snapshot-project --parse-wait 20   # freeze the code
  python scripts/bench.py --accounts 20000 --project-from /tmp/bench_2000_XXXX/project  # same code again
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parents[1]
GENERATOR = PROJECT_DIR / "scripts" / "generate_demo_world.py"
DEFAULT_RESULTS = PROJECT_DIR / "benchmarks" / "results.md"

FULL_VS_FLOOR_MAX = 5.0          # full build <= 5x floor
INCREMENTAL_VS_FULL_MAX = 0.10   # incremental <= 10% of full build
GIB = 1024 ** 3

DATA_BEGIN = "<!-- bench:data"
DATA_END = "bench:data -->"
NOTES_BEGIN = "<!-- bench:notes:begin -->"
NOTES_END = "<!-- bench:notes:end -->"

# The floor: one scan of raw_segment.tracks, aggregated per account and day.
# The user -> workspace -> account maps (groups, account) are small; tracks is
# the only large input and is read once.
FLOOR_SQL = """
create temp table floor_account_days as
with user_workspace as (
    select user_id, arg_max(group_id, uuid_ts) as workspace_id
    from raw_segment.groups
    where user_id is not null and group_id is not null
    group by user_id
),
workspace_account as (
    select product_workspace_id_c as workspace_id, arg_max(id, _fivetran_synced) as account_id
    from raw_salesforce.account
    where product_workspace_id_c is not null
    group by product_workspace_id_c
)
select
    workspace_account.account_id,
    cast(tracks."timestamp" as date) as date_day,
    count(*) as product_events,
    count(distinct tracks.user_id) as active_users
from raw_segment.tracks as tracks
inner join user_workspace on tracks.user_id = user_workspace.user_id
inner join workspace_account on user_workspace.workspace_id = workspace_account.workspace_id
group by 1, 2
"""

COUNT_TABLES = [
    ("customer_health", "main_marts.customer_health"),
    ("customer_health_history", "main_marts.customer_health_history"),
    ("customer_health_drivers", "main_marts.customer_health_drivers"),
    ("tracks", "raw_segment.tracks"),
]


# --------------------------------------------------------------------------- helpers

def log(msg: str) -> None:
    print(f"[bench {dt.datetime.now():%H:%M:%S}] {msg}", flush=True)


def run_measured(cmd: list[str], env: dict, log_path: Path) -> dict:
    """Run cmd as a child, output to log_path; wall seconds, peak RSS (MiB) and exit code."""
    with open(log_path, "ab") as out:
        out.write(("$ " + " ".join(cmd) + "\n").encode())
        out.flush()
        load_before = os.getloadavg()[0]
        start = time.monotonic()
        proc = subprocess.Popen(cmd, env=env, stdout=out, stderr=subprocess.STDOUT, cwd=str(PROJECT_DIR))
        _, status, rusage = os.wait4(proc.pid, 0)
        wall = time.monotonic() - start
        proc.returncode = os.waitstatus_to_exitcode(status)  # already reaped; keep Popen quiet
    # Linux reports ru_maxrss in KiB (macOS in bytes).
    maxrss_kib = rusage.ru_maxrss / 1024 if sys.platform == "darwin" else rusage.ru_maxrss
    return {"wall_s": round(wall, 2), "peak_mib": round(maxrss_kib / 1024, 1), "rc": proc.returncode,
            "cpu_s": round(rusage.ru_utime + rusage.ru_stime, 2), "log": str(log_path),
            # 1-minute load average before and after: other work on the machine skews the timings
            "load1": [round(load_before, 1), round(os.getloadavg()[0], 1)]}


def dbt_executable() -> str:
    here = Path(sys.executable).parent / "dbt"
    return str(here) if here.exists() else (shutil.which("dbt") or "dbt")


def versions() -> dict:
    from importlib import metadata
    out = {"python": platform.python_version()}
    for dist in ("duckdb", "dbt-core", "dbt-duckdb"):
        try:
            out[dist] = metadata.version(dist)
        except metadata.PackageNotFoundError:
            out[dist] = "not installed"
    return out


def machine() -> dict:
    mem_kib = None
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                mem_kib = int(line.split()[1])
    except OSError:
        pass
    return {"cores": os.cpu_count(), "mem_gib": round(mem_kib / 1024 / 1024, 1) if mem_kib else None,
            "platform": platform.platform()}


def effective_settings(args) -> dict:
    """What the dbt profile will use (env vars set by this script, else the profile's defaults)."""
    env = bench_env(args, db="")
    return {
        "dbt_threads": env.get("CUSTOMER_HEALTH_THREADS", "2"),
        "duckdb_threads": env.get("CUSTOMER_HEALTH_DUCKDB_THREADS", "2"),
        "duckdb_memory_limit": env.get("CUSTOMER_HEALTH_DUCKDB_MEMORY_LIMIT", "6GB"),
        "duckdb_checkpoint_threshold": env.get("CUSTOMER_HEALTH_DUCKDB_CHECKPOINT_THRESHOLD", "1GB"),
    }


def bench_env(args, db: str) -> dict:
    env = dict(os.environ)
    env["CUSTOMER_HEALTH_DB"] = db
    env["DBT_PROFILES_DIR"] = str(PROJECT_DIR)
    env["DBT_SEND_ANONYMOUS_USAGE_STATS"] = "false"
    env.setdefault("CUSTOMER_HEALTH_TARGET", "duckdb")
    if args.threads is not None:
        env["CUSTOMER_HEALTH_DUCKDB_THREADS"] = str(args.threads)
    if args.dbt_threads is not None:
        env["CUSTOMER_HEALTH_THREADS"] = str(args.dbt_threads)
    if args.memory_limit is not None:
        env["CUSTOMER_HEALTH_DUCKDB_MEMORY_LIMIT"] = args.memory_limit
    return env


def count_rows(db: str) -> dict:
    import duckdb
    out = {}
    con = duckdb.connect(db, read_only=True)
    try:
        for name, table in COUNT_TABLES:
            try:
                out[name] = con.execute(f"select count(*) from {table}").fetchone()[0]
            except duckdb.Error:
                out[name] = None
    finally:
        con.close()
    return out


def read_run_results(path: Path) -> dict:
    """Status summary and per-node timings of one dbt invocation."""
    if not path.exists():
        return {"available": False}
    data = json.loads(path.read_text())
    nodes = []
    statuses: dict[str, int] = {}
    for r in data.get("results", []):
        uid = r["unique_id"]
        kind = uid.split(".")[0]
        status = str(r.get("status"))
        statuses[f"{kind}:{status}"] = statuses.get(f"{kind}:{status}", 0) + 1
        nodes.append({"id": uid, "kind": kind, "status": status,
                      "s": round(float(r.get("execution_time") or 0.0), 2),
                      "msg": (r.get("message") or "")[:200] if status in ("fail", "error", "warn") else ""})
    failed_tests = [n for n in nodes if n["kind"] in ("test", "unit_test") and n["status"] in ("fail", "error")]
    failed_other = [n for n in nodes if n["kind"] not in ("test", "unit_test") and n["status"] == "error"]
    skipped = [n for n in nodes if n["status"] == "skipped"]
    by_kind: dict[str, float] = {}
    for n in nodes:
        by_kind[n["kind"]] = round(by_kind.get(n["kind"], 0.0) + n["s"], 2)
    top = sorted((n for n in nodes if n["kind"] in ("model", "seed", "snapshot")), key=lambda n: -n["s"])[:15]
    top_tests = sorted((n for n in nodes if n["kind"] in ("test", "unit_test")), key=lambda n: -n["s"])[:5]
    return {
        "available": True,
        "elapsed_s": round(float(data.get("elapsed_time") or 0.0), 2),
        "statuses": statuses,
        "seconds_by_kind": by_kind,
        "failed_tests": [{"id": n["id"], "msg": n["msg"]} for n in failed_tests],
        "failed_nodes": [{"id": n["id"], "msg": n["msg"]} for n in failed_other],
        "skipped": [n["id"] for n in skipped],
        "top_models": [{"id": n["id"], "s": n["s"]} for n in top],
        "top_tests": [{"id": n["id"], "s": n["s"]} for n in top_tests],
        "nodes": len(nodes),
    }


def build_verdict(rc: int, rr: dict) -> str:
    if rc == 0:
        return "ok"
    if not rr.get("available"):
        return f"error (exit {rc}, no run_results.json)"
    if rc == 1 and not rr["failed_nodes"] and rr["failed_tests"]:
        return f"built with test failures ({len(rr['failed_tests'])} failed, {len(rr['skipped'])} skipped)"
    return (f"error (exit {rc}: {len(rr['failed_nodes'])} nodes errored, "
            f"{len(rr['failed_tests'])} tests failed, {len(rr['skipped'])} skipped)")


def short(uid: str) -> str:
    parts = uid.split(".")
    return parts[-1] if parts[0] in ("model", "seed", "snapshot") else ".".join(parts[2:])


def memory_cap_gib(accounts: int) -> float | None:
    if accounts <= 20000:
        return 8.0
    if accounts <= 100000:
        return 16.0
    return None


# --------------------------------------------------------------------------- floor child

def floor_child(db: str, threads: str, memory_limit: str) -> int:
    """Run inside a subprocess: the floor query, with the profile's DuckDB settings."""
    import duckdb
    con = duckdb.connect(db)
    con.execute(f"set threads = {int(threads)}")
    con.execute(f"set memory_limit = '{memory_limit}'")
    con.execute("set TimeZone = 'UTC'")
    start = time.monotonic()
    con.execute(FLOOR_SQL)
    rows, events = con.execute("select count(*), sum(product_events) from floor_account_days").fetchone()
    query_s = time.monotonic() - start
    print(json.dumps({"query_s": round(query_s, 3), "account_days": rows, "mapped_events": int(events or 0)}))
    con.close()
    return 0


# --------------------------------------------------------------------------- one size

SNAPSHOT_ITEMS = ["dbt_project.yml", "packages.yml", "dependencies.yml", "selectors.yml",
                  "models", "macros", "tests", "seeds", "analyses", "docs", "snapshots"]


def prepare_project(args, tmp: Path, env: dict) -> Path | None:
    """The project dir to build (live, or a snapshot copy), checked with `dbt parse` first.

    Others may be editing the project while a long benchmark runs; a broken
    parse is retried every 30 s for up to --parse-wait minutes. The parse uses
    its own target path, so the full build still parses from cold.
    """
    deadline = time.monotonic() + 60 * args.parse_wait
    while True:
        project = PROJECT_DIR
        if args.project_from:
            project = tmp / "project"
            shutil.rmtree(project, ignore_errors=True)
            shutil.copytree(args.project_from, project)
        elif args.snapshot_project:
            project = tmp / "project"
            shutil.rmtree(project, ignore_errors=True)
            project.mkdir()
            for item in SNAPSHOT_ITEMS:
                src = PROJECT_DIR / item
                if src.is_dir():
                    shutil.copytree(src, project / item)
                elif src.exists():
                    shutil.copy2(src, project / item)
        parse_env = dict(env, CUSTOMER_HEALTH_DB=str(tmp / "parse.duckdb"))
        step = run_measured([dbt_executable(), "parse", "--project-dir", str(project), "--profiles-dir",
                             str(PROJECT_DIR), "--target-path", str(tmp / "parse_target"),
                             "--log-path", str(tmp / "parse_logs")], parse_env, tmp / "parse.log")
        if step["rc"] == 0:
            how = (f" - building a copy of {args.project_from}" if args.project_from
                   else " - building a snapshot copy" if args.snapshot_project else "")
            log(f"  dbt parse ok ({step['wall_s']} s){how}")
            return project
        if time.monotonic() > deadline:
            log(f"  dbt parse failed (exit {step['rc']}), see {tmp / 'parse.log'}")
            return None
        log(f"  dbt parse failed (exit {step['rc']}); retrying in 30 s (project being edited?)")
        time.sleep(30)


def bench_size(args, accounts: int) -> dict:
    end = args.end_date
    world_end = end - dt.timedelta(days=1)
    tmp = Path(tempfile.mkdtemp(prefix=f"bench_{accounts}_", dir=args.tmp_root))
    db = str(tmp / "world.duckdb")
    target = tmp / "target"
    logs = tmp / "logs"
    env = bench_env(args, db)
    settings = effective_settings(args)
    res = {"accounts": accounts, "tmp": str(tmp), "start_date": str(args.start_date), "end_date": str(end),
           "settings": settings, "steps": {}, "date": dt.datetime.now().isoformat(timespec="seconds")}
    log(f"{accounts} accounts: working in {tmp}")

    project = prepare_project(args, tmp, env)
    if project is None:
        res["error"] = f"dbt parse of the project failed (see {tmp / 'parse.log'}); nothing was benchmarked"
        if not args.keep:
            shutil.rmtree(tmp, ignore_errors=True)
        return res
    res["project_dir"] = str(project)
    res["settings"]["project"] = (f"copy of {args.project_from}" if args.project_from
                                  else "snapshot copy" if args.snapshot_project else "live")

    gen_common = [sys.executable, str(GENERATOR), "--db", db, "--accounts", str(accounts),
                  "--start-date", str(args.start_date), "--seed", str(args.seed), "--quiet"]
    # production builds, as the README's scheduled job runs them: unit tests (fixed inputs, no warehouse
    # data) belong to development and CI, where `make test` runs them
    dbt_common = [dbt_executable(), "build", "--project-dir", str(project), "--profiles-dir", str(PROJECT_DIR),
                  "--target-path", str(target), "--log-path", str(logs), "--exclude-resource-type", "unit_test"]

    try:
        # 1. generate
        log(f"  generate world {args.start_date}..{world_end}")
        step = run_measured(gen_common + ["--end-date", str(world_end)], env, tmp / "generate.log")
        res["steps"]["generate"] = step
        log(f"  generate: {step['wall_s']} s, {step['peak_mib']} MiB, exit {step['rc']}")
        if step["rc"] != 0:
            res["error"] = f"generator failed (exit {step['rc']}), see {step['log']}"
            return res
        res["rows_before"] = count_rows(db)

        # 2. floor
        log("  floor query")
        floor_log = tmp / "floor.log"
        step = run_measured([sys.executable, str(Path(__file__).resolve()), "--_floor", db,
                             settings["duckdb_threads"], settings["duckdb_memory_limit"]], env, floor_log)
        try:
            step.update(json.loads(floor_log.read_text().strip().splitlines()[-1]))
        except (ValueError, IndexError):
            pass
        res["steps"]["floor"] = step
        log(f"  floor: {step['wall_s']} s (query {step.get('query_s')} s), {step['peak_mib']} MiB, exit {step['rc']}")
        if step["rc"] != 0:
            res["error"] = f"floor query failed, see {floor_log}"
            return res

        # 3. full build
        log("  full dbt build")
        step = run_measured(dbt_common, env, tmp / "dbt_full.log")
        rr = read_run_results(target / "run_results.json")
        if rr.get("available"):
            shutil.copy(target / "run_results.json", tmp / "run_results_full.json")
        step["run_results"] = rr
        step["verdict"] = build_verdict(step["rc"], rr)
        res["steps"]["full"] = step
        log(f"  full: {step['wall_s']} s, {step['peak_mib']} MiB, {step['verdict']}")
        res["rows_full"] = count_rows(db)

        # 4. append one day, then the daily build
        log(f"  append {end} (--append-after {world_end})")
        step = run_measured(gen_common + ["--end-date", str(end), "--append-after", str(world_end)],
                            env, tmp / "append.log")
        res["steps"]["append"] = step
        log(f"  append: {step['wall_s']} s, {step['peak_mib']} MiB, exit {step['rc']}")
        if step["rc"] != 0:
            res["error"] = f"append failed (exit {step['rc']}), see {step['log']}"
            return res
        log("  incremental dbt build")
        (target / "run_results.json").unlink(missing_ok=True)
        step = run_measured(dbt_common, env, tmp / "dbt_incremental.log")
        rr = read_run_results(target / "run_results.json")
        if rr.get("available"):
            shutil.copy(target / "run_results.json", tmp / "run_results_incremental.json")
        step["run_results"] = rr
        step["verdict"] = build_verdict(step["rc"], rr)
        res["steps"]["incremental"] = step
        log(f"  incremental: {step['wall_s']} s, {step['peak_mib']} MiB, {step['verdict']}")

        # 5. row counts
        res["rows"] = count_rows(db)
        res["events"] = res["rows"].get("tracks")
        log(f"  rows: {res['rows']}")
        return res
    finally:
        if args.keep:
            log(f"  kept {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)


# --------------------------------------------------------------------------- verdicts and report

def derived(res: dict) -> dict:
    s = res.get("steps", {})
    floor = s.get("floor", {}).get("wall_s")
    full = s.get("full", {}).get("wall_s")
    inc = s.get("incremental", {}).get("wall_s")
    out = {"full_vs_floor": round(full / floor, 1) if full and floor else None,
           "incremental_pct": round(100 * inc / full, 1) if inc and full else None}
    peaks = [s[k]["peak_mib"] for k in ("full", "incremental") if k in s]
    out["dbt_peak_mib"] = max(peaks) if peaks else None
    cap = memory_cap_gib(res["accounts"])
    checks = []
    if out["full_vs_floor"] is not None:
        checks.append((f"full build <= {FULL_VS_FLOOR_MAX:g}x floor", f"{out['full_vs_floor']}x",
                       out["full_vs_floor"] <= FULL_VS_FLOOR_MAX))
    if out["incremental_pct"] is not None:
        checks.append((f"incremental <= {INCREMENTAL_VS_FULL_MAX:.0%} of full", f"{out['incremental_pct']}%",
                       out["incremental_pct"] <= 100 * INCREMENTAL_VS_FULL_MAX))
    if cap and out["dbt_peak_mib"] is not None:
        checks.append((f"dbt peak RSS < {cap:g} GiB", f"{out['dbt_peak_mib'] / 1024:.2f} GiB",
                       out["dbt_peak_mib"] * 1024 * 1024 < cap * GIB))
    out["checks"] = checks
    return out


def fmt(v, nd=1) -> str:
    if v is None:
        return "-"
    if isinstance(v, float):
        return f"{v:,.{nd}f}"
    if isinstance(v, int):
        return f"{v:,}"
    return str(v)


def table_rows(results: list[dict]) -> list[list[str]]:
    rows = []
    for res in results:
        d = derived(res)
        events = res.get("events") or (res.get("rows_before") or {}).get("tracks")
        for name in ("generate", "floor", "full", "append", "incremental"):
            st = res.get("steps", {}).get(name)
            if not st:
                continue
            ratio = d["full_vs_floor"] if name == "full" else (1.0 if name == "floor" else None)
            pct = d["incremental_pct"] if name == "incremental" else None
            note = st.get("verdict", "" if st.get("rc", 0) == 0 else f"exit {st['rc']}")
            if name == "floor" and st.get("query_s") is not None:
                note = f"query {st['query_s']:.1f} s"
            rows.append([fmt(res["accounts"]), fmt(events), name, fmt(st["wall_s"]), fmt(st["peak_mib"], 0),
                         fmt(ratio) + ("x" if ratio is not None else ""),
                         (fmt(pct) + "%") if pct is not None else "-",
                         "/".join(str(x) for x in st.get("load1", [])) or "-", note])
    return rows


HEAD = ["accounts", "events", "step", "wall s", "peak MiB", "x floor", "incr/full", "load", "note"]


def text_table(rows: list[list[str]]) -> str:
    widths = [max(len(h), *(len(r[i]) for r in rows)) if rows else len(h) for i, h in enumerate(HEAD)]
    line = lambda r: "  ".join(c.rjust(w) if i not in (2, 8) else c.ljust(w) for i, (c, w) in enumerate(zip(r, widths)))
    return "\n".join([line(HEAD), line(["-" * w for w in widths])] + [line(r) for r in rows])


def md_table(head: list[str], rows: list[list[str]]) -> str:
    out = ["| " + " | ".join(head) + " |", "|" + "|".join("---" for _ in head) + "|"]
    out += ["| " + " | ".join(r) + " |" for r in rows]
    return "\n".join(out)


def growth_lines(results: list[dict]) -> list[str]:
    """Seconds per million events, per size and marginal between consecutive sizes."""
    lines = []
    ok = sorted((r for r in results if r.get("events")), key=lambda r: r["events"])
    for r in ok:
        m = r["events"] / 1e6
        parts = [f"{k} {r['steps'][k]['wall_s'] / m:.2f}" for k in ("generate", "floor", "full", "incremental")
                 if k in r["steps"]]
        lines.append(f"{r['accounts']:,} accounts ({m:.1f} M events): s per M events: " + ", ".join(parts))
    for a, b in zip(ok, ok[1:]):
        dm = (b["events"] - a["events"]) / 1e6
        if dm <= 0:
            continue
        parts = []
        for k in ("floor", "full", "incremental"):
            if k in a["steps"] and k in b["steps"]:
                ds = b["steps"][k]["wall_s"] - a["steps"][k]["wall_s"]
                ratio = b["steps"][k]["wall_s"] / a["steps"][k]["wall_s"] if a["steps"][k]["wall_s"] else float("nan")
                parts.append(f"{k} +{ds:.1f} s ({ds / dm:.2f} s per extra M events, x{ratio:.1f} for "
                             f"x{b['events'] / a['events']:.1f} events)")
        mem = ""
        if "full" in a["steps"] and "full" in b["steps"]:
            mem = f"; full-build peak {a['steps']['full']['peak_mib']:.0f} -> {b['steps']['full']['peak_mib']:.0f} MiB"
        lines.append(f"{a['accounts']:,} -> {b['accounts']:,} accounts: " + ", ".join(parts) + mem)
    return lines


def print_report(results: list[dict]) -> None:
    print()
    print(text_table(table_rows(results)))
    print()
    for res in results:
        if res.get("error"):
            print(f"{res['accounts']:,} accounts: ERROR {res['error']}")
        d = derived(res)
        for name, value, passed in d["checks"]:
            print(f"{res['accounts']:,} accounts: {'PASS' if passed else 'MISS'}  {name}: {value}")
        if res.get("rows"):
            print(f"{res['accounts']:,} accounts: rows {res['rows']}")
        for kind in ("full", "incremental"):
            rr = res.get("steps", {}).get(kind, {}).get("run_results", {})
            if rr.get("available"):
                top = ", ".join(f"{short(n['id'])} {n['s']:.1f}s" for n in rr["top_models"][:10])
                print(f"{res['accounts']:,} accounts: {kind} top models: {top}")
                for t in rr["failed_tests"]:
                    print(f"    failed test: {short(t['id'])}: {t['msg']}")
    print()
    for line in growth_lines(results):
        print(line)


def auto_notes(results: list[dict]) -> list[str]:
    notes = []
    for res in results:
        s = res.get("steps", {})
        full = s.get("full", {})
        rr = full.get("run_results", {})
        if not rr.get("available"):
            continue
        top3 = rr["top_models"][:3]
        model_s = rr["seconds_by_kind"].get("model", 0)
        test_s = rr["seconds_by_kind"].get("test", 0) + rr["seconds_by_kind"].get("unit_test", 0)
        overhead = full["wall_s"] - rr["elapsed_s"]
        share = sum(n["s"] for n in top3) / model_s if model_s else 0
        notes.append(
            f"- {res['accounts']:,} accounts, full build: {full['wall_s']:.0f} s wall "
            f"(dbt elapsed {rr['elapsed_s']:.0f} s, so ~{overhead:.0f} s start-up and parse); "
            f"node time: models {model_s:.0f} s, tests {test_s:.0f} s (summed over threads). "
            f"Top 3 models take {share:.0%} of model time: "
            + ", ".join(f"`{short(n['id'])}` {n['s']:.0f} s" for n in top3) + ".")
        inc = s.get("incremental", {})
        irr = inc.get("run_results", {})
        if irr.get("available"):
            notes.append(
                f"- {res['accounts']:,} accounts, incremental build: {inc['wall_s']:.0f} s; top models: "
                + ", ".join(f"`{short(n['id'])}` {n['s']:.0f} s" for n in irr["top_models"][:3])
                + f"; node time: models {irr['seconds_by_kind'].get('model', 0):.0f} s, "
                f"tests {irr['seconds_by_kind'].get('test', 0) + irr['seconds_by_kind'].get('unit_test', 0):.0f} s.")
    return notes


def write_results_md(path: Path, results: list[dict], mach: dict, vers: dict) -> None:
    old_notes = None
    if path.exists():
        text = path.read_text()
        m = re.search(re.escape(NOTES_BEGIN) + r"(.*?)" + re.escape(NOTES_END), text, re.S)
        if m:
            old_notes = m.group(1).strip("\n")
    results = sorted(results, key=lambda r: r["accounts"])
    settings = {json.dumps(r.get("settings", {}), sort_keys=True) for r in results}
    lines = [
        "# customer_health build benchmark",
        "",
        "Written by `scripts/bench.py` (run `python scripts/bench.py --help`). Each size: generate the demo world "
        "to the day before the end date, time a hand-written floor query (one scan of `raw_segment.tracks` "
        "aggregated per account and day), a full `dbt build`, then append one day (`--append-after`) and time "
        "the daily `dbt build`. Peak MiB is the child process's peak RSS (`os.wait4` rusage). `load` is the "
        "machine's 1-minute load average before/after the step (other work running at the same time inflates "
        "wall times).",
        "",
        "## Machine",
        "",
        f"- date: {max(r.get('date', '') for r in results) if results else dt.date.today()}",
        f"- cores (os.cpu_count): {mach['cores']}; memory (/proc/meminfo MemTotal): {mach['mem_gib']} GiB",
        f"- platform: {mach['platform']}; python {vers['python']}",
        f"- duckdb {vers['duckdb']}, dbt-core {vers['dbt-core']}, dbt-duckdb {vers['dbt-duckdb']}",
        "- settings (dbt threads, DuckDB threads, memory_limit and checkpoint_threshold): "
        + "; ".join(", ".join(f"{k}={v}" for k, v in json.loads(s).items()) for s in sorted(settings)),
        "",
        "## Results",
        "",
        md_table(HEAD, table_rows(results)),
        "",
        "Row counts after the incremental build:",
        "",
        md_table(["accounts", "customer_health", "customer_health_history", "customer_health_drivers",
                  "raw_segment.tracks"],
                 [[fmt(r["accounts"])] + [fmt((r.get("rows") or {}).get(k)) for k, _ in COUNT_TABLES]
                  for r in results]),
        "",
        "## Targets",
        "",
    ]
    for r in results:
        if r.get("error"):
            lines.append(f"- {r['accounts']:,} accounts: **ERROR** {r['error']}")
        for name, value, passed in derived(r)["checks"]:
            lines.append(f"- {r['accounts']:,} accounts: **{'PASS' if passed else 'MISS'}** {name} ({value})")
        for kind in ("full", "incremental"):
            st = r.get("steps", {}).get(kind)
            if st and st.get("verdict") != "ok":
                lines.append(f"- {r['accounts']:,} accounts: {kind} build {st.get('verdict')}")
                for t in st.get("run_results", {}).get("failed_tests", []):
                    lines.append(f"  - failed: `{short(t['id'])}`: {t['msg']}")
    grow = growth_lines(results)
    if grow:
        lines += ["", "## Cost growth", ""] + [f"- {g}" for g in grow]
    lines += ["", "## Slowest models (execution_time from run_results.json)", ""]
    for r in results:
        for kind in ("full", "incremental"):
            rr = r.get("steps", {}).get(kind, {}).get("run_results", {})
            if rr.get("available"):
                model_s = rr["seconds_by_kind"].get("model", 0) or 1
                st = r["steps"][kind]
                lines += [f"{r['accounts']:,} accounts, {kind} build ({st['wall_s']:.0f} s wall, dbt elapsed "
                          f"{rr['elapsed_s']:.0f} s, model time {model_s:.0f} s, test time "
                          f"{rr['seconds_by_kind'].get('test', 0):.0f} s, summed over threads):", "",
                          md_table(["#", "model", "s", "% of model time"],
                                   [[str(i + 1), f"`{short(n['id'])}`", f"{n['s']:.1f}", f"{100 * n['s'] / model_s:.0f}%"]
                                    for i, n in enumerate(rr["top_models"][:10])]), ""]
    lines += ["## What bounds it", "", "Observed (generated from the latest run):", ""] + auto_notes(results)
    lines += ["", NOTES_BEGIN, old_notes if old_notes is not None else
              "Notes (hand-written; kept by reruns):\n\n- (none yet)", NOTES_END, ""]
    slim = [{k: v for k, v in r.items()} for r in results]
    lines += [DATA_BEGIN, json.dumps(slim, indent=None, default=str), DATA_END, ""]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines))


def load_previous(path: Path) -> list[dict]:
    if not path.exists():
        return []
    m = re.search(re.escape(DATA_BEGIN) + r"\s*(.*?)\s*" + re.escape(DATA_END), path.read_text(), re.S)
    if not m:
        return []
    try:
        return json.loads(m.group(1))
    except ValueError:
        return []


# --------------------------------------------------------------------------- main

def parse_date(s: str) -> dt.date:
    return dt.date.fromisoformat(s)


def main(argv=None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv and argv[0] == "--_floor":     # internal: the floor query in its own process
        return floor_child(*argv[1:4])

    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 epilog="\n\n".join(__doc__.split("\n\n")[1:]),
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--accounts", type=int, nargs="+", default=[20000], metavar="N",
                    help="world sizes (accounts) to benchmark, in order (default: 20000)")
    ap.add_argument("--end-date", type=parse_date, default=dt.date(2026, 6, 30),
                    help="the appended day; the world is generated to the day before (default 2026-06-30)")
    ap.add_argument("--start-date", type=parse_date, default=dt.date(2024, 12, 30),
                    help="first simulated day, passed explicitly to both generator runs (default 2024-12-30)")
    ap.add_argument("--seed", type=int, default=42, help="generator seed (default 42)")
    ap.add_argument("--threads", default=None,
                    help="DuckDB threads per connection (CUSTOMER_HEALTH_DUCKDB_THREADS; profile default 2); "
                         "the floor query uses the same")
    ap.add_argument("--dbt-threads", default=None,
                    help="dbt threads, models built concurrently (CUSTOMER_HEALTH_THREADS; profile default 2)")
    ap.add_argument("--memory-limit", default=None,
                    help="DuckDB memory_limit, e.g. 8GB (CUSTOMER_HEALTH_DUCKDB_MEMORY_LIMIT; profile default 6GB)")
    ap.add_argument("--snapshot-project", action="store_true",
                    help="build a copy of the project taken at the start of each size (models, macros, tests, seeds, "
                         "dbt_project.yml), so edits made meanwhile do not change the code between the full and the "
                         "incremental build; default: build /work/main live")
    ap.add_argument("--project-from", type=Path, default=None, metavar="DIR",
                    help="build a copy of this project directory instead (e.g. the project/ snapshot kept by an "
                         "earlier --snapshot-project --keep run), so different sizes build identical code")
    ap.add_argument("--parse-wait", type=float, default=0, metavar="MINUTES",
                    help="if `dbt parse` of the project fails before a size starts, retry every 30 s for this long "
                         "(default 0: give up on that size)")
    ap.add_argument("--keep", action="store_true", help="keep each size's temp dir (world, logs, target/)")
    ap.add_argument("--tmp-root", default="/tmp", help="where the bench_* temp dirs go (default /tmp)")
    ap.add_argument("--results", type=Path, default=DEFAULT_RESULTS,
                    help=f"markdown report to write (default {DEFAULT_RESULTS.relative_to(PROJECT_DIR)})")
    ap.add_argument("--fresh", action="store_true",
                    help="drop earlier sizes kept in the results file instead of merging with them")
    ap.add_argument("--no-write", action="store_true", help="print only; do not write the results file")
    args = ap.parse_args(argv)
    if args.start_date >= args.end_date - dt.timedelta(days=1):
        ap.error("--start-date must be before the day before --end-date")

    mach, vers = machine(), versions()
    log(f"machine: {mach['cores']} cores, {mach['mem_gib']} GiB; duckdb {vers['duckdb']}, "
        f"dbt-core {vers['dbt-core']}, dbt-duckdb {vers['dbt-duckdb']}; settings {effective_settings(args)}")

    results = []
    for n in args.accounts:
        results.append(bench_size(args, n))
        print_report(results)   # after every size, so a long run shows progress

    if not args.no_write:
        merged = {} if args.fresh else {r["accounts"]: r for r in load_previous(args.results)}
        merged.update({r["accounts"]: r for r in results})
        all_results = list(merged.values())
        write_results_md(args.results, all_results, mach, vers)
        log(f"wrote {args.results}")
        if len(all_results) > len(results):
            print("\nWith earlier sizes from the results file:")
            print_report(sorted(all_results, key=lambda r: r["accounts"]))

    failed = any(r.get("error") for r in results)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
