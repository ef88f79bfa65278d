{#-
    How incremental account x day models choose what to recompute.

    The first day a run recomputes is the last day the model already holds
    less health_history_lookback_days (late-arriving data); every later day is
    recomputed too. When the model's rows were built under another scoring
    configuration (config_version), or stale_condition (SQL over its rows)
    holds for any row, every day is recomputed, so stale values never survive
    a configuration change. A full refresh or an empty table computes every
    day. A change that adds or removes columns (a new signal) fails the run
    with dbt's on_schema_change message: rebuild with --full-refresh.

    The day is read when the model is compiled and written into its SQL as a
    date literal: engines push a literal filter into the table scan (and skip
    the older part of a table stored in day order), which a subquery does not
    get. It is read before any pre-hook runs, so a model and its hooks agree.
-#}

{#- The first day recomputed, as a date, or none for every day. -#}
{% macro incremental_first_day(stale_condition=none) %}
    {%- if execute and is_incremental() -%}
        {%- set query -%}
            select
                case
                    when count(*) = 0
                        or max(case
                            when config_version <> '{{ customer_health.health_config_version() }}'
                            {%- if stale_condition %} or ({{ stale_condition }}){% endif %}
                                then 1
                            else 0
                        end) = 1
                        then null
                    else cast({{ dbt.dateadd('day', -var('health_history_lookback_days'), 'max(date_day)') }} as date)
                end as first_day
            from {{ this }}
        {%- endset -%}
        {%- set value = run_query(query).columns[0].values()[0] -%}
        {%- if value is not none -%}
            {#- a date, a datetime or text, depending on the engine's driver -#}
            {{- return(modules.datetime.date.fromisoformat((value | string)[:10])) -}}
        {%- endif -%}
    {%- endif -%}
    {{- return(none) -}}
{% endmacro %}

{#-
    The first day a model reads on this run, as a date literal: the first
    day recomputed less context_days of earlier days that its rolling windows
    (and lags) look back over. Values carried from before this day (running
    totals, the latest seat count) are carried into it by the model. A full
    refresh, or rows from another configuration, read from the beginning.
-#}
{% macro incremental_window_start(context_days=0, stale_condition=none) %}
    {%- set first_day = customer_health.incremental_first_day(stale_condition) -%}
    {%- if first_day is none -%}
        {{- return("cast('1900-01-01' as date)") -}}
    {%- endif -%}
    {%- set day = first_day - modules.datetime.timedelta(days=context_days) -%}
    {{- return("cast('" ~ day.isoformat() ~ "' as date)") -}}
{% endmacro %}

{#- The days a model (re)computes on this run, as a filter on date_column. -#}
{% macro incremental_days(date_column) %}
    {%- if is_incremental() -%}
    {{ date_column }} >= {{ customer_health.incremental_window_start(0) }}
    {%- else -%}
    1 = 1
    {%- endif -%}
{% endmacro %}

{#-
    The latest load an incremental model already holds, as a timestamp
    literal (none on a full refresh or an empty table). Filtering on a
    literal rather than a subquery lets the engine skip the older part of a
    large table instead of comparing every row with a subquery result.
-#}
{% macro incremental_watermark(expression) %}
    {%- if execute and is_incremental() -%}
        {%- set result = run_query('select ' ~ expression ~ ' from ' ~ this) -%}
        {%- set value = result.columns[0].values()[0] if result and result.rows | length > 0 else none -%}
        {%- if value is not none -%}
            {{- return("cast('" ~ value ~ "' as timestamp)") -}}
        {%- endif -%}
    {%- endif -%}
    {{- return(none) -}}
{% endmacro %}
