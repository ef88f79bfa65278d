"""Day-by-day simulation of the demo company.

The simulation is causal: day t only reads the state left by days < t and
draws its randomness from generators keyed by (seed, day, stream), so a run
to a later end date reproduces every earlier day exactly.  Records whose
later changes are decided on the day they are created (a ticket's solve
time, an invoice's payment time) carry those future times; the writer keeps
only what had been loaded by the end date.

Per-account work is vectorized with numpy across accounts, per-user work
across the live users; product events are expanded per day and handed to
`on_events` in chunks (they are the bulk of the data).
"""

from __future__ import annotations

import math
from collections import defaultdict
from typing import Callable, Dict, List, Optional

import numpy as np

from . import names as N
from .params import Params
from .rand import (US_PER_DAY, US_PER_HOUR, US_PER_MIN, US_PER_S, choice_idx, day_rng, hash64, hnorm, hunif,
                   sigmoid, weekday)
from .world import NEVER, World

EV = N.EVENT_IDX
FEATURE_EVENTS = np.array([EV[e] for e, _ in Params().event_weights], dtype=np.int8)

# account log kinds
K_SIGN, K_RENEW, K_SEATS, K_CHURN = 1, 2, 3, 4
# opportunity types / stages
OT_NEW, OT_RENEWAL, OT_EXPANSION, OT_CONTRACTION = 0, 1, 2, 3
ST_PROSPECTING, ST_NEGOTIATION, ST_WON, ST_LOST = 0, 1, 2, 3
# subscription events
SE_PERIOD, SE_CANCEL, SE_END, SE_PAST_DUE, SE_ACTIVE = 1, 2, 3, 4, 5
# meeting types (index into names used by the writer)
MT_QBR, MT_EXEC, MT_CHECKIN, MT_ONBOARD, MT_TRAINING = 0, 1, 2, 3, 4


class Buf:
    """Append-only column buffers: name -> column -> list of arrays."""

    def __init__(self):
        self.d: Dict[str, Dict[str, list]] = defaultdict(lambda: defaultdict(list))

    def add(self, name: str, **cols):
        n = None
        for v in cols.values():
            if isinstance(v, np.ndarray) and v.ndim == 1:
                n = len(v)
                break
        if n == 0:
            return
        for k, v in cols.items():
            if not (isinstance(v, np.ndarray) and v.ndim == 1):
                v = np.full(n if n is not None else 1, v)
            self.d[name][k].append(v)

    def get(self, name: str) -> Dict[str, np.ndarray]:
        if name not in self.d:
            return {}
        return {k: np.concatenate(v) for k, v in self.d[name].items()}

    def count(self, name: str) -> int:
        if name not in self.d or not self.d[name]:
            return 0
        first = next(iter(self.d[name].values()))
        return int(sum(len(x) for x in first))


class Simulation:
    def __init__(self, world: World, last_day: int, events_from_day: int = 0,
                 on_events: Optional[Callable[[List[dict]], None]] = None, chunk_events: int = 1_500_000,
                 progress: Optional[Callable[[str], None]] = None):
        """last_day: last relative day to simulate (end date - start date).
        events_from_day: product events of earlier days are not expanded (append mode)."""
        self.w = w = world
        self.p = world.p
        self.seed = world.seed
        self.start = world.start_day
        self.last_day = last_day
        self.events_from_day = events_from_day
        self.on_events = on_events
        self.chunk_events = chunk_events
        self.progress = progress or (lambda s: None)
        self.buf = Buf()
        self.ev_parts: List[dict] = []
        self.ev_pending = 0
        self.pending_days: list = []
        self.pending_users = 0
        self.events_total = 0
        self.sched: Dict[int, list] = defaultdict(list)     # relative day -> [(kind, payload)]
        n = w.n
        p = self.p
        S = self.start
        a = w.idx

        # ---- counters (ids are numbered in creation order, which is causal)
        self.c = defaultdict(int)

        # ---- account state
        self.status = np.where(w.new_logo, 0, 1).astype(np.int8)
        self.sign_rel = w.sign_day - S
        self.k = w.tenure.copy()
        cstart, cend = w.contract_bounds(self.k, a)
        self.cstart = np.where(w.new_logo, NEVER, cstart - S)
        self.cend = np.where(w.new_logo, NEVER, cend - S)
        self.seats = w.seats0.copy()
        self.ended_rel = np.full(n, NEVER)
        # billing: index of the period containing the start date (existing customers)
        months_since = ((S - w.orig_start) * 12 // 365).astype(np.int64)
        bn = np.maximum(months_since // w.interval - 1, 0)
        for _ in range(4):
            nxt = w.period_start(bn + 1, a)
            bn = np.where(nxt <= S, bn + 1, bn)
        self.bill_n = np.where(w.new_logo, 0, bn)
        self.next_bill = np.where(w.new_logo, NEVER, w.period_start(self.bill_n, a) - S)   # may be < 0: billed on day 0
        self.bill_tod = (hunif(self.seed, "bill_tod", a) * 20 * US_PER_HOUR).astype(np.int64) + 2 * US_PER_HOUR
        # renewal machinery
        self.opp_day = np.where(w.new_logo, NEVER, self.cend - p.renewal_opp_lead_days)
        self.decision_day = np.where(w.new_logo, NEVER, self.cend - self._decision_lead(self.k))
        self.renewal_opp = np.full(n, -1)
        self.decided = np.zeros(n, dtype=np.int8)          # 0 undecided, 1 renew, 2 churn
        self.decided_seats = self.seats.copy()
        self.churn_reason = np.full(n, -1)                 # index into reasons (ext first, then behaviour, then champion)
        self.churn_behav = np.zeros(n, dtype=bool)
        self.notice_day = np.full(n, NEVER)
        self.end_day = np.full(n, NEVER)                   # scheduled early end (ext churn)
        self.ext_pending = np.full(n, -1)
        self.churning = np.zeros(n, dtype=bool)
        self.churn_vocal = np.zeros(n, dtype=bool)          # churning and complaining (else silent)
        self.churn_act_f = np.ones(n)                      # activity factor while churning
        self.churn_meet_f = np.ones(n)                     # meetings factor while churning
        self.churn_drift = np.zeros(n)
        self.h90_at_decision = np.full(n, np.nan)
        # health
        self.h = w.h0.copy()
        self.h_eff = w.h0.copy()
        self.ring = np.tile(w.h0, (90, 1))
        self.hsum = w.h0 * 90
        self.h_slow = w.h0.copy()
        self.champ_shock = np.zeros(n)
        self.champ_left_day = np.full(n, -NEVER)
        self.stress_until = np.full(n, -1)
        self.release_until = np.full(n, -1)
        # product
        self.has_int = np.where(w.new_logo, False,
                                hunif(self.seed, "int0", a) < p.integration_initial_base + 0.5 * w.h0)
        self.last_exp = np.full(n, -NEVER)
        self.exp_open = np.zeros(n, dtype=bool)
        # users
        self.slot_live = np.zeros(w.total_slots, dtype=bool)
        self.identified = np.zeros(w.total_slots, dtype=bool)
        self.n_used = np.zeros(n, dtype=np.int64)
        self.n_live = np.zeros(n, dtype=np.int64)
        util0 = np.clip(p.initial_util_base + p.initial_util_h * w.h0 + 0.08 * hnorm(self.seed, "util0", a), 0.15, 1.0)
        n0 = np.where(w.new_logo, 0, np.maximum(1, np.round(self.seats * util0)).astype(np.int64))
        n0 = np.minimum(n0, w.n_slots)
        first = np.repeat(w.slot_offset, n0) + (np.arange(n0.sum()) - np.repeat(np.cumsum(n0) - n0, n0))
        self.slot_live[first] = True
        self.n_used[:] = n0
        self.n_live[:] = n0
        self.live_dirty = True
        self._refresh_live()
        # contacts: champion = contact 0 (product slot 0), exec = contact 1 for MM/Ent
        self.champion_contact = w.contact_offset.copy()
        self.champion_slot = np.zeros(n, dtype=np.int64)
        self.exec_contact = np.where(w.seg > 0, w.contact_offset + 1, -1)
        self.c["contact"] = w.total_contacts0
        self.c["opp"] = 0
        self.hist_opps = 0

    # ------------------------------------------------------------------ utils
    def _decision_lead(self, k):
        lo, hi = self.p.decision_lead_days
        return lo + (hunif(self.seed, "decision_lead", self.w.idx, k) * (hi - lo + 1)).astype(np.int64)

    def _tod(self, rng, idx, spread_h=2.0):
        """A business-hours time of day (microseconds) in the accounts' region."""
        hour = np.array(N.REGION_SESSION_HOUR_UTC)[self.w.region[idx]] + rng.normal(0, spread_h, len(idx))
        return (np.clip(hour, 0.05, 23.9) * US_PER_HOUR).astype(np.int64)

    def _pick_live(self, rng, acct):
        """A random live user slot for each account in acct (-1 if none)."""
        self._refresh_live()
        lo = np.searchsorted(self.live, self.w.slot_offset[acct])
        cnt = self.n_live[acct]
        pick = lo + (rng.random(len(acct)) * np.maximum(cnt, 1)).astype(np.int64)
        pick = np.minimum(pick, len(self.live) - 1) if len(self.live) else pick
        out = np.where(cnt > 0, self.live[pick] if len(self.live) else -1, -1)
        return out

    def _refresh_live(self):
        if self.live_dirty:
            self.live = np.flatnonzero(self.slot_live)
            self.live_dirty = False

    def _new_ids(self, name, k):
        s = self.c[name]
        self.c[name] = s + k
        return np.arange(s, s + k, dtype=np.int64)

    def _day_us(self, t):
        return (self.start + t) * US_PER_DAY

    # --------------------------------------------------------------- main loop
    def run(self):
        n_days = self.last_day + 1
        report_every = max(1, n_days // 6)
        for t in range(n_days):
            self.step(t)
            if len(self.pending_days) >= 8:
                self._expand_pending()
            if self.ev_pending >= self.chunk_events:
                self.flush_events()
            if (t + 1) % report_every == 0 and t + 1 < n_days:
                self.progress(f"  simulated {t + 1}/{n_days} days, {self.events_total + self.ev_pending:,} product events")
        self.flush_events()

    def step(self, t: int):
        A = self.start + t
        self._t = t
        rc = day_rng(self.seed, A, "core")
        self._lifecycle(t, rc)
        self._health(t, rc)
        self._shocks(t, rc)
        self._commercial(t, day_rng(self.seed, A, "commercial"))
        self._users(t, day_rng(self.seed, A, "users"))
        self._activity(t, day_rng(self.seed, A, "activity"))
        self._support(t, day_rng(self.seed, A, "support"))
        self._csm(t, day_rng(self.seed, A, "csm"))
        self._survey(t, day_rng(self.seed, A, "survey"))
        self._billing(t, day_rng(self.seed, A, "billing"))

    # --------------------------------------------------------------- lifecycle
    def _lifecycle(self, t, rng):
        w, p = self.w, self.p
        live = self.status == 1
        day_us = self._day_us(t)

        # renewal decisions (about two months before the contract end)
        dec = np.flatnonzero(live & (self.decision_day <= t) & (self.decided == 0))
        if len(dec):
            h90 = self.hsum[dec] / 90.0
            self.h90_at_decision[dec] = h90
            u = rng.random(len(dec))
            ext = self.ext_pending[dec] >= 0
            pb = sigmoid(np.array(p.churn_intercept)[w.seg[dec]] + p.churn_slope * (p.churn_h_ref - h90))
            behav = ~ext & (u < pb)
            churn = ext | behav
            self.decided[dec] = np.where(churn, 2, 1)
            # reasons: ext reasons 0..2, behaviour 3.., "Champion left" last
            n_ext = len(p.ext_reasons)
            br = n_ext + (rng.random(len(dec)) * len(p.behaviour_reasons)).astype(np.int64)
            champ_recent = (t - self.champ_left_day[dec]) < 270
            br = np.where(champ_recent & (rng.random(len(dec)) < 0.6), n_ext + len(p.behaviour_reasons), br)
            self.churn_reason[dec] = np.where(ext, self.ext_pending[dec], np.where(behav, br, -1))
            self.churn_behav[dec] = behav
            self.churning[dec] = behav
            # how loudly each churner leaves: keyed by account and contract, not by the day's draws
            kd = self.k[dec]
            self.churn_vocal[dec] = behav & (hunif(self.seed, "churn_vocal", dec, kd) < p.churn_vocal_share)
            lo_a, hi_a = p.churn_activity_mult
            self.churn_act_f[dec] = lo_a + (hi_a - lo_a) * hunif(self.seed, "churn_act_f", dec, kd)
            lo_m, hi_m = p.churn_meeting_mult
            self.churn_meet_f[dec] = lo_m + (hi_m - lo_m) * hunif(self.seed, "churn_meet_f", dec, kd)
            lo, hi = p.notice_days
            notice = self.cend[dec] - rng.integers(lo, hi + 1, len(dec))
            self.notice_day[dec] = np.where(churn, np.maximum(notice, t + 1), NEVER)
            # seats at renewal
            util = self.n_live[dec] / np.maximum(self.seats[dec], 1)
            shrink = (h90 < p.contraction_h) & (rng.random(len(dec)) < p.contraction_prob)
            grow = (util > 0.9) & (h90 > 0.6) & (rng.random(len(dec)) < p.renewal_expansion_prob)
            f = np.where(shrink, rng.uniform(0.65, 0.92, len(dec)), np.where(grow, rng.uniform(1.08, 1.35, len(dec)), 1.0))
            lo_s, hi_s = self._seat_bounds(dec)
            self.decided_seats[dec] = np.clip(np.round(self.seats[dec] * f).astype(np.int64), lo_s, np.maximum(hi_s, self.seats[dec]))

        # cancellation notices (Stripe cancel at period end)
        nt = np.flatnonzero(live & (self.notice_day == t))
        if len(nt):
            tod = self._tod(rng, nt, 2.5)
            self._ensure_renewal_opp(nt, day_us + tod, t)
            cancel_at = np.where(self.end_day[nt] < NEVER, self.end_day[nt], self.cend[nt])
            self.buf.add("sub_ev", acct=nt, t_us=day_us + tod, kind=SE_CANCEL,
                         ps=np.full(len(nt), -1), pe=(self.start + cancel_at) * US_PER_DAY + self.bill_tod[nt])

        # contract ends: churn or renew; early ends of cancelled accounts
        ends = np.flatnonzero(live & ((self.cend == t) | (self.end_day == t)))
        if len(ends):
            churn = (self.decided[ends] == 2) | (self.end_day[ends] == t)
            ch, rn = ends[churn], ends[~churn]
            if len(ch):
                self._end_accounts(ch, t, rng)
            if len(rn):
                self._renew(rn, t, rng)

        # new logos sign
        sg = np.flatnonzero((self.status == 0) & (self.sign_rel == t))
        if len(sg):
            self._sign(sg, t, rng)

        # renewal opportunities open ~120 days ahead (or earlier ones at the start)
        live = self.status == 1
        op = np.flatnonzero(live & (self.opp_day <= t) & (self.renewal_opp < 0) & (self.cend > t))
        if len(op):
            created_us = (self.start + self.opp_day[op]) * US_PER_DAY + self._tod(rng, op)   # may precede the window
            self._open_renewal(op, created_us, self.cend[op])

        # non-behavioural churn hazard (independent of health)
        live = (self.status == 1) & (self.decided != 2) & (self.ext_pending < 0)
        hz = np.array(p.ext_churn_per_year)[w.seg] / 365.0
        u = rng.random(w.n)
        hit = np.flatnonzero(live & (u < hz))
        if len(hit):
            reason = choice_idx(rng.random(len(hit)), p.ext_reason_shares)
            early = rng.random(len(hit)) < np.array(p.ext_early_prob)[reason]
            for i, a in enumerate(hit):
                self._ext_churn(int(a), int(reason[i]), bool(early[i]), t)

        # scheduled actions
        for kind, payload in self.sched.pop(t, []):
            getattr(self, "_do_" + kind)(t, rng, *payload)

    def _ext_churn(self, a, reason, early, t):
        w = self.w
        if early:
            # end at the first billing boundary at least two weeks away
            n = self.bill_n[a]
            e = int(self.next_bill[a])
            while e < t + 14:
                n += 1
                e = int(w.period_start(np.array([n]), np.array([a]))[0] - self.start)
            if e < self.cend[a]:
                self.end_day[a] = e
                self.decided[a] = 2
                self.churn_reason[a] = reason
                self.churn_behav[a] = False
                self.notice_day[a] = t + 1
                return
        if self.decided[a] == 1:
            self.decided[a] = 2
            self.churn_reason[a] = reason
            self.churn_behav[a] = False
            self.notice_day[a] = min(t + 1, self.cend[a]) if self.cend[a] > t + 1 else NEVER
        else:
            self.ext_pending[a] = reason

    def _open_renewal(self, acct, created_us, close_rel):
        ids = self._new_ids("opp", len(acct))
        self.renewal_opp[acct] = ids
        self.buf.add("opp", opp=ids, acct=acct, otype=OT_RENEWAL, created_us=created_us,
                     owner=self.w.csm_user[acct], term=self.w.term[acct], year=np.zeros(len(acct), dtype=np.int64))
        self.buf.add("opp_ver", opp=ids, t_us=created_us, stage=ST_NEGOTIATION, amount=self._arr(acct),
                     seats=self.seats[acct], close_day=self.start + close_rel, reason=-1)

    def _ensure_renewal_opp(self, acct, t_us, t):
        missing = acct[self.renewal_opp[acct] < 0]
        if len(missing):
            close = np.where(self.end_day[missing] < NEVER, self.end_day[missing], self.cend[missing])
            self._open_renewal(missing, t_us[np.isin(acct, missing)], close)

    def _arr(self, acct, seats=None):
        seats = self.seats[acct] if seats is None else seats
        return seats * self.w.unit_month[acct] * 12 / 100.0

    def _end_accounts(self, ch, t, rng):
        day_us = self._day_us(t)
        tod = self._tod(rng, ch, 2.0)
        self._ensure_renewal_opp(ch, day_us + tod - 4 * US_PER_HOUR, t)
        opp = self.renewal_opp[ch]
        self.buf.add("opp_ver", opp=opp, t_us=day_us + tod, stage=ST_LOST, amount=self._arr(ch),
                     seats=self.seats[ch], close_day=np.full(len(ch), self.start + t), reason=self.churn_reason[ch])
        self.buf.add("acct_log", acct=ch, t_us=day_us + tod + 30 * US_PER_MIN, kind=K_CHURN,
                     seats=self.seats[ch], cstart=self.cstart[ch] + self.start, cend=self.cend[ch] + self.start)
        self.buf.add("sub_ev", acct=ch, t_us=day_us + self.bill_tod[ch], kind=SE_END,
                     ps=np.full(len(ch), -1), pe=np.full(len(ch), -1))
        self.buf.add("churn", acct=ch, day=np.full(len(ch), self.start + t), reason=self.churn_reason[ch],
                     behav=self.churn_behav[ch], early=self.end_day[ch] == t, vocal=self.churn_vocal[ch].copy(),
                     h90=self.h90_at_decision[ch], h=self.h_eff[ch].copy())
        self.status[ch] = 2
        self.ended_rel[ch] = t
        self.renewal_opp[ch] = -1
        self.churning[ch] = False
        self.churn_vocal[ch] = False
        # users go away
        for a in ch:
            o = self.w.slot_offset[a]
            self.slot_live[o:o + self.w.n_slots[a]] = False
        self.n_live[ch] = 0
        self.live_dirty = True

    def _renew(self, rn, t, rng):
        w = self.w
        day_us = self._day_us(t)
        tod = self._tod(rng, rn, 2.0)
        new_seats = self.decided_seats[rn]
        opp = self.renewal_opp[rn]
        has = opp >= 0
        if (~has).any():        # renewal without an open opportunity (short contracts at the start)
            self._open_renewal(rn[~has], day_us + tod[~has] - 6 * US_PER_HOUR, np.full((~has).sum(), t))
            opp = self.renewal_opp[rn]
        self.buf.add("opp_ver", opp=opp, t_us=day_us + tod, stage=ST_WON, amount=self._arr(rn, new_seats),
                     seats=new_seats, close_day=np.full(len(rn), self.start + t), reason=-1)
        self.buf.add("renewal", acct=rn, day=np.full(len(rn), self.start + t), seats_before=self.seats[rn],
                     seats_after=new_seats, h90=self.h90_at_decision[rn])
        self.k[rn] += 1
        s, e = w.contract_bounds(self.k[rn], rn)
        self.cstart[rn] = s - self.start
        self.cend[rn] = e - self.start
        self.seats[rn] = new_seats
        self.buf.add("acct_log", acct=rn, t_us=day_us + tod + 30 * US_PER_MIN, kind=K_RENEW, seats=new_seats,
                     cstart=s, cend=e)
        self.renewal_opp[rn] = -1
        self.decided[rn] = 0
        self.notice_day[rn] = NEVER
        self.opp_day[rn] = self.cend[rn] - self.p.renewal_opp_lead_days
        self.decision_day[rn] = self.cend[rn] - self._decision_lead_for(rn)

    def _decision_lead_for(self, idx):
        lo, hi = self.p.decision_lead_days
        return lo + (hunif(self.seed, "decision_lead", idx, self.k[idx]) * (hi - lo + 1)).astype(np.int64)

    def _sign(self, sg, t, rng):
        w, p = self.w, self.p
        self.status[sg] = 1
        self.k[sg] = 0
        s, e = w.contract_bounds(np.zeros(len(sg), dtype=np.int64), sg)
        self.cstart[sg] = s - self.start
        self.cend[sg] = e - self.start
        self.opp_day[sg] = self.cend[sg] - p.renewal_opp_lead_days
        self.decision_day[sg] = self.cend[sg] - self._decision_lead_for(sg)
        self.bill_n[sg] = 0
        self.next_bill[sg] = t
        day_us = self._day_us(t)
        self.buf.add("acct_log", acct=sg, t_us=day_us + self._tod(rng, sg), kind=K_SIGN, seats=self.seats[sg],
                     cstart=s, cend=e)
        # the admin (product slot 0) joins within a few days; onboarding meetings get scheduled
        join = t + rng.integers(0, 3, len(sg))
        slots = w.slot_offset[sg]
        self.n_used[sg] = 1
        for d in np.unique(join):
            m = join == d
            self.sched[int(d)].append(("join", (slots[m],)))
        self._schedule_meetings(sg, t, rng, MT_ONBOARD, rng.integers(2, 8, len(sg)), 60)
        held = rng.random(len(sg)) < sigmoid(p.meeting_h_k * (self.h_eff[sg] - p.meeting_h_mid))
        tr = sg[held & (w.seg[sg] > 0)]
        if len(tr):
            self._schedule_meetings(tr, t, rng, MT_TRAINING, rng.integers(12, 30, len(tr)), 45)

    # ------------------------------------------------------------------ health
    def _health(self, t, rng):
        w, p = self.w, self.p
        target = w.base_h.copy()
        tr = w.trap == 2
        if tr.any():
            frac = np.clip((t - w.promoter_t0[tr]) / p.trap_promoter_decline_days, 0, 1)
            target[tr] = p.trap_promoter_from - (p.trap_promoter_from - p.trap_promoter_to) * frac
        self.champ_shock *= math.exp(-1.0 / p.champion_shock_tau_days)
        target -= self.champ_shock
        target -= np.where(self.stress_until >= t, p.budget_cut_health, 0.0)
        self.churn_drift = np.where(self.churning, self.churn_drift + p.churning_health_drift, 0.0)
        target -= self.churn_drift
        self.h += p.health_theta * (target - self.h) + p.health_sigma * rng.standard_normal(w.n)
        self.h = np.clip(self.h, 0.0, 1.0)
        dip = np.where(self.release_until >= t, p.release_health_dip, 0.0)
        self.h_eff = np.clip(self.h - dip, 0.02, 0.98)
        slot = t % 90
        self.hsum += self.h_eff - self.ring[slot]
        self.ring[slot] = self.h_eff
        self.h_slow += (self.h_eff - self.h_slow) / p.nps_slow_tau_days

    def _shocks(self, t, rng):
        w, p = self.w, self.p
        A = self.start + t
        live = self.status == 1
        # champion leaves
        u = rng.random(w.n)
        cl = np.flatnonzero(live & (u < p.champion_leave_per_year / 365) & (self.champion_contact >= 0)
                            & (t - self.champ_left_day > 60))
        if len(cl):
            self.champ_shock[cl] += p.champion_shock
            self.champ_left_day[cl] = t
            day_us = self._day_us(t)
            lag = rng.integers(p.champion_crm_lag_days[0], p.champion_crm_lag_days[1] + 1, len(cl))
            self.buf.add("contact_left", contact=self.champion_contact[cl],
                         t_us=day_us + lag * US_PER_DAY + self._tod(rng, cl))
            gone = w.slot_offset[cl] + self.champion_slot[cl]
            lv = self.slot_live[gone]
            self.slot_live[gone] = False
            self.n_live[cl[lv]] -= 1
            self.live_dirty = True
            self.champion_contact[cl] = -1
            rep = t + rng.integers(p.champion_replace_days[0], p.champion_replace_days[1] + 1, len(cl))
            for i, a in enumerate(cl):
                self.sched[int(rep[i])].append(("new_champion", (int(a),)))
        # budget cuts
        u = rng.random(w.n)
        bc = np.flatnonzero(live & (u < p.budget_cut_per_year / 365) & (self.stress_until < t))
        if len(bc):
            self.stress_until[bc] = t + rng.integers(p.budget_cut_days[0], p.budget_cut_days[1] + 1, len(bc))
            con = bc[rng.random(len(bc)) < p.budget_contraction_prob]
            when = t + rng.integers(15, 61, len(con))
            for i, a in enumerate(con):
                self.sched[int(when[i])].append(("contraction", (int(a),)))
        # product releases every two weeks; some are bad for a while
        if (A - 20_000) % p.release_every_days == 0:
            if hunif(self.seed, "bad_release", np.array([A]))[0] < p.release_bad_prob:
                aff = hunif(self.seed, "release_aff", np.array([A]), w.idx) < p.release_affected_share
                self.release_until[aff & live] = t + p.release_days
                self.buf.add("release", day=np.array([A]), n=np.array([int((aff & live).sum())]))

    # -------------------------------------------------------- scheduled actions
    def _do_join(self, t, rng, slots):
        acct = self.w.slot_acct[slots]
        ok = self.status[acct] == 1
        slots, acct = slots[ok], acct[ok]
        if not len(slots):
            return
        self.slot_live[slots] = True
        np.add.at(self.n_live, acct, 1)
        self.live_dirty = True
        ts = self._day_us(t) + self._tod(rng, acct, 2.5)
        self._identify(slots, ts)

    def _extra_events(self, slots, ev, ts):
        """Invites / integrations done by a user: identify them first if Segment has not seen them yet."""
        if not len(slots):
            return
        new = ~self.identified[slots]
        if new.any():
            s_new, first = np.unique(slots[new], return_index=True)
            self._identify(s_new, ts[new][first] - 2 * US_PER_S)
        self.buf.add("extra_event", slot=slots, ev=np.full(len(slots), EV[ev], np.int8), ts=ts)

    def _seat_bounds(self, acct):
        lo = np.array([r[0] for r in self.p.seats_range])[self.w.seg[acct]]
        hi = np.array([r[1] for r in self.p.seats_range])[self.w.seg[acct]]
        return np.ceil(lo * 0.8).astype(np.int64), np.floor(hi * 1.5).astype(np.int64)

    def _identify(self, slots, ts):
        self.identified[slots] = True
        self.buf.add("identify", slot=slots, ts=ts)

    def _do_new_champion(self, t, rng, a):
        if self.status[a] != 1:
            return
        cnt = self.n_live[a]
        if cnt == 0:
            return
        j = int(rng.random() * cnt)
        o = self.w.slot_offset[a]
        mine = np.flatnonzero(self.slot_live[o:o + self.w.n_slots[a]])     # the account's live slots, in order
        if j < len(mine):
            slot = int(o + mine[j])          # = live[searchsorted(live, o) + j], without rebuilding `live`
        else:
            self._refresh_live()
            slot = int(self.live[np.searchsorted(self.live, o) + j])
        cid = int(self._new_ids("contact", 1)[0])
        self.champion_contact[a] = cid
        self.champion_slot[a] = slot - self.w.slot_offset[a]
        self.buf.add("contact_new", contact=np.array([cid]), acct=np.array([a]),
                     slot=np.array([slot - self.w.slot_offset[a]]), t_us=np.array([self._day_us(t) + self._tod(rng, np.array([a]))[0]]))

    def _do_contraction(self, t, rng, a):
        if self.status[a] != 1 or self.decided[a] == 2:
            return
        idx = np.array([a])
        old = self.seats[a]
        new = max(int(self._seat_bounds(idx)[0][0]), int(round(old * (1 - rng.uniform(0.1, 0.35)))))
        if new >= old:
            return
        t_us = self._day_us(t) + self._tod(rng, idx)
        oid = self._new_ids("opp", 1)
        self.buf.add("opp", opp=oid, acct=idx, otype=OT_CONTRACTION, created_us=t_us - 3 * US_PER_DAY,
                     owner=self.w.csm_user[idx], term=self.w.term[idx], year=np.zeros(1, dtype=np.int64))
        self.buf.add("opp_ver", opp=oid, t_us=t_us - 3 * US_PER_DAY, stage=ST_NEGOTIATION,
                     amount=-self._arr(idx, np.array([old - new])), seats=np.array([new]),
                     close_day=np.array([self.start + t]), reason=-1)
        self.buf.add("opp_ver", opp=oid, t_us=t_us, stage=ST_WON, amount=-self._arr(idx, np.array([old - new])),
                     seats=np.array([new]), close_day=np.array([self.start + t]), reason=-1)
        self.seats[a] = new
        self.decided_seats[a] = min(self.decided_seats[a], new)
        self.buf.add("acct_log", acct=idx, t_us=t_us + 20 * US_PER_MIN, kind=K_SEATS, seats=np.array([new]),
                     cstart=self.cstart[idx] + self.start, cend=self.cend[idx] + self.start)

    def _do_expansion_close(self, t, rng, a, oid, won, add):
        idx = np.array([a])
        t_us = self._day_us(t) + self._tod(rng, idx)
        self.exp_open[a] = False
        ok = won and self.status[a] == 1 and self.decided[a] != 2
        new = self.seats[a] + add
        self.buf.add("opp_ver", opp=np.array([oid]), t_us=t_us, stage=ST_WON if ok else ST_LOST,
                     amount=self._arr(idx, np.array([add])), seats=np.array([new]),
                     close_day=np.array([self.start + t]), reason=-1)
        if not ok:
            return
        old = self.seats[a]
        self.seats[a] = new
        self.decided_seats[a] = max(self.decided_seats[a], new)
        self.last_exp[a] = t
        self.buf.add("acct_log", acct=idx, t_us=t_us + 20 * US_PER_MIN, kind=K_SEATS, seats=np.array([new]),
                     cstart=self.cstart[idx] + self.start, cend=self.cend[idx] + self.start)
        # Stripe: prorated subscription_update invoice for the rest of the current period
        ps = self.w.period_start(self.bill_n[idx] - 1, idx)[0]
        pe = self.w.period_start(self.bill_n[idx], idx)[0]
        frac = max(0.0, (pe - (self.start + t)) / max(pe - ps, 1))
        self._invoice(idx, rng, t_us=t_us + 5 * US_PER_MIN, ps_day=np.array([self.start + t]),
                      pe_day=np.array([pe]), reason="subscription_update", seats_old=np.array([old]),
                      seats_new=np.array([new]), frac=np.array([frac]))

    # --------------------------------------------------------------- commercial
    def _commercial(self, t, rng):
        w, p = self.w, self.p
        live = self.status == 1
        util = self.n_live / np.maximum(self.seats, 1)
        cand = np.flatnonzero(live & ~self.exp_open & (util >= p.expansion_min_util) & (self.h_eff >= p.expansion_min_h)
                              & (t - self.last_exp >= 120) & (self.cend - t > 90) & (self.decided != 2))
        if not len(cand):
            return
        go = cand[rng.random(len(cand)) < p.expansion_daily_prob]
        if not len(go):
            return
        add = np.maximum(1, np.ceil(self.seats[go] * rng.uniform(0.1, 0.4, len(go)))).astype(np.int64)
        add = np.minimum(add, np.maximum(self._seat_bounds(go)[1] - self.seats[go], 0))
        keep = add > 0
        go, add = go[keep], add[keep]
        if not len(go):
            return
        t_us = self._day_us(t) + self._tod(rng, go)
        oids = self._new_ids("opp", len(go))
        close = t + rng.integers(14, 46, len(go))
        won = rng.random(len(go)) < p.expansion_win_prob
        self.buf.add("opp", opp=oids, acct=go, otype=OT_EXPANSION, created_us=t_us, owner=w.ae_user[go],
                     term=w.term[go], year=np.zeros(len(go), dtype=np.int64))
        self.buf.add("opp_ver", opp=oids, t_us=t_us, stage=ST_PROSPECTING, amount=self._arr(go, add),
                     seats=self.seats[go] + add, close_day=self.start + close, reason=-1)
        self.exp_open[go] = True
        for i, a in enumerate(go):
            self.sched[int(close[i])].append(("expansion_close", (int(a), int(oids[i]), bool(won[i]), int(add[i]))))

    # -------------------------------------------------------------------- users
    def _users(self, t, rng):
        w, p = self.w, self.p
        live = np.flatnonzero(self.status == 1)
        if not len(live):
            return
        h = self.h_eff[live]
        if p.trap_login_users_apparent:
            h = np.where(w.trap[live] == 1, p.trap_login_apparent_h, h)   # the login trap's many users log in a lot
        seats = self.seats[live]
        target = np.minimum(np.floor(seats * (p.target_util_base + p.target_util_h * h)),
                            np.ceil(seats * 1.05)).astype(np.int64)
        target = np.minimum(target, w.n_slots[live])
        gap = target - self.n_used[live]
        onboarding = (t - self.cstart[live] < 45) & (self.k[live] == 0) & (self.sign_rel[live] >= 0)
        rate = np.where(onboarding, p.invite_rate_onboarding, p.invite_rate)
        lam = np.where(gap > 0, rate * gap, 0.0)
        k = np.minimum(rng.poisson(lam), np.maximum(gap, 0))
        inv = np.flatnonzero(k > 0)
        if len(inv):
            acct = live[inv]
            kk = k[inv]
            rep = np.repeat(acct, kk)
            within = np.arange(kk.sum()) - np.repeat(np.cumsum(kk) - kk, kk)
            slots = w.slot_offset[rep] + self.n_used[rep] + within
            self.n_used[acct] += kk
            inviter = self._pick_live(rng, rep)
            ts = self._day_us(t) + self._tod(rng, rep, 2.0)
            ok = inviter >= 0
            self._extra_events(inviter[ok], "user_invited", ts[ok])
            accept = rng.random(len(slots)) < p.invite_accept_prob
            delay = rng.geometric(0.45, len(slots)) - 1
            for d in np.unique(delay[accept]):
                m = accept & (delay == d)
                if d == 0:
                    self._do_join_at(slots[m], ts[m] + rng.integers(10, 240, m.sum()) * US_PER_MIN)
                else:
                    self.sched[int(t + d)].append(("join", (slots[m],)))
        # users leave (left the company, deprovisioned): a few per day, drawn per account
        pl = p.user_leave_per_year / 365 * (1.6 - self.h_eff[live])
        k = rng.binomial(np.maximum(self.n_live[live] - 1, 0), np.clip(pl, 0, 1))
        la = np.repeat(live, k)
        if len(la):
            gone = np.unique(self._pick_live(rng, la))
            gone = gone[(gone >= 0) & (w.slot_no[gone] != self.champion_slot[w.slot_acct[gone]])]
            if len(gone):
                self.slot_live[gone] = False
                np.add.at(self.n_live, w.slot_acct[gone], -1)
                self.live_dirty = True

    def _do_join_at(self, slots, ts):
        acct = self.w.slot_acct[slots]
        ok = self.status[acct] == 1
        slots, acct, ts = slots[ok], acct[ok], ts[ok]
        if not len(slots):
            return
        self.slot_live[slots] = True
        np.add.at(self.n_live, acct, 1)
        self.live_dirty = True
        self._identify(slots, ts)

    # ----------------------------------------------------------------- activity
    def _activity(self, t, rng):
        w, p = self.w, self.p
        A = self.start + t
        wd = int(weekday(A))
        dayf = p.weekend_factor if wd >= 5 else 1.0
        date = np.datetime64(A, "D").astype(object)
        if (date.month == 12 and date.day >= 23) or (date.month == 1 and date.day <= 2):
            dayf *= p.holiday_factor
        live_acct = self.status == 1
        # milestones: integrations get connected (onboarding accounts over their first weeks)
        onboarding = live_acct & (self.k == 0) & (self.sign_rel >= 0) & (t - self.cstart < 120)
        pint = np.where(onboarding, p.integration_daily_prob, p.integration_daily_prob * 0.15) * self.h_eff ** 2
        new_int = np.flatnonzero(live_acct & ~self.has_int & (rng.random(w.n) < pint * (self.n_live > 0)))
        extra = np.flatnonzero(live_acct & self.has_int & (rng.random(w.n) < p.extra_integration_daily * self.h_eff))
        self.has_int[new_int] = True
        ia = np.concatenate([new_int, extra])
        if len(ia):
            who = self._pick_live(rng, ia)
            ok = who >= 0
            self._extra_events(who[ok], "integration_connected", self._day_us(t) + self._tod(rng, ia[ok], 2.0))

        self._refresh_live()
        L = self.live
        if not len(L):
            return
        # per-account activity level today, then one gather per live user
        trap1_acc = w.trap == 1
        h_act = np.where(trap1_acc, p.trap_login_apparent_h, self.h_eff)
        fa = np.maximum(0.08, 1.0 + p.p_active_h_slope * (h_act - 0.6)) * p.p_active_weekday * dayf
        fa = fa * np.where(onboarding, 1.25, 1.0) * np.where(self.churning, self.churn_act_f, 1.0)
        acct = w.slot_acct[L]
        pa_ = fa.astype(np.float32)[acct] * w.slot_eng[L]
        act = rng.random(len(L), dtype=np.float32) < pa_
        U = L[act]
        if not len(U):
            return
        ua = acct[act]
        hour = w.slot_hour[U] + rng.normal(0, 1.3, len(U))
        start_us = self._day_us(t) + (np.clip(hour, 0.02, 23.5) * US_PER_HOUR).astype(np.int64) \
            + rng.integers(0, US_PER_MIN, len(U))
        new_id = ~self.identified[U]
        if new_id.any():
            self._identify(U[new_id], start_us[new_id] - 2 * US_PER_S)
        if t < self.events_from_day:
            return
        # the expansion into single events does not feed back into the state: queue it and expand
        # several days at once (each day still draws from its own generator)
        trap1 = trap1_acc[ua]
        first = np.r_[True, ua[1:] != ua[:-1]]       # = np.unique(ua, return_inverse=True): ua is sorted
        uacc, inv = ua[first], np.cumsum(first) - 1
        h_act_u = np.where(trap1, p.trap_login_apparent_h, self.h_eff[ua])
        lam = p.events_per_active_day * (0.4 + h_act_u) * np.sqrt(w.slot_eng[U])
        self.pending_days.append((t, U, start_us, trap1, lam, self._feature_weights(uacc), inv))
        self.pending_users += len(U)

    def _feature_weights(self, acct):
        """(len(acct), n_features) weights of the non-login events for these accounts today."""
        w, p = self.w, self.p
        h = self.h_eff[acct]
        base = np.array([x for _, x in p.event_weights])
        gate = sigmoid(p.breadth_sharpness * (h[:, None] - w.breadth_thr[acct]))
        names = [e for e, _ in p.event_weights]
        gate[:, names.index("dashboard_viewed")] = 1.0
        W = base[None, :] * gate
        depth = h ** p.depth_exponent
        onb = (self.k[acct] == 0) & (self.sign_rel[acct] >= 0)
        ramp = np.where(onb, np.clip((self._t - self.cstart[acct]) / p.onboarding_ramp_days, 0.05, 1.0), 1.0)
        depth = depth * ramp
        trap1 = w.trap[acct] == 1
        depth = np.where(trap1, depth * p.trap_login_depth, depth)
        for e in ("workflow_created", "workflow_completed", "automation_created"):
            W[:, names.index(e)] *= depth
        W[:, names.index("dashboard_viewed")] *= np.where(trap1, p.trap_login_dashboard_mult, 1.0)
        W[:, names.index("api_called")] *= self.has_int[acct]
        if trap1.any():
            for e in ("report_shared", "automation_created", "export_created", "comment_added"):
                W[trap1, names.index(e)] *= 0.3
        return W

    def _expand_pending(self):
        """Expand queued active user-days into product events (per-day draws, batched arithmetic)."""
        days = self.pending_days
        if not days:
            return
        self.pending_days = []
        self.pending_users = 0
        p = self.p
        parts = {k: [] for k in ("U", "start", "cnt", "signed", "gaps", "r", "raw", "inv", "rows")}
        row_off = 0
        Ws = []
        for (t, U, start_us, trap1, lam, W, inv) in days:
            rng = day_rng(self.seed, self.start + t, "events")
            n = len(U)
            more = rng.poisson(lam)
            signed = (rng.random(n) < p.signed_in_prob) | trap1
            more = np.maximum(more, 1 - signed.astype(np.int64))
            cnt = more + signed
            total = int(cnt.sum())
            gaps = rng.exponential(p.session_gap_seconds, total)
            r = rng.random(total - int(signed.sum()))
            raw = rng.bit_generator.random_raw(3 * total).reshape(3, total)
            for k, v in (("U", U), ("start", start_us), ("cnt", cnt), ("signed", signed), ("gaps", gaps),
                         ("r", r), ("raw", raw), ("inv", inv + row_off)):
                parts[k].append(v)
            Ws.append(W)
            row_off += len(W)
        U, start_us, cnt, signed, gaps, r, inv = (np.concatenate(parts[k]) for k in
                                                  ("U", "start", "cnt", "signed", "gaps", "r", "inv"))
        raw = np.concatenate(parts["raw"], axis=1)
        W = np.concatenate(Ws)
        total = len(gaps)
        ev_slot = np.repeat(U, cnt)
        first = np.cumsum(cnt) - cnt
        g = (gaps * US_PER_S).astype(np.int64) + 2 * US_PER_S
        g[first] = 0
        cs = np.cumsum(g)
        ts = np.repeat(start_us - cs[first], cnt) + cs
        # what: an explicit sign-in first (for some), then features by the account's weights that day
        ev = np.empty(total, dtype=np.int8)
        is_sign = np.zeros(total, dtype=bool)
        is_sign[first[signed]] = True
        ev[is_sign] = EV["signed_in"]
        # the other events of a user-day are contiguous and follow its optional sign-in
        ridx = np.repeat(inv, cnt - signed)
        cw = np.cumsum(W, axis=1)
        thr = (cw[:, :-1] / cw[:, -1:]).astype(np.float32).T.copy()      # (features - 1, rows)
        r32 = r.astype(np.float32)
        k = np.zeros(len(ridx), dtype=np.int8)
        for j in range(thr.shape[0]):
            k += r32 >= thr[j][ridx]
        ev[~is_sign] = FEATURE_EVENTS[k]
        lo, hi = p.segment_load_seconds
        misc = raw[2]
        self.ev_parts.append({
            "slot": ev_slot, "ev": ev, "ts": ts,
            "delay": (((misc & np.uint64(0xFFFFFF)) * np.uint64(9 * US_PER_S - 200_000)) >> np.uint64(24)).astype(np.int64) + 200_000,
            "load": (((misc >> np.uint64(40)) * np.uint64((hi - lo) * US_PER_S)) >> np.uint64(24)).astype(np.int64) + lo * US_PER_S,
            "ida": raw[0].view(np.int64), "idb": raw[1].view(np.int64),
        })
        self.ev_pending += total

    def flush_events(self):
        self._expand_pending()
        # invites and integrations collected during the day(s) join the product events
        extra = self.buf.d.pop("extra_event", None)
        if extra:
            ex = {k: np.concatenate(v) for k, v in extra.items()}
            if len(ex["slot"]):
                keep = ex["ts"] >= self._day_us(self.events_from_day) - US_PER_DAY
                if keep.any():
                    h = hash64(self.seed, "extra_ev", ex["slot"][keep], ex["ts"][keep])
                    h2 = hash64(self.seed, "extra_ev2", ex["slot"][keep], ex["ts"][keep])
                    n = int(keep.sum())
                    self.ev_parts.append({
                        "slot": ex["slot"][keep].astype(np.int64), "ev": ex["ev"][keep], "ts": ex["ts"][keep],
                        "delay": (h % np.uint64(8 * US_PER_S)).astype(np.int64) + 200_000,
                        "load": (h2 % np.uint64(800 * US_PER_S)).astype(np.int64) + 20 * US_PER_S,
                        "ida": (h >> np.uint64(1)).astype(np.int64), "idb": (h2 >> np.uint64(1)).astype(np.int64)})
                    self.ev_pending += n
        if not self.ev_parts:
            return
        parts, self.ev_parts, self.ev_pending = self.ev_parts, [], 0
        self.events_total += sum(len(x["slot"]) for x in parts)
        if self.on_events is not None:
            self.on_events(parts)         # one chunk, as its parts in order (the writer's thread joins them)

    # ------------------------------------------------------------------ support
    def _support(self, t, rng):
        w, p = self.w, self.p
        A = self.start + t
        wd = int(weekday(A))
        live = np.flatnonzero(self.status == 1)
        if not len(live):
            return
        h = self.h_eff[live]
        rel = self.release_until[live] >= t
        onb = (self.k[live] == 0) & (self.sign_rel[live] >= 0) & (t - self.cstart[live] < 60)
        lam = (p.tickets_per_seat_year / 365 * 7 / 5.6) * self.seats[live] ** p.ticket_seat_exponent \
            * (1 + p.ticket_health_mult * (1 - h) ** 2) \
            * np.where(rel, p.release_ticket_mult, 1.0) \
            * np.where(self.churning[live], np.where(self.churn_vocal[live], p.ticket_churn_spike,
                                                     p.churn_silent_ticket_mult), 1.0) \
            * np.where(onb, p.ticket_onboarding_mult, 1.0) * (0.3 if wd >= 5 else 1.0)
        k = rng.poisson(lam)
        if not k.any():
            return
        acct = np.repeat(live, k)
        n = len(acct)
        ids = self._new_ids("ticket", n)
        hh = self.h_eff[acct]
        rel = (self.release_until[acct] >= t).astype(float)
        chg = self.churn_vocal[acct].astype(float)          # silent churners: priority and CSAT as usual
        created = self._day_us(t) + self._tod(rng, acct, 3.0) + rng.integers(0, US_PER_HOUR, n)
        score = rng.normal(0, 1, n) + 1.3 * (1 - hh) + 0.8 * rel + 0.6 * chg
        prio = np.digitize(score, [0.0, 1.45, 2.35]).astype(np.int8)          # 0 low, 1 normal, 2 high, 3 urgent
        prio_null = rng.random(n) < 0.08
        escalate = (rng.random(n) < 0.05 + 0.15 * (1 - hh)) & (prio < 3) & ~prio_null
        tw = np.array([x[2] for x in N.TICKET_TOPICS])
        topic = choice_idx(rng.random(n), tw)
        bugs = rng.random(n) < 0.5 * rel
        topic = np.where(bugs, 1, topic)
        ttype = np.array(["question", "incident", "problem", "task"])
        tix = np.array([list(ttype).index(x[1]) for x in N.TICKET_TOPICS])[topic]
        pr_eff = np.where(escalate, prio + 1, prio)
        open_mean = np.array([12, 6, 2, 0.5])[pr_eff] * US_PER_HOUR
        t_open = created + 5 * US_PER_MIN + (rng.exponential(1.0, n) * open_mean).astype(np.int64)
        pending = rng.random(n) < 0.3
        t_pending = np.where(pending, t_open + (rng.exponential(0.8, n) * US_PER_DAY).astype(np.int64), -1)
        solve_mean = np.array([1.0, 2.0, 4.0, 1.5])[tix] * US_PER_DAY
        t_solved = np.maximum(t_open, t_pending) + 30 * US_PER_MIN + (rng.exponential(1.0, n) * solve_mean).astype(np.int64)
        t_closed = t_solved + 4 * US_PER_DAY + rng.integers(0, 6 * US_PER_HOUR, n)
        offered = rng.random(n) < p.csat_offer_prob
        t_offer = np.where(offered, t_solved + rng.integers(US_PER_HOUR, 24 * US_PER_HOUR, n), -1)
        responded = offered & (rng.random(n) < p.csat_response_prob)
        t_resp = np.where(responded, t_offer + (rng.exponential(0.8, n) * US_PER_DAY).astype(np.int64) + 10 * US_PER_MIN, -1)
        pbad = p.csat_bad_base + p.csat_bad_h * (1 - hh) ** 2 + p.csat_bad_release * rel + 0.15 * chg
        bad = rng.random(n) < pbad
        requester = self._pick_live(rng, acct)
        requester = np.where(requester >= 0, requester, w.slot_offset[acct])
        agent = rng.integers(0, p.n_support_agents, n)
        channel = choice_idx(rng.random(n), (0.55, 0.30, 0.10, 0.05))
        self.buf.add("ticket", ticket=ids, acct=acct, slot=requester, created=created, t_open=t_open,
                     t_pending=t_pending, t_solved=t_solved, t_closed=t_closed, t_offer=t_offer, t_resp=t_resp,
                     bad=bad, prio=prio, prio_null=prio_null, escalate=escalate, topic=topic, agent=agent,
                     channel=channel)

    # ---------------------------------------------------------------------- CSM
    def _csm(self, t, rng):
        w, p = self.w, self.p
        A = self.start + t
        wd = int(weekday(A))
        live = self.status == 1
        if wd < 5:
            la = np.flatnonzero(live)
            rate = np.array(p.task_rate_per_weekday)[w.seg[la]] * (1 + 0.5 * (1 - self.h_eff[la]))
            k = rng.poisson(rate)
            acct = np.repeat(la, k)
            n = len(acct)
            if n:
                hh = self.h_eff[acct]
                call = rng.random(n) < np.array(p.call_share)[w.seg[acct]]
                s = hh + rng.normal(0, p.sentiment_noise, n) - 0.05 * (self.stress_until[acct] >= t)
                sent = np.where(s >= 0.62, 0, np.where(s < 0.40, 2, 1)).astype(np.int8)      # Positive/Neutral/Negative
                has_sent = call | (rng.random(n) < 0.15)
                sent = np.where(has_sent, sent, -1)
                created = self._day_us(t) + self._tod(rng, acct, 2.0)
                subj = rng.integers(0, 4, n)
                who = np.where(self.champion_contact[acct] >= 0, self.champion_contact[acct],
                               np.where(self.exec_contact[acct] >= 0, self.exec_contact[acct], w.contact_offset[acct] + 1))
                what = np.where(rng.random(n) < 0.4, self.renewal_opp[acct], -1)
                self.buf.add("task", task=self._new_ids("task", n), acct=acct, call=call, sentiment=sent,
                             created=created, subj=subj, who=who, what=what, owner=w.csm_user[acct])
        # meetings: QBRs, check-ins, executive sponsor syncs (scheduled a week or two ahead)
        mh = sigmoid(p.meeting_h_k * (self.h_eff - p.meeting_h_mid)) * np.where(self.stress_until >= t, 0.6, 1.0) \
            * np.where(self.churning, self.churn_meet_f, 1.0)
        for mt, every, phase, seg_ok in (
                (MT_QBR, np.array(p.qbr_every_days)[w.seg], w.qbr_phase, w.seg > 0),
                (MT_CHECKIN, np.array(p.checkin_every_days)[w.seg], w.checkin_phase, w.seg > 0),
                (MT_EXEC, np.full(w.n, p.exec_every_days), w.exec_phase, w.seg == 2)):
            due = live & seg_ok & (every > 0) & ((A - phase) % np.maximum(every, 1) == 0)
            if not due.any():
                continue
            idx = np.flatnonzero(due)
            held = idx[rng.random(len(idx)) < mh[idx] * (0.9 if mt == MT_CHECKIN else 1.0)]
            if len(held):
                lead = rng.integers(5, 22, len(held)) if mt != MT_CHECKIN else rng.integers(2, 10, len(held))
                self._schedule_meetings(held, t, rng, mt, lead, 60 if mt == MT_QBR else 30)

    def _schedule_meetings(self, acct, t, rng, mtype, lead_days, minutes):
        w = self.w
        n = len(acct)
        created = self._day_us(t) + self._tod(rng, acct, 2.0)
        day = self.start + t + lead_days
        wd = weekday(day)
        day = day + np.where(wd == 5, 2, np.where(wd == 6, 1, 0))
        hour = np.round(np.array(N.REGION_SESSION_HOUR_UTC)[w.region[acct]] + rng.integers(-2, 4, n))
        start = day * US_PER_DAY + (np.clip(hour, 0, 23) * US_PER_HOUR).astype(np.int64)
        who = np.where((mtype == MT_EXEC) & (self.exec_contact[acct] >= 0), self.exec_contact[acct],
                       np.where(self.champion_contact[acct] >= 0, self.champion_contact[acct], w.contact_offset[acct]))
        self.buf.add("meeting", meeting=self._new_ids("meeting", n), acct=acct, mtype=np.full(n, mtype, np.int8),
                     created=created, start=start, minutes=np.full(n, minutes), who=who,
                     what=self.renewal_opp[acct], owner=w.csm_user[acct])

    # ------------------------------------------------------------------- survey
    def _survey(self, t, rng):
        w, p = self.w, self.p
        A = self.start + t
        due = np.flatnonzero((self.status == 1) & ((A - w.nps_phase) % p.nps_every_days == 0) & (self.n_live > 0))
        if not len(due):
            return
        k = np.minimum(self.n_live[due], np.minimum(2 + self.seats[due] // 25, 8))
        acct = np.repeat(due, k)
        slot = self._pick_live(rng, acct)
        ok = (slot >= 0) & self.identified[np.maximum(slot, 0)]
        acct, slot = acct[ok], slot[ok]
        _, first = np.unique(slot, return_index=True)
        first = np.sort(first)
        acct, slot = acct[first], slot[first]
        trap2 = w.trap[acct] == 2
        resp = rng.random(len(acct)) < np.where(trap2, p.nps_trap_response_prob, p.nps_response_prob)
        acct, slot, trap2 = acct[resp], slot[resp], trap2[resp]
        n = len(acct)
        if not n:
            return
        sent = self._day_us(t) + self._tod(rng, acct, 2.0)
        created = sent + np.minimum((rng.exponential(1.5, n) * US_PER_DAY).astype(np.int64), 14 * US_PER_DAY)
        bias = p.nps_user_bias_sd * hnorm(self.seed, "nps_bias", slot)
        raw = 1.0 + 9.5 * self.h_slow[acct] + bias + rng.normal(0, p.nps_noise, n)
        score = np.clip(np.round(raw), 0, 10).astype(np.int64)
        score = np.where(trap2, 9 + (rng.random(n) < 0.5), score)
        self.buf.add("nps", resp=self._new_ids("nps", n), acct=acct, slot=slot, created=created, score=score,
                     comment=rng.integers(0, 8, n), channel=(rng.random(n) < 0.4).astype(np.int8),
                     edit=rng.integers(0, 300, n) * US_PER_S)

    # ------------------------------------------------------------------ billing
    def _billing(self, t, rng):
        live = self.status == 1
        due = np.flatnonzero(live & (self.next_bill <= t))
        if not len(due):
            return
        w = self.w
        ps = w.period_start(self.bill_n[due], due)
        pe = w.period_start(self.bill_n[due] + 1, due)
        created = ps * US_PER_DAY + self.bill_tod[due]
        reason = np.where(self.bill_n[due] == 0, "subscription_create", "subscription_cycle")
        for r in ("subscription_create", "subscription_cycle"):
            m = reason == r
            if m.any():
                idx = due[m]
                self._invoice(idx, rng, t_us=created[m], ps_day=ps[m], pe_day=pe[m], reason=r,
                              seats_old=self.seats[idx], seats_new=self.seats[idx], frac=np.ones(m.sum()))
        self.buf.add("sub_ev", acct=due, t_us=created, kind=SE_PERIOD, ps=ps * US_PER_DAY + self.bill_tod[due],
                     pe=pe * US_PER_DAY + self.bill_tod[due])
        self.bill_n[due] += 1
        self.next_bill[due] = pe - self.start

    def _invoice(self, acct, rng, t_us, ps_day, pe_day, reason, seats_old, seats_new, frac):
        w, p = self.w, self.p
        n = len(acct)
        t = int(t_us.max() // US_PER_DAY - self.start)
        ids = self._new_ids("invoice", n)
        unit = w.unit_month[acct] * w.interval[acct]                    # per seat per period
        if reason == "subscription_update":
            new_amt = np.round(seats_new * unit * frac).astype(np.int64)
            old_amt = -np.round(seats_old * unit * frac).astype(np.int64)
        else:
            new_amt = seats_new * unit
            old_amt = np.zeros(n, dtype=np.int64)
        amount = new_amt + old_amt
        finalized = t_us + US_PER_HOUR
        card = w.card[acct]
        stress = (self.stress_until[acct] >= t).astype(float)
        hh = self.h_eff[acct]
        # card payments: first attempt at finalization, then smart retries
        pf = p.card_fail_prob * (1 + p.card_fail_stress_mult * stress) * (1 + p.card_fail_h_mult * (1 - hh))
        n_try = len(p.card_retry_days) + 1
        fails = rng.random((n, n_try)) < np.minimum(pf[:, None] * np.array([1.0, 0.8, 0.7, 0.6]), 0.95)
        first_ok = np.argmax(~fails, axis=1)
        all_fail = fails.all(axis=1)
        attempts = np.where(all_fail, n_try, first_ok + 1)
        retry_us = np.array([0] + list(p.card_retry_days)) * US_PER_DAY
        manual = finalized + (rng.uniform(10, 20, n) * US_PER_DAY).astype(np.int64)
        card_paid = np.where(all_fail, manual, finalized + retry_us[np.minimum(first_ok, n_try - 1)]
                             + rng.integers(0, 30 * US_PER_MIN, n))
        # send_invoice: pay before the due date, sometimes late
        net = w.net_days[acct]
        due_us = finalized + net * US_PER_DAY
        plate = p.late_pay_base + p.late_pay_stress * stress + p.late_pay_h * (1 - hh)
        late = rng.random(n) < plate
        on_time = finalized + (rng.uniform(0.15, 0.95, n) * net * US_PER_DAY).astype(np.int64)
        late_at = due_us + (rng.uniform(1, 45, n) * US_PER_DAY).astype(np.int64)
        inv_paid = np.where(late, late_at, on_time)
        zero = amount <= 0
        paid_at = np.where(zero, finalized, np.where(card, card_paid, inv_paid))
        attempts = np.where(card & ~zero, attempts, np.where(zero, 0, 1))
        self.buf.add("invoice", invoice=ids, acct=acct, created=t_us, finalized=finalized, paid_at=paid_at,
                     due=np.where(card, -1, due_us), ps=ps_day * US_PER_DAY + self.bill_tod[acct],
                     pe=pe_day * US_PER_DAY + self.bill_tod[acct], amount=amount, new_amt=new_amt, old_amt=old_amt,
                     seats_new=seats_new, seats_old=seats_old, reason=np.full(n, reason), attempts=attempts,
                     card=card, bill_n=self.bill_n[acct])
        # charges: one per card attempt
        cm = np.flatnonzero(card & ~zero)
        if len(cm):
            na = attempts[cm]
            rep = np.repeat(cm, na)
            k = np.arange(na.sum()) - np.repeat(np.cumsum(na) - na, na)
            ok = ~fails[rep, np.minimum(k, n_try - 1)]
            manual_try = all_fail[rep] & (k == n_try - 1)
            at = finalized[rep] + retry_us[np.minimum(k, n_try - 1)] + rng.integers(0, 30 * US_PER_MIN, len(rep))
            ok = ok | manual_try
            at = np.where(manual_try, manual[rep], at)
            code = np.where(ok, -1, (rng.random(len(rep)) < 0.55).astype(np.int64))   # 0 card_declined, 1 insufficient_funds
            self.buf.add("charge", charge=self._new_ids("charge", len(rep)), invoice=ids[rep], acct=acct[rep],
                         created=at, amount=amount[rep], ok=ok, code=code, reason=np.full(len(rep), reason))
            # subscription goes past_due while an invoice is failing
            pd_ = cm[fails[cm, 0]]
            if len(pd_):
                self.buf.add("sub_ev", acct=acct[pd_], t_us=finalized[pd_] + US_PER_MIN, kind=SE_PAST_DUE,
                             ps=np.full(len(pd_), -1), pe=np.full(len(pd_), -1))
                self.buf.add("sub_ev", acct=acct[pd_], t_us=paid_at[pd_], kind=SE_ACTIVE,
                             ps=np.full(len(pd_), -1), pe=np.full(len(pd_), -1))
