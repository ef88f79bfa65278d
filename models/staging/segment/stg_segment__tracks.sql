with base_tracks as (

    select * from {{ ref('base_segment__tracks') }}

),

accepted_tracks as (

    select
        message_id,
        user_id,
        anonymous_id,
        event_name,
        event_text,
        cast(occurred_at as date) as occurred_on,
        occurred_at,
        received_at,
        loaded_at
    from base_tracks
    where reject_reason is null

)

select * from accepted_tracks
