{%- set raw_columns = customer_health.relation_columns(source('stripe', 'price')) -%}

with source_rows as (

    select * from {{ source('stripe', 'price') }}

),

typed as (

    select
        {{ customer_health.clean_id(customer_health.source_column(raw_columns, 'id', 'string')) }} as price_id,
        {{ customer_health.clean_id(customer_health.source_column(raw_columns, 'product_id', 'string')) }} as product_id,
        {{ customer_health.source_column(raw_columns, 'nickname', 'string') }} as price_nickname,
        {{ customer_health.source_column(raw_columns, 'currency', 'string') }} as raw_currency,
        {{ customer_health.source_column(raw_columns, 'recurring_interval', 'string') }} as raw_recurring_interval,
        {{ customer_health.source_column(raw_columns, 'unit_amount', 'integer') }} as unit_amount_cents,
        {{ customer_health.source_column(raw_columns, 'recurring_interval_count', 'integer') }} as recurring_interval_count,
        coalesce({{ customer_health.source_column(raw_columns, 'active', 'boolean') }}, true) as is_active,
        coalesce({{ customer_health.source_column(raw_columns, 'is_deleted', 'boolean') }}, false) as is_deleted,
        coalesce({{ customer_health.source_column(raw_columns, '_fivetran_deleted', 'boolean') }}, false) as is_fivetran_deleted,
        {{ customer_health.source_column(raw_columns, 'created', 'timestamp') }} as created_at,
        {{ customer_health.source_column(raw_columns, '_fivetran_synced', 'timestamp') }} as fivetran_synced_at
    from source_rows

),

ranked as (

    select
        typed.*,
        row_number() over (
            partition by typed.price_id
            order by typed.fivetran_synced_at desc
        ) as load_rank
    from typed

),

checked as (

    select
        ranked.*,
        case
            when ranked.price_id is null then 'missing_key'
            when ranked.load_rank > 1 then 'duplicate_load'
            when ranked.is_deleted or ranked.is_fivetran_deleted then 'soft_deleted'
            when ranked.created_at > {{ dbt.dateadd('hour', var('staging_future_tolerance_hours'), 'ranked.fivetran_synced_at') }}
                then 'future_date'
        end as reject_reason
    from ranked

)

select * from checked
