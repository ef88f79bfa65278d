"""Small helpers shared by the table builders."""

from __future__ import annotations

import json
from typing import Iterable, Optional

import numpy as np
import pyarrow as pa

from .rand import US_PER_MIN, hash64

# SQL macros installed on the connection (all times travel as int64 microseconds since 1970, -1 = null)
MACROS = [
    "CREATE OR REPLACE TEMP MACRO ts(x) AS CASE WHEN x >= 0 THEN make_timestamp(x) END",
    "CREATE OR REPLACE TEMP MACRO dt(d) AS CASE WHEN d > -100000 THEN DATE '1970-01-01' + CAST(d AS INTEGER) END",
    "CREATE OR REPLACE TEMP MACRO dt_us(x) AS CAST(make_timestamp(x) AS DATE)",
    "CREATE OR REPLACE TEMP MACRO nz(x) AS CASE WHEN x >= 0 THEN x END",
]


def q(s: Optional[str]) -> str:
    if s is None:
        return "NULL"
    return "'" + str(s).replace("'", "''") + "'"


def sql_list(items: Iterable) -> str:
    return "[" + ", ".join(q(x) if x is None or isinstance(x, str) else repr(x) for x in items) + "]"


def pick(items: Iterable, expr: str) -> str:
    """SQL expression choosing items[expr] (0-based)."""
    return f"{sql_list(items)}[({expr}) + 1]"


def table(**cols) -> pa.Table:
    out = {}
    for k, v in cols.items():
        if isinstance(v, (pa.Array, pa.ChunkedArray)):
            out[k] = v
        else:
            v = np.asarray(v)
            if v.dtype == object:
                out[k] = pa.array(v.tolist(), type=pa.string())
            elif v.dtype.kind == "U":
                out[k] = pa.array(v.astype(object).tolist(), type=pa.string())
            else:
                out[k] = pa.array(v)
    return pa.table(out)


def sync_us(seed: int, t_us: np.ndarray, every_min: int, jitter_min: int, offset_min: int, *key) -> np.ndarray:
    """Fivetran load time: the next sync of the connector after t, plus a few minutes of processing."""
    t_us = np.asarray(t_us, dtype=np.int64)
    every = every_min * US_PER_MIN
    off = offset_min * US_PER_MIN
    nxt = ((t_us - off) // every + 1) * every + off
    jit = (hash64(seed, "sync", *key) % np.uint64(jitter_min * US_PER_MIN)).astype(np.int64) + US_PER_MIN
    return nxt + jit


def js(d: dict) -> str:
    return json.dumps(d, separators=(", ", ": "))
