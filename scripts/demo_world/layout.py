"""Raw table layouts written by the generator (see docs/raw_layouts.md).

Types follow the loaders: Fivetran timestamps are TIMESTAMP (UTC, naive),
booleans BOOLEAN, Stripe money BIGINT cents, JSON as VARCHAR, Segment
timestamps TIMESTAMPTZ, the survey export all VARCHAR except `_loaded_at`.
"""

from __future__ import annotations

from typing import Dict, List, Tuple

V, TS, TSZ, B, BI, I, D, F = "VARCHAR", "TIMESTAMP", "TIMESTAMPTZ", "BOOLEAN", "BIGINT", "INTEGER", "DATE", "DOUBLE"

FIVETRAN = [("_fivetran_synced", TS), ("_fivetran_deleted", B)]


def _cols(spec: str, typ: str = V) -> List[Tuple[str, str]]:
    return [(c.strip(), typ) for c in spec.split(",") if c.strip()]


TABLES: Dict[str, Dict[str, List[Tuple[str, str]]]] = {
    "raw_salesforce": {
        "user": [("id", V), *FIVETRAN, *_cols("name, first_name, last_name, email, title, department"),
                 ("is_active", B), ("user_type", V), ("created_date", TS), ("last_modified_date", TS)],
        "account": [("id", V), *FIVETRAN, ("is_deleted", B), *_cols("name, type, industry"),
                    ("number_of_employees", I), ("annual_revenue", F),
                    *_cols("billing_country, billing_country_code, website, owner_id, parent_id"),
                    ("created_date", TS), ("last_modified_date", TS), ("last_activity_date", D),
                    *_cols("customer_segment_c, cs_coverage_model_c, product_workspace_id_c"),
                    ("arr_c", F), ("licensed_seats_c", F), ("contract_start_date_c", D), ("contract_end_date_c", D)],
        "contact": [("id", V), *FIVETRAN, ("is_deleted", B),
                    *_cols("account_id, first_name, last_name, name, email, title, phone"),
                    ("created_date", TS), ("last_modified_date", TS),
                    ("is_executive_sponsor_c", B), ("is_champion_c", B), ("no_longer_at_company_c", B)],
        "opportunity": [("id", V), *FIVETRAN, ("is_deleted", B),
                        *_cols("account_id, owner_id, name, type, stage_name"),
                        ("amount", F), ("probability", F), ("forecast_category", V), ("is_closed", B), ("is_won", B),
                        ("close_date", D), ("created_date", TS), ("last_modified_date", TS),
                        ("seats_c", F), ("contract_term_months_c", F), ("churn_reason_c", V)],
        "task": [("id", V), *FIVETRAN, ("is_deleted", B),
                 *_cols("account_id, who_id, what_id, owner_id, subject, type, task_subtype, status, priority"),
                 ("is_closed", B), ("activity_date", D), ("created_date", TS), ("description", V), ("csm_sentiment_c", V)],
        "event": [("id", V), *FIVETRAN, ("is_deleted", B),
                  *_cols("account_id, who_id, what_id, owner_id, subject, type"),
                  ("activity_date", D), ("activity_date_time", TS), ("start_date_time", TS), ("end_date_time", TS),
                  ("duration_in_minutes", I), ("created_date", TS), ("meeting_type_c", V)],
    },
    "raw_zendesk": {
        "organization": [("id", BI), *FIVETRAN, *_cols("name, external_id, details, notes"), ("group_id", BI),
                         ("shared_tickets", B), ("shared_comments", B), ("url", V), ("created_at", TS), ("updated_at", TS)],
        "user": [("id", BI), *FIVETRAN, *_cols("name, email, role"), ("organization_id", BI),
                 ("active", B), ("suspended", B), *_cols("external_id, locale, time_zone"),
                 ("created_at", TS), ("updated_at", TS)],
        "ticket": [("id", BI), *FIVETRAN, *[(c, BI) for c in ("organization_id", "requester_id", "submitter_id",
                                                             "assignee_id", "group_id", "brand_id")],
                   *_cols("subject, description, status, priority, type, via_channel"),
                   ("is_public", B), ("has_incidents", B), ("allow_channelback", B),
                   *_cols("recipient, url, external_id"), ("due_at", TS), ("created_at", TS), ("updated_at", TS)],
        "ticket_field_history": [("ticket_id", BI), ("field_name", V), ("updated", TS), ("_fivetran_synced", TS),
                                 ("user_id", BI), ("value", V)],
    },
    "raw_stripe": {
        "customer": [("id", V), *FIVETRAN, ("is_deleted", B), *_cols("name, email, description, currency"),
                     ("balance", BI), ("delinquent", B), ("livemode", B), ("metadata", V), ("created", TS)],
        "price": [("id", V), *FIVETRAN, ("is_deleted", B), ("active", B), *_cols("nickname, product_id, currency"),
                  ("unit_amount", BI), *_cols("billing_scheme, type, recurring_interval"),
                  ("recurring_interval_count", BI), ("recurring_usage_type", V), ("livemode", B), ("created", TS)],
        "subscription": [("id", V), *FIVETRAN, *_cols("customer_id, status, collection_method"),
                         ("days_until_due", BI), ("billing_cycle_anchor", TS), ("cancel_at_period_end", B),
                         *[(c, TS) for c in ("cancel_at", "canceled_at", "ended_at", "current_period_start",
                                             "current_period_end", "start_date", "created")],
                         ("livemode", B), ("metadata", V)],
        "invoice": [("id", V), *FIVETRAN, ("is_deleted", B),
                    *_cols("customer_id, subscription_id, number, status, billing_reason, collection_method, currency"),
                    *[(c, BI) for c in ("amount_due", "amount_paid", "amount_remaining", "subtotal", "tax", "total",
                                        "attempt_count")],
                    ("attempted", B), ("paid", B),
                    *[(c, TS) for c in ("due_date", "period_start", "period_end", "status_transitions_finalized_at",
                                        "status_transitions_paid_at", "status_transitions_voided_at", "created")],
                    ("livemode", B), ("metadata", V)],
        "invoice_line_item": [("id", V), ("_fivetran_synced", TS),
                              *_cols("invoice_id, subscription_id, subscription_item_id, price_id, type, description"),
                              ("amount", BI), ("currency", V), ("quantity", BI), ("proration", B),
                              ("period_start", TS), ("period_end", TS), ("livemode", B)],
        "charge": [("id", V), ("_fivetran_synced", TS), *_cols("customer_id, invoice_id, payment_intent_id"),
                   ("amount", BI), ("amount_refunded", BI), ("currency", V), ("status", V),
                   ("paid", B), ("captured", B), ("refunded", B),
                   *_cols("failure_code, failure_message, outcome_type, outcome_reason, description"),
                   ("livemode", B), ("metadata", V), ("created", TS)],
    },
    "raw_segment": {
        "identifies": [*_cols("id, anonymous_id, user_id, email, name, role"),
                       *[(c, TSZ) for c in ("received_at", "sent_at", "timestamp", "original_timestamp", "uuid_ts")],
                       *_cols("context_library_name, context_library_version")],
        "groups": [*_cols("id, anonymous_id, user_id, group_id, name, plan"),
                   *[(c, TSZ) for c in ("received_at", "sent_at", "timestamp", "original_timestamp", "uuid_ts")],
                   *_cols("context_library_name, context_library_version")],
        "tracks": [*_cols("id, anonymous_id, user_id, event, event_text"),
                   *[(c, TSZ) for c in ("received_at", "sent_at", "timestamp", "original_timestamp", "uuid_ts")],
                   *_cols("context_library_name, context_library_version, context_page_path")],
    },
    "raw_survey": {
        "nps_responses": [*_cols("id, person_id, email, score, comment, survey_type, channel, properties, "
                                 "created_at, updated_at"), ("_loaded_at", TS)],
    },
}

# the column that says when a row was loaded (used for the end-date cutoff and --append-after)
LOAD_COLUMN = {"raw_segment": "uuid_ts", "raw_survey": "_loaded_at"}
# tables whose rows are never updated in place by the loader (append-only history / events)
APPEND_ONLY = {("raw_zendesk", "ticket_field_history"), ("raw_segment", "identifies"), ("raw_segment", "groups"),
               ("raw_segment", "tracks"), ("raw_survey", "nps_responses")}


def load_column(schema: str) -> str:
    return LOAD_COLUMN.get(schema, "_fivetran_synced")


# storage only (values and types are the same): for the big Segment tracks table, the compression DuckDB
# settles on by itself (same file size), fixed up front so that it does not try every method on every row group
COMPRESSION = {
    ("raw_segment", "tracks"): {"id": "fsst", "user_id": "dictionary", "event": "dictionary",
                                "event_text": "dictionary", "context_library_name": "dictionary",
                                "context_library_version": "dictionary", "context_page_path": "dictionary"},
}


def ddl(schema: str, table: str) -> str:
    comp = COMPRESSION.get((schema, table), {})
    cols = ", ".join(f'"{c}" {t}' + (f" USING COMPRESSION {comp[c]}" if c in comp else "")
                     for c, t in TABLES[schema][table])
    return f'CREATE TABLE {schema}."{table}" ({cols})'


def columns(schema: str, table: str) -> List[str]:
    return [c for c, _ in TABLES[schema][table]]


def all_tables():
    for schema, tables in TABLES.items():
        for table in tables:
            yield schema, table
