with base_tasks as (

    select * from {{ ref('base_salesforce__tasks') }}

),

accepted_tasks as (

    select
        task_id,
        account_id,
        contact_id,
        owner_user_id,
        subject,
        {{ customer_health.normalize_enum('raw_task_type') }} as task_type,
        {{ customer_health.normalize_enum('raw_task_subtype') }} as task_subtype,
        {{ customer_health.normalize_enum('raw_status') }} as status,
        {{ customer_health.normalize_enum('raw_csm_sentiment') }} as csm_sentiment,
        is_closed,
        coalesce(activity_date, cast(created_at as date)) as activity_date,
        created_at,
        fivetran_synced_at
    from base_tasks
    where reject_reason is null

)

select * from accepted_tasks
