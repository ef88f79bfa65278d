with base_subscriptions as (

    select * from {{ ref('base_stripe__subscriptions') }}

),

accepted_subscriptions as (

    select
        subscription_id,
        customer_id,
        {{ customer_health.normalize_enum('raw_status') }} as status,
        {{ customer_health.normalize_enum('raw_collection_method') }} as collection_method,
        days_until_due,
        is_cancel_at_period_end,
        started_at,
        current_period_started_at,
        current_period_ends_at,
        cancel_at,
        canceled_at,
        ended_at,
        created_at,
        fivetran_synced_at
    from base_subscriptions
    where reject_reason is null

)

select * from accepted_subscriptions
