{%- set raw_columns = customer_health.relation_columns(source('stripe', 'customer')) -%}

with source_rows as (

    select * from {{ source('stripe', 'customer') }}

),

typed as (

    select
        {{ customer_health.clean_id(customer_health.source_column(raw_columns, 'id', 'string')) }} as customer_id,
        {{ customer_health.source_column(raw_columns, 'name', 'string') }} as customer_name,
        {{ customer_health.source_column(raw_columns, 'currency', 'string') }} as raw_currency,
        {{ customer_health.source_column(raw_columns, 'metadata', 'string') }} as metadata,
        {{ customer_health.source_column(raw_columns, 'balance', 'integer') }} as balance_cents,
        coalesce({{ customer_health.source_column(raw_columns, 'delinquent', 'boolean') }}, false) as is_delinquent,
        coalesce({{ customer_health.source_column(raw_columns, 'livemode', 'boolean') }}, true) as is_livemode,
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
            partition by typed.customer_id
            order by typed.fivetran_synced_at desc
        ) as load_rank
    from typed

),

checked as (

    select
        ranked.*,
        case
            when ranked.customer_id is null then 'missing_key'
            when ranked.load_rank > 1 then 'duplicate_load'
            when ranked.is_deleted or ranked.is_fivetran_deleted then 'soft_deleted'
            when ranked.created_at > {{ dbt.dateadd('hour', var('staging_future_tolerance_hours'), 'ranked.fivetran_synced_at') }}
                then 'future_date'
            when ranked.metadata is not null and trim(ranked.metadata) <> ''
                and not {{ customer_health.is_valid_json_object('ranked.metadata') }} then 'unparseable_metadata'
        end as reject_reason
    from ranked

)

select * from checked
