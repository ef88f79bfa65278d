"""Account-level constants of the demo world.

Everything here is a keyed hash of (seed, account index[, slot]) so that the
constants of account i do not depend on how many accounts are generated, nor
on the end date.  Only the start date (the anchor of contract schedules) and
the seed matter.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from . import names as N
from .params import Params
from .rand import add_months, choice_idx, day_of_month, hash64, hint, hnorm, hunif

NEVER = 10**7   # "no such day" (relative day index far in the future)


@dataclass
class SfUsers:
    number: np.ndarray          # Salesforce user numbers (for ids)
    first: list
    last: list
    title: list
    department: list
    created_day: np.ndarray     # absolute day


class World:
    """Static constants for n accounts; arrays are indexed by account."""

    def __init__(self, n: int, seed: int, start_day: int, params: Params):
        self.n, self.seed, self.start_day, self.p = n, seed, start_day, params
        p = params
        a = np.arange(n, dtype=np.int64)
        self.idx = a
        h = lambda name: hunif(seed, name, a)   # noqa: E731

        # ---- segment, seats, price, billing
        self.seg = choice_idx(h("segment"), p.segment_shares).astype(np.int8)
        lo = np.array([r[0] for r in p.seats_range])[self.seg]
        hi = np.array([r[1] for r in p.seats_range])[self.seg]
        u = h("seats")
        self.seats0 = np.round(np.exp(np.log(lo) + (np.log(hi) - np.log(lo)) * u ** 1.3)).astype(np.int64)
        self.price_tier = hint(seed, "price_tier", 3, a)
        self.price_idx = self.seg.astype(np.int64) * 3 + self.price_tier
        self.unit_month = np.array(p.seat_price_cents)[self.seg, self.price_tier].astype(np.int64)
        quarterly = h("quarterly") < p.mm_quarterly_share
        self.interval = np.where(self.seg == 0, 1, np.where(self.seg == 1, np.where(quarterly, 3, 12), 12)).astype(np.int64)
        self.card = self.seg == 0
        self.net_days = np.where(self.seg == 0, 0, np.where((self.seg == 2) & (h("net45") < p.ent_net45_share), 45, 30))
        term_ent = np.array(p.ent_term_months)[choice_idx(h("term"), p.ent_term_shares)]
        self.term = np.where(self.seg == 2, term_ent, 12).astype(np.int64)

        # ---- lifecycle: existing customers vs new logos
        self.new_logo = h("new_logo") < p.new_logo_share
        term_days = (self.term * 365.25 / 12).astype(np.int64)
        cs0 = start_day - 1 - (h("contract_phase") * term_days).astype(np.int64)
        sign = start_day + (h("sign_day") * p.new_logo_horizon_days).astype(np.int64)
        first = np.where(self.new_logo, sign, cs0)
        dom = day_of_month(first)
        first = np.where(dom > 28, first - (dom - 28), first)      # keep anchors on days 1..28
        tenure = np.where(self.new_logo, 0, hint(seed, "tenure", p.tenure_renewals_max + 1, a))
        tenure = np.where(self.term > 12, np.minimum(tenure, 1), tenure)
        self.orig_start = np.where(self.new_logo, first, add_months(first, -tenure * self.term))
        self.tenure = tenure
        self.created_day = self.orig_start - 20 - hint(seed, "sales_cycle", 130, a)
        self.sign_day = self.orig_start          # absolute day the first contract started

        # ---- health
        base = np.array(p.health_base_mean)[self.seg] + p.health_base_sd * hnorm(seed, "base_h", a)
        self.trap = np.zeros(n, dtype=np.int8)
        ut = h("trap")
        self.trap[ut < p.trap_login_share] = 1
        self.trap[(ut >= p.trap_login_share) & (ut < p.trap_login_share + p.trap_promoter_share)] = 2
        base = np.where(self.trap == 1, p.trap_login_base + 0.05 * hnorm(seed, "trap_base", a), base)
        base = np.where(self.trap == 2, p.trap_promoter_from, base)
        self.base_h = np.clip(base, 0.08, 0.95)
        stat_sd = p.health_sigma / np.sqrt(2 * p.health_theta)
        self.h0 = np.clip(self.base_h + stat_sd * hnorm(seed, "h0", a), 0.02, 0.98)
        self.promoter_t0 = (h("promoter_t0") * p.trap_promoter_start_max_day).astype(np.int64)
        self.crm_workspace_missing = h("crm_workspace_missing") < p.crm_workspace_missing_share

        # ---- firmographics
        c = choice_idx(h("country"), [x[2] for x in N.COUNTRIES])
        self.country = c
        self.region = np.array([x[3] for x in N.COUNTRIES])[c]
        self.industry = choice_idx(h("industry"), N.INDUSTRY_SHARES)
        emp_lo = np.array([10, 150, 1000])[self.seg]
        emp_hi = np.array([200, 1500, 30000])[self.seg]
        self.employees = np.round(np.exp(np.log(emp_lo) + (np.log(emp_hi) - np.log(emp_lo)) * h("employees"))).astype(np.int64)
        self.revenue = np.round(self.employees * (90_000 + 120_000 * h("rev_per_emp")), -3)

        # ---- parent accounts: an Enterprise account may roll up to the previous Enterprise account
        ent = self.seg == 2
        prev_ent = np.where(ent, a, -1)
        prev_ent = np.maximum.accumulate(np.concatenate([[-1], prev_ent[:-1]]))
        self.parent = np.where(ent & (h("parent") < p.ent_parent_share), prev_ent, -1)

        # ---- names (unique, suffixing later duplicates in index order)
        ia = hint(seed, "nameA", len(N.COMPANY_A), a)
        ib = hint(seed, "nameB", len(N.COMPANY_B), a)
        isfx = hint(seed, "nameS", len(N.COMPANY_SUFFIX), a)
        base_names = np.array([f"{N.COMPANY_A[x]} {N.COMPANY_B[y]}" for x, y in zip(ia, ib)], dtype=object)
        _, first_idx, inv = np.unique(base_names, return_index=True, return_inverse=True)
        order = np.argsort(inv, kind="stable")
        rank = np.empty(n, dtype=np.int64)
        grp_start = np.r_[0, np.flatnonzero(np.diff(inv[order])) + 1]
        counts = np.diff(np.r_[grp_start, n])
        rank[order] = np.arange(n) - np.repeat(grp_start, counts)
        self.name = [b if r == 0 else f"{b} {r + 1}" for b, r in zip(base_names, rank)]
        self.legal_name = [f"{nm} {N.COMPANY_SUFFIX[s]}".strip() for nm, s in zip(self.name, isfx)]
        self.domain = [nm.lower().replace(" ", "") + (".io" if s % 3 == 0 else ".com") for nm, s in zip(self.name, isfx)]
        self.workspace_hash = hash64(seed, "workspace", a)

        # ---- owners (Salesforce users): CSM books filled in account order (prefix-stable)
        book = np.array(p.csm_book_size)
        ranks = np.zeros(n, dtype=np.int64)
        for s in (1, 2):
            m = self.seg == s
            ranks[m] = np.arange(m.sum())
        csm_book = np.where(self.seg > 0, ranks // np.maximum(book[self.seg], 1), 0)
        # user number layout: 1 = Digital Success, 2..(1+n_AE) = AEs, 100 + 2k (+1) = k-th CSM (Low/High Touch)
        self.csm_user = np.where(self.seg == 0, 1, 100 + 2 * csm_book + (self.seg == 2))
        self.ae_user = 2 + hint(seed, "ae", p.n_account_executives, a)

        # ---- product user slots
        slots = np.minimum(np.ceil(self.seats0 * p.user_slots_factor).astype(np.int64) + 6, 1000)
        self.n_slots = slots
        self.slot_offset = np.concatenate([[0], np.cumsum(slots)[:-1]])
        self.total_slots = int(slots.sum())
        self.slot_acct = np.repeat(a, slots)
        self.slot_no = np.arange(self.total_slots) - np.repeat(self.slot_offset, slots)
        sa, sn = self.slot_acct, self.slot_no
        self.slot_first = hint(seed, "u_first", len(N.FIRST_NAMES), sa, sn)
        self.slot_last = hint(seed, "u_last", len(N.LAST_NAMES), sa, sn)
        ur = hunif(seed, "u_role", sa, sn)
        self.slot_role = np.where(sn == 0, 0, np.where(ur < 0.06, 0, np.where(ur < 0.84, 1, 2))).astype(np.int8)
        self.slot_eng = np.exp(0.45 * hnorm(seed, "u_eng", sa, sn) - 0.10).astype(np.float32)
        self.slot_eng[sn == 0] *= 1.4
        self.slot_skew_us = (np.abs(hnorm(seed, "u_skew", sa, sn)) * 1.5e6).astype(np.int64)
        self.slot_hour = (np.array(N.REGION_SESSION_HOUR_UTC)[self.region][sa] + 1.5 * hnorm(seed, "u_hour", sa, sn))

        # ---- Salesforce contacts: 0 = champion (product admin), 1 = exec sponsor (MM/Ent), rest = users
        nc = np.where(self.seg == 0, 2, np.where(self.seg == 1, 3 + hint(seed, "nc", 2, a), 4 + hint(seed, "nc", 4, a)))
        self.n_contacts0 = nc
        self.contact_offset = np.concatenate([[0], np.cumsum(nc)[:-1]])
        self.total_contacts0 = int(nc.sum())

        # ---- Zendesk / survey / CSM schedule phases
        self.nps_phase = hint(seed, "nps_phase", p.nps_every_days, a)
        self.qbr_phase = hint(seed, "qbr_phase", 182, a)
        self.checkin_phase = hint(seed, "checkin_phase", 91, a)
        self.exec_phase = hint(seed, "exec_phase", p.exec_every_days, a)
        self.breadth_thr = 0.15 + 0.7 * hunif(seed, "breadth", a[:, None], np.arange(len(p.event_weights))[None, :])

    # ------------------------------------------------------------------ helpers
    def contract_bounds(self, k: np.ndarray, idx: np.ndarray):
        """Start/end (absolute days) of contract number k (0 = first) for accounts idx."""
        start = add_months(self.orig_start[idx], k * self.term[idx])
        end = add_months(self.orig_start[idx], (k + 1) * self.term[idx])
        return start, end

    def period_start(self, n: np.ndarray, idx: np.ndarray) -> np.ndarray:
        """Start (absolute day) of billing period n of accounts idx."""
        return add_months(self.orig_start[idx], n * self.interval[idx])

    def sf_users(self) -> SfUsers:
        p = self.p
        numbers = [1] + list(range(2, 2 + p.n_account_executives))
        titles = ["Digital Success"] + ["Account Executive"] * p.n_account_executives
        depts = ["Customer Success"] + ["Sales"] * p.n_account_executives
        csm_numbers = sorted(set(int(x) for x in np.unique(self.csm_user) if x >= 100))
        # keep every CSM up to the highest book in use, so numbering has no holes
        if csm_numbers:
            csm_numbers = list(range(100, max(csm_numbers) + 1))
        numbers += csm_numbers
        titles += ["Customer Success Manager"] * len(csm_numbers)
        depts += ["Customer Success"] * len(csm_numbers)
        numbers += [90]
        titles += ["VP Customer Success"]
        depts += ["Customer Success"]
        num = np.array(numbers, dtype=np.int64)
        fi = hint(self.seed, "sfu_first", len(N.FIRST_NAMES), num)
        la = hint(self.seed, "sfu_last", len(N.LAST_NAMES), num)
        first = [N.FIRST_NAMES[i] for i in fi]
        last = [N.LAST_NAMES[i] for i in la]
        first[0], last[0] = "Digital", "Success"
        created = self.start_day - 400 - hint(self.seed, "sfu_created", 900, num)
        return SfUsers(num, first, last, titles, depts, created)
