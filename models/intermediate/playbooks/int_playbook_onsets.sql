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

{#
    Each evaluated day with the day before it (the account's previous row),
    and only the columns the rule conditions test (playbook_condition_columns):
    it is read twice, so DuckDB materializes it, and it builds a hash table
    of it for the day before. With every column of the conditions the full
    query at 20,000 accounts took 11 s with DuckDB's 6GB and 113 s with 2GB
    (19 s with 2GB and only these columns).
-#}
evaluated_days as (

    select
        conditions.account_id,
        conditions.date_day,
        {%- for column in customer_health.playbook_condition_columns() %}
        conditions.{{ column }},
        {%- endfor %}
        lag(conditions.date_day) over (
            partition by conditions.account_id order by conditions.date_day
        ) as prior_date_day
    from conditions
    where conditions.date_day >= {{ evaluate_from }}

),

{# the columns of earlier_values, without rows: the earlier values of the rules that compare with no earlier day -#}
no_earlier_values as (

    select
        earlier_values.health_score,
        earlier_values.coverage_pct
    from earlier_values
    where 1 = 0

),

{#
    One row per account, day and rule whose condition holds on the day, with
    the values it compared against. The rules that compare with a day
    within_days earlier meet the earlier values at the day grain, once per
    distinct offset, and fan out to their rules after the join; the other
    rules join nothing. Crossing every day with every rule before the join
    made DuckDB probe the earlier values with days x rules rows (61 M at
    20,000 accounts, three of four of them with a null offset that cannot
    match): that join took either 1.6 s or 46 s of CPU on the same data, and
    the full refresh 4-5 s or 30 s, run to run (days x offsets: 7.6 M probe
    rows, 4-5 s every time).
#}
met_on_the_day as (

    select
        evaluated_days.account_id,
        evaluated_days.date_day,
        evaluated_days.prior_date_day,
        rules.rule_id,
        earlier.health_score as earlier_health_score,
        earlier.coverage_pct as earlier_coverage_pct
    from evaluated_days
    cross join comparison_offsets
    left join earlier_values as earlier
        on evaluated_days.account_id = earlier.account_id
        and comparison_offsets.within_days = earlier.within_days
        and evaluated_days.date_day = earlier.compared_on
    inner join rules
        on comparison_offsets.within_days = rules.within_days
    where evaluated_days.date_day >= {{ first_day }}
        and {{ customer_health.playbook_rule_condition('evaluated_days', 'rules', 'earlier') }}

    union all

    select
        evaluated_days.account_id,
        evaluated_days.date_day,
        evaluated_days.prior_date_day,
        rules.rule_id,
        earlier.health_score as earlier_health_score,
        earlier.coverage_pct as earlier_coverage_pct
    from evaluated_days
    cross join rules
    left join no_earlier_values as earlier
        on 1 = 0
    where rules.within_days is null
        and evaluated_days.date_day >= {{ first_day }}
        and {{ customer_health.playbook_rule_condition('evaluated_days', 'rules', 'earlier') }}

),

{#
    An onset: the condition holds on the day and did not on the day before
    (the condition is tested again on that day's row; an account's first
    day has none). Testing the day before only where the condition holds
    today keeps this off the account x rule x day grain.
-#}
onset_days as (

    select
        met_on_the_day.account_id,
        met_on_the_day.date_day,
        met_on_the_day.rule_id,
        met_on_the_day.earlier_health_score,
        met_on_the_day.earlier_coverage_pct
    from met_on_the_day
    inner join rules
        on met_on_the_day.rule_id = rules.rule_id
    left join evaluated_days as day_before
        on met_on_the_day.account_id = day_before.account_id
        and met_on_the_day.prior_date_day = day_before.date_day
    left join earlier_values as day_before_earlier
        on met_on_the_day.account_id = day_before_earlier.account_id
        and rules.within_days = day_before_earlier.within_days
        and met_on_the_day.prior_date_day = day_before_earlier.compared_on
    where day_before.account_id is null
        or not {{ customer_health.playbook_rule_condition('day_before', 'rules', 'day_before_earlier') }}

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
        onset_days.earlier_health_score,
        onset_days.earlier_coverage_pct,
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

)

select
    onsets.*,
    {{ customer_health.built_at() }} as built_at
from onsets
