{#-
    How incremental account x day models choose what to recompute.

    The first day a run recomputes is the last day the model already holds
    less health_history_lookback_days (late-arriving data); every later day is
    recomputed too. When the model's rows were built under another scoring
    configuration (config_version), or stale_condition (SQL over its rows)
    holds for any row, every day is recomputed, so stale values never survive
    a configuration change. A full refresh or an empty table computes every
    day. A health_as_of_date before the last day the model holds fails the
    run (the days after it would stay): that needs a full refresh. A change
    that adds or removes columns (a new signal) fails the run with dbt's
    on_schema_change message: rebuild with --full-refresh.

    The day is read when the model is compiled and written into its SQL as a
    date literal: engines push a literal filter into the table scan (and skip
    the older part of a table stored in day order), which a subquery does not
    get. It is read before any pre-hook runs, so a model and its hooks agree.
-#}

{#-
    The first day recomputed, as a date, or none for every day.

    Read once per model: a model asks for it in several places (the days it
    recomputes, the days of context before them, the carried values), and
    each read is a query on the model's table before the model runs. The
    answer is kept in the model's compile context (`model`, a new dict for
    every node and run, so no other model or later run sees it), one per
    stale condition.

    The stale rows are counted with a filter rather than inside the
    aggregate: the engine then skips the row groups whose stored
    config_version cannot differ (all of them, on a normal day).
-#}
{% macro incremental_first_day(stale_condition=none) %}
    {%- if execute and is_incremental() -%}
        {%- set cache_key = 'customer_health__first_day ' ~ (stale_condition or '') -%}
        {%- if cache_key in model -%}
            {{- return(model[cache_key]) -}}
        {%- endif -%}
        {%- set query -%}
            select
                case
                    when count(*) = 0
                        or (
                            select count(*)
                            from {{ this }}
                            where config_version <> '{{ customer_health.health_config_version() }}'
                            {%- if stale_condition %} or ({{ stale_condition }}){% endif %}
                        ) > 0
                        then null
                    else cast({{ dbt.dateadd('day', -var('health_history_lookback_days'), 'max(date_day)') }} as date)
                end as first_day,
                max(date_day) as last_day
            from {{ this }}
        {%- endset -%}
        {%- set result = run_query(query) -%}
        {%- set value = result.columns[0].values()[0] -%}
        {%- set last_day = result.columns[1].values()[0] -%}
        {%- set as_of = var('health_as_of_date', none) -%}
        {%- if as_of and last_day is not none and (last_day | string)[:10] > (as_of | string)[:10] -%}
            {#- an incremental run adds and replaces days; it cannot remove the days after an earlier as-of date -#}
            {{ exceptions.raise_compiler_error(
                "health_as_of_date " ~ as_of ~ " is before the last day " ~ this ~ " already holds ("
                ~ (last_day | string)[:10] ~ "). Scoring as of an earlier day rebuilds the history: run with "
                ~ "--full-refresh, or build into another target or schema.") }}
        {%- endif -%}
        {#- a date, a datetime or text, depending on the engine's driver -#}
        {%- set first_day = modules.datetime.date.fromisoformat((value | string)[:10]) if value is not none else none -%}
        {%- do model.update({cache_key: first_day}) -%}
        {{- return(first_day) -}}
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
    An aggregate over the rows an incremental model already holds (its latest
    load, or its last day), as a timestamp literal: none on a full refresh,
    an empty table, or when the aggregate is null. Filtering on a literal
    rather than a subquery lets the engine skip the older part of a large
    table instead of comparing every row with a subquery result.
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
