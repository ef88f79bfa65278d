"""Writing the raw schemas into DuckDB.

Replace mode drops and recreates the five raw schemas (nothing else in the
file is touched).  Append mode (--append-after D) keeps them and writes only
what was loaded after D, the way the loaders would:

* Fivetran tables with a primary key are merged: every record with a row
  loaded after D is deleted and written again with its current rows (an
  update lands as the record's new state, as a Fivetran sync does);
* append-only tables (Segment, ticket_field_history, the survey export) get
  the rows loaded after D inserted.

Either way the result equals a fresh run to the same end date.
"""

from __future__ import annotations

import queue
import threading
import time
from typing import Dict, List, Optional

import duckdb
import numpy as np
import pyarrow as pa

from . import layout
from . import names as N
from .dirty import dirty_selects, rate_for, tracks_dirty_mask
from .params import RunConfig
from .rand import US_PER_DAY, US_PER_MIN, to_day, user_id_strings, uuid_ext
from .sqlutil import MACROS


class Warehouse:
    def __init__(self, cfg: RunConfig):
        self.cfg = cfg
        self.cutoff_us = (to_day(cfg.end_date) + 1) * US_PER_DAY
        self.after_us = (to_day(cfg.append_after) + 1) * US_PER_DAY if cfg.append_after else None
        self.con = duckdb.connect(cfg.db)
        self.con.execute("SET TimeZone = 'UTC'")
        if cfg.memory_limit:
            # DuckDB's default is 80% of RAM: written blocks of the big tables stay cached up to it
            try:
                self.con.execute(f"SET memory_limit = '{cfg.memory_limit}'")
            except duckdb.Error as e:
                self.con.close()
                raise SystemExit(f"--memory-limit {cfg.memory_limit!r} is not a DuckDB memory size "
                                 f"(e.g. 4GB, 512MB): {e}")
        for m in MACROS:
            self.con.execute(m)
        self.rows: Dict[str, int] = {}

    @property
    def append(self) -> bool:
        return self.after_us is not None

    def prepare(self):
        con = self.con
        if self.append:
            missing = []
            for schema, table in layout.all_tables():
                got = con.execute("SELECT column_name FROM information_schema.columns WHERE table_schema = ? "
                                  "AND table_name = ? ORDER BY ordinal_position", [schema, table]).fetchall()
                if [g[0] for g in got] != layout.columns(schema, table):
                    missing.append(f"{schema}.{table}")
            if missing:
                raise SystemExit("--append-after needs the raw tables of an earlier run with the same layout; "
                                 "missing or different: " + ", ".join(missing))
            return
        for schema in layout.TABLES:
            con.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")
            con.execute(f"CREATE SCHEMA {schema}")
            for table in layout.TABLES[schema]:
                con.execute(layout.ddl(schema, table))

    # ------------------------------------------------------------ generic tables
    def write(self, schema: str, table: str, query: str, n_accounts: int, seed: int, keep_stage: bool = False,
              one_version: bool = False):
        """Write one raw table from `query` (layout columns + `_ver`, one row per record version).

        Keeps the latest version of each record loaded by the end date, adds bad rows with --dirty, and
        inserts (replace mode) or merges (append mode).  keep_stage leaves all versions in the temp table
        stg_<schema>_<table> for later queries.  one_version: the query has at most one row per record
        loaded by the end date, so there is no latest version to pick."""
        con = self.con
        cols = layout.columns(schema, table)
        load = layout.load_column(schema)
        in_window = f"epoch_us({load}) < {self.cutoff_us}"
        merge = "id" in cols and (schema, table) not in layout.APPEND_ONLY
        latest = "QUALIFY row_number() OVER (PARTITION BY id ORDER BY _ver DESC) = 1" if merge and not one_version else ""
        collist = ", ".join(f'"{c}"' for c in cols)
        key = "id, " if "id" in cols else ""
        # a total order (load time first) so that identical flags give byte-identical tables
        order = f'ORDER BY "{load}", {key}hash(' + collist + ")"
        target = f'{schema}."{table}"'
        stg = f"stg_{schema}_{table}"
        if not (keep_stage or self.cfg.dirty or self.append):
            n = con.execute(f"INSERT INTO {target} SELECT {collist} FROM ({query}) WHERE {in_window} {latest} "
                            f"{order}").fetchone()[0]
            self.rows[f"{schema}.{table}"] = self.rows.get(f"{schema}.{table}", 0) + int(n)
            return
        con.execute(f"CREATE OR REPLACE TEMP TABLE {stg} AS {query}")
        if not (self.cfg.dirty or self.append):      # kept for later queries only: insert straight from it
            n = con.execute(f"INSERT INTO {target} SELECT {collist} FROM {stg} WHERE {in_window} {latest} "
                            f"{order}").fetchone()[0]
            self.rows[f"{schema}.{table}"] = self.rows.get(f"{schema}.{table}", 0) + int(n)
            return
        con.execute(f"CREATE OR REPLACE TEMP TABLE _f AS SELECT * FROM {stg} WHERE {in_window} {latest}")
        if self.cfg.dirty:
            con.execute(f"CREATE OR REPLACE TEMP VIEW _v0 AS SELECT * FROM {stg} WHERE _ver = 0 AND {in_window}")
            for sel in dirty_selects(schema, table, seed, n_accounts, self.cfg.params, cols):
                con.execute(f"INSERT INTO _f SELECT * FROM ({sel}) WHERE {in_window}")
        if not self.append:
            n = con.execute(f"INSERT INTO {target} SELECT {collist} FROM _f {order}").fetchone()[0]
        elif merge:
            con.execute(f"CREATE OR REPLACE TEMP TABLE _aff AS SELECT DISTINCT id FROM _f "
                        f"WHERE id IS NOT NULL AND epoch_us({load}) >= {self.after_us}")
            con.execute(f"DELETE FROM {target} WHERE id IN (SELECT id FROM _aff)")
            n = con.execute(f"INSERT INTO {target} SELECT {collist} FROM _f WHERE id IN (SELECT id FROM _aff) "
                            f"OR (id IS NULL AND epoch_us({load}) >= {self.after_us}) {order}").fetchone()[0]
        else:
            n = con.execute(f"INSERT INTO {target} SELECT {collist} FROM _f "
                            f"WHERE epoch_us({load}) >= {self.after_us} {order}").fetchone()[0]
        self.rows[f"{schema}.{table}"] = self.rows.get(f"{schema}.{table}", 0) + int(n)

    def close(self):
        self.con.execute("CHECKPOINT")
        self.con.close()


class TracksWriter:
    """Turns chunks of simulated product events into raw_segment.tracks rows.

    Runs in a background thread on its own DuckDB connection, so the inserts go on while the simulation
    runs and while the other tables are written.  Chunks are inserted in the order they were submitted."""

    def __init__(self, wh: Warehouse, world, seed: int, threaded: bool = True, max_pending: int = 8):
        self.wh = wh
        self.w = world
        self.seed = seed
        self.rows = 0
        self.wait_seconds = 0.0
        self.error: Optional[BaseException] = None
        self.con = wh.con.cursor()
        self.con.execute("SET TimeZone = 'UTC'")
        self.ev_names = pa.array(N.EVENTS)
        self.ev_text = pa.array(N.EVENT_TEXT)
        self.ev_page = pa.array(N.EVENT_PAGE)
        self.user_ids = user_id_strings(seed, np.arange(world.total_slots))     # per slot, computed once
        dic, tsz = pa.dictionary(pa.int8(), pa.string()), pa.timestamp("us", tz="UTC")
        self.schema = pa.schema([("id", pa.uuid()), ("anonymous_id", pa.string()), ("user_id", pa.string()),
                                 ("event", dic), ("event_text", dic),
                                 *[(c, tsz) for c in ("received_at", "sent_at", "timestamp", "original_timestamp",
                                                      "uuid_ts")],
                                 ("context_page_path", dic)])
        # every track is sent by the product backend's library: the same two strings on every row, written
        # as SQL constants (cheaper to append than a column scanned from the chunk)
        library = {"context_library_name": "'analytics-python'", "context_library_version": "'2.3.2'"}
        cols = layout.columns("raw_segment", "tracks")
        self.insert_sql = ("INSERT INTO raw_segment.tracks SELECT " +
                           ", ".join('CAST("id" AS VARCHAR)' if c == "id" else library.get(c, f'"{c}"')
                                     for c in cols)
                           + " FROM _tracks_chunk")
        self.dirty_rate = rate_for("raw_segment", "tracks", world.n, wh.cfg.params) if wh.cfg.dirty else 0.0
        self.q: "queue.Queue" = queue.Queue(maxsize=max_pending)
        self.threaded = threaded
        if threaded:
            self.t = threading.Thread(target=self._loop, daemon=True)
            self.t.start()

    def submit(self, parts: List[dict]):
        """One chunk of events, as the list of parts the simulation collected (not concatenated)."""
        if self.error:
            raise self.error
        t0 = time.perf_counter()
        if self.threaded:
            self.q.put(parts)
        else:
            self._write(parts)
        self.wait_seconds += time.perf_counter() - t0   # the simulation waiting for (or doing) the write

    def _loop(self):
        while True:
            parts = self.q.get()
            if parts is None:
                return
            if self.error:
                continue                 # drain the queue so that submit never blocks
            try:
                self._write(parts)
            except BaseException as e:   # surfaced on the next submit/close
                self.error = e

    def close(self):
        if self.threaded:
            self.q.put(None)
            self.t.join()
        self.con.close()
        if self.error:
            raise self.error

    def _write(self, parts: List[dict]):
        tab = self._build(parts)
        if tab.num_rows == 0:
            return
        self.con.register("_tracks_chunk", tab)
        self.con.execute(self.insert_sql)
        self.con.unregister("_tracks_chunk")
        self.rows += tab.num_rows

    def _build(self, parts: List[dict]) -> pa.Table:
        """The chunk's rows in order: its clean rows, then (with --dirty) each kind of bad row."""
        c = {k: np.concatenate([p[k] for p in parts]) for k in parts[0]}
        ts = c["ts"]
        recv = ts + c["delay"]
        s = dict(slot=c["slot"], ev=c["ev"], ts=ts, orig=ts + self.w.slot_skew_us[c["slot"]],   # client clock drift
                 recv=recv, uuid=recv + c["load"], ida=c["ida"], idb=c["idb"], null_id=None)
        segs = [s] + (self._dirty(s) if self.dirty_rate else [])
        return pa.Table.from_batches([b for x in segs for b in self._batches(x)], schema=self.schema)

    def _dirty(self, s: dict) -> List[dict]:
        """Bad rows derived from the chunk's clean rows: duplicate deliveries, clocks days ahead, no id."""
        r = self.dirty_rate
        sub = lambda m: {k: (v[m] if v is not None else None) for k, v in s.items()}   # noqa: E731
        d = sub(tracks_dirty_mask(s["ida"], 0, r))            # the same message delivered twice
        d["uuid"] = d["uuid"] + ((d["idb"].view(np.uint64) % np.uint64(90)).astype(np.int64) + 1) * US_PER_MIN
        a = sub(tracks_dirty_mask(s["ida"], 21, r))           # a client clock days ahead
        shift = ((a["idb"].view(np.uint64) % np.uint64(40)).astype(np.int64) + 3) * US_PER_DAY
        a.update(ts=a["ts"] + shift, orig=a["orig"] + shift, ida=a["ida"] ^ np.int64(0x5DEECE66D))
        z = sub(tracks_dirty_mask(s["ida"], 42, r))           # a message without an id
        z["null_id"] = np.ones(len(z["ida"]), dtype=bool)
        return [d, a, z]

    def _batches(self, s: dict) -> List[pa.RecordBatch]:
        keep = s["uuid"] < self.wh.cutoff_us
        if self.wh.after_us is not None:
            keep &= s["uuid"] >= self.wh.after_us
        if not keep.all():
            s = {k: (v[keep] if v is not None else None) for k, v in s.items()}
        n = len(s["slot"])
        if n == 0:
            return []
        ts, orig, recv = s["ts"], s["orig"], s["recv"]
        E = pa.array(s["ev"])
        T = lambda x: pa.Array.from_buffers(self.schema.field("uuid_ts").type, n, [None, pa.py_buffer(x)])   # noqa: E731
        batch = pa.RecordBatch.from_arrays([
            # tracks are sent by the product backend (analytics-python): no anonymous id; the web app's
            # identify/group calls (analytics.js) carry the anonymous ids
            uuid_ext(s["ida"], s["idb"], s["null_id"]),
            pa.nulls(n, pa.string()),
            self.user_ids.take(pa.array(s["slot"])),
            pa.DictionaryArray.from_arrays(E, self.ev_names),
            pa.DictionaryArray.from_arrays(E, self.ev_text),
            T(recv), T(recv + (orig - ts)), T(np.ascontiguousarray(ts)), T(np.ascontiguousarray(orig)),
            T(np.ascontiguousarray(s["uuid"])),
            pa.DictionaryArray.from_arrays(E, self.ev_page),
        ], schema=self.schema)
        return pa.Table.from_batches([batch]).to_batches(max_chunksize=122_880)
