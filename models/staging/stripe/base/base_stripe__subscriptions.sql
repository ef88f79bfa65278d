{%- set raw_columns = customer_health.relation_columns(source('stripe', 'subscription')) -%}

with source_rows as (

    select * from {{ source('stripe', 'subscription') }}

),

customers as (

    select customer_id from {{ ref('stg_stripe__customers') }}

),

typed as (

    select
        {{ customer_health.clean_id(customer_health.source_column(raw_columns, 'id', 'string')) }} as subscription_id,
        {{ customer_health.clean_id(customer_health.source_column(raw_columns, 'customer_id', 'string')) }} as customer_id,
        {{ customer_health.source_column(raw_columns, 'status', 'string') }} as raw_status,
        {{ customer_health.source_column(raw_columns, 'collection_method', 'string') }} as raw_collection_method,
        {{ customer_health.source_column(raw_columns, 'days_until_due', 'integer') }} as days_until_due,
        coalesce({{ customer_health.source_column(raw_columns, 'cancel_at_period_end', 'boolean') }}, false) as is_cancel_at_period_end,
        coalesce({{ customer_health.source_column(raw_columns, '_fivetran_deleted', 'boolean') }}, false) as is_fivetran_deleted,
        {{ customer_health.source_column(raw_columns, 'start_date', 'timestamp') }} as started_at,
        {{ customer_health.source_column(raw_columns, 'current_period_start', 'timestamp') }} as current_period_started_at,
        {{ customer_health.source_column(raw_columns, 'current_period_end', 'timestamp') }} as current_period_ends_at,
        {{ customer_health.source_column(raw_columns, 'cancel_at', 'timestamp') }} as cancel_at,
        {{ customer_health.source_column(raw_columns, 'canceled_at', 'timestamp') }} as canceled_at,
        {{ customer_health.source_column(raw_columns, 'ended_at', 'timestamp') }} as ended_at,
        {{ customer_health.source_column(raw_columns, 'created', 'timestamp') }} as created_at,
        {{ customer_health.source_column(raw_columns, '_fivetran_synced', 'timestamp') }} as fivetran_synced_at
    from source_rows

),

ranked as (

    select
        typed.*,
        row_number() over (
            partition by typed.subscription_id
            order by typed.fivetran_synced_at desc
        ) as load_rank
    from typed

),

checked as (

    select
        ranked.*,
        case
            when ranked.subscription_id is null then 'missing_key'
            when ranked.load_rank > 1 then 'duplicate_load'
            when ranked.is_fivetran_deleted then 'soft_deleted'
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
