{#-
    Every raw Stripe charge row with its reject reason. Incremental by
    charge_id: a run rebuilds, from the raw table, the records loaded
    since it last ran and those whose orphan_customer check flipped, and
    keeps the rest (macros/staging/load_driven_keys.sql). Rows without an
    id are added once, when loaded.
-#}

{{ config(
    materialized='incremental',
    incremental_strategy='delete+insert',
    unique_key='charge_id',
    on_schema_change='fail'
) }}

{%- set raw_columns = customer_health.relation_columns(source('stripe', 'charge')) -%}
{%- set watermark = customer_health.incremental_watermark('max(fivetran_synced_at)') -%}
{%- set raw_key = customer_health.clean_id(customer_health.source_column(raw_columns, 'id', 'string')) -%}
{%- set raw_synced_at = customer_health.source_column(raw_columns, '_fivetran_synced', 'timestamp') %}

with source_rows as (

    select * from {{ source('stripe', 'charge') }}

),

customers as (

    select customer_id from {{ ref('stg_stripe__customers') }}

),

{% if watermark is not none -%}
rebuilt_keys as (

    {{ customer_health.load_driven_keys(
        source=source('stripe', 'charge'),
        raw_key=raw_key,
        raw_synced_at=raw_synced_at,
        key_column='charge_id',
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
        {{ raw_key }} as charge_id,
        {{ customer_health.clean_id(customer_health.source_column(raw_columns, 'customer_id', 'string')) }} as customer_id,
        {{ customer_health.clean_id(customer_health.source_column(raw_columns, 'invoice_id', 'string')) }} as invoice_id,
        {{ customer_health.source_column(raw_columns, 'status', 'string') }} as raw_status,
        {{ customer_health.source_column(raw_columns, 'failure_code', 'string') }} as failure_code,
        {{ customer_health.source_column(raw_columns, 'outcome_type', 'string') }} as raw_outcome_type,
        {{ customer_health.source_column(raw_columns, 'currency', 'string') }} as raw_currency,
        {{ customer_health.source_column(raw_columns, 'amount', 'integer') }} as amount_cents,
        {{ customer_health.source_column(raw_columns, 'amount_refunded', 'integer') }} as amount_refunded_cents,
        coalesce({{ customer_health.source_column(raw_columns, 'paid', 'boolean') }}, false) as is_paid,
        coalesce({{ customer_health.source_column(raw_columns, 'refunded', 'boolean') }}, false) as is_refunded,
        coalesce({{ customer_health.source_column(raw_columns, 'livemode', 'boolean') }}, true) as is_livemode,
        coalesce({{ customer_health.source_column(raw_columns, '_fivetran_deleted', 'boolean') }}, false) as is_fivetran_deleted,
        {{ customer_health.source_column(raw_columns, 'created', 'timestamp') }} as created_at,
        {{ raw_synced_at }} as fivetran_synced_at
    from source_rows

),

rebuilt as (

    select * from typed
    {% if watermark is not none -%}
    where typed.charge_id in (select rebuilt_keys.charge_id from rebuilt_keys)
        or (typed.charge_id is null and typed.fivetran_synced_at > {{ watermark }})
    {%- endif %}

),

ranked as (

    select
        rebuilt.*,
        row_number() over (
            partition by rebuilt.charge_id
            order by rebuilt.fivetran_synced_at desc
        ) as load_rank
    from rebuilt

),

checked as (

    select
        ranked.*,
        case
            when ranked.charge_id is null then 'missing_key'
            when ranked.load_rank > 1 then 'duplicate_load'
            when ranked.is_fivetran_deleted then 'soft_deleted'
            when ranked.created_at is null then 'missing_created_at'
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
