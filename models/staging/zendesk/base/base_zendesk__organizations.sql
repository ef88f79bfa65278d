{%- set raw_columns = customer_health.relation_columns(source('zendesk', 'organization')) -%}

with source_rows as (

    select * from {{ source('zendesk', 'organization') }}

),

typed as (

    select
        {{ customer_health.clean_id(customer_health.source_column(raw_columns, 'id', 'string')) }} as organization_id,
        {{ customer_health.clean_id(customer_health.source_column(raw_columns, 'external_id', 'string')) }} as external_id,
        {{ customer_health.source_column(raw_columns, 'name', 'string') }} as organization_name,
        coalesce({{ customer_health.source_column(raw_columns, '_fivetran_deleted', 'boolean') }}, false) as is_fivetran_deleted,
        {{ customer_health.source_column(raw_columns, 'created_at', 'timestamp') }} as created_at,
        {{ customer_health.source_column(raw_columns, 'updated_at', 'timestamp') }} as updated_at,
        {{ customer_health.source_column(raw_columns, '_fivetran_synced', 'timestamp') }} as fivetran_synced_at
    from source_rows

),

ranked as (

    select
        typed.*,
        row_number() over (
            partition by typed.organization_id
            order by typed.fivetran_synced_at desc, typed.updated_at desc
        ) as load_rank
    from typed

),

checked as (

    select
        ranked.*,
        case
            when ranked.organization_id is null then 'missing_key'
            when ranked.load_rank > 1 then 'duplicate_load'
            when ranked.is_fivetran_deleted then 'soft_deleted'
            when ranked.created_at > {{ dbt.dateadd('hour', var('staging_future_tolerance_hours'), 'ranked.fivetran_synced_at') }}
                then 'future_date'
        end as reject_reason
    from ranked

)

select * from checked
