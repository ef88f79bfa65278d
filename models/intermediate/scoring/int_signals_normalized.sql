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
        {{ customer_health.signal_status(name, settings) }} as {{ name }}__status
        {%- endfor %}
    from signals

),

{#-
    Percentile signals: the mid-rank among observed accounts of the same
    segment on the same day, computed over narrow rows (key, segment, value)
    read from the signals again and joined back by the key. A window over
    the wide rows would carry all of their columns through its sort; the
    status is the same macro as above.
-#}
{%- for name, settings in config.signals.items() if settings.method == 'percentile' %}
{{ name }}__percentiles as (

    select
        account_id,
        date_day,
        100.0 * (
            (rank() over (partition by date_day, segment order by {{ name }}) - 1)
            + 0.5 * count(*) over (partition by date_day, segment, {{ name }})
        ) / count(*) over (partition by date_day, segment) as percentile
    from {{ ref('int_account_signals_daily') }}
    where {{ customer_health.incremental_days('date_day') }}
        and {{ customer_health.signal_status(name, settings) }} = 'observed'

),

{% endfor -%}

normalized as (

    select
        with_status.*
        {%- for name, settings in config.signals.items() %},
        cast(case when with_status.{{ name }}__status = 'observed' then
            {%- if settings.method == 'percentile' %}
            {%- if settings.higher_is_better %}
            {{ name }}__percentiles.percentile
            {%- else %}
            100.0 - {{ name }}__percentiles.percentile
            {%- endif %}
            {%- else %}
            {{ customer_health.normalize_signal('with_status.' ~ name ~ '__raw', settings) }}
            {%- endif %}
        end as {{ customer_health.type_double() }}) as {{ name }}__normalized
        {%- endfor %}
    from with_status
    {%- for name, settings in config.signals.items() if settings.method == 'percentile' %}
    left join {{ name }}__percentiles
        on with_status.account_id = {{ name }}__percentiles.account_id
        and with_status.date_day = {{ name }}__percentiles.date_day
    {%- endfor %}

),

{#- a daily run writes again only the recomputed days that changed (macro changed_days_only) #}
fingerprinted as (

    select
        normalized.*,
        {{ customer_health.row_fingerprint(['normalized']) }} as row_fingerprint
    from normalized

)

select
    fingerprinted.*,
    {{ customer_health.built_at() }} as built_at
from fingerprinted
{{ customer_health.changed_days_only('fingerprinted', 'row_fingerprint') }}
