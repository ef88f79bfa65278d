{#-
    A categorical value as lower snake_case ('Mid-Market' -> 'mid_market',
    'High Touch' -> 'high_touch'); blank becomes null.
-#}
{% macro normalize_enum(expression) %}
    {{ return(adapter.dispatch('normalize_enum', 'customer_health')(expression)) }}
{% endmacro %}

{% macro default__normalize_enum(expression) -%}
    nullif(replace(replace(lower(trim({{ expression }})), '-', '_'), ' ', '_'), '')
{%- endmacro %}
