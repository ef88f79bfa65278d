{%- set raw_columns = customer_health.relation_columns(source('stripe', 'charge')) -%}

with source_rows as (

    select * from {{ source('stripe', 'charge') }}

),

customers as (

    select customer_id from {{ ref('stg_stripe__customers') }}

),

typed as (

    select
        {{ customer_health.clean_id(customer_health.source_column(raw_columns, 'id', 'string')) }} as charge_id,
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
        {{ customer_health.source_column(raw_columns, '_fivetran_synced', 'timestamp') }} as fivetran_synced_at
    from source_rows

),

ranked as (

    select
        typed.*,
        row_number() over (
            partition by typed.charge_id
            order by typed.fivetran_synced_at desc
        ) as load_rank
    from typed

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

select * from checked
