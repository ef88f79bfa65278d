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
    (
        {{ date_column }} >= (
            select coalesce(
                max({{ dbt.dateadd('day', -var('health_history_lookback_days'), 'date_day') }}),
                cast('1900-01-01' as date)
            )
            from {{ this }}
        )
        or exists (
            select 1
            from {{ this }}
            where config_version <> '{{ customer_health.health_config_version() }}'
        )
    )
    {%- else -%}
    1 = 1
    {%- endif -%}
{% endmacro %}
