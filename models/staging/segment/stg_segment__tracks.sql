{#-
    Accepted Segment tracks. A view: the typed, deduplicated rows are kept by
    the incremental base model, and readers scan them from there.
-#}

{{ config(materialized='view') }}

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
        occurred_on,
        occurred_at,
        received_at,
        loaded_at,
        built_at
    from base_tracks
    where reject_reason is null

)

select * from accepted_tracks
