"""Tests of the demo-world generator (scripts/generate_demo_world.py, scripts/demo_world/).

Small worlds are generated into a temporary directory; the layout is checked
against docs/raw_layouts.md itself so the doc and the generator cannot drift.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
import subprocess
import sys
from pathlib import Path

import duckdb
import numpy as np
import pytest

from demo_world import RunConfig, generate, layout
from demo_world.diagnostics import naive_auc

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "generate_demo_world.py"
DOC = ROOT / "docs" / "raw_layouts.md"
N_ACCOUNTS = 100
END = dt.date(2026, 6, 30)


# ----------------------------------------------------------------------------- helpers
def build(path: Path, **kw) -> Path:
    cfg = RunConfig(db=str(path), accounts=kw.pop("accounts", N_ACCOUNTS), end_date=kw.pop("end_date", END),
                    quiet=True, **kw)
    generate(cfg)
    return path


def doc_layout() -> dict:
    """{(schema, table): [columns]} parsed from the markdown tables of docs/raw_layouts.md."""
    out, schema = {}, None
    for line in DOC.read_text().splitlines():
        m = re.match(r"^## (raw_\w+)\s*$", line)
        if m:
            schema = m.group(1)
            continue
        if line.startswith("## "):
            schema = None
        m = re.match(r"^\|\s*`(\w+)`\s*\|(.*)\|\s*$", line)
        if schema and m:
            cols = []
            # column names are the identifiers inside backticks; prose such as `field_name = '...'` is not
            for chunk in re.findall(r"`([^`]*)`", m.group(2)):
                cols += [c.strip() for c in chunk.split(",") if re.fullmatch(r"\s*\w+\s*", c)]
            out[(schema, m.group(1))] = cols
    return out


def table_checksums(db: Path) -> dict:
    """Order-independent (count, sum of row hashes) per raw table."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        return {f"{s}.{t}": con.execute(f'SELECT count(*), coalesce(sum(hash(x)), 0) FROM {s}."{t}" x').fetchone()
                for s, t in layout.all_tables()}
    finally:
        con.close()


def q(db: Path, sql: str):
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def q1(db: Path, sql: str):
    return q(db, sql)[0][0]


# ----------------------------------------------------------------------------- fixtures
@pytest.fixture(scope="module")
def work(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("demo_world")


@pytest.fixture(scope="module")
def clean(work) -> Path:
    return build(work / "clean.duckdb")


@pytest.fixture(scope="module")
def default_world(work) -> Path:
    """The default world (2,000 accounts to 2026-06-30), with its truth file."""
    return build(work / "default.duckdb", accounts=2000, truth=str(work / "truth.csv"))


@pytest.fixture(scope="module")
def truth(default_world, work) -> list:
    with open(work / "truth.csv", newline="") as f:
        return list(csv.DictReader(f))


@pytest.fixture(scope="module")
def dirty(work) -> Path:
    return build(work / "dirty.duckdb", dirty=True)


# ----------------------------------------------------------------------------- tests
def test_help_works():
    r = subprocess.run([sys.executable, str(SCRIPT), "--help"], capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr
    for flag in ("--db", "--accounts", "--end-date", "--start-date", "--seed", "--dirty", "--truth", "--append-after", "--memory-limit"):
        assert flag in r.stdout


def test_doc_lists_every_generated_table():
    doc = doc_layout()
    assert set(doc) == set(layout.all_tables()), "docs/raw_layouts.md and the generator list different tables"
    for key, cols in doc.items():
        assert cols == layout.columns(*key), key


def test_tables_have_exactly_the_documented_columns(clean):
    doc = doc_layout()
    con = duckdb.connect(str(clean), read_only=True)
    try:
        got = {}
        for schema, table, col in con.execute(
                "SELECT table_schema, table_name, column_name FROM information_schema.columns "
                "WHERE table_schema LIKE 'raw_%' ORDER BY table_schema, table_name, ordinal_position").fetchall():
            got.setdefault((schema, table), []).append(col)
    finally:
        con.close()
    assert set(got) == set(doc)
    for key, cols in doc.items():
        assert got[key] == cols, key


def test_column_types_follow_the_loaders(clean):
    types = {(s, t, c): ty for s, t, c, ty in q(clean, "SELECT table_schema, table_name, column_name, data_type "
                                                       "FROM information_schema.columns WHERE table_schema LIKE 'raw_%'")}
    assert types[("raw_salesforce", "account", "_fivetran_synced")] == "TIMESTAMP"
    assert types[("raw_salesforce", "account", "is_deleted")] == "BOOLEAN"
    assert types[("raw_zendesk", "ticket", "created_at")] == "TIMESTAMP"
    assert types[("raw_stripe", "invoice", "amount_due")] == "BIGINT"
    assert types[("raw_stripe", "customer", "metadata")] == "VARCHAR"
    for c in ("received_at", "sent_at", "timestamp", "original_timestamp", "uuid_ts"):
        assert types[("raw_segment", "tracks", c)] == "TIMESTAMP WITH TIME ZONE"
    survey = {c: ty for (s, t, c), ty in types.items() if t == "nps_responses"}
    assert survey.pop("_loaded_at") == "TIMESTAMP"
    assert set(survey.values()) == {"VARCHAR"}


def test_every_table_has_rows(clean):
    for name, (n, _) in table_checksums(clean).items():
        assert n > 0, name


def test_same_seed_same_tables_other_seed_different(clean, work):
    again = build(work / "again.duckdb")
    other = build(work / "other.duckdb", seed=43)
    a, b, c = table_checksums(clean), table_checksums(again), table_checksums(other)
    assert a == b
    assert a["raw_segment.tracks"] != c["raw_segment.tracks"]
    assert a["raw_salesforce.account"] != c["raw_salesforce.account"]


def test_append_after_equals_a_direct_run(work):
    kw = dict(accounts=80, start_date=dt.date(2025, 11, 1), dirty=True)
    d, d1 = dt.date(2026, 3, 14), dt.date(2026, 3, 15)
    direct = build(work / "direct.duckdb", end_date=d1, **kw)
    appended = build(work / "appended.duckdb", end_date=d, **kw)
    before = table_checksums(appended)
    build(appended, end_date=d1, append_after=d, **kw)
    after, want = table_checksums(appended), table_checksums(direct)
    assert after != before, "the appended day added nothing"
    for name in want:
        assert after[name] == want[name], name


def test_cross_system_keys_join_in_a_clean_world(clean):
    accounts = "(SELECT id FROM raw_salesforce.account)"
    assert q1(clean, "SELECT count(*) FROM raw_stripe.customer WHERE json_extract_string(metadata, "
                     f"'$.salesforce_account_id') IS NULL OR json_extract_string(metadata, '$.salesforce_account_id') "
                     f"NOT IN {accounts}") == 0
    assert q1(clean, f"SELECT count(*) FROM raw_zendesk.organization WHERE external_id IS NULL "
                     f"OR external_id NOT IN {accounts}") == 0
    assert q1(clean, "SELECT count(*) FROM raw_segment.groups WHERE group_id NOT IN "
                     "(SELECT product_workspace_id_c FROM raw_salesforce.account)") == 0
    # every account's workspace is a real Segment group; every product user is linked to a workspace
    assert q1(clean, "SELECT count(*) FROM raw_segment.tracks WHERE user_id NOT IN "
                     "(SELECT user_id FROM raw_segment.groups)") == 0
    assert q1(clean, "SELECT count(*) FROM raw_survey.nps_responses WHERE email NOT IN "
                     "(SELECT email FROM raw_salesforce.contact UNION SELECT email FROM raw_segment.identifies)") == 0
    for sql in ("SELECT count(*) FROM raw_salesforce.contact WHERE account_id NOT IN {a}",
                "SELECT count(*) FROM raw_salesforce.opportunity WHERE account_id NOT IN {a}",
                "SELECT count(*) FROM raw_zendesk.ticket WHERE organization_id NOT IN (SELECT id FROM raw_zendesk.organization)",
                "SELECT count(*) FROM raw_stripe.invoice_line_item WHERE invoice_id NOT IN (SELECT id FROM raw_stripe.invoice)",
                "SELECT count(*) FROM raw_stripe.charge WHERE customer_id NOT IN (SELECT id FROM raw_stripe.customer)"):
        assert q1(clean, sql.format(a=accounts)) == 0, sql
    # ids look like the real thing
    assert q1(clean, "SELECT count(*) FROM raw_salesforce.account WHERE length(id) <> 18 OR id NOT LIKE '001%'") == 0
    assert q1(clean, "SELECT count(*) FROM raw_stripe.invoice WHERE id NOT LIKE 'in\\_%' ESCAPE '\\'") == 0


def test_loader_timestamps_are_consistent(clean):
    # Fivetran loads after the change; Segment loads after the event; nothing is loaded after the end date
    assert q1(clean, "SELECT count(*) FROM raw_salesforce.opportunity WHERE _fivetran_synced < last_modified_date") == 0
    assert q1(clean, "SELECT count(*) FROM raw_zendesk.ticket WHERE _fivetran_synced < updated_at") == 0
    assert q1(clean, "SELECT count(*) FROM raw_stripe.invoice WHERE _fivetran_synced < created") == 0
    assert q1(clean, "SELECT count(*) FROM raw_segment.tracks WHERE received_at < timestamp OR uuid_ts < received_at "
                     "OR original_timestamp < timestamp OR uuid_ts > timestamp + INTERVAL 1 HOUR") == 0
    assert q1(clean, "SELECT max(uuid_ts) FROM raw_segment.tracks").date() <= END
    assert q1(clean, "SELECT max(_fivetran_synced) FROM raw_zendesk.ticket").date() <= END
    # survey timestamps are ISO-8601 with an offset that denotes the true instant, loaded a day or so later
    offsets = {r[0] for r in q(clean, "SELECT right(created_at, 6) FROM raw_survey.nps_responses")}
    assert len(offsets) >= 3 and all(re.fullmatch(r"[+-]\d\d:\d\d", o) for o in offsets)
    assert q1(clean, "SELECT count(*) FROM raw_survey.nps_responses WHERE _loaded_at < CAST(created_at AS TIMESTAMPTZ) "
                     "OR _loaded_at > CAST(created_at AS TIMESTAMPTZ) + INTERVAL 3 DAY") == 0


def test_segment_mix_and_seat_ranges(clean):
    rows = dict(q(clean, "SELECT customer_segment_c, count(*) FROM raw_salesforce.account GROUP BY 1"))
    n = sum(rows.values())
    assert 0.45 < rows["SMB"] / n < 0.75 and 0.15 < rows["Mid-Market"] / n < 0.45 and 0.03 < rows["Enterprise"] / n < 0.2
    nominal = {"SMB": (3, 15), "Mid-Market": (15, 60), "Enterprise": (60, 300)}
    seats = q(clean, "SELECT customer_segment_c, licensed_seats_c, cs_coverage_model_c FROM raw_salesforce.account "
                     "WHERE licensed_seats_c IS NOT NULL")
    inside = sum(nominal[s][0] <= v <= nominal[s][1] for s, v, _ in seats)
    assert inside / len(seats) > 0.85
    assert all(0.8 * nominal[s][0] - 1 <= v <= 1.5 * nominal[s][1] for s, v, _ in seats)
    coverage = {"SMB": "Tech Touch", "Mid-Market": "Low Touch", "Enterprise": "High Touch"}
    assert all(coverage[s] == c for s, _, c in seats)
    # SMB pays monthly by card, the others by invoice
    assert set(q(clean, "SELECT DISTINCT collection_method FROM raw_stripe.invoice i JOIN raw_stripe.customer c "
                        "ON c.id = i.customer_id WHERE c.metadata LIKE '%starter%'")) == {("charge_automatically",)}


def test_segment_calls_name_the_library_that_sent_them(clean):
    """Tracks come from the backend's analytics-python, identify/group calls from the web app's analytics.js,
    on every row, as Segment's warehouse tables record them."""
    libs = lambda t: q(clean, "SELECT DISTINCT context_library_name, context_library_version "   # noqa: E731
                              f"FROM raw_segment.{t} ORDER BY 1")
    assert libs("tracks") == [("analytics-python", "2.3.2")]
    assert libs("identifies") == [("analytics.js", "3.7.1")]
    assert libs("groups") == [("analytics.js", "3.7.1")]


def test_churn_exists_and_a_quarter_is_not_behavioural(default_world, truth):
    clean = default_world
    churned = [r for r in truth if r["churned"] == "True"]
    per_year = len(churned) / len(truth) / 1.5
    assert 0.08 < per_year < 0.18, per_year
    non_behavioural = [r for r in churned if r["churn_behavioural"] == "False"]
    assert len(non_behavioural) / len(churned) >= 0.25
    assert {r["churn_reason"] for r in non_behavioural} <= {"Acquired", "Budget", "Company closed"}
    # the CRM and billing agree with the truth
    former = {r[0] for r in q(clean, "SELECT id FROM raw_salesforce.account WHERE type = 'Former Customer'")}
    assert former == {r["account_id"] for r in churned}
    lost = q1(clean, "SELECT count(*) FROM raw_salesforce.opportunity WHERE type = 'Renewal' AND stage_name = 'Closed Lost' "
                     "AND churn_reason_c IS NOT NULL")
    assert lost == len(churned)
    assert q1(clean, "SELECT count(*) FROM raw_stripe.subscription WHERE status = 'canceled'") == len(churned)
    # renewals still ahead are open, without a hint of their outcome
    assert q(clean, "SELECT DISTINCT stage_name, is_closed, churn_reason_c FROM raw_salesforce.opportunity "
                    f"WHERE type = 'Renewal' AND close_date > DATE '{END}'") == [("Negotiation", False, None)]


def test_traps_exist(truth):
    traps = {r["trap_type"] for r in truth}
    assert {"login_no_depth", "promoter_declining"} <= traps


def test_some_crm_accounts_never_got_their_workspace_id(default_world, truth):
    """A data-quality gap real CRMs have: the custom field is empty, while the product keeps its events."""
    missing = {r["account_id"] for r in truth if r["crm_workspace_missing"] == "True"}
    workspaces = {r["account_id"]: r["workspace_id"] for r in truth}
    # seed 42: 58 of 2,000 accounts (Params.crm_workspace_missing_share 0.03)
    assert 30 <= len(missing) <= 90, len(missing)
    con = duckdb.connect(str(default_world), read_only=True)
    try:
        empty = {row[0] for row in con.execute(
            "SELECT DISTINCT id FROM raw_salesforce.account WHERE product_workspace_id_c IS NULL").fetchall()}
        grouped = {row[0] for row in con.execute("SELECT DISTINCT group_id FROM raw_segment.groups").fetchall()}
    finally:
        con.close()
    assert empty == missing
    # their workspaces still send product events (the product does not know about the CRM field)
    assert sum(workspaces[account] in grouped for account in missing) >= 0.8 * len(missing)


BAD_ROW_CHECKS = {
    "null primary key": "SELECT (SELECT count(*) FROM raw_salesforce.task WHERE id IS NULL) + "
                        "(SELECT count(*) FROM raw_zendesk.ticket WHERE id IS NULL) + "
                        "(SELECT count(*) FROM raw_stripe.charge WHERE id IS NULL) + "
                        "(SELECT count(*) FROM raw_segment.tracks WHERE id IS NULL)",
    "duplicate load": "SELECT (SELECT count(*) - count(DISTINCT id) FROM raw_salesforce.account) + "
                      "(SELECT count(*) - count(DISTINCT id) FROM raw_zendesk.ticket) + "
                      "(SELECT count(*) - count(DISTINCT id) FROM raw_stripe.invoice)",
    "duplicate segment message": "SELECT count(*) - count(DISTINCT id) FROM raw_segment.tracks",
    "soft delete": "SELECT (SELECT count(*) FROM raw_salesforce.contact WHERE is_deleted) + "
                   "(SELECT count(*) FROM raw_zendesk.ticket WHERE _fivetran_deleted) + "
                   "(SELECT count(*) FROM raw_stripe.invoice WHERE is_deleted)",
    "orphan ticket": "SELECT count(*) FROM raw_zendesk.ticket WHERE organization_id NOT IN "
                     "(SELECT id FROM raw_zendesk.organization WHERE id IS NOT NULL)",
    "orphan crm": "SELECT count(*) FROM raw_salesforce.contact WHERE account_id NOT IN (SELECT id FROM raw_salesforce.account WHERE id IS NOT NULL)",
    "orphan billing": "SELECT (SELECT count(*) FROM raw_stripe.charge WHERE customer_id NOT IN (SELECT id FROM raw_stripe.customer WHERE id IS NOT NULL)) "
                      "+ (SELECT count(*) FROM raw_stripe.invoice_line_item WHERE invoice_id NOT IN (SELECT id FROM raw_stripe.invoice WHERE id IS NOT NULL))",
    "future date": "SELECT (SELECT count(*) FROM raw_salesforce.task WHERE created_date > _fivetran_synced) + "
                   "(SELECT count(*) FROM raw_segment.tracks WHERE timestamp > received_at + INTERVAL 1 DAY)",
    "unparseable survey": "SELECT count(*) FROM raw_survey.nps_responses WHERE TRY_CAST(score AS INTEGER) IS NULL "
                          "OR TRY_CAST(created_at AS TIMESTAMPTZ) IS NULL",
    "malformed metadata": "SELECT count(*) FROM raw_stripe.customer WHERE json_valid(metadata) = false",
    "stripe customer without crm key": "SELECT count(*) FROM raw_stripe.customer WHERE json_valid(metadata) "
                                       "AND json_extract_string(metadata, '$.salesforce_account_id') IS NULL",
    "organization without external id": "SELECT count(*) FROM raw_zendesk.organization WHERE external_id IS NULL",
    # a known user's group call to a workspace no CRM account claims (a trial workspace); the workspaces of the
    # accounts whose CRM field was never filled in are unclaimed too, but none of their users is known elsewhere
    "unknown workspace": "WITH claimed AS (SELECT product_workspace_id_c AS ws FROM raw_salesforce.account "
                         "WHERE product_workspace_id_c IS NOT NULL) "
                         "SELECT count(*) FROM raw_segment.groups WHERE group_id NOT IN (SELECT ws FROM claimed) "
                         "AND user_id IN (SELECT user_id FROM raw_segment.groups WHERE group_id IN (SELECT ws FROM claimed))",
    "unknown respondent": "SELECT count(*) FROM raw_survey.nps_responses WHERE email NOT IN "
                          "(SELECT email FROM raw_salesforce.contact UNION SELECT email FROM raw_segment.identifies)",
}


@pytest.mark.parametrize("kind", sorted(BAD_ROW_CHECKS))
def test_dirty_adds_each_kind_of_bad_row_and_clean_has_none(kind, clean, dirty):
    assert q1(dirty, BAD_ROW_CHECKS[kind]) > 0
    assert q1(clean, BAD_ROW_CHECKS[kind]) == 0


def test_dirty_rows_are_few_and_the_clean_world_is_kept(clean, dirty):
    a, b = table_checksums(clean), table_checksums(dirty)
    total_clean = sum(n for n, _ in a.values())
    total_dirty = sum(n for n, _ in b.values())
    assert 0.001 < (total_dirty - total_clean) / total_clean < 0.02
    for name in a:
        assert b[name][0] >= a[name][0], name
    # every clean row is still there
    con = duckdb.connect(str(dirty), read_only=True)
    try:
        con.execute(f"ATTACH '{clean}' AS c (READ_ONLY)")
        for s, t in layout.all_tables():
            if t == "tracks":
                continue
            missing = con.execute(f'SELECT count(*) FROM (SELECT * FROM c.{s}."{t}" EXCEPT ALL SELECT * FROM {s}."{t}")').fetchone()[0]
            assert missing == 0, f"{s}.{t}"
    finally:
        con.close()


def test_other_schemas_are_left_alone(work):
    db = work / "shared.duckdb"
    con = duckdb.connect(str(db))
    con.execute("CREATE SCHEMA analytics; CREATE TABLE analytics.keep AS SELECT 42 AS x")
    con.close()
    kw = dict(accounts=20, start_date=dt.date(2025, 8, 1), end_date=dt.date(2025, 9, 30))
    build(db, **kw)
    build(db, **kw)                  # re-running replaces the raw schemas only
    assert q1(db, "SELECT x FROM analytics.keep") == 42
    assert q1(db, "SELECT count(*) FROM raw_salesforce.account") == 20


def test_naive_predictor_diagnostic(default_world, capsys):
    """Not an assertion on quality: prints the AUC of a naive usage predictor on the default world."""
    auc, n, churned = naive_auc(str(default_world))
    with capsys.disabled():
        print(f"\n[diagnostic] default world: AUC {auc:.3f} of 'workflow_completed per seat, last 90 days' "
              f"for churn at renewal 90 days ahead ({n} renewals, {churned} churned)")
    assert 0.5 < auc < 1.0


def test_account_constants_do_not_depend_on_the_number_of_accounts(work):
    kw = dict(start_date=dt.date(2026, 5, 1), end_date=dt.date(2026, 6, 30))
    small = build(work / "n30.duckdb", accounts=30, **kw)
    large = build(work / "n60.duckdb", accounts=60, **kw)
    cols = "id, name, customer_segment_c, industry, billing_country, product_workspace_id_c, created_date, parent_id"
    a = q(small, f"SELECT {cols} FROM raw_salesforce.account ORDER BY id")
    b = q(large, f"SELECT {cols} FROM raw_salesforce.account ORDER BY id")
    assert len(a) == 30 and a == b[:30]


def test_summary_reports_the_event_throughput(work, capsys):
    """The summary (and the printed report) give product events per second: events generated / wall seconds."""
    db = work / "throughput.duckdb"
    cfg = RunConfig(db=str(db), accounts=20, start_date=dt.date(2026, 5, 1), end_date=dt.date(2026, 6, 30))
    s = generate(cfg)
    out = capsys.readouterr().out
    assert s["product_events_generated"] > 0 and s["wall_seconds"] > 0
    assert s["events_per_second"] == pytest.approx(s["product_events_generated"] / s["wall_seconds"])
    assert s["tracks_rows_written"] == s["rows"]["raw_segment.tracks"] == q1(db, "SELECT count(*) FROM raw_segment.tracks")
    m = re.search(r"^product events per second: ([\d,]+)$", out, re.M)
    assert m and int(m.group(1).replace(",", "")) == round(s["events_per_second"])
    # the simulation's own rate: the same events over the seconds spent simulating (not waiting for the writer)
    assert 0 < s["simulation_seconds"] < s["wall_seconds"]
    assert s["simulated_events_per_second"] == pytest.approx(s["product_events_generated"] / s["simulation_seconds"])
    m = re.search(r"^product events per second of simulation alone: ([\d,]+) ", out, re.M)
    assert m and int(m.group(1).replace(",", "")) == round(s["simulated_events_per_second"])
    # progress while it runs: simulated days, then each table as it is written
    assert len(re.findall(r"^  simulated \d+/61 days, [\d,]+ product events$", out, re.M)) >= 5
    assert re.search(r"^  raw_salesforce\.account: [\d,]+ rows \(", out, re.M)
    assert out.index("simulation done") < out.index("raw_salesforce.account:") < out.index("rows written per table")


@pytest.mark.parametrize("dirty", [False, True])
def test_writer_builds_only_the_versions_it_keeps(dirty):
    """Multi-version records: the writer keeps the latest version loaded by the end date (and, with --dirty,
    version 0, which bad rows are derived from); the other versions are not built."""
    from types import SimpleNamespace

    from demo_world.tables import Builder
    key = np.array([1, 1, 1, 2, 2, 3, 3])
    ver = np.array([0, 1, 2, 0, 1, 0, 1])
    synced = np.array([10, 20, 99, 10, 20, 99, 99])        # cutoff 50: version 2 of record 1 and record 3 load later
    b = SimpleNamespace(c=SimpleNamespace(cutoff_us=50, dirty=dirty), one_version=set())
    keep = Builder.needed_versions(b, ("raw_x", "y"), key, ver, synced)
    want = [dirty, True, False, dirty, True, dirty, False]
    assert keep.tolist() == want
    assert b.one_version == (set() if dirty else {("raw_x", "y")})


def test_memory_limit_caps_the_writing_connection(work):
    """DuckDB caches the written blocks up to its memory_limit (default: 80% of RAM); the generator sets it."""
    from demo_world.warehouse import Warehouse
    cfg = RunConfig(db=str(work / "capped.duckdb"), accounts=5, memory_limit="1GB")
    wh = Warehouse(cfg)
    try:
        limit = wh.con.execute("SELECT current_setting('memory_limit')").fetchone()[0]
    finally:
        wh.close()
    assert limit in ("1.0 GiB", "953.6 MiB", "1.0 GB"), limit
    with pytest.raises(SystemExit, match="not a DuckDB memory size"):
        Warehouse(RunConfig(db=str(work / "capped.duckdb"), accounts=5, memory_limit="lots"))
    # the CLI default is a small cap, not DuckDB's 80% of RAM
    import generate_demo_world
    assert generate_demo_world.parse_args(["--db", "x.duckdb"]).memory_limit == "2GB"


# runs the command line as `python scripts/generate_demo_world.py ...` does, then says which modules it loaded
RUN_AND_LIST_MODULES = """
import runpy, sys
sys.argv = sys.argv[1:]
try:
    runpy.run_path(sys.argv[0], run_name="__main__")
except SystemExit as e:
    if e.code:
        raise
print("loaded:", " ".join(sorted(m for m in sys.modules if m.split(".")[0] in ("pandas", "pyarrow", "duckdb"))))
"""


@pytest.mark.parametrize("dirty", [False, True])
def test_the_command_line_runs_without_pandas(work, dirty):
    """pyarrow imports pandas on its first array conversion only to check the input's type (a quarter of a
    second before the first simulated day): the command line blocks the import, and every table, the dirty
    and the append paths included, is still written from numpy arrays and Arrow tables alone."""
    db = work / f"no_pandas_{dirty}.duckdb"
    args = [sys.executable, "-c", RUN_AND_LIST_MODULES, str(SCRIPT), "--db", str(db), "--accounts", "30",
            "--start-date", "2026-03-01", "--quiet"] + (["--dirty"] if dirty else [])
    first = subprocess.run(args + ["--end-date", "2026-06-29"], capture_output=True, text=True, cwd=ROOT)
    assert first.returncode == 0, first.stderr[-2000:]
    again = subprocess.run(args + ["--end-date", "2026-06-30", "--append-after", "2026-06-29"],
                           capture_output=True, text=True, cwd=ROOT)
    assert again.returncode == 0, again.stderr[-2000:]
    for run in (first, again):
        loaded = re.search(r"^loaded: (.*)$", run.stdout, re.M).group(1).split()
        assert "pyarrow" in loaded and "duckdb" in loaded
        assert not [m for m in loaded if m.split(".")[0] == "pandas"], loaded
    assert q1(db, "SELECT count(*) FROM raw_segment.tracks WHERE uuid_ts >= TIMESTAMPTZ '2026-06-30'") > 0
    # a process importing the generator keeps its pandas: the blocker is the command line's alone
    import importlib

    import generate_demo_world  # noqa: F401
    assert importlib.import_module("pandas").__name__ == "pandas"
