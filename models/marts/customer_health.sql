{#-
    Public contract: one row per active customer account for the latest day.
    Score, tier, coverage and trend, the signals that drive the score most in
    each direction, override status, and the CRM context a CSM needs.
-#}

with calendar as (

    select as_of_date from {{ ref('int_scoring_calendar') }}
    where is_as_of_date

),

{#- the as-of day and the day 30 before it, for the 30-day change -#}
days_read as (

    select as_of_date as date_day from calendar
    union all
    select cast({{ dbt.dateadd('day', -30, 'as_of_date') }} as date) as date_day from calendar

),

{#-
    Only the two days this model reads: scores is read twice, and an engine
    may materialize a CTE read twice whole (DuckDB did: every account-day of
    history, ~1 s at 20,000 accounts, for two days of it). The days are one
    list, not two equalities joined by "or": DuckDB turns the list into a
    filter on the scan and skips the other days of the table, stored in day
    order, where "or" made it compare every stored row with both (20,000
    accounts: 0.16-0.28 s -> 0.04 s for the model's query).
-#}
scores as (

    select * from {{ ref('int_health_scores_overridden') }}
    where date_day in (select days_read.date_day from days_read)

),

crm_accounts as (

    select * from {{ ref('stg_salesforce__accounts') }}

),

crm_users as (

    select * from {{ ref('stg_salesforce__users') }}

),

latest_scores as (

    select * from scores
    where is_as_of_date

),

scores_30_days_earlier as (

    select
        scores.account_id,
        scores.health_score
    from scores
    inner join latest_scores
        on scores.account_id = latest_scores.account_id
        and scores.date_day = {{ dbt.dateadd('day', -30, 'latest_scores.date_day') }}

),

final as (

    select
        latest_scores.account_id,
        crm_accounts.account_name,
        latest_scores.segment,
        latest_scores.coverage_model,
        latest_scores.scorecard,
        latest_scores.date_day as score_date,
        round(cast(latest_scores.health_score as {{ dbt.type_numeric() }}), 2) as health_score,
        latest_scores.health_tier,
        round(cast(latest_scores.coverage_pct as {{ dbt.type_numeric() }}), 1) as coverage_pct,
        round(cast(latest_scores.health_score - scores_30_days_earlier.health_score as {{ dbt.type_numeric() }}), 2) as score_change_30d,
        {{ customer_health.health_trend('latest_scores.health_score', 'scores_30_days_earlier.health_score') }} as trend,
        latest_scores.top_risk_driver,
        latest_scores.top_strength_driver,
        round(cast(latest_scores.computed_health_score as {{ dbt.type_numeric() }}), 2) as computed_health_score,
        latest_scores.computed_health_tier,
        latest_scores.is_overridden,
        latest_scores.override_reason,
        latest_scores.override_owner,
        latest_scores.override_expires_on,
        latest_scores.next_renewal_on as renewal_date,
        crm_accounts.arr,
        latest_scores.licensed_seats,
        crm_accounts.owner_user_id as csm_owner_id,
        crm_users.user_name as csm_owner_name,
        {{ customer_health.health_config().tiers.red_below }} as tier_red_below,
        {{ customer_health.health_config().tiers.green_above }} as tier_green_above,
        {{ customer_health.health_config().tier_recovery_points }} as tier_recovery_points,
        latest_scores.config_version
    from latest_scores
    inner join crm_accounts
        on latest_scores.account_id = crm_accounts.account_id
    left join crm_users
        on crm_accounts.owner_user_id = crm_users.user_id
    left join scores_30_days_earlier
        on latest_scores.account_id = scores_30_days_earlier.account_id

)

select * from final
