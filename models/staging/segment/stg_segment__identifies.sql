with base_identifies as (

    select * from {{ ref('base_segment__identifies') }}

),

accepted_identifies as (

    select
        message_id,
        user_id,
        anonymous_id,
        email,
        {{ customer_health.normalize_enum('raw_role') }} as user_role,
        identified_at,
        received_at,
        loaded_at
    from base_identifies
    where reject_reason is null

)

select * from accepted_identifies
