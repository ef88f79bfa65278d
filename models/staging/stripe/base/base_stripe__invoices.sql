{#-
    Every raw Stripe invoice row with its reject reason. Incremental by
    invoice_id: a run rebuilds, from the raw table, the records loaded
    since it last ran and those whose orphan_customer check flipped, and
    keeps the rest (macros/staging/load_driven_keys.sql). Rows without an
    id are added once, when loaded.
-#}

{{ config(
    materialized='incremental',
    incremental_strategy='delete+insert',
    unique_key='invoice_id',
    on_schema_change='fail'
) }}

{%- set raw_columns = customer_health.relation_columns(source('stripe', 'invoice')) -%}
{%- set watermark = customer_health.incremental_watermark('max(fivetran_synced_at)') -%}
{%- set raw_key = customer_health.clean_id(customer_health.source_column(raw_columns, 'id', 'string')) -%}
{%- set raw_synced_at = customer_health.source_column(raw_columns, '_fivetran_synced', 'timestamp') %}

with source_rows as (

    select * from {{ source('stripe', 'invoice') }}

),

customers as (

    select customer_id from {{ ref('stg_stripe__customers') }}

),

{% if watermark is not none -%}
rebuilt_keys as (

    {{ customer_health.load_driven_keys(
        source=source('stripe', 'invoice'),
        raw_key=raw_key,
        raw_synced_at=raw_synced_at,
        key_column='invoice_id',
        watermark=watermark,
        parents='customers',
        parent_key='customer_id',
        reference='customer_id',
        orphan_reason='orphan_customer'
    ) }}

),

{% endif -%}
typed as (

    select
        {{ raw_key }} as invoice_id,
        {{ customer_health.clean_id(customer_health.source_column(raw_columns, 'customer_id', 'string')) }} as customer_id,
        {{ customer_health.clean_id(customer_health.source_column(raw_columns, 'subscription_id', 'string')) }} as subscription_id,
        {{ customer_health.source_column(raw_columns, 'number', 'string') }} as invoice_number,
        {{ customer_health.source_column(raw_columns, 'status', 'string') }} as raw_status,
        {{ customer_health.source_column(raw_columns, 'billing_reason', 'string') }} as raw_billing_reason,
        {{ customer_health.source_column(raw_columns, 'collection_method', 'string') }} as raw_collection_method,
        {{ customer_health.source_column(raw_columns, 'currency', 'string') }} as raw_currency,
        {{ customer_health.source_column(raw_columns, 'amount_due', 'integer') }} as amount_due_cents,
        {{ customer_health.source_column(raw_columns, 'amount_paid', 'integer') }} as amount_paid_cents,
        {{ customer_health.source_column(raw_columns, 'amount_remaining', 'integer') }} as amount_remaining_cents,
        {{ customer_health.source_column(raw_columns, 'total', 'integer') }} as total_cents,
        {{ customer_health.source_column(raw_columns, 'attempt_count', 'integer') }} as attempt_count,
        coalesce({{ customer_health.source_column(raw_columns, 'paid', 'boolean') }}, false) as is_paid,
        coalesce({{ customer_health.source_column(raw_columns, 'is_deleted', 'boolean') }}, false) as is_deleted,
        coalesce({{ customer_health.source_column(raw_columns, '_fivetran_deleted', 'boolean') }}, false) as is_fivetran_deleted,
        {{ customer_health.source_column(raw_columns, 'due_date', 'timestamp') }} as due_at,
        {{ customer_health.source_column(raw_columns, 'period_start', 'timestamp') }} as period_started_at,
        {{ customer_health.source_column(raw_columns, 'period_end', 'timestamp') }} as period_ended_at,
        {{ customer_health.source_column(raw_columns, 'status_transitions_finalized_at', 'timestamp') }} as finalized_at,
        {{ customer_health.source_column(raw_columns, 'status_transitions_paid_at', 'timestamp') }} as paid_at,
        {{ customer_health.source_column(raw_columns, 'status_transitions_voided_at', 'timestamp') }} as voided_at,
        {{ customer_health.source_column(raw_columns, 'created', 'timestamp') }} as created_at,
        {{ raw_synced_at }} as fivetran_synced_at
    from source_rows

),

rebuilt as (

    select * from typed
    {% if watermark is not none -%}
    where typed.invoice_id in (select rebuilt_keys.invoice_id from rebuilt_keys)
        or (typed.invoice_id is null and typed.fivetran_synced_at > {{ watermark }})
    {%- endif %}

),

ranked as (

    select
        rebuilt.*,
        row_number() over (
            partition by rebuilt.invoice_id
            order by rebuilt.fivetran_synced_at desc
        ) as load_rank
    from rebuilt

),

checked as (

    select
        ranked.*,
        case
            when ranked.invoice_id is null then 'missing_key'
            when ranked.load_rank > 1 then 'duplicate_load'
            when ranked.is_deleted or ranked.is_fivetran_deleted then 'soft_deleted'
            when ranked.created_at > {{ dbt.dateadd('hour', var('staging_future_tolerance_hours'), 'ranked.fivetran_synced_at') }}
                then 'future_date'
            when ranked.customer_id is null then 'missing_customer_id'
            when customers.customer_id is null then 'orphan_customer'
        end as reject_reason
    from ranked
    left join customers
        on ranked.customer_id = customers.customer_id

)

select
    checked.*,
    {{ customer_health.built_at() }} as built_at
from checked
