"""Deterministic randomness, id encoders and calendar helpers.

Two kinds of randomness are used:

* keyed hashes (`hunif`, `hnorm`, `hint`): a splitmix64 hash of
  (seed, key, integers...).  Used for anything that is a property of a thing
  (an account, a user slot, a record number), so that it does not depend on
  how many other things exist or on the order they are generated in.
* daily generators (`day_rng`): ``np.random.default_rng([seed, day, stream])``
  for what happens on one calendar day.  The simulation is causal, so a day's
  draws never depend on the end date.

Everything here is vectorized over numpy arrays.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Iterable

import numpy as np
import pyarrow as pa

U64 = np.uint64
_GOLD = U64(0x9E3779B97F4A7C15)
_M1 = U64(0xBF58476D1CE4E5B9)
_M2 = U64(0x94D049BB133111EB)
EPOCH = dt.date(1970, 1, 1)
US_PER_DAY = 86_400_000_000
US_PER_HOUR = 3_600_000_000
US_PER_MIN = 60_000_000
US_PER_S = 1_000_000

STREAMS = {"core": 1, "users": 2, "activity": 3, "events": 4, "support": 5, "csm": 6,
           "survey": 7, "billing": 8, "commercial": 9}


def key(name: str) -> int:
    """A stable 64-bit key for a string (independent of PYTHONHASHSEED)."""
    return int.from_bytes(hashlib.blake2b(name.encode(), digest_size=8).digest(), "little")


def _mix(z: np.ndarray) -> np.ndarray:
    z = z + _GOLD
    z = (z ^ (z >> U64(30))) * _M1
    z = (z ^ (z >> U64(27))) * _M2
    return z ^ (z >> U64(31))


def hash64(seed: int, name: str, *parts) -> np.ndarray:
    """splitmix64 chain over (seed, name, parts...); parts broadcast."""
    with np.errstate(over="ignore"):
        h = _mix(np.array([(seed * 0x2545F4914F6CDD1D + key(name)) & 0xFFFFFFFFFFFFFFFF], dtype=U64))
        for p in parts:
            p = np.asarray(p)
            if p.dtype.kind == "f":
                raise TypeError("hash parts must be integers")
            h = _mix(h ^ p.astype(np.int64).astype(U64))
    return h


def hunif(seed: int, name: str, *parts) -> np.ndarray:
    """Uniform [0, 1) keyed by (seed, name, parts)."""
    return (hash64(seed, name, *parts) >> U64(11)).astype(np.float64) * (1.0 / (1 << 53))


def hnorm(seed: int, name: str, *parts) -> np.ndarray:
    u1 = hunif(seed, name + "#1", *parts)
    u2 = hunif(seed, name + "#2", *parts)
    return np.sqrt(-2.0 * np.log1p(-u1)) * np.cos(2 * np.pi * u2)


def hint(seed: int, name: str, n: int, *parts) -> np.ndarray:
    """Integer in [0, n) keyed by parts."""
    return np.minimum((hunif(seed, name, *parts) * n).astype(np.int64), n - 1)


def day_rng(seed: int, abs_day: int, stream: str) -> np.random.Generator:
    return np.random.default_rng([seed & 0xFFFFFFFF, seed >> 32, abs_day, STREAMS[stream]])


def sigmoid(x):
    return 1.0 / (1.0 + np.exp(-x))


def choice_idx(u: np.ndarray, shares: Iterable[float]) -> np.ndarray:
    """Map uniforms to category indices by cumulative shares."""
    c = np.cumsum(np.asarray(list(shares), dtype=np.float64))
    c = c / c[-1]
    return np.minimum(np.searchsorted(c, u, side="right"), len(c) - 1)


# ---------------------------------------------------------------- calendar
def to_day(d: dt.date) -> int:
    return (d - EPOCH).days


def from_day(n: int) -> dt.date:
    return EPOCH + dt.timedelta(days=int(n))


def add_months(days: np.ndarray, k) -> np.ndarray:
    """Day numbers (since 1970) plus k months, day-of-month clipped."""
    d = np.asarray(days, dtype=np.int64).astype("datetime64[D]")
    m = d.astype("datetime64[M]")
    dom = (d - m.astype("datetime64[D]")).astype(np.int64)
    m2 = m + np.asarray(k, dtype=np.int64)
    first = m2.astype("datetime64[D]")
    mlen = ((m2 + 1).astype("datetime64[D]") - first).astype(np.int64)
    return (first + np.minimum(dom, mlen - 1)).astype(np.int64)


def day_of_month(days: np.ndarray) -> np.ndarray:
    d = np.asarray(days, dtype=np.int64).astype("datetime64[D]")
    return (d - d.astype("datetime64[M]").astype("datetime64[D]")).astype(np.int64) + 1


def weekday(abs_day) -> np.ndarray:
    """Monday = 0 (1970-01-01 was a Thursday)."""
    return (np.asarray(abs_day) + 3) % 7


# --------------------------------------------------------------- encoders
_HEX = np.frombuffer(b"0123456789abcdef", dtype=np.uint8)
_HEX2 = np.array([[_HEX[i >> 4], _HEX[i & 15]] for i in range(256)], dtype=np.uint8)
_B62 = np.frombuffer(b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz", dtype=np.uint8)


def _fixed_to_arrow(mat: np.ndarray) -> pa.Array:
    n, width = mat.shape
    mat = np.ascontiguousarray(mat)
    offsets = np.arange(n + 1, dtype=np.int32) * width if n * width < 2**31 else None
    if offsets is None:
        return pa.array(mat.view(f"S{width}").ravel()).cast(pa.large_string()).cast(pa.string())
    return pa.Array.from_buffers(pa.string(), n, [None, pa.py_buffer(offsets), pa.py_buffer(mat)])


def hex_mat(x: np.ndarray, nchars: int = 16) -> np.ndarray:
    """uint64 -> (n, nchars) ascii hex matrix, most significant digits last-trimmed."""
    b = np.ascontiguousarray(np.asarray(x, dtype=U64).byteswap()).view(np.uint8).reshape(-1, 8)
    return _HEX2[b].reshape(-1, 16)[:, :nchars]


def b62_mat(x: np.ndarray, nchars: int) -> np.ndarray:
    x = np.asarray(x, dtype=U64).copy()
    out = np.empty((x.shape[0], nchars), dtype=np.uint8)
    for i in range(nchars - 1, -1, -1):
        out[:, i] = _B62[(x % U64(62)).astype(np.int64)]
        x //= U64(62)
    return out


def concat_mats(*parts, n: int) -> np.ndarray:
    cols = []
    for p in parts:
        if isinstance(p, (bytes, str)):
            b = p.encode() if isinstance(p, str) else p
            cols.append(np.broadcast_to(np.frombuffer(b, dtype=np.uint8), (n, len(b))))
        else:
            cols.append(p)
    return np.concatenate(cols, axis=1) if cols else np.empty((n, 0), np.uint8)


def uuid_strings(a: np.ndarray, b: np.ndarray) -> pa.Array:
    """Two uint64 arrays -> UUID v4-formatted strings."""
    n = len(a)
    ha = hex_mat(a)
    hb = hex_mat(b)
    ha[:, 12] = ord("4")
    hb[:, 0] = _HEX[8 + (np.asarray(b, dtype=U64) & U64(3)).astype(np.int64)]
    dash = np.full((n, 1), ord("-"), dtype=np.uint8)
    mat = np.concatenate([ha[:, :8], dash, ha[:, 8:12], dash, ha[:, 12:16], dash, hb[:, :4], dash, hb[:, 4:16]], axis=1)
    return _fixed_to_arrow(mat)


def prefixed_hex(prefix: str, x: np.ndarray, nchars: int = 16) -> pa.Array:
    return _fixed_to_arrow(concat_mats(prefix, hex_mat(x, nchars), n=len(x)))


def stripe_ids(prefix: str, seed: int, kind: str, counter: np.ndarray, length: int = 24) -> pa.Array:
    """Stripe-like ids: prefix + '1' + random base62 + base62(counter) (unique per kind)."""
    counter = np.asarray(counter, dtype=np.int64)
    n = len(counter)
    h1 = hash64(seed, "sid1:" + kind, counter)
    h2 = hash64(seed, "sid2:" + kind, counter)
    tail = 6
    rand_len = length - 1 - tail
    r = np.concatenate([b62_mat(h1, 10), b62_mat(h2, 10)], axis=1)[:, :rand_len]
    scrambled = (counter * 1_000_003 + 7_777_777) % (62 ** tail)      # a bijection of the counter
    mat = concat_mats(prefix, "1", r, b62_mat(scrambled.astype(U64), tail), n=n)
    return _fixed_to_arrow(mat)


_SF_CK = np.frombuffer(b"ABCDEFGHIJKLMNOPQRSTUVWXYZ012345", dtype=np.uint8)


def sf_ids(prefix: str, number: np.ndarray, pod: str = "5g") -> pa.Array:
    """18-character Salesforce ids: key prefix, pod, base62 sequence, checksum suffix."""
    number = np.asarray(number, dtype=np.int64)
    n = len(number)
    body = concat_mats(prefix, pod, "0", b62_mat(number.astype(U64), 9), n=n)   # 15 chars
    upper = ((body >= ord("A")) & (body <= ord("Z"))).astype(np.int64)
    suffix = np.empty((n, 3), dtype=np.uint8)
    for c in range(3):
        bits = upper[:, c * 5:(c + 1) * 5] * (1 << np.arange(5))
        suffix[:, c] = _SF_CK[bits.sum(axis=1)]
    return _fixed_to_arrow(np.concatenate([body, suffix], axis=1))


def sf_id_scalar(prefix: str, number: int, pod: str = "5g") -> str:
    return sf_ids(prefix, np.array([number]), pod)[0].as_py()


def zendesk_ids(base: int, number: np.ndarray, modulus: int = 10**10) -> np.ndarray:
    """Large, unique, non-sequential-looking integers (a bijection of number mod modulus)."""
    number = np.asarray(number, dtype=np.int64)
    return base + (number * 2654435761) % modulus


def user_id_strings(seed: int, slot_global: np.ndarray) -> pa.Array:
    """Product user ids 'usr_' + 8 hex: a seed-keyed bijection of the global user slot (unique, 12 chars)."""
    x = np.asarray(slot_global, dtype=np.uint64) & U64(0xFFFFFFFF)
    k = int(hash64(seed, "user_id_key")[0]) & 0xFFFFFFFF
    with np.errstate(over="ignore"):
        for r in range(3):                      # a small Feistel-free bijection on 32 bits
            x = (x * U64(0x9E3779B1 | 1)) & U64(0xFFFFFFFF)
            x ^= (x >> U64(15)) ^ U64((k >> (r * 5)) & 0xFFFF)
    return _fixed_to_arrow(concat_mats("usr_", hex_mat(x << U64(32), 8), n=len(x)))


def uuid_ext(a: np.ndarray, b: np.ndarray, null_mask=None) -> pa.Array:
    """Two int64 arrays -> Arrow UUID (v4 layout) array; DuckDB casts it to text on insert."""
    n = len(a)
    raw = np.empty((n, 2), dtype=np.uint64)
    raw[:, 0] = a.view(np.uint64)
    raw[:, 1] = b.view(np.uint64)
    by = raw.view(np.uint8)          # little-endian words; fix the version and variant nibbles
    by[:, 6] = (by[:, 6] & 0x0F) | 0x40
    by[:, 8] = (by[:, 8] & 0x3F) | 0x80
    valid = None if null_mask is None else pa.py_buffer(np.packbits(~null_mask, bitorder="little"))
    fsb = pa.FixedSizeBinaryArray.from_buffers(pa.binary(16), n, [valid, pa.py_buffer(raw)],
                                               null_count=0 if null_mask is None else int(null_mask.sum()))
    return pa.ExtensionArray.from_storage(pa.uuid(), fsb)
