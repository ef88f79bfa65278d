"""Orchestration: simulate, write every raw table, print a summary."""

from __future__ import annotations

import csv
import time
from typing import Dict

import numpy as np

from .params import COVERAGE, SEGMENTS, RunConfig
from .rand import from_day, sf_ids, to_day, prefixed_hex
from .simulate import Simulation
from .tables import Builder, Ctx
from .warehouse import TracksWriter, Warehouse
from .world import World

TRAPS = ("none", "login_no_depth", "promoter_declining")
KEEP_STAGE = {("raw_salesforce", "task"), ("raw_salesforce", "event")}   # read again by the account table


def generate(cfg: RunConfig) -> Dict:
    t0 = time.perf_counter()
    say = (lambda s: None) if cfg.quiet else (lambda s: print(s, flush=True))
    start, end = to_day(cfg.start_date), to_day(cfg.end_date)
    mode = f"append after {cfg.append_after}" if cfg.append_after else "replace"
    say(f"demo world: {cfg.accounts:,} accounts, {cfg.start_date} .. {cfg.end_date}, seed {cfg.seed}, "
        f"{'dirty' if cfg.dirty else 'clean'}, {mode} -> {cfg.db}")
    world = World(cfg.accounts, cfg.seed, start, cfg.params)
    wh = Warehouse(cfg)
    wh.prepare()
    tracks = TracksWriter(wh, world, cfg.seed)
    events_from = 0
    if cfg.append_after:
        events_from = max(0, to_day(cfg.append_after) - start - 1)   # earlier events cannot load after the cutoff
    sim = Simulation(world, end - start, events_from_day=events_from, on_events=tracks.submit, progress=say)
    say("simulating day by day (product events stream to raw_segment.tracks)")
    t_sim = time.perf_counter()
    sim.run()
    sim_seconds = time.perf_counter() - t_sim - tracks.wait_seconds
    say(f"  simulation done in {time.perf_counter() - t0:.1f}s")

    b = Builder(Ctx(world, sim, wh.con, cfg.seed, cfg.params, wh.cutoff_us, cfg.dirty))
    b.register_sfuser_numbers()
    n = cfg.accounts
    seed = cfg.seed
    say("writing raw_salesforce, raw_zendesk, raw_stripe, raw_segment, raw_survey (tracks still streaming)")
    steps = [
        ("raw_stripe", "price", b.price),
        ("raw_salesforce", "user", b.sf_user),
        ("raw_salesforce", "task", b.task),
        ("raw_salesforce", "event", b.event),
        ("raw_salesforce", "contact", b.contact),
        ("raw_salesforce", "opportunity", b.opportunity),
        ("raw_salesforce", "account", b.account),
        ("raw_zendesk", "organization", b.zd_organization),
        ("raw_zendesk", "ticket", b.zd_ticket),
        ("raw_zendesk", "ticket_field_history", b.zd_ticket_field_history),
        ("raw_zendesk", "user", b.zd_user),
        ("raw_stripe", "customer", b.st_customer),
        ("raw_stripe", "subscription", b.st_subscription),
        ("raw_stripe", "invoice", b.st_invoice),
        ("raw_stripe", "invoice_line_item", b.st_invoice_line_item),
        ("raw_stripe", "charge", b.st_charge),
    ]
    identifies_groups = []

    def segment_sql(i):
        if not identifies_groups:
            identifies_groups.extend(b.seg_identifies_groups())
        return identifies_groups[i]

    steps += [("raw_segment", "identifies", lambda: segment_sql(0)), ("raw_segment", "groups", lambda: segment_sql(1)),
              ("raw_survey", "nps_responses", b.survey)]
    for schema, table, fn in steps:
        t1 = time.perf_counter()
        query = fn()
        wh.write(schema, table, query, n, seed, keep_stage=(schema, table) in KEEP_STAGE,
                 one_version=(schema, table) in b.one_version)
        say(f"  {schema}.{table}: {wh.rows[f'{schema}.{table}']:,} rows ({time.perf_counter() - t1:.1f}s)")
    t1 = time.perf_counter()
    tracks.close()
    wh.rows["raw_segment.tracks"] = tracks.rows
    say(f"  raw_segment.tracks: {tracks.rows:,} rows (finished {time.perf_counter() - t1:.1f}s after the others)")
    wh.close()
    if cfg.truth:
        write_truth(cfg.truth, world, sim)
        say(f"truth written to {cfg.truth}")
    wall = time.perf_counter() - t0
    summary = {"rows": dict(sorted(wh.rows.items())), "product_events_generated": sim.events_total,
               "tracks_rows_written": tracks.rows, "wall_seconds": wall,
               "events_per_second": sim.events_total / wall if wall > 0 else 0.0,
               "simulation_seconds": sim_seconds,
               "simulated_events_per_second": sim.events_total / sim_seconds if sim_seconds > 0 else 0.0}
    if not cfg.quiet:
        print_summary(summary)
    return summary


def print_summary(s: Dict):
    print("rows written per table:")
    for k, v in s["rows"].items():
        print(f"  {k:<40} {v:>12,}")
    print(f"product events generated: {s['product_events_generated']:,}")
    print(f"wall seconds: {s['wall_seconds']:.2f}")
    print(f"product events per second: {s['events_per_second']:,.0f}")
    print(f"product events per second of simulation alone: {s['simulated_events_per_second']:,.0f} "
          f"({s['simulation_seconds']:.1f} s simulating, not counting waits for the tracks writer; the rest of the wall time writes raw tables)")


def truth_rows(world: World, sim: Simulation):
    w = world
    ch = sim.buf.get("churn")
    churn = {}
    if ch:
        for i in range(len(ch["acct"])):
            churn[int(ch["acct"][i])] = i
    ren = sim.buf.get("renewal")
    n_ren = np.bincount(ren["acct"], minlength=w.n) if ren else np.zeros(w.n, dtype=np.int64)
    reasons = list(w.p.ext_reasons) + list(w.p.behaviour_reasons) + ["Champion left"]
    ids = sf_ids("001", w.idx + 1).to_pylist()
    ws = prefixed_hex("ws_", w.workspace_hash, 16).to_pylist()
    for a in range(w.n):
        row = {
            "account_index": a, "account_id": ids[a], "workspace_id": ws[a], "segment": SEGMENTS[w.seg[a]],
            "coverage": COVERAGE[w.seg[a]], "new_logo": bool(w.new_logo[a]),
            "crm_workspace_missing": bool(w.crm_workspace_missing[a]),
            "first_contract_start": from_day(w.orig_start[a]).isoformat(), "trap_type": TRAPS[w.trap[a]],
            "baseline_health": round(float(w.base_h[a]), 4), "final_health": round(float(sim.h_eff[a]), 4),
            "renewals_in_window": int(n_ren[a]),
            "churned": False, "churn_date": "", "churn_reason": "", "churn_behavioural": "", "churn_mode": "",
            "churn_style": "",
            "h90_at_decision": "" if np.isnan(sim.h90_at_decision[a]) else round(float(sim.h90_at_decision[a]), 4),
        }
        if a in churn:
            i = churn[a]
            row.update(churned=True, churn_date=from_day(ch["day"][i]).isoformat(),
                       churn_reason=reasons[int(ch["reason"][i])], churn_behavioural=bool(ch["behav"][i]),
                       churn_mode="early" if ch["early"][i] else "at_renewal",
                       # how a behaviour-driven churner left: vocal (tickets spike) or silent (goes quiet)
                       churn_style=("vocal" if ch["vocal"][i] else "silent") if ch["behav"][i] else "")
        yield row


def write_truth(path: str, world: World, sim: Simulation):
    rows = list(truth_rows(world, sim))
    with open(path, "w", newline="") as f:
        wr = csv.DictWriter(f, fieldnames=list(rows[0].keys()))
        wr.writeheader()
        wr.writerows(rows)
