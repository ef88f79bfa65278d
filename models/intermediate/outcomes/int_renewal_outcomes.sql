{#-
    Renewal decisions, one row per account and decision day:
      churned  the subscription ended without renewal (Stripe: ended_at with
               no later subscription), or the renewal opportunity closed lost
               (Salesforce), whichever is recorded first
      renewed  a renewal opportunity closed won
    Mid-contract cancellations count as churn on the day the subscription ended.
    A lost renewal and a subscription end within health_outcome_record_match_days
    of each other are one churn, dated by the earlier record.
-#}

{%- set match_days = var('health_outcome_record_match_days') %}

with calendar as (

    select
        data_start_date,
        as_of_date
    from {{ ref('int_scoring_calendar') }}
    where is_as_of_date

),

opportunities as (

    select * from {{ ref('stg_salesforce__opportunities') }}
    where opportunity_type = 'renewal'
        and is_closed
        and close_date is not null

),

{#- ended customer periods with at least one day on the spine (a day from the data start to the as-of date) -#}
customer_periods as (

    select
        periods.account_id,
        periods.customer_until
    from {{ ref('int_account_customer_periods') }} as periods
    cross join calendar
    where periods.customer_until is not null
        and periods.customer_since < periods.customer_until
        and periods.customer_since <= calendar.as_of_date
        and periods.customer_until > calendar.data_start_date

),

billing_churn as (

    select
        customer_periods.account_id,
        customer_periods.customer_until as decided_on,
        'churned' as outcome,
        'stripe_subscription_ended' as recorded_by
    from customer_periods
    cross join calendar
    where customer_periods.customer_until <= calendar.as_of_date

),

crm_decisions as (

    select
        account_id,
        close_date as decided_on,
        case when is_won then 'renewed' else 'churned' end as outcome,
        case when is_won then 'salesforce_renewal_won' else 'salesforce_renewal_lost' end as recorded_by
    from opportunities

),

{#- a lost renewal and the subscription end usually record the same churn: keep the earliest record within a renewal cycle -#}
crm_churn_not_in_billing as (

    select crm_decisions.*
    from crm_decisions
    left join billing_churn
        on crm_decisions.account_id = billing_churn.account_id
        and abs({{ dbt.datediff('crm_decisions.decided_on', 'billing_churn.decided_on', 'day') }}) <= {{ match_days }}
    where crm_decisions.outcome = 'churned'
        and billing_churn.account_id is null

),

{#- one row per billing churn: the earliest lost renewal recorded around it, if any -#}
billing_churn_matched as (

    select
        billing_churn.account_id,
        billing_churn.decided_on as billed_on,
        min(crm_decisions.decided_on) as first_lost_on
    from billing_churn
    left join crm_decisions
        on billing_churn.account_id = crm_decisions.account_id
        and crm_decisions.outcome = 'churned'
        and abs({{ dbt.datediff('crm_decisions.decided_on', 'billing_churn.decided_on', 'day') }}) <= {{ match_days }}
    group by
        billing_churn.account_id,
        billing_churn.decided_on

),

billing_churn_first as (

    select
        account_id,
        case when first_lost_on < billed_on then first_lost_on else billed_on end as decided_on,
        'churned' as outcome,
        case
            when first_lost_on < billed_on then 'salesforce_renewal_lost'
            else 'stripe_subscription_ended'
        end as recorded_by
    from billing_churn_matched

),

renewals as (

    select * from crm_decisions
    where outcome = 'renewed'

),

all_decisions as (

    select
        account_id,
        decided_on,
        outcome,
        recorded_by
    from billing_churn_first
    union all
    select
        account_id,
        decided_on,
        outcome,
        recorded_by
    from crm_churn_not_in_billing
    union all
    select
        account_id,
        decided_on,
        outcome,
        recorded_by
    from renewals

),

deduplicated as (

    select
        account_id,
        decided_on,
        outcome,
        min(recorded_by) as recorded_by
    from all_decisions
    group by
        account_id,
        decided_on,
        outcome

)

select * from deduplicated
