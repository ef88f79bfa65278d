{#-
    When the dbt run that writes a row started, as a timestamp literal (UTC).
    Incremental models stamp it on every row they write, so the rows the
    latest run wrote can be told from the rows it kept; the primary-key tests
    of those models check only what the latest run rewrote
    (tests/generic/unique_combination_of_columns.sql).
-#}
{% macro built_at() %}
    {{- return("cast('" ~ run_started_at.strftime('%Y-%m-%d %H:%M:%S.%f') ~ "' as " ~ dbt.type_timestamp() ~ ")") -}}
{% endmacro %}
