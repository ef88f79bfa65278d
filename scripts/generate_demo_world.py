#!/usr/bin/env python
"""Generate the customer_health demo world into a DuckDB file.

Simulates a B2B SaaS company (accounts, product usage, support, surveys,
CSM activity, billing, renewals and churn) day by day over ~18 months and
writes the raw tables its loaders would have produced, one schema per
source: raw_salesforce, raw_zendesk, raw_stripe, raw_segment, raw_survey
(layouts: docs/raw_layouts.md).  Other schemas in the file are left alone.

Examples:
  python scripts/generate_demo_world.py                       # 2,000 accounts to 2026-06-30
  python scripts/generate_demo_world.py --accounts 120 --db /tmp/small.duckdb --truth /tmp/truth.csv
  python scripts/generate_demo_world.py --dirty               # with realistic bad rows
  # benchmark "one new day": load to D (default start = D - 18 months + 1 day = 2024-12-30), then
  # append what the loaders delivered on D+1, keeping the same start date
  python scripts/generate_demo_world.py --end-date 2026-06-29
  python scripts/generate_demo_world.py --end-date 2026-06-30 --start-date 2024-12-30 --append-after 2026-06-29
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib.abc
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from demo_world import RunConfig, generate  # noqa: E402
from demo_world.params import default_start  # noqa: E402


def _date(s: str) -> dt.date:
    try:
        return dt.date.fromisoformat(s)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a YYYY-MM-DD date: {s!r}")


def _positive(s: str) -> int:
    v = int(s)
    if v < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return v


def parse_args(argv=None) -> argparse.Namespace:
    ap = argparse.ArgumentParser(
        prog="generate_demo_world.py",
        description=__doc__.split("\n\n")[0] + "\n\n" + __doc__.split("\n\n")[1],
        epilog="\n\n".join(__doc__.split("\n\n")[2:]),
        formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--db", default=os.environ.get("CUSTOMER_HEALTH_DB", "./customer_health.duckdb"),
                    help="DuckDB file to write (default: $CUSTOMER_HEALTH_DB, else ./customer_health.duckdb)")
    ap.add_argument("--accounts", type=_positive, default=2000,
                    help="number of customer accounts (default 2000; tested up to 100000)")
    ap.add_argument("--end-date", type=_date, default=dt.date(2026, 6, 30),
                    help="last simulated day, YYYY-MM-DD (default 2026-06-30)")
    ap.add_argument("--start-date", type=_date, default=None,
                    help="first simulated day (default: end date minus 18 months plus one day)")
    ap.add_argument("--seed", type=int, default=42, help="random seed; same flags give identical tables (default 42)")
    ap.add_argument("--dirty", action="store_true",
                    help="inject ~0.2-1%% realistic bad rows (null keys, duplicate loads, soft deletes, orphans, "
                         "future dates, unparseable text, unmatched identities)")
    ap.add_argument("--truth", metavar="PATH", default=None,
                    help="also write a CSV of per-account hidden truth (segment, churn date/reason, "
                         "behaviour-driven or not, trap type); never written into the warehouse")
    ap.add_argument("--append-after", type=_date, default=None, metavar="YYYY-MM-DD",
                    help="append mode: keep the existing raw tables and write only what was loaded after this "
                         "date (updated records replace their earlier state). Pass the same --start-date, --seed, "
                         "--accounts and --dirty as the run being extended")
    ap.add_argument("--memory-limit", default="2GB",
                    help="DuckDB memory_limit while writing, e.g. 1GB (default 2GB; DuckDB's own default, 80%% "
                         "of RAM, lets the cache of written blocks grow with the world for no gain). The "
                         "simulation's own arrays come on top")
    ap.add_argument("--quiet", action="store_true", help="no progress output")
    args = ap.parse_args(argv)
    if args.start_date is None:
        args.start_date = default_start(args.end_date)
    if args.end_date < args.start_date:
        ap.error("--end-date is before --start-date")
    if args.append_after is not None and not (args.start_date <= args.append_after < args.end_date):
        ap.error("--append-after must be on or after --start-date and before --end-date")
    return args


def main(argv=None) -> int:
    a = parse_args(argv)
    cfg = RunConfig(db=a.db, accounts=a.accounts, start_date=a.start_date, end_date=a.end_date, seed=a.seed,
                    dirty=a.dirty, truth=a.truth, append_after=a.append_after, quiet=a.quiet,
                    memory_limit=a.memory_limit)
    generate(cfg)
    return 0


class WithoutPandas(importlib.abc.MetaPathFinder):
    """Makes pandas unimportable in the generator's own process.

    The generator hands pyarrow and DuckDB numpy arrays and Arrow tables only, but pyarrow imports pandas on
    its first array conversion just to check whether the input is a pandas object: a quarter of a second
    before the first simulated day, when nothing else runs.  Installed by the command line only, so that a
    process importing the package (the tests) keeps its pandas."""

    def find_spec(self, name, path=None, target=None):
        if name == "pandas" or name.startswith("pandas."):
            raise ModuleNotFoundError(f"the demo-world generator does not use {name}", name=name)
        return None


if __name__ == "__main__":
    sys.meta_path.insert(0, WithoutPandas())
    sys.exit(main())
