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
                     yellow / green by the configured thresholds
-#}

{{ config(
    materialized='incremental',
    incremental_strategy='delete+insert',
    unique_key='date_day',
    on_schema_change='fail'
) }}

{%- set config = customer_health.health_config() %}

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
        cast(case when observed_weight > 0 then weighted_points / observed_weight end as {{ customer_health.type_double() }}) as health_score,
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
        {{ customer_health.health_tier('health_score', 'coverage_pct') }} as health_tier
    from drivers

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
        health_tier
    from tiered

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
