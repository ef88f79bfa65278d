{#-
    What the playbook rules look at, per account and scored day: the tier the
    account is shown in (after overrides) and the tier the day before, how
    many consecutive days it has been in that tier, the score and coverage,
    and the raw signals the rules test (renewal distance, seat use, usage
    trend, NPS).

    Incremental like the scores it reads: a run recomputes the lookback days
    and later ones, and carries each account's previous tier, score and days
    in tier from the last day it keeps.
-#}

{{ config(
    materialized='incremental',
    incremental_strategy='delete+insert',
    unique_key='date_day',
    on_schema_change='fail'
) }}

with scores as (

    select
        account_id,
        date_day,
        health_score,
        health_tier,
        coverage_pct,
        top_risk_driver,
        top_strength_driver,
        config_version
    from {{ ref('int_health_scores_overridden') }}
    where {{ customer_health.incremental_days('date_day') }}

),

signals as (

    select
        account_id,
        date_day,
        days_to_renewal,
        active_user_ratio,
        usage_trend,
        nps
    from {{ ref('int_account_signals_daily') }}
    where is_scored_day
        and {{ customer_health.incremental_days('date_day') }}

),

{#- each account's last kept day before the recomputed ones (none on a full build) -#}
carried as (

    {%- if is_incremental() %}
    select
        account_id,
        date_day,
        health_score,
        health_tier,
        days_in_tier
    from {{ this }}
    where date_day = {{ customer_health.incremental_window_start(1) }}
    {%- else %}
    select
        account_id,
        date_day,
        health_score,
        health_tier,
        1 as days_in_tier
    from scores
    where 1 = 0
    {%- endif %}

),

{#- the carried day counts as the first day of its tier run with its days in tier so far -#}
tier_days as (

    select
        account_id,
        date_day,
        health_score,
        health_tier,
        days_in_tier - 1 as carried_days_in_tier,
        true as is_carried
    from carried

    union all

    select
        account_id,
        date_day,
        health_score,
        health_tier,
        0 as carried_days_in_tier,
        false as is_carried
    from scores

),

with_previous as (

    select
        tier_days.*,
        lag(health_score) over (
            partition by account_id order by date_day
        ) as previous_health_score,
        lag(health_tier) over (
            partition by account_id order by date_day
        ) as previous_tier
    from tier_days

),

tier_runs as (

    select
        with_previous.*,
        sum(case when previous_tier is null or previous_tier <> health_tier then 1 else 0 end)
            over (
                partition by account_id order by date_day
                rows between unbounded preceding and current row
            ) as tier_run_number
    from with_previous

),

days_in_tiers as (

    select
        account_id,
        date_day,
        previous_tier,
        previous_health_score,
        is_carried,
        {#- one type on every run and engine: a sum of bigints is numeric on PostgreSQL, hugeint on DuckDB #}
        cast(
            row_number()
                over (
                    partition by account_id, tier_run_number
                    order by date_day
                )
            + sum(carried_days_in_tier)
                over (
                    partition by account_id, tier_run_number
                )
            as {{ dbt.type_bigint() }}
        ) as days_in_tier
    from tier_runs

),

conditions as (

    select
        scores.account_id,
        scores.date_day,
        scores.health_score,
        scores.health_tier,
        days_in_tiers.previous_tier,
        days_in_tiers.previous_health_score,
        days_in_tiers.days_in_tier,
        scores.coverage_pct,
        scores.top_risk_driver,
        scores.top_strength_driver,
        signals.days_to_renewal,
        signals.active_user_ratio,
        signals.usage_trend,
        signals.nps,
        scores.config_version
    from scores
    inner join days_in_tiers
        on scores.account_id = days_in_tiers.account_id
        and scores.date_day = days_in_tiers.date_day
        and not days_in_tiers.is_carried
    left join signals
        on scores.account_id = signals.account_id
        and scores.date_day = signals.date_day

)

select
    conditions.*,
    {{ customer_health.built_at() }} as built_at
from conditions
