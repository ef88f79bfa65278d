{#-
    A signal's status on an account-day, as a SQL expression over the columns
    of int_account_signals_daily (the signal's value, its __observed_on day,
    segment, coverage_model, tenure_days, date_day):
      not_applicable  the signal's applies_to excludes the account
      missing         no value is known
      stale           the value is older than the signal's freshness_days
      observed        the value counts toward the score
    int_signals_normalized stores it and ranks the percentile signals among
    the observed accounts with this one definition.
-#}
{% macro signal_status(name, settings) -%}
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
    end
{%- endmacro %}
