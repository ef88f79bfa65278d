with base_opportunities as (

    select * from {{ ref('base_salesforce__opportunities') }}

),

accepted_opportunities as (

    select
        opportunity_id,
        account_id,
        owner_user_id,
        opportunity_name,
        {{ customer_health.normalize_enum('raw_opportunity_type') }} as opportunity_type,
        {{ customer_health.normalize_enum('stage_name') }} as stage,
        forecast_category,
        churn_reason,
        amount,
        probability,
        seats,
        contract_term_months,
        is_closed,
        is_won,
        is_closed and not is_won as is_lost,
        close_date,
        created_at,
        last_modified_at,
        fivetran_synced_at
    from base_opportunities
    where reject_reason is null

)

select * from accepted_opportunities
