{#-
    One column of a raw table, converted to a type kind without failing:
    the column cast with safe_cast_to when the raw table has it, a typed null
    when it does not (so a loader layout without an optional column, such as a
    Salesforce org without a custom field, still builds).

    columns: the list from relation_columns(source(...))
    name:    the raw column name
    kind:    'string' | 'integer' | 'numeric' | 'boolean' | 'date' | 'timestamp'
-#}
{% macro source_column(columns, name, kind) %}
    {{ return(adapter.dispatch('source_column', 'customer_health')(columns, name, kind)) }}
{% endmacro %}

{% macro default__source_column(columns, name, kind) -%}
    {%- if not execute or (name | lower) in columns -%}
        {{ customer_health.safe_cast_to(adapter.quote(name | lower), kind) }}
    {%- else -%}
        cast(null as {{ customer_health.type_for_kind(kind) }})
    {%- endif -%}
{%- endmacro %}
