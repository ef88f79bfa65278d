with base_groups as (

    select * from {{ ref('base_segment__groups') }}

),

accepted_groups as (

    select
        message_id,
        user_id,
        workspace_id,
        workspace_name,
        {{ customer_health.normalize_enum('raw_plan') }} as plan,
        grouped_at,
        received_at,
        loaded_at
    from base_groups
    where reject_reason is null

)

select * from accepted_groups
