{%- set raw_columns = customer_health.relation_columns(source('zendesk', 'ticket_field_history')) -%}

with source_rows as (

    select * from {{ source('zendesk', 'ticket_field_history') }}

),

tickets as (

    select ticket_id from {{ ref('stg_zendesk__tickets') }}

),

typed as (

    select
        {{ customer_health.clean_id(customer_health.source_column(raw_columns, 'ticket_id', 'string')) }} as ticket_id,
        {{ customer_health.clean_id(customer_health.source_column(raw_columns, 'user_id', 'string')) }} as changed_by_user_id,
        lower(trim({{ customer_health.source_column(raw_columns, 'field_name', 'string') }})) as field_name,
        {{ customer_health.source_column(raw_columns, 'value', 'string') }} as field_value,
        {{ customer_health.source_column(raw_columns, 'updated', 'timestamp') }} as changed_at,
        {{ customer_health.source_column(raw_columns, '_fivetran_synced', 'timestamp') }} as fivetran_synced_at
    from source_rows

),

ranked as (

    select
        typed.*,
        row_number() over (
            partition by typed.ticket_id, typed.field_name, typed.changed_at
            order by typed.fivetran_synced_at desc
        ) as load_rank
    from typed

),

checked as (

    select
        ranked.*,
        case
            when ranked.ticket_id is null or ranked.field_name is null or ranked.changed_at is null then 'missing_key'
            when ranked.load_rank > 1 then 'duplicate_load'
            when ranked.changed_at > {{ dbt.dateadd('hour', var('staging_future_tolerance_hours'), 'ranked.fivetran_synced_at') }}
                then 'future_date'
            when tickets.ticket_id is null then 'orphan_ticket'
        end as reject_reason
    from ranked
    left join tickets
        on ranked.ticket_id = tickets.ticket_id

)

select * from checked
