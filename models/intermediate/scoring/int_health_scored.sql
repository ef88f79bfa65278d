-- sqlfluff:exclude_rules:structure.column_order,ambiguous.join,references.special_chars,references.keywords,ambiguous.column_count,layout.cte_newline,layout.indent,layout.long_lines,references.consistent
-- (layout rules off: much of this file is SQL generated per signal, tier or rule by Jinja)
{#
    The health score of every account on every scored day, before manual
    overrides. The signals' raw values, statuses and 0-100 values are read
    from int_signals_normalized (same key) and not stored again here: this
    table holds what scoring adds to them.
      scorecard      first configured scorecard whose applies_to matches, else default
      weight         the scorecard's effective weight of each signal (sums to 100)
      health_score   sum(weight x normalized) / sum(weight) over observed signals,
                     i.e. the weights renormalize over what is known
      coverage_pct   observed weight / applicable weight x 100
      health_tier    insufficient_data below the minimum coverage; else red /
                     yellow / green by the configured thresholds, with a
                     recovery band (health_tier_recovery_points): a red
                     account stays red until its score reaches red_below +
                     the band, a green one green until it falls to
                     green_above - the band
-#}

{{ config(
    materialized='incremental',
    incremental_strategy='delete+insert',
    unique_key='date_day',
    on_schema_change='fail'
) }}

{%- set config = customer_health.health_config() %}
{%- set red_below = config.tiers.red_below %}
{%- set green_above = config.tiers.green_above %}
{%- set recovery = config.tier_recovery_points %}

with normalized as (

    {#- every column but the upstream run's built_at: this model stamps its own #}
    select
        {%- for column in customer_health.scored_day_columns() %}
        {{ column }},
        {%- endfor %}
        config_version
        {%- for name in config.signals %},
        {{ name }}__raw,
        {{ name }}__status
        {%- endfor %}
        {%- for name in config.signals %},
        {{ name }}__normalized
        {%- endfor %}
    from {{ ref('int_signals_normalized') }}
    where is_scored_day
        and {{ customer_health.incremental_days('date_day') }}

),

with_scorecard as (

    select
        normalized.*,
        case
            {%- for card in config.scorecards if card.name != 'default' %}
            when 1 = 1
                {%- if card.applies_to.get('segments') %}
                and segment in ('{{ card.applies_to.segments | join("', '") }}')
                {%- endif %}
                {%- if card.applies_to.get('coverage_models') %}
                and coverage_model in ('{{ card.applies_to.coverage_models | join("', '") }}')
                {%- endif %}
                {%- if card.applies_to.get('min_tenure_days') is not none %}
                and tenure_days >= {{ card.applies_to.min_tenure_days }}
                {%- endif %}
                {%- if card.applies_to.get('max_tenure_days') is not none %}
                and tenure_days <= {{ card.applies_to.max_tenure_days }}
                {%- endif %}
                then '{{ card.name }}'
            {%- endfor %}
            else 'default'
        end as scorecard
    from normalized

),

weighted as (

    select
        with_scorecard.*
        {%- for name in config.signals.keys() %},
        cast(case scorecard
            {%- for card in config.scorecards if card.name != 'default' %}
            when '{{ card.name }}' then {{ card.weights[name] }}
            {%- endfor %}
            else {{ (config.scorecards | selectattr('name', 'equalto', 'default') | first).weights[name] }}
        end as {{ customer_health.type_double() }}) as {{ name }}__weight
        {%- endfor %}
    from with_scorecard

),

totals as (

    select
        weighted.*,
        0
        {%- for name in config.signals.keys() %}
        + case when {{ name }}__status = 'observed' then {{ name }}__weight else 0 end
        {%- endfor %} as observed_weight,
        0
        {%- for name in config.signals.keys() %}
        + case when {{ name }}__status <> 'not_applicable' then {{ name }}__weight else 0 end
        {%- endfor %} as applicable_weight,
        0
        {%- for name in config.signals.keys() %}
        + case when {{ name }}__status = 'observed' then {{ name }}__weight * {{ name }}__normalized else 0 end
        {%- endfor %} as weighted_points
    from weighted

),

scored as (

    select
        totals.*,
        {#- a weighted mean of 0-100 values; the clamp only undoes floating-point rounding (100.00000000000001) -#}
        cast(case when observed_weight > 0 then least(100.0, greatest(0.0, weighted_points / observed_weight)) end
            as {{ customer_health.type_double() }}) as health_score,
        cast(case when applicable_weight > 0 then 100.0 * observed_weight / applicable_weight else 0 end as {{ customer_health.type_double() }}) as coverage_pct
    from totals

),

{#- argmax over the signals, in configuration order on ties: weight x (100 - value) is
    proportional to the points a signal keeps the score below 100 -#}
drivers as (

    select
        scored.*,
        greatest(
            {%- for name in config.signals.keys() %}
            coalesce(case when {{ name }}__status = 'observed' and {{ name }}__weight > 0
                then {{ name }}__weight * (100 - {{ name }}__normalized) end, -1){{ ',' if not loop.last }}
            {%- endfor %}
        ) as max_weighted_points_lost,
        greatest(
            {%- for name in config.signals.keys() %}
            coalesce(case when {{ name }}__status = 'observed' and {{ name }}__weight > 0
                then {{ name }}__weight * {{ name }}__normalized end, -1){{ ',' if not loop.last }}
            {%- endfor %}
        ) as max_weighted_points
    from scored

),

tiered as (

    select
        drivers.*,
        case
            {%- for name in config.signals.keys() %}
            when max_weighted_points_lost >= 0 and {{ name }}__status = 'observed' and {{ name }}__weight > 0
                and {{ name }}__weight * (100 - {{ name }}__normalized) = max_weighted_points_lost then '{{ name }}'
            {%- endfor %}
        end as top_risk_driver,
        case
            {%- for name in config.signals.keys() %}
            when max_weighted_points >= 0 and {{ name }}__status = 'observed' and {{ name }}__weight > 0
                and {{ name }}__weight * {{ name }}__normalized = max_weighted_points then '{{ name }}'
            {%- endfor %}
        end as top_strength_driver,
        {{ customer_health.health_tier('health_score', 'coverage_pct') }} as threshold_tier
    from drivers

),

{#- each account's state on its last kept day before the recomputed ones (none on a full build) -#}
carried_tier_states as (

    {%- if is_incremental() and customer_health.incremental_first_day() is not none %}
    select
        account_id,
        date_day,
        red_state_key,
        green_state_key
    from {{ this }}
    where date_day = {{ customer_health.incremental_window_start(1) }}
    {%- else %}
    select
        account_id,
        date_day,
        cast(null as {{ dbt.type_bigint() }}) as red_state_key,
        cast(null as {{ dbt.type_bigint() }}) as green_state_key
    from tiered
    where 1 = 0
    {%- endif %}

),

{#-
    The recovery band. Each day with a known tier is decisive for "red" when
    its score is below red_below (in) or at least red_below + the band (out),
    and likewise for "green"; a day in the band decides nothing. The key
    2 x day number (+ 1 for in) orders the decisions, so its running maximum
    is the latest one and its parity the state. A run of consecutive scored
    days starts out of both (a new customer, or one back after a gap), so no
    state crosses a gap; an incremental run continues from the carried day.
    The running maxima take four narrow columns and are joined back: a
    window writes its rows account by account, and this table keeps the
    signals' day order (DECISIONS.md).
-#}
tier_inputs as (

    select
        tiered.account_id,
        tiered.date_day,
        tiered.health_score,
        tiered.threshold_tier,
        carried_tier_states.red_state_key as carried_red_key,
        carried_tier_states.green_state_key as carried_green_key,
        cast({{ dbt.datediff("cast('2000-01-01' as date)", 'tiered.date_day', 'day') }} as {{ dbt.type_bigint() }}) as day_number,
        coalesce(
            lag(tiered.date_day) over (partition by tiered.account_id order by tiered.date_day),
            carried_tier_states.date_day
        ) as previous_scored_day
    from tiered
    left join carried_tier_states
        on tiered.account_id = carried_tier_states.account_id

),

tier_decisions as (

    select
        account_id,
        date_day,
        carried_red_key,
        carried_green_key,
        day_number,
        case
            when threshold_tier = 'insufficient_data' then null
            when health_score < {{ red_below }} then 2 * day_number + 1
            when health_score >= {{ red_below + recovery }} then 2 * day_number
        end as red_decision_key,
        case
            when threshold_tier = 'insufficient_data' then null
            when health_score > {{ green_above }} then 2 * day_number + 1
            when health_score <= {{ green_above - recovery }} then 2 * day_number
        end as green_decision_key,
        previous_scored_day is null
        or previous_scored_day <> {{ dbt.dateadd('day', -1, 'date_day') }} as starts_run
    from tier_inputs

),

tier_running as (

    select
        account_id,
        date_day,
        carried_red_key,
        carried_green_key,
        max(case when starts_run then coalesce(red_decision_key, 2 * day_number) else red_decision_key end) over (
            partition by account_id order by date_day rows between unbounded preceding and current row
        ) as red_running_key,
        max(case when starts_run then coalesce(green_decision_key, 2 * day_number) else green_decision_key end) over (
            partition by account_id order by date_day rows between unbounded preceding and current row
        ) as green_running_key
    from tier_decisions

),

tier_states as (

    select
        account_id,
        date_day,
        greatest(coalesce(red_running_key, carried_red_key), coalesce(carried_red_key, red_running_key)) as red_state_key,
        greatest(coalesce(green_running_key, carried_green_key), coalesce(carried_green_key, green_running_key))
            as green_state_key
    from tier_running

),

tier_banded as (

    select
        tiered.*,
        tier_states.red_state_key,
        tier_states.green_state_key,
        case
            when tiered.threshold_tier = 'insufficient_data' then 'insufficient_data'
            when mod(tier_states.red_state_key, 2) = 1 then 'red'
            when mod(tier_states.green_state_key, 2) = 1 then 'green'
            else 'yellow'
        end as health_tier
    from tiered
    left join tier_states
        on tiered.account_id = tier_states.account_id
        and tiered.date_day = tier_states.date_day

),

{#-
    What scoring adds to the signals, and nothing of them again: a wide
    account x day table costs its write per column, on every full build and
    on every day a daily run recomputes.
-#}
final as (

    select
        {%- for column in customer_health.scored_day_columns() %}
        {{ column }},
        {%- endfor %}
        config_version,
        scorecard
        {%- for name in config.signals.keys() %},
        {{ name }}__weight
        {%- endfor %},
        observed_weight,
        applicable_weight,
        weighted_points,
        health_score,
        coverage_pct,
        max_weighted_points_lost,
        max_weighted_points,
        top_risk_driver,
        top_strength_driver,
        health_tier,
        red_state_key,
        green_state_key
    from tier_banded

),

{#- a daily run writes again only the recomputed days that changed (macro changed_days_only) #}
fingerprinted as (

    select
        final.*,
        {{ customer_health.row_fingerprint(['final']) }} as row_fingerprint
    from final

)

select
    fingerprinted.*,
    {{ customer_health.built_at() }} as built_at
from fingerprinted
{{ customer_health.changed_days_only('fingerprinted', 'row_fingerprint') }}
