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
from typing import Dict, Optional

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
    def write(self, schema: str, table: str, query: str, n_accounts: int, seed: int, keep_stage: bool = False):
        """Write one raw table from `query` (layout columns + `_ver`, one row per record version).

        Keeps the latest version of each record loaded by the end date, adds bad rows with --dirty, and
        inserts (replace mode) or merges (append mode).  keep_stage leaves all versions in the temp table
        stg_<schema>_<table> for later queries."""
        con = self.con
        cols = layout.columns(schema, table)
        load = layout.load_column(schema)
        in_window = f"epoch_us({load}) < {self.cutoff_us}"
        merge = "id" in cols and (schema, table) not in layout.APPEND_ONLY
        latest = "QUALIFY row_number() OVER (PARTITION BY id ORDER BY _ver DESC) = 1" if merge else ""
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
    """Turns chunks of simulated product events into raw_segment.tracks rows (in a background thread)."""

    def __init__(self, wh: Warehouse, world, seed: int, threaded: bool = True):
        self.wh = wh
        self.w = world
        self.seed = seed
        self.rows = 0
        self.error: Optional[BaseException] = None
        w = world
        # per-slot identity hashes (user id, anonymous id), computed once
        self.ev_names = pa.array(N.EVENTS)
        self.ev_text = pa.array(N.EVENT_TEXT)
        self.ev_page = pa.array(N.EVENT_PAGE)
        self.libs = pa.array(["analytics-python"])
        self.user_ids = user_id_strings(seed, np.arange(w.total_slots))
        cols = layout.columns("raw_segment", "tracks")
        self.insert_sql = ("INSERT INTO raw_segment.tracks SELECT " +
                           ", ".join(f'CAST("{c}" AS VARCHAR)' if c == "id" else f'"{c}"' for c in cols)
                           + " FROM _tracks_chunk")
        self.lib_versions = pa.array(["2.3.2"])
        self.dirty_rate = rate_for("raw_segment", "tracks", w.n, wh.cfg.params) if wh.cfg.dirty else 0.0
        self.q: "queue.Queue" = queue.Queue(maxsize=1)
        self.threaded = threaded
        if threaded:
            self.t = threading.Thread(target=self._loop, daemon=True)
            self.t.start()

    def submit(self, chunk: dict):
        if self.error:
            raise self.error
        tab = self._build(chunk)
        if tab is None:
            return
        if self.threaded:
            self.q.put(tab)
        else:
            self._insert(tab)

    def _loop(self):
        while True:
            tab = self.q.get()
            if tab is None:
                return
            try:
                self._insert(tab)
            except BaseException as e:   # surfaced on the next submit/close
                self.error = e

    def close(self):
        if self.threaded:
            self.q.put(None)
            self.t.join()
        if self.error:
            raise self.error

    def _insert(self, tab: pa.Table):
        con = self.wh.con
        con.register("_tracks_chunk", tab)
        con.execute(self.insert_sql)
        con.unregister("_tracks_chunk")
        self.rows += tab.num_rows

    def _build(self, c: dict) -> Optional[pa.Table]:
        w = self.w
        slot, ev, ts, delay, load = c["slot"], c["ev"], c["ts"], c["delay"], c["load"]
        ida, idb = c["ida"], c["idb"]
        skew = w.slot_skew_us[slot]                          # a little client clock drift
        orig = ts + skew
        recv = ts + delay
        uuid = recv + load
        null_id = np.zeros(len(slot), dtype=bool)
        if self.dirty_rate:
            parts = [dict(slot=slot, ev=ev, ts=ts, orig=orig, recv=recv, uuid=uuid, ida=ida, idb=idb, null_id=null_id)]
            r = self.dirty_rate
            m = tracks_dirty_mask(ida, 0, r)            # the same message delivered twice
            if m.any():
                extra = ((idb[m].view(np.uint64) % np.uint64(90)).astype(np.int64) + 1) * US_PER_MIN
                parts.append(dict(slot=slot[m], ev=ev[m], ts=ts[m], orig=orig[m], recv=recv[m], uuid=uuid[m] + extra,
                                  ida=ida[m], idb=idb[m], null_id=null_id[m]))
            m = tracks_dirty_mask(ida, 21, r)           # a client clock days ahead
            if m.any():
                shift = ((idb[m].view(np.uint64) % np.uint64(40)).astype(np.int64) + 3) * US_PER_DAY
                parts.append(dict(slot=slot[m], ev=ev[m], ts=ts[m] + shift, orig=orig[m] + shift, recv=recv[m],
                                  uuid=uuid[m], ida=ida[m] ^ np.int64(0x5DEECE66D), idb=idb[m], null_id=null_id[m]))
            m = tracks_dirty_mask(ida, 42, r)           # a message without an id
            if m.any():
                parts.append(dict(slot=slot[m], ev=ev[m], ts=ts[m], orig=orig[m], recv=recv[m], uuid=uuid[m],
                                  ida=ida[m], idb=idb[m], null_id=np.ones(m.sum(), dtype=bool)))
            d = {k: np.concatenate([p[k] for p in parts]) for k in parts[0]}
            slot, ev, ts, orig, recv, uuid, ida, idb, null_id = (d[k] for k in
                                                                 ("slot", "ev", "ts", "orig", "recv", "uuid", "ida", "idb", "null_id"))
            delay = recv - ts
        keep = uuid < self.wh.cutoff_us
        if self.wh.after_us is not None:
            keep &= uuid >= self.wh.after_us
        if not keep.all():
            slot, ev, ts, orig, recv, uuid, ida, idb, null_id = (x[keep] for x in
                                                                 (slot, ev, ts, orig, recv, uuid, ida, idb, null_id))
        n = len(slot)
        if n == 0:
            return None
        skew = orig - ts
        E = pa.array(ev)
        T = lambda x: pa.array(x, type=pa.timestamp("us", tz="UTC"))   # noqa: E731
        tab = pa.table({
            # tracks are sent by the product backend (analytics-python): no anonymous id; the web app's
            # identify/group calls (analytics.js) carry the anonymous ids
            "id": uuid_ext(ida, idb, null_id if null_id.any() else None),
            "anonymous_id": pa.nulls(n, pa.string()),
            "user_id": self.user_ids.take(pa.array(slot)),
            "event": pa.DictionaryArray.from_arrays(E, self.ev_names),
            "event_text": pa.DictionaryArray.from_arrays(E, self.ev_text),
            "received_at": T(recv), "sent_at": T(recv + skew), "timestamp": T(ts), "original_timestamp": T(orig),
            "uuid_ts": T(uuid),
            "context_library_name": pa.DictionaryArray.from_arrays(pa.array(np.zeros(n, np.int8)), self.libs),
            "context_library_version": pa.DictionaryArray.from_arrays(pa.array(np.zeros(n, np.int8)), self.lib_versions),
            "context_page_path": pa.DictionaryArray.from_arrays(E, self.ev_page),
        })
        return pa.Table.from_batches(tab.to_batches(max_chunksize=122_880))


def _with_nulls(arr: pa.Array, null_mask: np.ndarray) -> pa.Array:
    valid = np.packbits(~null_mask, bitorder="little")
    bufs = arr.buffers()
    return pa.Array.from_buffers(arr.type, len(arr), [pa.py_buffer(valid), bufs[1], bufs[2]],
                                 null_count=int(null_mask.sum()))
