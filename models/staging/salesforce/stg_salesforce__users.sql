with base_users as (

    select * from {{ ref('base_salesforce__users') }}

),

accepted_users as (

    select
        user_id,
        user_name,
        email,
        title,
        department,
        is_active,
        created_at,
        last_modified_at,
        fivetran_synced_at
    from base_users
    where reject_reason is null

)

select * from accepted_users
