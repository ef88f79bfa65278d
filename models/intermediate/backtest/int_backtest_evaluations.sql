-- sqlfluff:exclude_rules:structure.column_order,ambiguous.join,references.special_chars,references.keywords,ambiguous.column_count,layout.cte_newline,layout.indent,layout.long_lines,references.consistent
-- (layout rules off: much of this file is SQL generated per signal, tier or rule by Jinja)
{#
    The evaluation set of the backtest: at every snapshot date, each account
    in the population with its score and tier on that date (current
    configuration version, computed before manual overrides) and whether it
    churned within the horizon after it.

    Snapshots run every health_backtest_snapshot_every_days days back from the
    last date whose horizon is complete (as-of date minus the horizon), so an
    account is never counted as renewed just because its horizon runs past
    the data (right-censoring).
    Population renewal_due: accounts whose renewal decision or churn falls in
    the horizon (churners vs renewers); all_active: every scored account.
-#}

{%- set horizon = var('health_outcome_horizon_days') %}
{%- set every = var('health_backtest_snapshot_every_days') %}
{%- set at_risk_tiers = var('health_backtest_at_risk_tiers') %}
{%- set population = var('health_backtest_population') %}
{%- if population not in ('renewal_due', 'all_active') %}
    {{ customer_health.health_config_error('health_backtest_population', "is '" ~ population ~ "'; use renewal_due or all_active") }}
{%- endif %}
{%- if at_risk_tiers is string or at_risk_tiers is mapping or at_risk_tiers is not iterable %}
    {{ customer_health.health_config_error('health_backtest_at_risk_tiers', "is '" ~ at_risk_tiers ~ "'; expected a list of tiers, e.g. [red]") }}
{%- endif %}
{%- for tier in at_risk_tiers %}
    {%- if tier not in ('red', 'yellow', 'green', 'insufficient_data') %}
        {{ customer_health.health_config_error('health_backtest_at_risk_tiers', "unknown tier '" ~ tier ~ "'; use red, yellow, green or insufficient_data") }}
    {%- endif %}
{%- endfor %}

with calendar as (

    select * from {{ ref('int_scoring_calendar') }}

),

history as (

    select * from {{ ref('customer_health_history') }}
    where config_version = '{{ customer_health.health_config_version() }}'

),

decisions as (

    select * from {{ ref('int_renewal_outcomes') }}

),

last_complete_day as (

    select cast({{ dbt.dateadd('day', -horizon, 'as_of_date') }} as date) as last_snapshot_date
    from calendar
    where is_as_of_date

),

snapshot_dates as (

    select calendar.date_day as snapshot_date
    from calendar
    cross join last_complete_day
    where calendar.is_scored_day
        and calendar.date_day <= last_complete_day.last_snapshot_date
        and mod({{ dbt.datediff('calendar.date_day', 'last_complete_day.last_snapshot_date', 'day') }}, {{ every }}) = 0

),

snapshot_scores as (

    select
        history.account_id,
        history.score_date as snapshot_date,
        history.segment,
        history.computed_health_score as health_score,
        history.computed_health_tier as health_tier
    from history
    inner join snapshot_dates
        on history.score_date = snapshot_dates.snapshot_date

),

decisions_in_horizon as (

    select
        snapshot_scores.account_id,
        snapshot_scores.snapshot_date,
        max(case when decisions.outcome = 'churned' then 1 else 0 end) as has_churn,
        max(case when decisions.outcome = 'renewed' then 1 else 0 end) as has_renewal,
        min(case when decisions.outcome = 'churned' then decisions.decided_on end) as churned_on
    from snapshot_scores
    inner join decisions
        on snapshot_scores.account_id = decisions.account_id
        and snapshot_scores.snapshot_date < decisions.decided_on
        and {{ dbt.dateadd('day', horizon, 'snapshot_scores.snapshot_date') }} >= decisions.decided_on
    group by
        snapshot_scores.account_id,
        snapshot_scores.snapshot_date

),

evaluations as (

    select
        snapshot_scores.account_id,
        snapshot_scores.snapshot_date,
        snapshot_scores.segment,
        snapshot_scores.health_score,
        snapshot_scores.health_tier,
        snapshot_scores.health_tier in ('{{ at_risk_tiers | join("', '") }}') as is_at_risk,
        coalesce(decisions_in_horizon.has_churn, 0) = 1 as is_churned,
        decisions_in_horizon.churned_on,
        '{{ population }}' as population,
        {{ horizon }} as horizon_days
    from snapshot_scores
    left join decisions_in_horizon
        on snapshot_scores.account_id = decisions_in_horizon.account_id
        and snapshot_scores.snapshot_date = decisions_in_horizon.snapshot_date
    {%- if population == 'renewal_due' %}
    where decisions_in_horizon.account_id is not null
    {%- endif %}

)

select * from evaluations
