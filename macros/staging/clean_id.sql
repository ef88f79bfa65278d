{#-
    An identifier as trimmed text; empty strings become null, so a blank key
    is treated as a missing key.
-#}
{% macro clean_id(expression) %}
    {{ return(adapter.dispatch('clean_id', 'customer_health')(expression)) }}
{% endmacro %}

{% macro default__clean_id(expression) -%}
    nullif(trim(cast({{ expression }} as {{ dbt.type_string() }})), '')
{%- endmacro %}
