{#-
    The days an incremental account x day model (re)computes on this run:
    the last health_history_lookback_days days it already holds (late-arriving
    data) and every later day. When its rows were built under another scoring
    configuration (config_version), every day is recomputed, so stale values
    never survive a configuration change. A full refresh computes every day.
    A change that adds or removes columns (a new signal) fails the run with
    dbt's on_schema_change message: rebuild with --full-refresh.
-#}
{% macro incremental_days(date_column) %}
    {%- if is_incremental() -%}
    {{ date_column }} >= {{ customer_health.incremental_window_start(0) }}
    {%- else -%}
    1 = 1
    {%- endif -%}
{% endmacro %}

{#-
    The first day an incremental account x day model reads on this run: the
    first day incremental_days() recomputes (context_days 0), less
    context_days of earlier days that its rolling windows (and lags) look
    back over. Values carried from before
    this day (running totals, the latest seat count) are carried into it by
    the model. A full refresh, or rows from another configuration, read from
    the beginning.
-#}
{% macro incremental_window_start(context_days) %}
    {%- if is_incremental() -%}
    (
        select
            case
                when count(*) = 0
                    or max(case when config_version <> '{{ customer_health.health_config_version() }}' then 1 else 0 end) = 1
                    then cast('1900-01-01' as date)
                else cast({{ dbt.dateadd('day', -(var('health_history_lookback_days') + context_days), 'max(date_day)') }} as date)
            end
        from {{ this }}
    )
    {%- else -%}
    cast('1900-01-01' as date)
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

{#-
    The first day incremental_days() would recompute, as a date literal read
    when the model is compiled: for incremental models whose days are sparse
    (an onset table has no row on a day nothing started). Such a model cannot
    rely on delete+insert by day (a recomputed day that now has no rows would
    keep its old ones), so it deletes every day from this one on in a
    pre-hook and appends; the literal is read before the pre-hook runs, so
    the model and its hook agree on it. 1900-01-01 (everything) on a full
    build, for an empty table, for rows of another scoring configuration, or
    when stale_condition (SQL over the table's rows) holds for any row.
    The lookback counts back from the last day that has rows, which may be
    earlier than the last day computed: more days recomputed, never fewer.
-#}
{% macro incremental_first_day_literal(stale_condition=none) %}
    {%- set first_day = "cast('1900-01-01' as date)" -%}
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
                end
            from {{ this }}
        {%- endset -%}
        {%- set value = run_query(query).columns[0].values()[0] -%}
        {%- if value is not none -%}
            {%- set first_day = "cast('" ~ value ~ "' as date)" -%}
        {%- endif -%}
    {%- endif -%}
    {{- return(first_day) -}}
{% endmacro %}
