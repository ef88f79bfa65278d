{%- set raw_columns = customer_health.relation_columns(source('segment', 'tracks')) -%}

with source_rows as (

    select * from {{ source('segment', 'tracks') }}

),

typed as (

    select
        {{ customer_health.clean_id(customer_health.source_column(raw_columns, 'id', 'string')) }} as message_id,
        {{ customer_health.clean_id(customer_health.source_column(raw_columns, 'user_id', 'string')) }} as user_id,
        {{ customer_health.clean_id(customer_health.source_column(raw_columns, 'anonymous_id', 'string')) }} as anonymous_id,
        lower(trim({{ customer_health.source_column(raw_columns, 'event', 'string') }})) as event_name,
        {{ customer_health.source_column(raw_columns, 'event_text', 'string') }} as event_text,
        {{ customer_health.to_utc_timestamp(adapter.quote('timestamp')) }} as occurred_at,
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
            when ranked.event_name is null or ranked.event_name = '' then 'missing_event_name'
            when ranked.occurred_at is null then 'unparseable_timestamp'
            when ranked.occurred_at > {{ dbt.dateadd('hour', var('staging_future_tolerance_hours'), 'ranked.received_at') }}
                then 'future_date'
        end as reject_reason
    from ranked

)

select * from checked
