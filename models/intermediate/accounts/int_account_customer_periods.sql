{#-
    One row per CRM account: its segment and coverage model, and the period it
    is a customer. Customer periods come from Stripe subscriptions mapped to
    the CRM account (from the first start to the last end, open while any
    subscription has not ended); accounts billed outside Stripe fall back to
    the CRM contract dates. customer_since is null for an account that never
    became a customer.
-#}

with crm_accounts as (

    select * from {{ ref('stg_salesforce__accounts') }}

),

subscriptions as (

    select * from {{ ref('stg_stripe__subscriptions') }}

),

stripe_customer_accounts as (

    select
        source_id as customer_id,
        account_id
    from {{ ref('int_account_identity_map') }}
    where source_system = 'stripe'
        and source_entity = 'customer'
        and is_matched

),

subscription_periods as (

    select
        stripe_customer_accounts.account_id,
        min(cast(subscriptions.started_at as date)) as customer_since,
        case
            when count(*) = count(subscriptions.ended_at)
                then max(cast(subscriptions.ended_at as date))
        end as customer_until
    from subscriptions
    inner join stripe_customer_accounts
        on subscriptions.customer_id = stripe_customer_accounts.customer_id
    where subscriptions.started_at is not null
    group by stripe_customer_accounts.account_id

),

customer_periods as (

    select
        crm_accounts.account_id,
        crm_accounts.segment,
        crm_accounts.coverage_model,
        coalesce(subscription_periods.customer_since, crm_accounts.contract_start_date) as customer_since,
        case
            when subscription_periods.account_id is not null then subscription_periods.customer_until
            when crm_accounts.account_type = 'former_customer' then crm_accounts.contract_end_date
        end as customer_until,
        subscription_periods.account_id is not null as is_billed_in_stripe
    from crm_accounts
    left join subscription_periods
        on crm_accounts.account_id = subscription_periods.account_id

)

select * from customer_periods
