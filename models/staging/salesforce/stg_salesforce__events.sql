with base_events as (

    select * from {{ ref('base_salesforce__events') }}

),

accepted_events as (

    select
        event_id,
        account_id,
        contact_id,
        owner_user_id,
        subject,
        {{ customer_health.normalize_enum('raw_event_type') }} as event_type,
        {{ customer_health.normalize_enum('raw_meeting_type') }} as meeting_type,
        duration_minutes,
        coalesce(activity_date, cast(started_at as date), cast(created_at as date)) as activity_date,
        started_at,
        ended_at,
        created_at,
        fivetran_synced_at
    from base_events
    where reject_reason is null

)

select * from accepted_events
