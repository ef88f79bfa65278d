{%- set raw_columns = customer_health.relation_columns(source('zendesk', 'ticket')) -%}

with source_rows as (

    select * from {{ source('zendesk', 'ticket') }}

),

organizations as (

    select organization_id from {{ ref('stg_zendesk__organizations') }}

),

typed as (

    select
        {{ customer_health.clean_id(customer_health.source_column(raw_columns, 'id', 'string')) }} as ticket_id,
        {{ customer_health.clean_id(customer_health.source_column(raw_columns, 'organization_id', 'string')) }} as organization_id,
        {{ customer_health.clean_id(customer_health.source_column(raw_columns, 'requester_id', 'string')) }} as requester_id,
        {{ customer_health.clean_id(customer_health.source_column(raw_columns, 'assignee_id', 'string')) }} as assignee_id,
        {{ customer_health.source_column(raw_columns, 'subject', 'string') }} as subject,
        {{ customer_health.source_column(raw_columns, 'status', 'string') }} as raw_status,
        {{ customer_health.source_column(raw_columns, 'priority', 'string') }} as raw_priority,
        {{ customer_health.source_column(raw_columns, 'type', 'string') }} as raw_ticket_type,
        {{ customer_health.source_column(raw_columns, 'via_channel', 'string') }} as raw_channel,
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
            partition by typed.ticket_id
            order by typed.fivetran_synced_at desc, typed.updated_at desc
        ) as load_rank
    from typed

),

checked as (

    select
        ranked.*,
        case
            when ranked.ticket_id is null then 'missing_key'
            when ranked.load_rank > 1 then 'duplicate_load'
            when ranked.is_fivetran_deleted or lower(ranked.raw_status) = 'deleted' then 'soft_deleted'
            when ranked.created_at is null then 'missing_created_at'
            when ranked.created_at > {{ dbt.dateadd('hour', var('staging_future_tolerance_hours'), 'ranked.fivetran_synced_at') }}
                then 'future_date'
            when ranked.organization_id is not null and organizations.organization_id is null then 'orphan_organization'
        end as reject_reason
    from ranked
    left join organizations
        on ranked.organization_id = organizations.organization_id

)

select * from checked
