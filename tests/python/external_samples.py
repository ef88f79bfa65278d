"""Load the Fivetran integration-test samples (real loader layouts) into raw schemas.

The samples live outside the project (``../shared/external-data/fivetran``); their
values are obfuscated and their keys do not join, which is the point: they prove
that staging accepts the column names, types and boolean/timestamp formats the
loaders really write. Every column is loaded as text, the harshest case.
"""
from __future__ import annotations

import os
from pathlib import Path

import duckdb


def _samples_dir() -> Path:
    """$CUSTOMER_HEALTH_EXTERNAL_DATA, else ../shared/external-data next to the project, else /work/shared."""
    candidates = []
    if os.environ.get("CUSTOMER_HEALTH_EXTERNAL_DATA"):
        candidates.append(Path(os.environ["CUSTOMER_HEALTH_EXTERNAL_DATA"]))
    candidates.append(Path(__file__).resolve().parents[3] / "shared" / "external-data")
    candidates.append(Path("/work/shared/external-data"))
    for candidate in candidates:
        if (candidate / "fivetran").is_dir():
            return candidate / "fivetran"
    return candidates[0] / "fivetran"


SAMPLES_DIR = _samples_dir()

# raw schema -> {raw table name: sample file}
SAMPLE_TABLES = {
    "raw_salesforce": {
        "account": "salesforce/sf_account_data.csv",
        "contact": "salesforce/sf_contact_data.csv",
        "opportunity": "salesforce/sf_opportunity_data.csv",
        "task": "salesforce/sf_task_data.csv",
        "event": "salesforce/sf_event_data.csv",
        "user": "salesforce/sf_user_data.csv",
    },
    "raw_zendesk": {
        "organization": "zendesk/organization_data.csv",
        "user": "zendesk/user_data.csv",
        "ticket": "zendesk/ticket_data.csv",
        "ticket_field_history": "zendesk/ticket_field_history_data.csv",
    },
    "raw_stripe": {
        "customer": "stripe/customer_data.csv",
        "price": "stripe/price_data.csv",
        "subscription": "stripe/subscription_data.csv",
        "invoice": "stripe/invoice_data.csv",
        "invoice_line_item": "stripe/invoice_line_item_data.csv",
        "charge": "stripe/charge_data.csv",
    },
}


def load_samples(db_path: Path, samples_dir: Path = SAMPLES_DIR) -> dict[str, int]:
    """Replace the Salesforce, Zendesk and Stripe raw tables with the samples.

    Returns the row count loaded per ``schema.table``.
    """
    counts: dict[str, int] = {}
    con = duckdb.connect(str(db_path))
    try:
        for schema, tables in SAMPLE_TABLES.items():
            con.execute(f"drop schema if exists {schema} cascade")
            con.execute(f"create schema {schema}")
            for table, relative in tables.items():
                path = samples_dir / relative
                con.execute(
                    f'create table {schema}."{table}" as '
                    "select * from read_csv(?, header = true, all_varchar = true)",
                    [str(path)],
                )
                counts[f"{schema}.{table}"] = con.execute(
                    f'select count(*) from {schema}."{table}"'
                ).fetchone()[0]
    finally:
        con.close()
    return counts
