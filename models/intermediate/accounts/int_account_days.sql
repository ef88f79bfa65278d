{#-
    The account x day spine: one row for every day an account is a customer,
    from the first day of data (or the day it became a customer) to the as-of
    date (or the day before its subscription ended). Rolling windows are row
    windows over this spine, which equal calendar windows because no day is
    missing.

    Customer periods come from Stripe subscriptions mapped to the CRM account;
    accounts billed outside Stripe fall back to the CRM contract dates.
-#}

with calendar as (

    select * from {{ ref('int_scoring_calendar') }}

),

crm_accounts as (

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

),

account_days as (

    select
        customer_periods.account_id,
        calendar.date_day,
        customer_periods.segment,
        customer_periods.coverage_model,
        customer_periods.customer_since,
        customer_periods.customer_until,
        customer_periods.is_billed_in_stripe,
        {{ dbt.datediff('customer_periods.customer_since', 'calendar.date_day', 'day') }} as tenure_days,
        {#- the spine has no gaps, so a day's number is its distance from the spine's first day -#}
        {{ dbt.datediff(
            'case when customer_periods.customer_since > calendar.data_start_date'
            ~ ' then customer_periods.customer_since else calendar.data_start_date end',
            'calendar.date_day',
            'day'
        ) }} + 1 as spine_day_number,
        calendar.is_scored_day,
        calendar.is_as_of_date
    from customer_periods
    inner join calendar
        on customer_periods.customer_since <= calendar.date_day
        and (customer_periods.customer_until is null or customer_periods.customer_until > calendar.date_day)

)

select * from account_days
