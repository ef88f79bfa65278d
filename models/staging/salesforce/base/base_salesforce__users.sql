{%- set raw_columns = customer_health.relation_columns(source('salesforce', 'user')) -%}

with source_rows as (

    select * from {{ source('salesforce', 'user') }}

),

typed as (

    select
        {{ customer_health.clean_id(customer_health.source_column(raw_columns, 'id', 'string')) }} as user_id,
        {{ customer_health.source_column(raw_columns, 'name', 'string') }} as user_name,
        lower(trim({{ customer_health.source_column(raw_columns, 'email', 'string') }})) as email,
        {{ customer_health.source_column(raw_columns, 'title', 'string') }} as title,
        {{ customer_health.source_column(raw_columns, 'department', 'string') }} as department,
        coalesce({{ customer_health.source_column(raw_columns, 'is_active', 'boolean') }}, true) as is_active,
        coalesce({{ customer_health.source_column(raw_columns, '_fivetran_deleted', 'boolean') }}, false) as is_fivetran_deleted,
        {{ customer_health.source_column(raw_columns, 'created_date', 'timestamp') }} as created_at,
        {{ customer_health.source_column(raw_columns, 'last_modified_date', 'timestamp') }} as last_modified_at,
        {{ customer_health.source_column(raw_columns, '_fivetran_synced', 'timestamp') }} as fivetran_synced_at
    from source_rows

),

ranked as (

    select
        typed.*,
        row_number() over (
            partition by typed.user_id
            order by typed.fivetran_synced_at desc, typed.last_modified_at desc
        ) as load_rank
    from typed

),

checked as (

    select
        ranked.*,
        case
            when ranked.user_id is null then 'missing_key'
            when ranked.load_rank > 1 then 'duplicate_load'
            when ranked.is_fivetran_deleted then 'soft_deleted'
            when ranked.created_at > {{ dbt.dateadd('hour', var('staging_future_tolerance_hours'), 'ranked.fivetran_synced_at') }}
                then 'future_date'
        end as reject_reason
    from ranked

)

select * from checked
