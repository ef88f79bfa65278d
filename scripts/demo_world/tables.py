"""Build the raw tables (except Segment tracks) from a finished simulation.

Each builder registers numeric Arrow tables on the DuckDB connection and
returns a SQL query producing exactly the layout columns of one raw table,
plus `_ver` (version number of the record; the writer keeps the latest
version loaded by the end date).  String columns (ids, names, subjects) are
built in SQL from small lookups.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

import numpy as np
import pyarrow as pa

from . import names as N
from .params import COVERAGE, SEGMENTS, Params
from .rand import (US_PER_DAY, US_PER_HOUR, US_PER_MIN, US_PER_S, hash64, hint, hunif, prefixed_hex,
                   sf_ids, stripe_ids, user_id_strings, uuid_ext, uuid_strings, zendesk_ids)
from .simulate import (OT_CONTRACTION, OT_EXPANSION, OT_NEW, OT_RENEWAL, SE_ACTIVE, SE_CANCEL, SE_END, SE_PAST_DUE,
                       SE_PERIOD, ST_NEGOTIATION, ST_PROSPECTING, ST_WON, Simulation)
from .sqlutil import pick, sql_list, sync_us, table
from .world import NEVER, World

COMPANY_DOMAIN = "loopwise.io"
SF, ZD, ST = 0, 1, 2          # connectors (index into Params.sync_every_minutes)
PLAN = ("starter", "growth", "enterprise")
PLAN_NAME = ("Starter", "Growth", "Enterprise")
ZD_BASE_ORG, ZD_BASE_USER, ZD_BASE_AGENT, ZD_BASE_GROUP = 370_000_000_000, 400_000_000_000, 380_000_000_000, 360_000_000_000
ZD_BRAND = 360_003_529_474
TICKET_BASE = 10_000


@dataclass
class Ctx:
    world: World
    sim: Simulation
    con: object
    seed: int
    params: Params
    cutoff_us: Optional[int] = None      # loads at or after this are not written (see Warehouse.write)
    dirty: bool = False                  # --dirty: bad rows are derived from each record's version 0


class Builder:
    # tables whose query gives one row per record (a single version), so the writer need not pick the latest
    SINGLE_VERSION = {("raw_stripe", "price"), ("raw_salesforce", "user"), ("raw_salesforce", "task"),
                      ("raw_salesforce", "event"), ("raw_zendesk", "organization"), ("raw_zendesk", "user"),
                      ("raw_stripe", "invoice_line_item"), ("raw_stripe", "charge")}

    def __init__(self, ctx: Ctx):
        self.c = ctx
        self.w = ctx.world
        self.s = ctx.sim
        self.p = ctx.params
        self.seed = ctx.seed
        self.con = ctx.con
        self.reasons = list(self.p.ext_reasons) + list(self.p.behaviour_reasons) + ["Champion left"]
        self.one_version = set(self.SINGLE_VERSION)      # grows with the tables whose versions get trimmed
        self._register_lookups()

    # ------------------------------------------------------------- plumbing
    def reg(self, name: str, tab: pa.Table):
        # several record batches, so that DuckDB scans (and builds the rows) on all its threads
        self.con.register(name, pa.Table.from_batches(tab.to_batches(max_chunksize=16_384), schema=tab.schema))

    def sync(self, connector: int, t_us, *key):
        every = self.p.sync_every_minutes[connector]
        return sync_us(self.seed, t_us, every, self.p.sync_jitter_minutes, (7, 3, 11)[connector], connector, *key)

    def needed_versions(self, table: tuple, key: np.ndarray, ver: np.ndarray, synced: np.ndarray) -> np.ndarray:
        """Mask of the versions the writer can use: each record's latest version loaded by the end date (and
        its version 0, which --dirty derives bad rows from).  The others would have their text built only to
        be dropped.  Without --dirty that leaves one row per record: `table` joins self.one_version."""
        if self.c.cutoff_us is None or not len(key):
            return np.ones(len(key), dtype=bool)
        loaded = synced < self.c.cutoff_us
        latest = np.full(int(key.max()) + 1, -1, dtype=np.int64)
        np.maximum.at(latest, key[loaded], ver[loaded])
        keep = loaded & (ver == latest[key])
        if self.c.dirty:
            return keep | (ver == 0)
        self.one_version.add(table)
        return keep

    # -------------------------------------------------------------- lookups
    def _register_lookups(self):
        w, s = self.w, self.s
        a = w.idx
        n = w.n
        acct_sf = sf_ids("001", a + 1)
        parent_sf = sf_ids("001", np.maximum(w.parent, 0) + 1)
        ws = prefixed_hex("ws_", w.workspace_hash, 16)
        cus = stripe_ids("cus_", self.seed, "cus", a, 14)
        sub = stripe_ids("sub_", self.seed, "sub", a, 24)
        si = stripe_ids("si_", self.seed, "si", a, 14)
        org = zendesk_ids(ZD_BASE_ORG, a)
        price_idx = np.where(w.seg == 0, w.price_tier, np.where(w.seg == 1, 3 + w.price_tier * 2 + (w.interval == 12),
                                                                  9 + w.price_tier))
        prices = self._price_rows()
        self.price_ids = prices["id"]
        inv_prefix = [h.upper() for h in prefixed_hex("", hash64(self.seed, "inv_prefix", a), 8).to_pylist()]
        created_us = w.created_day * US_PER_DAY + (hunif(self.seed, "acct_created_tod", a) * 9 * US_PER_HOUR).astype(np.int64) \
            + (np.array(N.REGION_SESSION_HOUR_UTC)[w.region] * US_PER_HOUR).astype(np.int64) - 4 * US_PER_HOUR
        self.acct_created_us = np.maximum(created_us, w.created_day * US_PER_DAY)
        countries = N.COUNTRIES
        self.reg("lk_acct", table(
            a=a, sf_id=acct_sf, name=np.array(w.name, dtype=object), legal_name=np.array(w.legal_name, dtype=object),
            domain=np.array(w.domain, dtype=object), ws_id=ws, seg=w.seg.astype(np.int64), region=w.region,
            crm_ws_id=pa.array(ws.to_pylist(), mask=w.crm_workspace_missing),   # the CRM field, when filled in
            country=np.array([countries[i][0] for i in w.country], dtype=object),
            country_code=np.array([countries[i][1] for i in w.country], dtype=object),
            tz=np.array([countries[i][4] for i in w.country], dtype=object),
            locale=np.array([countries[i][5] for i in w.country], dtype=object),
            industry=np.array([N.INDUSTRIES[i] for i in w.industry], dtype=object), employees=w.employees,
            revenue=w.revenue, parent_sf=pa.array(parent_sf.to_pylist(), mask=w.parent < 0),
            csm_sf=sf_ids("005", w.csm_user), ae_sf=sf_ids("005", w.ae_user), created_us=self.acct_created_us,
            orig_start=w.orig_start, new_logo=w.new_logo, seats0=w.seats0, unit_month=w.unit_month,
            interval=w.interval, term=w.term, card=w.card, net_days=w.net_days,
            price_id=pa.array(self.price_ids).take(pa.array(price_idx)), cus_id=cus, sub_id=sub, si_id=si,
            org_id=org, bill_tod=s.bill_tod, inv_prefix=np.array(inv_prefix, dtype=object), tenure=w.tenure))

        # product users (slots that were ever invited)
        used = s.n_used
        slots = np.concatenate([np.arange(o, o + u) for o, u in zip(w.slot_offset, used)]) if n else np.zeros(0, np.int64)
        slots = slots.astype(np.int64)
        sa, sn = w.slot_acct[slots], w.slot_no[slots]
        fi, la = w.slot_first[slots], w.slot_last[slots]
        # emails unique within an account: later duplicates of a first.last get the slot number
        key = (sa * 1000 + fi) * 1000 + la
        _, first_idx = np.unique(key, return_index=True)
        dup = np.ones(len(slots), dtype=bool)
        dup[first_idx] = False
        self.slots = slots
        ah = hash64(self.seed, "anon_a", sa, sn)
        bh = hash64(self.seed, "anon_b", sa, sn)
        self.reg("lk_slot", table(
            s=slots, a=sa, slot_no=sn, fi=fi, la=la, dup=dup, role=w.slot_role[slots].astype(np.int64),
            user_id=user_id_strings(self.seed, slots), anon_id=uuid_ext(ah.view(np.int64), bh.view(np.int64))))
        self.con.execute(f"""
            CREATE OR REPLACE TEMP TABLE slot AS
            SELECT s.* REPLACE (CAST(s.anon_id AS VARCHAR) AS anon_id), {pick(N.FIRST_NAMES, 'fi')} AS first, {pick(N.LAST_NAMES, 'la')} AS last,
                   {pick(N.FIRST_NAMES, 'fi')} || ' ' || {pick(N.LAST_NAMES, 'la')} AS full_name,
                   lower({pick(N.FIRST_NAMES, 'fi')} || '.' || {pick(N.LAST_NAMES, 'la')})
                     || CASE WHEN dup THEN CAST(slot_no AS VARCHAR) ELSE '' END || '@' || k.domain AS email
            FROM lk_slot s JOIN lk_acct k USING (a)""")

        # Salesforce contacts: initial ones from the world, later champions from the simulation
        nc = w.n_contacts0
        c_acct = np.repeat(a, nc)
        c_k = np.arange(w.total_contacts0) - np.repeat(w.contact_offset, nc)
        has_exec = w.seg[c_acct] > 0
        kind = np.where(c_k == 0, 0, np.where((c_k == 1) & has_exec, 1, 2))
        c_slot = np.where(kind == 0, 0, np.where(kind == 1, -1, c_k - has_exec.astype(np.int64)))
        nl = w.new_logo[c_acct]
        base = self.acct_created_us[c_acct]
        sign_us = w.sign_day[c_acct] * US_PER_DAY
        d = hint(self.seed, "contact_created", 30, c_acct, c_k)
        c_created = np.where(nl & (kind == 2), sign_us + (3 + d) * US_PER_DAY, base + (1 + d * (kind > 0)) * US_PER_DAY) \
            + hint(self.seed, "contact_tod", 8 * 60, c_acct, c_k) * US_PER_MIN
        cn = s.buf.get("contact_new")
        if cn:
            c_num = np.concatenate([np.arange(w.total_contacts0), cn["contact"]])
            c_acct = np.concatenate([c_acct, cn["acct"]])
            kind = np.concatenate([kind, np.full(len(cn["acct"]), 3)])      # 3 = new champion
            c_slot = np.concatenate([c_slot, cn["slot"]])
            c_created = np.concatenate([c_created, cn["t_us"]])
        else:
            c_num = np.arange(w.total_contacts0)
        # a contact's product slot must exist in the slot lookup; contacts without one use their own name
        self.reg("lk_contact", table(c=c_num, a=c_acct, kind=kind, slot_no=c_slot, created=c_created,
                                     efi=hint(self.seed, "exec_first", len(N.FIRST_NAMES), c_acct, c_num),
                                     ela=hint(self.seed, "exec_last", len(N.LAST_NAMES), c_acct, c_num),
                                     sf_id=sf_ids("003", c_num + 1),
                                     title_i=hint(self.seed, "title", 6, c_acct, c_num)))
        self.con.execute(f"""
            CREATE OR REPLACE TEMP TABLE contact_lk AS
            SELECT c.*, k.domain,
              coalesce(u.first, {pick(N.FIRST_NAMES, 'c.efi')}) AS first,
              coalesce(u.last, {pick(N.LAST_NAMES, 'c.ela')}) AS last,
              coalesce(u.email, lower(substr({pick(N.FIRST_NAMES, 'c.efi')}, 1, 1) || {pick(N.LAST_NAMES, 'c.ela')})
                || '@' || k.domain) AS email,
              CASE WHEN c.kind IN (0, 3) THEN {pick(N.TITLES_CHAMPION, 'c.title_i')}
                   WHEN c.kind = 1 THEN {pick(N.TITLES_EXEC, 'c.title_i')}
                   ELSE {pick(N.TITLES_USER, 'c.title_i')} END AS title
            FROM lk_contact c JOIN lk_acct k USING (a)
            LEFT JOIN slot u ON u.a = c.a AND u.slot_no = c.slot_no  -- exec sponsors have slot_no -1
            """)

        # opportunities: historical ones (before the window) first, then the simulation's
        self._hist_opps()

    # ---------------------------------------------------------------- prices
    def _price_rows(self):
        rows = []
        p = self.p
        for seg in range(3):
            for tier in range(3):
                intervals = (1,) if seg == 0 else ((3, 12) if seg == 1 else (12,))
                for iv in intervals:
                    rows.append((seg, tier, iv))
        ids = stripe_ids("price_", self.seed, "price", np.arange(len(rows)), 24).to_pylist()
        self._prices = [(ids[i], *r, p.seat_price_cents[r[0]][r[1]] * r[2]) for i, r in enumerate(rows)]
        return {"id": ids}

    def price(self):
        rows = self._prices
        n = len(rows)
        k = np.arange(n)
        created = (self.w.start_day - 1200 + 20 * k) * US_PER_DAY + 15 * US_PER_HOUR
        self.reg("src_price", table(
            id=np.array([r[0] for r in rows], dtype=object), seg=np.array([r[1] for r in rows]),
            tier=np.array([r[2] for r in rows]), iv=np.array([r[3] for r in rows]),
            unit=np.array([r[4] for r in rows]), created=created, synced=self.sync(ST, created, k),
            product=np.array([stripe_ids("prod_", self.seed, "prod", np.array([r[1]]), 14)[0].as_py() for r in rows], dtype=object)))
        return f"""
        SELECT id, ts(synced) AS _fivetran_synced, false AS _fivetran_deleted, false AS is_deleted, true AS active,
          {pick(PLAN_NAME, 'seg')} || ' ' || CASE iv WHEN 1 THEN 'monthly' WHEN 3 THEN 'quarterly' ELSE 'annual' END
            || ' (list ' || CASE tier WHEN 0 THEN 'A' WHEN 1 THEN 'B' ELSE 'C' END || ')' AS nickname,
          product AS product_id, 'usd' AS currency, unit AS unit_amount, 'per_unit' AS billing_scheme,
          'recurring' AS type, CASE WHEN iv = 12 THEN 'year' ELSE 'month' END AS recurring_interval,
          CASE WHEN iv = 12 THEN 1 ELSE iv END AS recurring_interval_count, 'licensed' AS recurring_usage_type,
          true AS livemode, ts(created) AS created, 0 AS _ver
        FROM src_price"""

    # ------------------------------------------------------------ salesforce
    def sf_user(self):
        u = self.w.sf_users()
        created = u.created_day * US_PER_DAY + 16 * US_PER_HOUR
        modified = created + hint(self.seed, "sfu_mod", 200, u.number) * US_PER_DAY
        modified = np.minimum(modified, (self.w.start_day - 1) * US_PER_DAY)
        modified = np.maximum(modified, created)
        self.reg("src_sfuser", table(
            id=sf_ids("005", u.number), first=np.array(u.first, dtype=object), last=np.array(u.last, dtype=object),
            title=np.array(u.title, dtype=object), dept=np.array(u.department, dtype=object),
            created=created, modified=modified, synced=self.sync(SF, modified, u.number)))
        return f"""
        SELECT id, ts(synced) AS _fivetran_synced, false AS _fivetran_deleted, first || ' ' || last AS name,
          first AS first_name, last AS last_name,
          lower(replace(first, ' ', '') || '.' || last) || '@{COMPANY_DOMAIN}' AS email, title, dept AS department,
          true AS is_active, 'Standard' AS user_type, ts(created) AS created_date, ts(modified) AS last_modified_date,
          0 AS _ver
        FROM src_sfuser"""

    def _hist_opps(self):
        """Closed opportunities from before the window (and new-logo deals), numbered before the simulation's."""
        w = self.w
        rows = {k: [] for k in ("acct", "otype", "created", "close_day", "seats", "term", "stage_path")}
        a = w.idx
        # existing customers: the original new-business deal and each earlier renewal
        ex = np.flatnonzero(~w.new_logo)
        for k in range(0, int(w.tenure.max(initial=0)) + 1):
            m = ex[w.tenure[ex] >= k]
            start, _ = w.contract_bounds(np.full(len(m), k), m)
            lead = np.where(k == 0, 45, 120)
            rows["acct"].append(m)
            rows["otype"].append(np.full(len(m), OT_NEW if k == 0 else OT_RENEWAL))
            rows["created"].append((start - lead) * US_PER_DAY + hint(self.seed, "hopp_tod", 9, m, k) * US_PER_HOUR + 13 * US_PER_HOUR)
            rows["close_day"].append(start)
            rows["seats"].append(w.seats0[m])
            rows["term"].append(w.term[m])
            rows["stage_path"].append(np.zeros(len(m), dtype=np.int64))
        nl = np.flatnonzero(w.new_logo)
        rows["acct"].append(nl)
        rows["otype"].append(np.full(len(nl), OT_NEW))
        rows["created"].append(self.acct_created_us[nl] + 5 * US_PER_DAY)
        rows["close_day"].append(w.sign_day[nl])
        rows["seats"].append(w.seats0[nl])
        rows["term"].append(w.term[nl])
        rows["stage_path"].append(np.ones(len(nl), dtype=np.int64))
        h = {k: np.concatenate(v) for k, v in rows.items()}
        order = np.lexsort((h["acct"], h["created"]))
        h = {k: v[order] for k, v in h.items()}
        self.n_hist_opps = len(h["acct"])
        self.hist = h

    def opportunity(self):
        w, s = self.w, self.s
        h = self.hist
        nh = self.n_hist_opps
        num = np.arange(nh)
        # versions of historical opportunities: closed ones are one version; new-logo deals move through stages
        close_us = h["close_day"] * US_PER_DAY + hint(self.seed, "hopp_close", 8, num) * US_PER_HOUR + 14 * US_PER_HOUR
        v_opp, v_t, v_stage, v_close, v_seats, v_amount = [], [], [], [], [], []
        unit = w.unit_month[h["acct"]] * 12 / 100.0
        closed_once = h["stage_path"] == 0
        v_opp += [num[closed_once]]
        v_t += [close_us[closed_once]]
        v_stage += [np.full(closed_once.sum(), ST_WON)]
        nlm = ~closed_once
        neg_us = np.maximum(h["close_day"][nlm] - 20, h["created"][nlm] // US_PER_DAY + 1) * US_PER_DAY + 15 * US_PER_HOUR
        v_opp += [num[nlm], num[nlm], num[nlm]]
        v_t += [h["created"][nlm], neg_us, close_us[nlm]]
        v_stage += [np.full(nlm.sum(), ST_PROSPECTING), np.full(nlm.sum(), ST_NEGOTIATION), np.full(nlm.sum(), ST_WON)]
        hv_opp = np.concatenate(v_opp)
        hv = dict(opp=hv_opp, t_us=np.concatenate(v_t), stage=np.concatenate(v_stage),
                  amount=(h["seats"] * unit)[hv_opp], seats=h["seats"][hv_opp], close_day=h["close_day"][hv_opp],
                  reason=np.full(len(hv_opp), -1))
        hdr = dict(opp=num, acct=h["acct"], otype=h["otype"], created_us=h["created"],
                   owner=np.where(h["otype"] == OT_NEW, w.ae_user[h["acct"]], w.csm_user[h["acct"]]), term=h["term"])
        so = s.buf.get("opp")
        sv = s.buf.get("opp_ver")
        if so:
            hdr = {k: np.concatenate([hdr[k], so[k] + (nh if k == "opp" else 0)]) for k in hdr}
            hv = {k: np.concatenate([hv[k], sv[k] + (nh if k == "opp" else 0)]) for k in hv}
        self.reg("src_opp", table(**hdr, sf_id=sf_ids("006", hdr["opp"] + 1)))
        self.reg("src_opp_ver", table(**hv, synced=self.sync(SF, hv["t_us"], hv["opp"], hv["stage"])))
        self.opp_sf = dict(zip(hdr["opp"].tolist(), range(len(hdr["opp"]))))
        stage = sql_list(["Prospecting", "Negotiation", "Closed Won", "Closed Lost"])
        return f"""
        SELECT o.sf_id AS id, ts(v.synced) AS _fivetran_synced, false AS _fivetran_deleted, false AS is_deleted,
          k.sf_id AS account_id, CAST(sf.id AS VARCHAR) AS owner_id,
          k.name || ' - ' || {pick(['New Business', 'Renewal', 'Expansion', 'Contraction'], 'o.otype')}
            || CASE WHEN o.otype = {OT_RENEWAL} THEN ' ' || CAST(year(dt(v0.close_day)) AS VARCHAR)
                    WHEN o.otype IN ({OT_EXPANSION}, {OT_CONTRACTION}) THEN ' (' || strftime(ts(o.created_us), '%b %Y') || ')'
                    ELSE '' END AS name,
          {pick(['New Business', 'Renewal', 'Expansion', 'Contraction'], 'o.otype')} AS type,
          {stage}[v.stage + 1] AS stage_name, round(v.amount, 2) AS amount,
          CAST(CASE v.stage WHEN 0 THEN 10 WHEN 1 THEN 60 WHEN 2 THEN 100 ELSE 0 END AS DOUBLE) AS probability,
          CASE v.stage WHEN 0 THEN 'Pipeline' WHEN 1 THEN 'Best Case' WHEN 2 THEN 'Closed' ELSE 'Omitted' END AS forecast_category,
          v.stage >= 2 AS is_closed, v.stage = 2 AS is_won, dt(v.close_day) AS close_date,
          ts(o.created_us) AS created_date, ts(v.t_us) AS last_modified_date, CAST(v.seats AS DOUBLE) AS seats_c,
          CAST(o.term AS DOUBLE) AS contract_term_months_c,
          CASE WHEN v.reason >= 0 AND v.stage = 3 THEN {sql_list(self.reasons)}[v.reason + 1] END AS churn_reason_c,
          CAST(row_number() OVER (PARTITION BY v.opp ORDER BY v.t_us, v.stage) - 1 AS INTEGER) AS _ver
        FROM src_opp_ver v JOIN src_opp o USING (opp) JOIN lk_acct k ON k.a = o.acct
        JOIN (SELECT opp, first(close_day ORDER BY t_us, stage) AS close_day FROM src_opp_ver GROUP BY opp) v0 USING (opp)
        LEFT JOIN (SELECT number, id FROM src_sfuser_num) sf ON sf.number = o.owner"""

    def register_sfuser_numbers(self):
        u = self.w.sf_users()
        self.reg("src_sfuser_num", table(number=u.number, id=sf_ids("005", u.number)))

    def contact(self):
        s = self.s
        cl = s.buf.get("contact_left")
        self.con.execute("CREATE OR REPLACE TEMP TABLE src_contact_ver AS SELECT c AS c, created AS t_us, false AS gone, 0 AS _ver FROM contact_lk")
        if cl:
            self.reg("src_contact_left", table(c=cl["contact"], t_us=cl["t_us"]))
            self.con.execute("INSERT INTO src_contact_ver SELECT c, t_us, true, 1 FROM src_contact_left")
        ver = self.con.execute("SELECT c, t_us, _ver FROM src_contact_ver").to_arrow_table()
        synced = self.sync(SF, ver["t_us"].to_numpy(), ver["c"].to_numpy(), ver["_ver"].to_numpy())
        self.reg("src_contact_sync", pa.table({"c": ver["c"], "_ver": ver["_ver"], "synced": synced}))
        return f"""
        SELECT c.sf_id AS id, ts(y.synced) AS _fivetran_synced, false AS _fivetran_deleted, false AS is_deleted,
          k.sf_id AS account_id, c.first AS first_name, c.last AS last_name, c.first || ' ' || c.last AS name,
          c.email, c.title,
          '+1 555 ' || lpad(CAST((c.c * 7919) % 1000 AS VARCHAR), 3, '0') || ' ' || lpad(CAST((c.c * 104729) % 10000 AS VARCHAR), 4, '0') AS phone,
          ts(c.created) AS created_date, ts(v.t_us) AS last_modified_date,
          c.kind = 1 AS is_executive_sponsor_c, c.kind IN (0, 3) AS is_champion_c, v.gone AS no_longer_at_company_c,
          v._ver
        FROM src_contact_ver v JOIN contact_lk c USING (c) JOIN lk_acct k ON k.a = c.a
        JOIN src_contact_sync y ON y.c = v.c AND y._ver = v._ver"""

    def account(self):
        w, s = self.w, self.s
        a = w.idx
        S = w.start_day
        # version 0: a prospect (new logos) or a customer on its current contract, last touched at its start
        cur_s, cur_e = w.contract_bounds(w.tenure, a)
        v0_t = np.where(w.new_logo, self.acct_created_us, np.maximum(cur_s * US_PER_DAY + s.bill_tod, self.acct_created_us))
        cols = dict(a=[a], t_us=[v0_t], typ=[np.where(w.new_logo, 0, 1)],
                    seats=[np.where(w.new_logo, -1, w.seats0)], cstart=[np.where(w.new_logo, -NEVER, cur_s)],
                    cend=[np.where(w.new_logo, -NEVER, cur_e)], owner=[np.where(w.new_logo, w.ae_user, w.csm_user)],
                    ord=[np.zeros(w.n, dtype=np.int64)])
        lg = s.buf.get("acct_log")
        if lg:
            cols["a"].append(lg["acct"])
            cols["t_us"].append(lg["t_us"])
            cols["typ"].append(np.where(lg["kind"] == 4, 2, 1))
            cols["seats"].append(lg["seats"])
            cols["cstart"].append(lg["cstart"])
            cols["cend"].append(lg["cend"])
            cols["owner"].append(w.csm_user[lg["acct"]])
            cols["ord"].append(np.arange(1, len(lg["acct"]) + 1))
        v = {k: np.concatenate(x) for k, x in cols.items()}
        v["synced"] = self.sync(SF, v["t_us"], v["a"], v["ord"])
        self.reg("src_acct_ver", table(**v))
        types = sql_list(["Prospect", "Customer", "Former Customer"])
        return f"""
        WITH act AS (
          SELECT account_id, activity_date, _fivetran_synced FROM stg_raw_salesforce_task
          UNION ALL SELECT account_id, activity_date, _fivetran_synced FROM stg_raw_salesforce_event
        ), v AS (
          SELECT v.*, k.*, ts(v.synced) AS synced_ts,
            CAST(row_number() OVER (PARTITION BY v.a ORDER BY v.t_us, v.ord) - 1 AS INTEGER) AS _ver
          FROM src_acct_ver v JOIN lk_acct k USING (a)
        ), la AS (
          SELECT v.a, v._ver, max(x.activity_date) AS last_activity_date
          FROM v JOIN act x ON x.account_id = v.sf_id AND x._fivetran_synced <= v.synced_ts
               AND x.activity_date <= CAST(v.synced_ts AS DATE)
          GROUP BY ALL
        )
        SELECT v.sf_id AS id, v.synced_ts AS _fivetran_synced, false AS _fivetran_deleted, false AS is_deleted,
          v.legal_name AS name, {types}[v.typ + 1] AS type, v.industry,
          CAST(v.employees AS INTEGER) AS number_of_employees, CAST(v.revenue AS DOUBLE) AS annual_revenue,
          v.country AS billing_country, v.country_code AS billing_country_code, 'https://www.' || v.domain AS website,
          CAST(u.id AS VARCHAR) AS owner_id, v.parent_sf AS parent_id, ts(v.created_us) AS created_date,
          ts(v.t_us) AS last_modified_date, la.last_activity_date,
          {pick(SEGMENTS, 'v.seg')} AS customer_segment_c, {pick(COVERAGE, 'v.seg')} AS cs_coverage_model_c,
          v.crm_ws_id AS product_workspace_id_c,
          CASE WHEN v.seats >= 0 THEN round(v.seats * v.unit_month * 12 / 100.0, 2) END AS arr_c,
          CASE WHEN v.seats >= 0 THEN CAST(v.seats AS DOUBLE) END AS licensed_seats_c,
          dt(v.cstart) AS contract_start_date_c, dt(v.cend) AS contract_end_date_c, v._ver
        FROM v LEFT JOIN la USING (a, _ver) LEFT JOIN src_sfuser_num u ON u.number = v.owner"""

    def task(self):
        t = self.s.buf.get("task")
        if not t:
            t = {k: np.zeros(0, np.int64) for k in ("task", "acct", "call", "sentiment", "created", "subj", "who", "what", "owner")}
        what = np.where(t["what"] >= 0, t["what"] + self.n_hist_opps, -1)
        self.reg("src_task", table(task=t["task"], a=t["acct"], call=t["call"], sentiment=t["sentiment"],
                                   created=t["created"], subj=t["subj"], who=t["who"],
                                   what=pa.array(sf_ids("006", np.maximum(what, 0) + 1).to_pylist(), mask=what < 0),
                                   owner=t["owner"], id=sf_ids("00T", t["task"] + 1),
                                   synced=self.sync(SF, t["created"], t["task"], 1)))
        call_subj = ["Check-in call", "Adoption review call", "Renewal check-in call", "Support follow-up call"]
        mail_subj = ["Follow-up email", "Training resources email", "Renewal reminder email", "Feature announcement email"]
        desc = ["Customer is happy with the rollout and wants to add use cases.", "Routine touch base, no major issues.",
                "Customer raised concerns about adoption and open tickets."]
        return f"""
        SELECT t.id, ts(t.synced) AS _fivetran_synced, false AS _fivetran_deleted, false AS is_deleted,
          k.sf_id AS account_id, c.sf_id AS who_id, t.what AS what_id, CAST(u.id AS VARCHAR) AS owner_id,
          CASE WHEN k.seg = 0 THEN 'Automated health check-in email'
               WHEN t.call THEN {pick(call_subj, 't.subj')} ELSE {pick(mail_subj, 't.subj')} END AS subject,
          CASE WHEN t.call THEN 'Call' ELSE 'Email' END AS type, CASE WHEN t.call THEN 'Call' ELSE 'Email' END AS task_subtype,
          'Completed' AS status, 'Normal' AS priority, true AS is_closed, dt_us(t.created) AS activity_date,
          ts(t.created) AS created_date,
          CASE WHEN t.sentiment >= 0 THEN {pick(desc, 't.sentiment')} END AS description,
          CASE WHEN t.sentiment >= 0 THEN {pick(['Positive', 'Neutral', 'Negative'], 't.sentiment')} END AS csm_sentiment_c,
          0 AS _ver
        FROM src_task t JOIN lk_acct k ON k.a = t.a LEFT JOIN contact_lk c ON c.c = t.who
        LEFT JOIN src_sfuser_num u ON u.number = t.owner"""

    def event(self):
        m = self.s.buf.get("meeting")
        if not m:
            m = {k: np.zeros(0, np.int64) for k in ("meeting", "acct", "mtype", "created", "start", "minutes", "who", "what", "owner")}
        what = np.where(m["what"] >= 0, m["what"] + self.n_hist_opps, -1)
        self.reg("src_meeting", table(id=sf_ids("00U", m["meeting"] + 1), a=m["acct"], mtype=m["mtype"].astype(np.int64),
                                      created=m["created"], start=m["start"], minutes=m["minutes"], who=m["who"],
                                      what=pa.array(sf_ids("006", np.maximum(what, 0) + 1).to_pylist(), mask=what < 0),
                                      owner=m["owner"], synced=self.sync(SF, m["created"], m["meeting"], 2)))
        mt = ["QBR", "Executive Sponsor", "Check-in", "Onboarding", "Training"]
        subj = ["Quarterly business review", "Executive sponsor sync", "Check-in", "Onboarding kickoff", "Training session"]
        return f"""
        SELECT m.id, ts(m.synced) AS _fivetran_synced, false AS _fivetran_deleted, false AS is_deleted,
          k.sf_id AS account_id, c.sf_id AS who_id, m.what AS what_id, CAST(u.id AS VARCHAR) AS owner_id,
          {pick(subj, 'm.mtype')} || ' - ' || k.name AS subject, 'Meeting' AS type,
          dt_us(m.start) AS activity_date, ts(m.start) AS activity_date_time, ts(m.start) AS start_date_time,
          ts(m.start + m.minutes * {US_PER_MIN}) AS end_date_time, CAST(m.minutes AS INTEGER) AS duration_in_minutes,
          ts(m.created) AS created_date, {pick(mt, 'm.mtype')} AS meeting_type_c, 0 AS _ver
        FROM src_meeting m JOIN lk_acct k ON k.a = m.a LEFT JOIN contact_lk c ON c.c = m.who
        LEFT JOIN src_sfuser_num u ON u.number = m.owner"""

    # --------------------------------------------------------------- zendesk
    def zd_organization(self):
        w = self.w
        a = w.idx
        created = w.sign_day * US_PER_DAY - (1 + hint(self.seed, "org_created", 5, a)) * US_PER_DAY \
            + hint(self.seed, "org_tod", 8 * 60, a) * US_PER_MIN + 9 * US_PER_HOUR
        self.org_created = created
        self.reg("src_org", table(a=a, created=created, synced=self.sync(ZD, created, a)))
        return f"""
        SELECT k.org_id AS id, ts(o.synced) AS _fivetran_synced, false AS _fivetran_deleted, k.legal_name AS name,
          k.sf_id AS external_id, NULL::VARCHAR AS details, NULL::VARCHAR AS notes,
          {ZD_BASE_GROUP} + 101 + k.seg AS group_id, false AS shared_tickets, false AS shared_comments,
          'https://{COMPANY_DOMAIN.split('.')[0]}.zendesk.com/api/v2/organizations/' || k.org_id || '.json' AS url,
          ts(o.created) AS created_at, ts(o.created) AS updated_at, 0 AS _ver
        FROM src_org o JOIN lk_acct k USING (a)"""

    def zd_ticket(self):
        t = self.s.buf.get("ticket")
        if not t:
            self.reg("src_ticket", table(ticket=np.zeros(0, np.int64)))
            self.con.execute("CREATE OR REPLACE TEMP TABLE src_ticket_ver AS SELECT 0::BIGINT ticket, 0::BIGINT t_us, 0 st, 0 _ver, 0::BIGINT synced WHERE false")
            self.con.execute("CREATE OR REPLACE TEMP VIEW src_ticket_ver_used AS SELECT * FROM src_ticket_ver")
            self.con.execute("CREATE OR REPLACE TEMP TABLE src_tfh AS SELECT 0::BIGINT ticket, 0::BIGINT field, 0::BIGINT t_us, 0::BIGINT val, 0::BIGINT who, 0::BIGINT synced WHERE false")
        else:
            n = len(t["ticket"])
            req_sa = self.w.slot_acct[t["slot"]]
            req_sn = self.w.slot_no[t["slot"]]
            self.reg("src_ticket", table(
                ticket=t["ticket"], a=t["acct"], req_no=req_sn, created=t["created"], agent=t["agent"],
                prio=np.where(t["prio_null"], -1, t["prio"]).astype(np.int64),
                prio1=np.where(t["prio_null"], -1, t["prio"] + t["escalate"]).astype(np.int64),
                topic=t["topic"], channel=t["channel"], requester=zendesk_ids(ZD_BASE_USER, req_sa * 1024 + req_sn)))
            # versions: new, open, (pending), solved, closed
            parts = [(t["created"], 0), (t["t_open"], 1), (t["t_pending"], 2), (t["t_solved"], 3), (t["t_closed"], 4)]
            tk, tu, st = [], [], []
            for times, code in parts:
                m = times >= 0
                tk.append(t["ticket"][m]); tu.append(times[m]); st.append(np.full(m.sum(), code))
            tk, tu, st = np.concatenate(tk), np.concatenate(tu), np.concatenate(st)
            order = np.lexsort((st, tk))
            tk, tu, st = tk[order], tu[order], st[order]
            first = np.r_[0, np.flatnonzero(np.diff(tk)) + 1]
            ver = np.arange(len(tk)) - np.repeat(first, np.diff(np.r_[first, len(tk)]))
            synced = self.sync(ZD, tu, tk, ver)
            self.reg("src_ticket_ver", table(ticket=tk, t_us=tu, st=st, _ver=ver, synced=synced))
            m = self.needed_versions(("raw_zendesk", "ticket"), tk, ver, synced)
            self.reg("src_ticket_ver_used", table(ticket=tk[m], t_us=tu[m], st=st[m], _ver=ver[m], synced=synced[m]))
            # field history rows (numeric codes; the strings are built in SQL)
            agent = zendesk_ids(ZD_BASE_AGENT, t["agent"])
            req = zendesk_ids(ZD_BASE_USER, req_sa * 1024 + req_sn)
            prio = t["prio"].astype(np.int64)
            # field: 0 status, 1 priority, 2 assignee_id, 3 satisfaction_score
            # value: status 0 new 1 open 2 pending 3 solved 4 closed; priority 0..3; csat 0 offered 1 good 2 bad;
            #        assignee: the agent id
            parts = []

            def add(mask, field, times, value, who):
                m = np.flatnonzero(mask)
                val = np.broadcast_to(np.asarray(value, dtype=np.int64), (n,))[m]
                parts.append((t["ticket"][m], np.full(len(m), field, np.int8), times[m], val, who[m]))
            allm = np.ones(n, dtype=bool)
            add(allm, 0, t["created"], 0, req)
            add(~t["prio_null"], 1, t["created"], np.minimum(prio, 3), req)
            add(allm, 0, t["t_open"], 1, agent)
            add(allm, 2, t["t_open"], agent, agent)
            add(t["escalate"], 1, t["t_open"], np.minimum(prio + 1, 3), agent)
            add(t["t_pending"] >= 0, 0, t["t_pending"], 2, agent)
            add(allm, 0, t["t_solved"], 3, agent)
            add(allm, 0, t["t_closed"], 4, agent)
            add(t["t_offer"] >= 0, 3, t["t_offer"], 0, agent)
            add(t["t_resp"] >= 0, 3, t["t_resp"], np.where(t["bad"], 2, 1), req)
            cols = [np.concatenate(c) for c in zip(*parts)]
            self.reg("src_tfh", table(ticket=cols[0], field=cols[1].astype(np.int64), t_us=cols[2], val=cols[3],
                                      who=cols[4], synced=self.sync(ZD, cols[2], cols[0], cols[1].astype(np.int64) + 7)))
        topics = [x[0] for x in N.TICKET_TOPICS]
        types = [x[1] for x in N.TICKET_TOPICS]
        status = sql_list(["new", "open", "pending", "solved", "closed"])
        sub = COMPANY_DOMAIN.split(".")[0]
        return f"""
        SELECT {TICKET_BASE} + t.ticket AS id, ts(v.synced) AS _fivetran_synced, false AS _fivetran_deleted,
          k.org_id AS organization_id, t.requester AS requester_id, t.requester AS submitter_id,
          CASE WHEN v.st >= 1 THEN {ZD_BASE_AGENT} + (t.agent * 2654435761) % 10000000000 END AS assignee_id,
          {ZD_BASE_GROUP} + 101 + k.seg AS group_id, {ZD_BRAND} AS brand_id,
          {pick(topics, 't.topic')} AS subject,
          'Hi team, ' || lower({pick(topics, 't.topic')}) || ' - can you help? Workspace ' || k.ws_id AS description,
          {status}[v.st + 1] AS status,
          CASE WHEN (CASE WHEN v.st = 0 THEN t.prio ELSE t.prio1 END) >= 0
               THEN {sql_list(['low', 'normal', 'high', 'urgent'])}[(CASE WHEN v.st = 0 THEN t.prio ELSE t.prio1 END) + 1] END AS priority,
          {pick(types, 't.topic')} AS type, {pick(['email', 'web', 'chat', 'api'], 't.channel')} AS via_channel,
          true AS is_public, false AS has_incidents, false AS allow_channelback,
          CASE WHEN t.channel = 0 THEN 'support@{COMPANY_DOMAIN}' END AS recipient,
          'https://{sub}.zendesk.com/api/v2/tickets/' || ({TICKET_BASE} + t.ticket) || '.json' AS url,
          NULL::VARCHAR AS external_id,
          CASE WHEN {pick(types, 't.topic')} = 'task' THEN ts(t.created + 3 * {US_PER_DAY}) END AS due_at,
          ts(t.created) AS created_at, ts(v.t_us) AS updated_at, v._ver
        FROM src_ticket_ver_used v JOIN src_ticket t USING (ticket) JOIN lk_acct k ON k.a = t.a"""

    def zd_ticket_field_history(self):
        fields = ["status", "priority", "assignee_id", "satisfaction_score"]
        return f"""
        SELECT {TICKET_BASE} + ticket AS ticket_id, {pick(fields, 'field')} AS field_name, ts(t_us) AS updated,
          ts(synced) AS _fivetran_synced, who AS user_id,
          CASE field WHEN 0 THEN {pick(['new', 'open', 'pending', 'solved', 'closed'], 'val')}
                     WHEN 1 THEN {pick(['low', 'normal', 'high', 'urgent'], 'val')}
                     WHEN 2 THEN CAST(val AS VARCHAR)
                     ELSE {pick(['offered', 'good', 'bad'], 'val')} END AS value, 0 AS _ver
        FROM src_tfh"""

    def zd_user(self):
        p = self.p
        k = np.arange(p.n_support_agents + 1)
        created = (self.w.start_day - 900 + 37 * k) * US_PER_DAY + 17 * US_PER_HOUR
        self.reg("src_agent", table(k=k, id=zendesk_ids(ZD_BASE_AGENT, k), created=created,
                                    synced=self.sync(ZD, created, k, 99),
                                    fi=hint(self.seed, "agent_first", len(N.FIRST_NAMES), k),
                                    la=hint(self.seed, "agent_last", len(N.LAST_NAMES), k)))
        # end users appear with their first ticket, loaded by the same sync
        return f"""
        WITH firsts AS (
          SELECT t.requester, t.a, t.req_no, min(t.created) AS created, min(v.synced) AS synced
          FROM src_ticket t JOIN src_ticket_ver v ON v.ticket = t.ticket AND v._ver = 0
          GROUP BY ALL
        )
        SELECT id, ts(synced) AS _fivetran_synced, false AS _fivetran_deleted,
          {pick(N.FIRST_NAMES, 'fi')} || ' ' || {pick(N.LAST_NAMES, 'la')} AS name,
          lower({pick(N.FIRST_NAMES, 'fi')} || '.' || {pick(N.LAST_NAMES, 'la')}) || '@{COMPANY_DOMAIN}' AS email,
          CASE WHEN k = 0 THEN 'admin' ELSE 'agent' END AS role, NULL::BIGINT AS organization_id,
          true AS active, false AS suspended, NULL::VARCHAR AS external_id, 'en-US' AS locale,
          'Pacific Time (US & Canada)' AS time_zone, ts(created) AS created_at, ts(created) AS updated_at, 0 AS _ver
        FROM src_agent
        UNION ALL
        SELECT f.requester AS id, ts(f.synced) AS _fivetran_synced, false AS _fivetran_deleted, s.full_name AS name,
          s.email, 'end-user' AS role, k.org_id AS organization_id, true AS active, false AS suspended,
          NULL::VARCHAR AS external_id, k.locale, k.tz AS time_zone,
          ts(f.created - 30 * {US_PER_S}) AS created_at, ts(f.created - 30 * {US_PER_S}) AS updated_at, 0 AS _ver
        FROM firsts f JOIN slot s ON s.a = f.a AND s.slot_no = f.req_no JOIN lk_acct k ON k.a = f.a"""

    # ---------------------------------------------------------------- stripe
    def st_customer(self):
        w, s = self.w, self.s
        a = w.idx
        created = w.sign_day * US_PER_DAY + s.bill_tod - 10 * US_PER_MIN
        ev = s.buf.get("sub_ev")
        t = [created]
        acct = [a]
        flag = [np.zeros(w.n, dtype=bool)]
        ordv = [np.zeros(w.n, dtype=np.int64)]
        if ev:
            m = (ev["kind"] == SE_PAST_DUE) | (ev["kind"] == SE_ACTIVE)
            t.append(ev["t_us"][m]); acct.append(ev["acct"][m]); flag.append(ev["kind"][m] == SE_PAST_DUE)
            ordv.append(np.arange(1, m.sum() + 1))
        t, acct, flag, ordv = map(np.concatenate, (t, acct, flag, ordv))
        self.reg("src_cust_ver", table(a=acct, t_us=t, delinquent=flag, ord=ordv, synced=self.sync(ST, t, acct, ordv)))
        self.reg("src_cust", table(a=a, created=created))
        return f"""
        SELECT k.cus_id AS id, ts(v.synced) AS _fivetran_synced, false AS _fivetran_deleted, false AS is_deleted,
          k.legal_name AS name, 'billing@' || k.domain AS email, k.name AS description, 'usd' AS currency,
          0::BIGINT AS balance, v.delinquent, true AS livemode,
          '{{"salesforce_account_id": "' || k.sf_id || '", "plan": "' || {pick(PLAN, 'k.seg')} || '"}}' AS metadata,
          ts(c.created) AS created,
          CAST(row_number() OVER (PARTITION BY v.a ORDER BY v.t_us, v.ord) - 1 AS INTEGER) AS _ver
        FROM src_cust_ver v JOIN src_cust c USING (a) JOIN lk_acct k USING (a)"""

    def st_subscription(self):
        w, s = self.w, self.s
        a = w.idx
        created = w.sign_day * US_PER_DAY + s.bill_tod - 5 * US_PER_MIN
        first_pe = w.period_start(np.ones(w.n, dtype=np.int64), a) * US_PER_DAY + s.bill_tod
        ev = s.buf.get("sub_ev") or {k: np.zeros(0, np.int64) for k in ("acct", "t_us", "kind", "ps", "pe")}
        acct = np.concatenate([a, ev["acct"]])
        t = np.concatenate([created, ev["t_us"]])
        kind = np.concatenate([np.zeros(w.n, dtype=np.int64), ev["kind"]])
        ps = np.concatenate([created + 5 * US_PER_MIN, ev["ps"]])
        pe = np.concatenate([first_pe, ev["pe"]])
        ordv = np.arange(len(acct))
        self.reg("src_sub_ev", table(a=acct, t_us=t, kind=kind, ps=ps, pe=pe, ord=ordv,
                                     synced=self.sync(ST, t, acct, ordv)))
        self.reg("src_sub", table(a=a, created=created))
        return f"""
        WITH e AS (
          SELECT *, CAST(row_number() OVER (PARTITION BY a ORDER BY t_us, ord) - 1 AS INTEGER) AS _ver FROM src_sub_ev
        ), st AS (
          SELECT e.*,
            last_value(CASE WHEN kind IN (0, {SE_PERIOD}) THEN ps END IGNORE NULLS) OVER w AS cps,
            last_value(CASE WHEN kind IN (0, {SE_PERIOD}) THEN pe END IGNORE NULLS) OVER w AS cpe,
            max(CASE WHEN kind = {SE_CANCEL} THEN t_us END) OVER w AS canceled_at,
            max(CASE WHEN kind = {SE_CANCEL} THEN pe END) OVER w AS cancel_at,
            max(CASE WHEN kind = {SE_END} THEN t_us END) OVER w AS ended_at,
            last_value(CASE WHEN kind IN ({SE_PAST_DUE}, {SE_ACTIVE}) THEN kind END IGNORE NULLS) OVER w AS pay_state
          FROM e WINDOW w AS (PARTITION BY a ORDER BY _ver ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)
        )
        SELECT k.sub_id AS id, ts(st.synced) AS _fivetran_synced, false AS _fivetran_deleted, k.cus_id AS customer_id,
          CASE WHEN st.ended_at IS NOT NULL THEN 'canceled' WHEN st.pay_state = {SE_PAST_DUE} THEN 'past_due'
               ELSE 'active' END AS status,
          CASE WHEN k.card THEN 'charge_automatically' ELSE 'send_invoice' END AS collection_method,
          CASE WHEN k.card THEN NULL ELSE k.net_days END::BIGINT AS days_until_due,
          ts(k.orig_start * {US_PER_DAY} + k.bill_tod) AS billing_cycle_anchor,
          st.canceled_at IS NOT NULL AS cancel_at_period_end, ts(st.cancel_at) AS cancel_at,
          ts(st.canceled_at) AS canceled_at, ts(st.ended_at) AS ended_at,
          ts(st.cps) AS current_period_start, ts(st.cpe) AS current_period_end,
          ts(k.orig_start * {US_PER_DAY} + k.bill_tod) AS start_date, ts(c.created) AS created, true AS livemode,
          '{{"plan": "' || {pick(PLAN, 'k.seg')} || '"}}' AS metadata, st._ver
        FROM st JOIN lk_acct k USING (a) JOIN src_sub c USING (a)"""

    def st_invoice(self):
        inv = self.s.buf.get("invoice")
        if not inv:
            raise RuntimeError("no invoices generated")
        n = len(inv["invoice"])
        ids = stripe_ids("in_", self.seed, "in", inv["invoice"], 24)
        reason_code = np.select([inv["reason"] == "subscription_create", inv["reason"] == "subscription_cycle"], [0, 1], 2)
        self.reg("src_inv", table(id=ids, invoice=inv["invoice"], a=inv["acct"], created=inv["created"],
                                  finalized=inv["finalized"], paid_at=inv["paid_at"], due=inv["due"], ps=inv["ps"],
                                  pe=inv["pe"], amount=inv["amount"], reason=reason_code, attempts=inv["attempts"],
                                  card=inv["card"], new_amt=inv["new_amt"], old_amt=inv["old_amt"],
                                  seats_new=inv["seats_new"], seats_old=inv["seats_old"]))
        # versions: open at finalization (card: first attempt), each failed retry, then paid
        ch = self.s.buf.get("charge")
        vi, vt, vk, va = [inv["invoice"]], [inv["finalized"]], [np.zeros(n, np.int64)], [np.minimum(inv["attempts"], 1)]
        if ch:
            idx_of = np.searchsorted(inv["invoice"], ch["invoice"])
            order = np.lexsort((ch["created"], ch["invoice"]))
            ci, ct = ch["invoice"][order], ch["created"][order]
            firstc = np.r_[0, np.flatnonzero(np.diff(ci)) + 1]
            k = np.arange(len(ci)) - np.repeat(firstc, np.diff(np.r_[firstc, len(ci)]))
            retry = k >= 1
            vi.append(ci[retry]); vt.append(ct[retry]); vk.append(np.ones(retry.sum(), np.int64)); va.append(k[retry] + 1)
            del idx_of
        vi.append(inv["invoice"]); vt.append(inv["paid_at"]); vk.append(np.full(n, 2)); va.append(inv["attempts"])
        vi, vt, vk, va = map(np.concatenate, (vi, vt, vk, va))
        order = np.lexsort((vk, vt, vi))
        vi, vt, vk, va = vi[order], vt[order], vk[order], va[order]
        firstv = np.r_[0, np.flatnonzero(np.diff(vi)) + 1]
        ver = np.arange(len(vi)) - np.repeat(firstv, np.diff(np.r_[firstv, len(vi)]))
        synced = self.sync(ST, vt, vi, ver)
        self.reg("src_inv_ver", table(invoice=vi, t_us=vt, paid=vk == 2, attempts=va, _ver=ver, synced=synced))
        m = self.needed_versions(("raw_stripe", "invoice"), vi, ver, synced)
        self.reg("src_inv_ver_used", table(invoice=vi[m], t_us=vt[m], paid=vk[m] == 2, attempts=va[m], _ver=ver[m],
                                           synced=synced[m]))
        return f"""
        WITH i AS (
          SELECT i.*, row_number() OVER (PARTITION BY i.a ORDER BY i.invoice) AS seq FROM src_inv i
        )
        SELECT i.id, ts(v.synced) AS _fivetran_synced, false AS _fivetran_deleted, false AS is_deleted,
          k.cus_id AS customer_id, k.sub_id AS subscription_id,
          k.inv_prefix || '-' || lpad(CAST(i.seq AS VARCHAR), 4, '0') AS number,
          CASE WHEN v.paid THEN 'paid' ELSE 'open' END AS status,
          {pick(['subscription_create', 'subscription_cycle', 'subscription_update'], 'i.reason')} AS billing_reason,
          CASE WHEN k.card THEN 'charge_automatically' ELSE 'send_invoice' END AS collection_method, 'usd' AS currency,
          greatest(i.amount, 0) AS amount_due, CASE WHEN v.paid THEN greatest(i.amount, 0) ELSE 0 END AS amount_paid,
          CASE WHEN v.paid THEN 0 ELSE greatest(i.amount, 0) END AS amount_remaining, i.amount AS subtotal,
          0::BIGINT AS tax, i.amount AS total, v.attempts AS attempt_count, v.attempts > 0 OR v.paid AS attempted,
          v.paid, ts(i.due) AS due_date, ts(i.ps) AS period_start, ts(i.pe) AS period_end,
          ts(i.finalized) AS status_transitions_finalized_at, CASE WHEN v.paid THEN ts(i.paid_at) END AS status_transitions_paid_at,
          NULL::TIMESTAMP AS status_transitions_voided_at, ts(i.created) AS created, true AS livemode, '{{}}' AS metadata,
          CAST(v._ver AS INTEGER) AS _ver
        FROM src_inv_ver_used v JOIN i USING (invoice) JOIN lk_acct k ON k.a = i.a"""

    def st_invoice_line_item(self):
        inv = self.s.buf.get("invoice")
        upd = inv["reason"] == "subscription_update"
        base = ~upd
        il_inv = np.concatenate([inv["invoice"][base], inv["invoice"][upd], inv["invoice"][upd]])
        kind = np.concatenate([np.zeros(base.sum(), np.int64), np.ones(upd.sum(), np.int64), np.full(upd.sum(), 2)])
        order = np.lexsort((kind, il_inv))
        il_inv, kind = il_inv[order], kind[order]
        num = np.arange(len(il_inv))
        self.reg("src_il", table(id=stripe_ids("il_", self.seed, "il", num, 24), invoice=il_inv, kind=kind))
        unit_plan = sql_list(PLAN_NAME)
        return f"""
        SELECT l.id, v0.synced_ts AS _fivetran_synced, i.id AS invoice_id, k.sub_id AS subscription_id,
          k.si_id AS subscription_item_id, k.price_id,
          CASE WHEN l.kind = 0 THEN 'subscription' ELSE 'invoiceitem' END AS type,
          CASE l.kind
            WHEN 0 THEN CAST(i.seats_new AS VARCHAR) || ' × ' || {unit_plan}[k.seg + 1] || ' (at $'
                        || CAST(k.unit_month * k.interval / 100 AS VARCHAR) || ' / ' ||
                        CASE k.interval WHEN 1 THEN 'month' WHEN 3 THEN 'quarter' ELSE 'year' END || ')'
            WHEN 1 THEN 'Unused time on ' || CAST(i.seats_old AS VARCHAR) || ' × ' || {unit_plan}[k.seg + 1]
                        || ' after ' || strftime(ts(i.ps), '%d %b %Y')
            ELSE 'Remaining time on ' || CAST(i.seats_new AS VARCHAR) || ' × ' || {unit_plan}[k.seg + 1]
                        || ' after ' || strftime(ts(i.ps), '%d %b %Y') END AS description,
          CASE l.kind WHEN 0 THEN i.amount WHEN 1 THEN i.old_amt ELSE i.new_amt END AS amount, 'usd' AS currency,
          CASE l.kind WHEN 1 THEN i.seats_old ELSE i.seats_new END AS quantity, l.kind > 0 AS proration,
          ts(i.ps) AS period_start, ts(i.pe) AS period_end, true AS livemode, 0 AS _ver
        FROM src_il l JOIN src_inv i USING (invoice) JOIN lk_acct k ON k.a = i.a
        JOIN (SELECT invoice, ts(synced) AS synced_ts FROM src_inv_ver WHERE _ver = 0) v0 USING (invoice)"""

    def st_charge(self):
        ch = self.s.buf.get("charge")
        if not ch:
            ch = {k: np.zeros(0, np.int64) for k in ("charge", "invoice", "acct", "created", "amount", "ok", "code")}
            ch["reason"] = np.zeros(0, dtype="<U20")
        reason_code = np.where(ch["reason"] == "subscription_update", 2, np.where(ch["reason"] == "subscription_create", 0, 1))
        self.reg("src_charge", table(id=stripe_ids("ch_", self.seed, "ch", ch["charge"], 24),
                                     pi=stripe_ids("pi_", self.seed, "pi", ch["invoice"], 24), invoice=ch["invoice"],
                                     a=ch["acct"], created=ch["created"], amount=ch["amount"], ok=ch["ok"],
                                     code=ch["code"], reason=reason_code,
                                     synced=self.sync(ST, ch["created"], ch["charge"], 3)))
        return f"""
        SELECT c.id, ts(c.synced) AS _fivetran_synced, k.cus_id AS customer_id, i.id AS invoice_id,
          c.pi AS payment_intent_id, c.amount, 0::BIGINT AS amount_refunded, 'usd' AS currency,
          CASE WHEN c.ok THEN 'succeeded' ELSE 'failed' END AS status, c.ok AS paid, c.ok AS captured,
          false AS refunded,
          CASE WHEN NOT c.ok THEN {pick(['card_declined', 'insufficient_funds'], 'greatest(c.code, 0)')} END AS failure_code,
          CASE WHEN NOT c.ok THEN {pick(['Your card was declined.', 'Your card has insufficient funds.'], 'greatest(c.code, 0)')} END AS failure_message,
          CASE WHEN c.ok THEN 'authorized' ELSE 'issuer_declined' END AS outcome_type,
          CASE WHEN NOT c.ok THEN {pick(['generic_decline', 'insufficient_funds'], 'greatest(c.code, 0)')} END AS outcome_reason,
          {pick(['Subscription creation', 'Subscription cycle', 'Subscription update'], 'c.reason')} AS description,
          true AS livemode, '{{}}' AS metadata, ts(c.created) AS created, 0 AS _ver
        FROM src_charge c JOIN src_inv i USING (invoice) JOIN lk_acct k ON k.a = c.a"""

    # --------------------------------------------------------------- segment
    def seg_identifies_groups(self):
        idf = self.s.buf.get("identify") or {"slot": np.zeros(0, np.int64), "ts": np.zeros(0, np.int64)}
        slot = idf["slot"]
        sa, sn = self.w.slot_acct[slot], self.w.slot_no[slot]
        h1 = hash64(self.seed, "idf_delay", sa, sn)
        delay = (h1 % np.uint64(8 * US_PER_S)).astype(np.int64) + 300_000
        lo, hi = self.p.segment_load_seconds
        load = (hash64(self.seed, "idf_load", sa, sn) % np.uint64((hi - lo) * US_PER_S)).astype(np.int64) + lo * US_PER_S
        skew = self.w.slot_skew_us[slot]
        ts = idf["ts"]
        T = lambda x: pa.array(x, type=pa.timestamp("us", tz="UTC"))   # noqa: E731
        common = dict(a=sa, slot_no=sn, received_at=T(ts + delay), sent_at=T(ts + skew + delay), timestamp=T(ts),
                      original_timestamp=T(ts + skew), uuid_ts=T(ts + delay + load))
        self.reg("src_identify", table(id=uuid_strings(hash64(self.seed, "idf_a", sa, sn), hash64(self.seed, "idf_b", sa, sn)),
                                       **common))
        g_delay = delay + 40_000
        self.reg("src_group", table(id=uuid_strings(hash64(self.seed, "grp_a", sa, sn), hash64(self.seed, "grp_b", sa, sn)),
                                    a=sa, slot_no=sn, received_at=T(ts + 1000 + g_delay), sent_at=T(ts + 1000 + skew + g_delay),
                                    timestamp=T(ts + 1000), original_timestamp=T(ts + 1000 + skew),
                                    uuid_ts=T(ts + 1000 + g_delay + load)))
        lib = "'analytics.js' AS context_library_name, '3.7.1' AS context_library_version"
        identifies = f"""
        SELECT i.id, s.anon_id AS anonymous_id, s.user_id, s.email, s.full_name AS name,
          {pick(['admin', 'member', 'viewer'], 's.role')} AS role, i.received_at, i.sent_at, i.timestamp,
          i.original_timestamp, i.uuid_ts, {lib}, 0 AS _ver
        FROM src_identify i JOIN slot s USING (a, slot_no)"""
        groups = f"""
        SELECT g.id, s.anon_id AS anonymous_id, s.user_id, k.ws_id AS group_id, k.name, {pick(PLAN, 'k.seg')} AS plan,
          g.received_at, g.sent_at, g.timestamp, g.original_timestamp, g.uuid_ts, {lib}, 0 AS _ver
        FROM src_group g JOIN slot s USING (a, slot_no) JOIN lk_acct k ON k.a = g.a"""
        return identifies, groups

    # ---------------------------------------------------------------- survey
    def survey(self):
        r = self.s.buf.get("nps")
        if not r:
            r = {k: np.zeros(0, np.int64) for k in ("resp", "acct", "slot", "created", "score", "comment", "channel", "edit")}
        slot = r["slot"]
        sa, sn = self.w.slot_acct[slot], self.w.slot_no[slot]
        offsets = np.array([list(c[6]) + [c[6][0]] * (4 - len(c[6])) for c in N.COUNTRIES], dtype=np.int64)
        n_off = np.array([len(c[6]) for c in N.COUNTRIES])
        ctry = self.w.country[sa]
        off = offsets[ctry, hint(self.seed, "nps_off", 1000, sa, sn) % n_off[ctry]]
        created = r["created"]
        load = ((created // US_PER_DAY) + 1) * US_PER_DAY + self.p.survey_load_hour_utc * US_PER_HOUR \
            + (hash64(self.seed, "nps_load", r["resp"]) % np.uint64(50 * US_PER_MIN)).astype(np.int64)
        bucket = np.where(r["score"] <= 6, 0, np.where(r["score"] <= 8, 1, 2))
        self.reg("src_nps", table(resp=r["resp"], a=sa, slot_no=sn, created=created, updated=created + r["edit"],
                                  off=off, score=r["score"], bucket=bucket, comment=r["comment"], channel=r["channel"],
                                  load=load, person=prefixed_hex("p_", hash64(self.seed, "person", sa, sn), 12)))
        cm = [sql_list(x) for x in N.NPS_COMMENTS]
        iso = lambda col: (f"strftime(make_timestamp({col} + off * {US_PER_MIN}), '%Y-%m-%dT%H:%M:%S') || "  # noqa: E731
                           f"CASE WHEN off < 0 THEN '-' ELSE '+' END || lpad(CAST(abs(off) // 60 AS VARCHAR), 2, '0') || ':' "
                           f"|| lpad(CAST(abs(off) % 60 AS VARCHAR), 2, '0')")
        return f"""
        SELECT CAST(1000000 + r.resp AS VARCHAR) AS id, r.person AS person_id, s.email, CAST(r.score AS VARCHAR) AS score,
          CASE WHEN r.comment < 4 THEN (CASE r.bucket WHEN 0 THEN {cm[0]} WHEN 1 THEN {cm[1]} ELSE {cm[2]} END)[
               (r.comment % (CASE r.bucket WHEN 0 THEN {len(N.NPS_COMMENTS[0])} WHEN 1 THEN {len(N.NPS_COMMENTS[1])}
                                            ELSE {len(N.NPS_COMMENTS[2])} END)) + 1] END AS comment,
          'nps' AS survey_type, CASE WHEN r.channel = 1 THEN 'in-app' ELSE 'email' END AS channel,
          '{{"wave": "' || strftime(make_timestamp(r.created), '%Y') || '-H' ||
            CASE WHEN month(make_timestamp(r.created)) <= 6 THEN '1' ELSE '2' END || '", "language": "' || k.locale ||
            '", "source": "' || CASE WHEN r.channel = 1 THEN 'in-app' ELSE 'email' END || '"}}' AS properties,
          {iso('r.created')} AS created_at, {iso('r.updated')} AS updated_at, ts(r.load) AS _loaded_at, 0 AS _ver
        FROM src_nps r JOIN slot s USING (a, slot_no) JOIN lk_acct k ON k.a = r.a"""
