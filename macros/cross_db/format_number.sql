{#- A number as text with a fixed number of decimals (for human-readable reasons). -#}
{% macro format_number(expression, decimals=1) %}
    {{ return(adapter.dispatch('format_number', 'customer_health')(expression, decimals)) }}
{% endmacro %}

{% macro default__format_number(expression, decimals=1) -%}
    cast(cast({{ expression }} as numeric(18, {{ decimals }})) as {{ dbt.type_string() }})
{%- endmacro %}
