{#-
    Lower-cased column names of a relation, read from the warehouse when the
    model is compiled (empty while dbt only parses the project).
    Staging uses it to accept loader layouts that lack optional columns.
-#}
{% macro relation_columns(relation) %}
    {{ return(adapter.dispatch('relation_columns', 'customer_health')(relation)) }}
{% endmacro %}

{% macro default__relation_columns(relation) %}
    {%- if not execute -%}
        {{ return([]) }}
    {%- endif -%}
    {%- set names = [] -%}
    {%- for column in adapter.get_columns_in_relation(relation) -%}
        {%- do names.append(column.name | lower) -%}
    {%- endfor -%}
    {{ return(names) }}
{% endmacro %}
