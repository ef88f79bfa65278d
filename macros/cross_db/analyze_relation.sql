{#-
    Refresh the planner's statistics of a freshly built table. PostgreSQL plans
    joins from them and has none for a table created a moment ago (which can
    turn a hash join into a nested loop over millions of rows); DuckDB and
    most warehouses keep statistics up to date themselves.
    Used as a post-hook on table models.
-#}
{% macro analyze_relation(relation) %}
    {{ return(adapter.dispatch('analyze_relation', 'customer_health')(relation)) }}
{% endmacro %}

{% macro default__analyze_relation(relation) -%}
    select 1 as statistics_refreshed
{%- endmacro %}

{% macro postgres__analyze_relation(relation) -%}
    {%- if relation is not none and config.get('materialized') in ('table', 'incremental') -%}
        analyze {{ relation }}
    {%- else -%}
        select 1 as statistics_refreshed
    {%- endif -%}
{%- endmacro %}
