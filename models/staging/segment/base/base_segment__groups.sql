{%- set raw_columns = customer_health.relation_columns(source('segment', 'groups')) -%}

with source_rows as (

    select * from {{ source('segment', 'groups') }}

),

typed as (

    select
        {{ customer_health.clean_id(customer_health.source_column(raw_columns, 'id', 'string')) }} as message_id,
        {{ customer_health.clean_id(customer_health.source_column(raw_columns, 'user_id', 'string')) }} as user_id,
        {{ customer_health.clean_id(customer_health.source_column(raw_columns, 'group_id', 'string')) }} as workspace_id,
        {{ customer_health.source_column(raw_columns, 'name', 'string') }} as workspace_name,
        {{ customer_health.source_column(raw_columns, 'plan', 'string') }} as raw_plan,
        {{ customer_health.to_utc_timestamp(adapter.quote('timestamp')) }} as grouped_at,
        {{ customer_health.to_utc_timestamp('received_at') }} as received_at,
        {{ customer_health.to_utc_timestamp('uuid_ts') }} as loaded_at
    from source_rows

),

ranked as (

    select
        typed.*,
        row_number() over (
            partition by typed.message_id
            order by typed.loaded_at desc
        ) as load_rank
    from typed

),

checked as (

    select
        ranked.*,
        case
            when ranked.message_id is null then 'missing_key'
            when ranked.load_rank > 1 then 'duplicate_load'
            when ranked.user_id is null then 'missing_user_id'
            when ranked.workspace_id is null then 'missing_group_id'
            when ranked.grouped_at is null then 'unparseable_timestamp'
            when ranked.grouped_at > {{ dbt.dateadd('hour', var('staging_future_tolerance_hours'), 'ranked.received_at') }}
                then 'future_date'
        end as reject_reason
    from ranked

)

select * from checked
