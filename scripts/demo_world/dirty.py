"""Realistic bad rows for --dirty.

Every bad row is *added* next to the clean rows (the clean world stays a
subset of the dirty one) and is derived from the first version of one clean
record, selected by a hash of its key, so the same record always yields the
same bad rows whatever the end date (needed for --append-after).

Kinds (see KINDS): null primary key, stale duplicate load, soft delete,
orphan reference, future-dated record, unparseable text value, unmatched
cross-system identity, duplicate Segment delivery.
"""

from __future__ import annotations

from typing import Dict, List, Tuple

import numpy as np

from .params import Params
from .rand import US_PER_DAY

KINDS = ("null_pk", "duplicate", "soft_deleted", "orphan", "future_date", "unparseable", "unmatched")

# expected version-0 rows per account, used to turn the per-table minimum into a rate that does not
# depend on the end date (so appends stay consistent); static tables give an absolute count instead
PER_ACCOUNT = {
    ("raw_salesforce", "account"): 1.0, ("raw_salesforce", "contact"): 3.3, ("raw_salesforce", "opportunity"): 2.5,
    ("raw_salesforce", "task"): 15.0, ("raw_salesforce", "event"): 3.5, ("raw_zendesk", "organization"): 1.0,
    ("raw_zendesk", "user"): 7.0, ("raw_zendesk", "ticket"): 15.0, ("raw_zendesk", "ticket_field_history"): 100.0,
    ("raw_stripe", "customer"): 1.0, ("raw_stripe", "subscription"): 1.0, ("raw_stripe", "invoice"): 11.0,
    ("raw_stripe", "invoice_line_item"): 11.0, ("raw_stripe", "charge"): 10.0, ("raw_segment", "identifies"): 24.0,
    ("raw_segment", "groups"): 24.0, ("raw_segment", "tracks"): 2500.0, ("raw_survey", "nps_responses"): 2.0,
}
STATIC_ROWS = {("raw_salesforce", "user"): 25, ("raw_stripe", "price"): 12}


def rate_for(schema: str, table: str, n_accounts: int, p: Params) -> float:
    if (schema, table) in STATIC_ROWS:
        return min(0.5, p.dirty_min_rows / STATIC_ROWS[(schema, table)] / 2)
    expected = PER_ACCOUNT.get((schema, table), 1.0) * max(n_accounts, 1)
    return float(min(0.05, max(p.dirty_rate, p.dirty_min_rows / expected)))


def _sel(key: str, kind: str, seed: int, rate: float) -> str:
    return f"(hash(CAST({key} AS VARCHAR) || ':{kind}:{seed}') % 1000000) < {int(rate * 1_000_000)}"


def _new_id(style: str, tag: str) -> str:
    if style == "sf":
        return f"substr(id, 1, 3) || 'Z{tag}' || substr(id, 6)"
    if style == "stripe":
        return f"regexp_replace(id, '_1', '_Z{tag}')"
    if style == "zd":
        return f"id + {(ord(tag) - 96)} * 1000000000000"
    if style == "survey":
        return f"'9{ord(tag) - 96}' || id"
    raise ValueError(style)


def _stale_sync(tcol: str) -> str:
    return ("make_timestamp(epoch_us(_fivetran_synced) - (epoch_us(_fivetran_synced) - "
            f"epoch_us(coalesce({tcol}, _fivetran_synced))) // 2)")


def _future(col: str) -> str:
    return f"make_timestamp(epoch_us(_fivetran_synced) + CAST(3 + hash(CAST(id AS VARCHAR)) % 40 AS BIGINT) * {US_PER_DAY})"


ORPHAN_SF = "'0015gZZ' || upper(substr(md5(CAST(id AS VARCHAR)), 1, 8)) || 'AAA'"

# table -> (id style, time column for stale copies, {kind: (tag, replacements)})
SPECS: Dict[Tuple[str, str], tuple] = {
    ("raw_salesforce", "user"): ("sf", "last_modified_date", {
        "duplicate": ("d", "department := NULL"),
    }),
    ("raw_salesforce", "account"): ("sf", "last_modified_date", {
        "null_pk": ("n", None),
        "duplicate": ("d", "number_of_employees := CAST(number_of_employees * 0.8 AS INTEGER), "
                           "annual_revenue := round(annual_revenue * 0.8, -3)"),
        "soft_deleted": ("x", "is_deleted := true, name := name || ' (duplicate)'"),
        "future_date": ("f", "created_date := {future}"),
    }),
    ("raw_salesforce", "contact"): ("sf", "last_modified_date", {
        "null_pk": ("n", None),
        "duplicate": ("d", "title := NULL, phone := NULL"),
        "soft_deleted": ("x", "is_deleted := true"),
        "orphan": ("o", f"account_id := {ORPHAN_SF}"),
        "future_date": ("f", "created_date := {future}"),
    }),
    ("raw_salesforce", "opportunity"): ("sf", "last_modified_date", {
        "null_pk": ("n", None),
        "duplicate": ("d", "stage_name := 'Prospecting', probability := 10.0, forecast_category := 'Pipeline', "
                           "is_closed := false, is_won := false, churn_reason_c := NULL"),
        "soft_deleted": ("x", "is_deleted := true, _fivetran_deleted := true"),
        "orphan": ("o", f"account_id := {ORPHAN_SF}"),
    }),
    ("raw_salesforce", "task"): ("sf", "created_date", {
        "null_pk": ("n", None),
        "soft_deleted": ("x", "is_deleted := true"),
        "orphan": ("o", f"account_id := {ORPHAN_SF}"),
        "future_date": ("f", "created_date := {future}, activity_date := CAST({future} AS DATE)"),
    }),
    ("raw_salesforce", "event"): ("sf", "created_date", {
        "soft_deleted": ("x", "is_deleted := true"),
        "orphan": ("o", f"account_id := {ORPHAN_SF}"),
        "future_date": ("f", "created_date := {future}"),
    }),
    ("raw_zendesk", "organization"): ("zd", "updated_at", {
        "duplicate": ("d", "name := lower(name)"),
        "soft_deleted": ("x", "_fivetran_deleted := true"),
        "unmatched": ("u", "external_id := NULL, name := name || ' (support only)'"),
    }),
    ("raw_zendesk", "user"): ("zd", "updated_at", {
        "null_pk": ("n", None),
        "duplicate": ("d", "name := lower(name)"),
        "soft_deleted": ("x", "_fivetran_deleted := true, active := false"),
    }),
    ("raw_zendesk", "ticket"): ("zd", "updated_at", {
        "null_pk": ("n", None),
        "duplicate": ("d", "status := 'new', assignee_id := NULL"),
        "soft_deleted": ("x", "_fivetran_deleted := true, status := 'deleted'"),
        "orphan": ("o", "organization_id := 999000000000 + id % 1000000"),
        "future_date": ("f", "created_at := {future}, updated_at := {future}"),
    }),
    ("raw_zendesk", "ticket_field_history"): (None, None, {
        "orphan": ("o", "ticket_id := ticket_id + 900000000"),
        "future_date": ("f", f"updated := make_timestamp(epoch_us(_fivetran_synced) + 5 * {US_PER_DAY})"),
    }),
    ("raw_stripe", "customer"): ("stripe", "created", {
        "null_pk": ("n", None),
        "duplicate": ("d", "email := NULL"),
        "soft_deleted": ("x", "is_deleted := true"),
        "unmatched": ("u", "metadata := regexp_replace(metadata, '\"salesforce_account_id\": \"[^\"]*\", ', '')"),
        "unparseable": ("m", "metadata := substr(metadata, 1, 40)"),
    }),
    ("raw_stripe", "price"): ("stripe", "created", {
        "duplicate": ("d", "nickname := nickname || ' (legacy)'"),
    }),
    ("raw_stripe", "subscription"): ("stripe", "created", {
        "duplicate": ("d", "status := 'trialing'"),
        "soft_deleted": ("x", "_fivetran_deleted := true"),
        "orphan": ("o", "customer_id := 'cus_Zorphan' || substr(md5(id), 1, 6)"),
    }),
    ("raw_stripe", "invoice"): ("stripe", "created", {
        "null_pk": ("n", None),
        "duplicate": ("d", "status := 'draft', amount_paid := 0, paid := false, status_transitions_paid_at := NULL"),
        "soft_deleted": ("x", "is_deleted := true"),
        "orphan": ("o", "customer_id := 'cus_Zorphan' || substr(md5(id), 1, 6)"),
        "future_date": ("f", "created := {future}"),
    }),
    ("raw_stripe", "invoice_line_item"): ("stripe", None, {
        "null_pk": ("n", None),
        "orphan": ("o", "invoice_id := 'in_Zorphan' || substr(md5(id), 1, 14)"),
    }),
    ("raw_stripe", "charge"): ("stripe", None, {
        "null_pk": ("n", None),
        "orphan": ("o", "customer_id := 'cus_Zorphan' || substr(md5(id), 1, 6)"),
        "future_date": ("f", "created := {future}"),
    }),
    ("raw_segment", "identifies"): (None, None, {
        "null_pk": ("n", "id := NULL"),
        "duplicate": ("d", f"uuid_ts := uuid_ts + (1 + hash(id) % 90) * INTERVAL 1 MINUTE"),
    }),
    ("raw_segment", "groups"): (None, None, {
        "duplicate": ("d", f"uuid_ts := uuid_ts + (1 + hash(id) % 90) * INTERVAL 1 MINUTE"),
        "unmatched": ("u", "id := substr(md5(id || 'u'), 1, 8) || '-' || substr(md5(id || 'u'), 9, 4) || '-4' || "
                           "substr(md5(id || 'u'), 14, 3) || '-a' || substr(md5(id || 'u'), 18, 3) || '-' || "
                           "substr(md5(id || 'u'), 21, 12), group_id := 'ws_' || substr(md5(group_id || 'trial'), 1, 16), "
                           "name := 'Trial workspace'"),
    }),
    ("raw_survey", "nps_responses"): ("survey", None, {
        "null_pk": ("n", None),
        "duplicate": ("d", "_loaded_at := _loaded_at + INTERVAL 1 DAY"),
        "unparseable": ("p", "score := CASE WHEN hash(id) % 2 = 0 THEN 'N/A' ELSE 'ten' END"),
        "unparseable_date": ("q", "created_at := 'yesterday'"),
        "unmatched": ("u", "email := 'former.employee' || substr(md5(email), 1, 6) || '@gmail.com'"),
    }),
}
KEY = {("raw_zendesk", "ticket_field_history"): "ticket_id || field_name || CAST(updated AS VARCHAR)"}


def dirty_selects(schema: str, table: str, seed: int, n_accounts: int, p: Params, cols: List[str]) -> List[str]:
    """SELECTs over `_v0` (version-0 rows of the staged table) that produce the bad rows."""
    spec = SPECS.get((schema, table))
    if spec is None:
        return []
    style, tcol, kinds = spec
    rate = rate_for(schema, table, n_accounts, p)
    key = KEY.get((schema, table), "id")
    out = []
    for kind, (tag, repl) in kinds.items():
        assigns = []
        if kind == "null_pk":
            assigns.append("id := NULL")
        elif kind == "duplicate" and style is not None and "_fivetran_synced" in cols:
            assigns.append(f"_fivetran_synced := {_stale_sync(tcol)}" if tcol else "")
        elif style is not None and kind not in ("duplicate",):
            assigns.append(f"id := {_new_id(style, tag)}")
        if repl:
            assigns.append(repl.format(future=_future("_fivetran_synced")))
        assigns = [a for a in assigns if a]
        rep = _to_replace(assigns)
        out.append(f"SELECT * REPLACE ({rep}) FROM _v0 WHERE {_sel(key, kind, seed, rate)}" if rep else
                   f"SELECT * FROM _v0 WHERE {_sel(key, kind, seed, rate)}")
    return out


def _to_replace(assigns: List[str]) -> str:
    """Turn 'a := x, b := y' fragments into 'x AS a, y AS b' (splitting on top-level commas)."""
    items = []
    for frag in assigns:
        depth, cur, buf = 0, "", []
        for ch in frag:
            if ch in "([":
                depth += 1
            elif ch in ")]":
                depth -= 1
            if ch == "," and depth == 0:
                buf.append(cur)
                cur = ""
            else:
                cur += ch
        buf.append(cur)
        for b in buf:
            b = b.strip()
            if not b:
                continue
            col, expr = b.split(":=", 1)
            items.append(f"{expr.strip()} AS {col.strip()}")
    # later assignments to the same column win
    seen = {}
    for it in items:
        seen[it.rsplit(" AS ", 1)[1]] = it
    return ", ".join(seen.values())


# ------------------------------------------------------------------ tracks (numpy, per chunk)
def tracks_dirty_mask(ida: np.ndarray, kind_bits: int, rate: float) -> np.ndarray:
    """Row-local selection for tracks from the message id bits."""
    h = (ida.view(np.uint64) >> np.uint64(kind_bits)) % np.uint64(1_000_000)
    return h < np.uint64(int(rate * 1_000_000))
