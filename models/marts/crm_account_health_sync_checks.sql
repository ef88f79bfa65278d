{#-
    The quality checks that decide whether today's scores may be published to
    the CRM (crm_account_health_sync). One row per check for the as-of date;
    the sync publishes only when every check passed.
-#}

with health as (

    select * from {{ ref('customer_health') }}

),

scores as (

    select * from {{ ref('int_health_scores_overridden') }}

),

active_accounts as (

    select account_id
    from {{ ref('int_account_days') }}
    where is_as_of_date

),

as_of as (

    select max(score_date) as checked_on from health

),

scores_out_of_range as (

    select count(*) as observed_value
    from health
    where health_score < 0
        or health_score > 100
        or (health_score is null and health_tier <> 'insufficient_data')

),

unscored_accounts as (

    select count(*) as observed_value
    from active_accounts
    left join health
        on active_accounts.account_id = health.account_id
    where health.account_id is null

),

insufficient_share as (

    select
        cast(1.0 as {{ customer_health.type_double() }})
        * sum(case when health_tier = 'insufficient_data' then 1 else 0 end)
        / nullif(count(*), 0) as observed_value
    from health

),

tier_shares_by_day as (

    select
        scores.date_day,
        scores.health_tier,
        cast(1.0 as {{ customer_health.type_double() }}) * count(*)
        / sum(count(*)) over (partition by scores.date_day) as tier_share
    from scores
    cross join as_of
    where scores.date_day = as_of.checked_on
        or scores.date_day = {{ dbt.dateadd('day', -1 * var('health_sync_tier_shift_days'), 'as_of.checked_on') }}
    group by scores.date_day, scores.health_tier

),

tier_shares_today as (

    select tier_shares_by_day.*
    from tier_shares_by_day
    cross join as_of
    where tier_shares_by_day.date_day = as_of.checked_on

),

tier_shares_earlier as (

    select tier_shares_by_day.*
    from tier_shares_by_day
    cross join as_of
    where tier_shares_by_day.date_day <> as_of.checked_on

),

tier_shift as (

    select max(abs(coalesce(tier_shares_today.tier_share, 0) - coalesce(tier_shares_earlier.tier_share, 0))) as observed_value
    from tier_shares_today
    full outer join tier_shares_earlier
        on tier_shares_today.health_tier = tier_shares_earlier.health_tier

),

checks as (

    select
        'scores_in_range' as check_name,
        'Scores outside 0-100, or missing without the insufficient_data tier' as description,
        cast(observed_value as {{ customer_health.type_double() }}) as observed_value,
        cast(0 as {{ customer_health.type_double() }}) as threshold,
        observed_value = 0 as passed
    from scores_out_of_range

    union all

    select
        'every_active_account_scored' as check_name,
        'Active customer accounts without a customer_health row' as description,
        cast(observed_value as {{ customer_health.type_double() }}) as observed_value,
        cast(0 as {{ customer_health.type_double() }}) as threshold,
        observed_value = 0 as passed
    from unscored_accounts

    union all

    select
        'coverage' as check_name,
        'Share of accounts in insufficient_data (a data source went silent)' as description,
        cast(observed_value as {{ customer_health.type_double() }}) as observed_value,
        cast({{ var('health_sync_max_insufficient_share') }} as {{ customer_health.type_double() }}) as threshold,
        coalesce(observed_value <= {{ var('health_sync_max_insufficient_share') }}, false) as passed
    from insufficient_share

    union all

    select
        'tier_mix_shift' as check_name,
        'Largest change of a tier''s share of accounts against {{ var("health_sync_tier_shift_days") }} days before' as description,
        cast(observed_value as {{ customer_health.type_double() }}) as observed_value,
        cast({{ var('health_sync_max_tier_shift_share') }} as {{ customer_health.type_double() }}) as threshold,
        coalesce(observed_value <= {{ var('health_sync_max_tier_shift_share') }}, true) as passed
    from tier_shift

)

select
    checks.check_name,
    as_of.checked_on,
    checks.description,
    checks.observed_value,
    checks.threshold,
    checks.passed
from checks
cross join as_of
