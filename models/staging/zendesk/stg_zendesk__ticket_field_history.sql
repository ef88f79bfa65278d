with base_field_history as (

    select * from {{ ref('base_zendesk__ticket_field_history') }}

),

accepted_field_history as (

    select
        ticket_id,
        changed_by_user_id,
        field_name,
        field_value,
        changed_at,
        fivetran_synced_at,
        built_at
    from base_field_history
    where reject_reason is null

)

select * from accepted_field_history
