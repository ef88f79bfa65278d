with base_tickets as (

    select * from {{ ref('base_zendesk__tickets') }}

),

accepted_tickets as (

    select
        ticket_id,
        organization_id,
        requester_id,
        assignee_id,
        subject,
        {{ customer_health.normalize_enum('raw_status') }} as status,
        {{ customer_health.normalize_enum('raw_priority') }} as priority,
        {{ customer_health.normalize_enum('raw_ticket_type') }} as ticket_type,
        {{ customer_health.normalize_enum('raw_channel') }} as channel,
        coalesce({{ customer_health.normalize_enum('raw_priority') }} in ('high', 'urgent'), false) as is_escalated,
        created_at,
        updated_at,
        fivetran_synced_at
    from base_tickets
    where reject_reason is null

)

select * from accepted_tickets
