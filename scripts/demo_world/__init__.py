"""Demo-world generator for customer_health.

Simulates a B2B SaaS company day by day and writes the raw tables that
Fivetran (Salesforce, Zendesk, Stripe), a Segment warehouse destination and a
survey CSV export would have loaded (layouts: docs/raw_layouts.md).

    from demo_world import RunConfig, generate
    generate(RunConfig(db="demo.duckdb", accounts=500))

Modules: params (every tunable number), rand (keyed randomness, ids,
calendar), world (account constants), simulate (the day loop), tables (raw
tables from the simulation), dirty (bad rows), warehouse (DuckDB writing),
pipeline (orchestration), diagnostics (a naive churn predictor).
"""

from .pipeline import generate
from .params import Params, RunConfig

__all__ = ["generate", "Params", "RunConfig"]
