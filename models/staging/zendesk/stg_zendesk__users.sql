with base_users as (

    select * from {{ ref('base_zendesk__users') }}

),

accepted_users as (

    select
        user_id,
        organization_id,
        user_name,
        email,
        {{ customer_health.normalize_enum('raw_role') }} as user_role,
        is_active,
        is_suspended,
        created_at,
        updated_at,
        fivetran_synced_at
    from base_users
    where reject_reason is null

)

select * from accepted_users
