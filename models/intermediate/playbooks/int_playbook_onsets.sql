-- sqlfluff:exclude_rules:ambiguous.join,layout.long_lines
{#-
    Every day a playbook rule's condition started to hold for an account (it
    holds on the day and did not the day before), with the values the alert
    reports. All onsets are kept, also those an alert's cooldown will
    suppress: the cooldown counts from the previous onset.

    Incremental: a run evaluates the lookback days and later ones (and the
    day before them, so an onset on the first of them is known), deleting
    those days first in a pre-hook because a day may now have no onset at
    all. A changed scoring configuration or changed rule conditions
    (playbook_version) re-evaluate every day.
-#}

{{ config(
    materialized='incremental',
    incremental_strategy='append',
    on_schema_change='fail',
    pre_hook="{% if is_incremental() %}delete from {{ this }} where date_day >= {{ customer_health.incremental_window_start(0, 'playbook_version <> ' ~ customer_health.playbook_conditions_version()) }}{% endif %}"
) }}

{%- set stale_rules = 'playbook_version <> ' ~ customer_health.playbook_conditions_version() %}
{%- set longest_window = 0 %}
{%- if execute and is_incremental() %}
{%- set longest_window = run_query('select coalesce(max(within_days), 0) from ' ~ ref('health_playbook_rules')).columns[0].values()[0] | int %}
{%- endif %}
{#- the first day evaluated is the day before the first recomputed (for the lag); the first day read, less the longest comparison window -#}
{%- set first_day = customer_health.incremental_window_start(0, stale_rules) %}
{%- set evaluate_from = customer_health.incremental_window_start(1, stale_rules) %}
{%- set read_from = customer_health.incremental_window_start(1 + longest_window, stale_rules) %}

with rules as (

    select * from {{ ref('health_playbook_rules') }}

),

conditions as (

    select * from {{ ref('int_playbook_conditions_daily') }}
    where date_day >= {{ read_from }}

),

comparison_offsets as (

    select distinct within_days
    from rules
    where within_days is not null

),

earlier_values as (

    -- each day's values, keyed by the later day that compares against them
    -- (an equi-join below instead of a date-arithmetic join per rule)
    select
        conditions.account_id,
        comparison_offsets.within_days,
        cast({{ dbt.dateadd('day', 'comparison_offsets.within_days', 'conditions.date_day') }} as date) as compared_on,
        conditions.health_score,
        conditions.coverage_pct
    from conditions
    cross join comparison_offsets

),

{# one narrow row per account, day and rule: whether its condition holds -#}
evaluated as (

    select
        conditions.account_id,
        conditions.date_day,
        rules.rule_id,
        coalesce(
            case rules.rule_type
                when 'tier_change' then conditions.previous_tier = rules.from_tier and conditions.health_tier = rules.to_tier
                when 'tier_held_before_renewal'
                    then
                        conditions.health_tier = rules.to_tier
                        and conditions.days_in_tier >= rules.min_days_in_tier
                        and conditions.days_to_renewal between 0 and rules.renewal_within_days
                when 'score_drop' then earlier.health_score - conditions.health_score >= rules.score_drop_points
                when 'expansion_signal'
                    then
                        conditions.health_tier = rules.to_tier
                        and conditions.active_user_ratio >= rules.min_seat_utilization
                        and conditions.usage_trend >= 0
                when 'promoter_usage_falling'
                    then conditions.nps >= rules.min_nps and conditions.usage_trend <= rules.max_usage_trend
                when 'coverage_collapse'
                    then earlier.coverage_pct - conditions.coverage_pct >= rules.min_coverage_drop_points
            end,
            false
        ) as is_condition_met
    from conditions
    cross join rules
    left join earlier_values as earlier
        on conditions.account_id = earlier.account_id
        and rules.within_days = earlier.within_days
        and conditions.date_day = earlier.compared_on
    where conditions.date_day >= {{ evaluate_from }}

),

onset_days as (

    select
        account_id,
        date_day,
        rule_id
    from (
        select
            evaluated.account_id,
            evaluated.date_day,
            evaluated.rule_id,
            evaluated.is_condition_met,
            lag(evaluated.is_condition_met) over (
                partition by evaluated.account_id, evaluated.rule_id order by evaluated.date_day
            ) as was_condition_met
        from evaluated
    ) as with_previous_day
    where is_condition_met
        and not coalesce(was_condition_met, false)
        and date_day >= {{ first_day }}

),

{# the values each alert reports, for the onset days only -#}
onsets as (

    select
        onset_days.account_id,
        onset_days.date_day,
        onset_days.rule_id,
        conditions.previous_tier,
        conditions.health_tier,
        conditions.health_score,
        conditions.top_risk_driver,
        conditions.days_in_tier,
        conditions.days_to_renewal,
        conditions.active_user_ratio,
        conditions.usage_trend,
        conditions.nps,
        earlier.health_score as earlier_health_score,
        earlier.coverage_pct as earlier_coverage_pct,
        conditions.coverage_pct,
        rules.within_days,
        conditions.config_version,
        {{ customer_health.playbook_conditions_version() }} as playbook_version
    from onset_days
    inner join rules
        on onset_days.rule_id = rules.rule_id
    inner join conditions
        on onset_days.account_id = conditions.account_id
        and onset_days.date_day = conditions.date_day
    left join earlier_values as earlier
        on onset_days.account_id = earlier.account_id
        and rules.within_days = earlier.within_days
        and onset_days.date_day = earlier.compared_on

)

select
    onsets.*,
    {{ customer_health.built_at() }} as built_at
from onsets
