-- sqlfluff:exclude_rules:structure.column_order,ambiguous.join,references.special_chars,references.keywords,ambiguous.column_count,layout.cte_newline,layout.indent,layout.long_lines,references.consistent
-- (layout rules off: much of this file is SQL generated per signal, tier or rule by Jinja)
{#
    Each signal's status and 0-100 value for every account and day, per the
    health_signals configuration. Status:
      not_applicable  the signal does not apply to the account (applies_to)
      missing         no value is known (no data source for the account yet)
      stale           the value is older than the signal's freshness_days
      observed        the value counts toward the score
    Only observed signals get a normalized value.
-#}

{{ config(
    materialized='incremental',
    incremental_strategy='delete+insert',
    unique_key='date_day',
    on_schema_change='fail'
) }}

{%- set config = customer_health.health_config() %}

with signals as (

    select * from {{ ref('int_account_signals_daily') }}
    where {{ customer_health.incremental_days('date_day') }}

),

with_status as (

    select
        {%- for column in customer_health.scored_day_columns() %}
        {{ column }},
        {%- endfor %}
        config_version
        {%- for name, settings in config.signals.items() %},
        {{ name }} as {{ name }}__raw,
        case
            {%- set rules = settings.applies_to %}
            {%- if rules.get('segments') %}
            when segment not in ('{{ rules.segments | join("', '") }}') then 'not_applicable'
            {%- endif %}
            {%- if rules.get('coverage_models') %}
            when coverage_model not in ('{{ rules.coverage_models | join("', '") }}') then 'not_applicable'
            {%- endif %}
            {%- if rules.get('min_tenure_days') is not none %}
            when tenure_days < {{ rules.min_tenure_days }} then 'not_applicable'
            {%- endif %}
            {%- if rules.get('max_tenure_days') is not none %}
            when tenure_days > {{ rules.max_tenure_days }} then 'not_applicable'
            {%- endif %}
            when {{ name }} is null then 'missing'
            {%- if settings.freshness_days is not none %}
            when {{ name }}__observed_on is null
                or {{ name }}__observed_on < {{ dbt.dateadd('day', -settings.freshness_days, 'date_day') }} then 'stale'
            {%- endif %}
            else 'observed'
        end as {{ name }}__status
        {%- endfor %}
    from signals

),

normalized as (

    select
        with_status.*
        {%- for name, settings in config.signals.items() %},
        cast(case when {{ name }}__status = 'observed' then
            {%- if settings.method == 'percentile' %}
            {#- mid-rank percentile among observed accounts of the same segment on the same day -#}
            {%- set peers = 'partition by date_day, segment, ' ~ name ~ '__status' %}
            {%- set percentile = '100.0 * ((rank() over (' ~ peers ~ ' order by ' ~ name ~ '__raw) - 1) + 0.5 * count(*) over (' ~ peers ~ ', ' ~ name ~ '__raw)) / count(*) over (' ~ peers ~ ')' %}
            {%- if settings.higher_is_better %}
            {{ percentile }}
            {%- else %}
            100.0 - {{ percentile }}
            {%- endif %}
            {%- else %}
            {{ customer_health.normalize_signal(name ~ '__raw', settings) }}
            {%- endif %}
        end as {{ customer_health.type_double() }}) as {{ name }}__normalized
        {%- endfor %}
    from with_status

)

select
    normalized.*,
    {{ customer_health.built_at() }} as built_at
from normalized
