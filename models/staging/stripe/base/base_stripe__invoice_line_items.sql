{#-
    Every raw Stripe invoice line item row with its reject reason.
    Incremental by invoice_line_item_id: a run rebuilds, from the raw
    table, the records loaded since it last ran and those whose
    orphan_invoice check flipped, and keeps the rest
    (macros/staging/load_driven_keys.sql). Rows without an id are added
    once, when loaded.
-#}

{{ config(
    materialized='incremental',
    incremental_strategy='delete+insert',
    unique_key='invoice_line_item_id',
    on_schema_change='fail'
) }}

{%- set raw_columns = customer_health.relation_columns(source('stripe', 'invoice_line_item')) -%}
{%- set watermark = customer_health.incremental_watermark('max(fivetran_synced_at)') -%}
{%- set raw_key = customer_health.clean_id(customer_health.source_column(raw_columns, 'id', 'string')) -%}
{%- set raw_synced_at = customer_health.source_column(raw_columns, '_fivetran_synced', 'timestamp') %}

with source_rows as (

    select * from {{ source('stripe', 'invoice_line_item') }}

),

invoices as (

    select invoice_id from {{ ref('stg_stripe__invoices') }}

),

{% if watermark is not none -%}
rebuilt_keys as (

    {{ customer_health.load_driven_keys(
        source=source('stripe', 'invoice_line_item'),
        raw_key=raw_key,
        raw_synced_at=raw_synced_at,
        key_column='invoice_line_item_id',
        watermark=watermark,
        parents='invoices',
        parent_key='invoice_id',
        reference='invoice_id',
        orphan_reason='orphan_invoice'
    ) }}

),

{% endif -%}
typed as (

    select
        {{ raw_key }} as invoice_line_item_id,
        {{ customer_health.clean_id(customer_health.source_column(raw_columns, 'invoice_id', 'string')) }} as invoice_id,
        {{ customer_health.clean_id(customer_health.source_column(raw_columns, 'subscription_id', 'string')) }} as subscription_id,
        coalesce(
            {{ customer_health.clean_id(customer_health.source_column(raw_columns, 'price_id', 'string')) }},
            {{ customer_health.clean_id(customer_health.source_column(raw_columns, 'plan_id', 'string')) }}
        ) as price_id,
        {{ customer_health.source_column(raw_columns, 'type', 'string') }} as raw_line_type,
        {{ customer_health.source_column(raw_columns, 'description', 'string') }} as line_description,
        {{ customer_health.source_column(raw_columns, 'currency', 'string') }} as raw_currency,
        {{ customer_health.source_column(raw_columns, 'amount', 'integer') }} as amount_cents,
        {{ customer_health.source_column(raw_columns, 'quantity', 'integer') }} as quantity,
        coalesce({{ customer_health.source_column(raw_columns, 'proration', 'boolean') }}, false) as is_proration,
        {{ customer_health.source_column(raw_columns, 'period_start', 'timestamp') }} as period_started_at,
        {{ customer_health.source_column(raw_columns, 'period_end', 'timestamp') }} as period_ended_at,
        {{ raw_synced_at }} as fivetran_synced_at
    from source_rows

),

rebuilt as (

    select * from typed
    {% if watermark is not none -%}
    where typed.invoice_line_item_id in (select rebuilt_keys.invoice_line_item_id from rebuilt_keys)
        or (typed.invoice_line_item_id is null and typed.fivetran_synced_at > {{ watermark }})
    {%- endif %}

),

ranked as (

    select
        rebuilt.*,
        row_number() over (
            partition by rebuilt.invoice_line_item_id
            order by rebuilt.fivetran_synced_at desc
        ) as load_rank
    from rebuilt

),

checked as (

    select
        ranked.*,
        case
            when ranked.invoice_line_item_id is null then 'missing_key'
            when ranked.load_rank > 1 then 'duplicate_load'
            when ranked.invoice_id is null then 'missing_invoice_id'
            when invoices.invoice_id is null then 'orphan_invoice'
        end as reject_reason
    from ranked
    left join invoices
        on ranked.invoice_id = invoices.invoice_id

)

select
    checked.*,
    {{ customer_health.built_at() }} as built_at
from checked
