{#-
    What the playbook rules look at, per account and scored day: the tier the
    account is shown in (after overrides) and the tier the day before, how
    many consecutive days it has been in that tier, the score and coverage,
    and the raw signals the rules test (renewal distance, seat use, usage
    trend, NPS).
-#}

with scores as (

    select * from {{ ref('int_health_scores_overridden') }}

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

),

with_previous as (

    select
        scores.account_id,
        scores.date_day,
        scores.health_score,
        scores.health_tier,
        scores.coverage_pct,
        scores.top_risk_driver,
        scores.top_strength_driver,
        lag(scores.health_score) over (
            partition by scores.account_id order by scores.date_day
        ) as previous_health_score,
        lag(scores.health_tier) over (
            partition by scores.account_id order by scores.date_day
        ) as previous_tier
    from scores

),

tier_runs as (

    select
        with_previous.*,
        sum(case when with_previous.previous_tier is null or with_previous.previous_tier <> with_previous.health_tier then 1 else 0 end)
            over (
                partition by with_previous.account_id order by with_previous.date_day
                rows between unbounded preceding and current row
            ) as tier_run_number
    from with_previous

),

conditions as (

    select
        tier_runs.account_id,
        tier_runs.date_day,
        tier_runs.health_score,
        tier_runs.health_tier,
        tier_runs.previous_tier,
        tier_runs.previous_health_score,
        row_number() over (
            partition by tier_runs.account_id, tier_runs.tier_run_number
            order by tier_runs.date_day
        ) as days_in_tier,
        tier_runs.coverage_pct,
        tier_runs.top_risk_driver,
        tier_runs.top_strength_driver,
        signals.days_to_renewal,
        signals.active_user_ratio,
        signals.usage_trend,
        signals.nps
    from tier_runs
    left join signals
        on tier_runs.account_id = signals.account_id
        and tier_runs.date_day = signals.date_day

)

select * from conditions
