{#-
    Scores after governed manual overrides (seed health_overrides). An
    override applies from starts_on to expires_on inclusive; when several
    apply, the one that started last wins. An override may set the score, the
    tier, or both; a score override without a tier takes the tier its score
    falls in. The computed score and tier stay alongside.

    Incremental like the scores it reads: a run recomputes the lookback days
    and later ones. An override entered for days older than the lookback
    takes effect on those days after a --full-refresh.
-#}

{{ config(
    materialized='incremental',
    incremental_strategy='delete+insert',
    unique_key='date_day',
    on_schema_change='fail'
) }}

with scored as (

    select
        account_id,
        date_day,
        segment,
        coverage_model,
        tenure_days,
        scorecard,
        licensed_seats,
        next_renewal_on,
        health_score,
        health_tier,
        coverage_pct,
        observed_weight,
        applicable_weight,
        top_risk_driver,
        top_strength_driver,
        is_as_of_date,
        config_version
    from {{ ref('int_health_scored') }}
    where {{ customer_health.incremental_days('date_day') }}

),

overrides as (

    select * from {{ ref('health_overrides') }}

),

matching_overrides as (

    select
        scored.account_id,
        scored.date_day,
        overrides.override_tier,
        overrides.override_score,
        overrides.reason,
        overrides.owner,
        overrides.starts_on,
        overrides.expires_on,
        row_number() over (
            partition by scored.account_id, scored.date_day
            -- the newest override wins; owner and reason break a tie, so reruns pick the same one
            order by overrides.starts_on desc, overrides.expires_on desc, overrides.owner asc, overrides.reason asc
        ) as override_rank
    from scored
    inner join overrides
        on scored.account_id = overrides.account_id
        and scored.date_day >= overrides.starts_on
        and scored.date_day <= overrides.expires_on

),

applied as (

    select
        scored.account_id,
        scored.date_day,
        scored.segment,
        scored.coverage_model,
        scored.tenure_days,
        scored.scorecard,
        scored.licensed_seats,
        scored.next_renewal_on,
        coalesce(matching_overrides.override_score, scored.health_score) as health_score,
        case
            when matching_overrides.override_tier is not null then matching_overrides.override_tier
            when matching_overrides.override_score is not null
                then {{ customer_health.health_tier('matching_overrides.override_score') }}
            else scored.health_tier
        end as health_tier,
        scored.coverage_pct,
        scored.top_risk_driver,
        scored.top_strength_driver,
        scored.health_score as computed_health_score,
        scored.health_tier as computed_health_tier,
        matching_overrides.account_id is not null as is_overridden,
        matching_overrides.reason as override_reason,
        matching_overrides.owner as override_owner,
        matching_overrides.expires_on as override_expires_on,
        scored.is_as_of_date,
        scored.config_version
    from scored
    left join matching_overrides
        on scored.account_id = matching_overrides.account_id
        and scored.date_day = matching_overrides.date_day
        and matching_overrides.override_rank = 1

),

{#- a daily run writes again only the recomputed days that changed (macro changed_days_only) #}
fingerprinted as (

    select
        applied.*,
        {{ customer_health.row_fingerprint(['applied']) }} as row_fingerprint
    from applied

)

select
    fingerprinted.*,
    {{ customer_health.built_at() }} as built_at
from fingerprinted
{{ customer_health.changed_days_only('fingerprinted', 'row_fingerprint') }}
