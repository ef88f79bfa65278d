{#-
    The text value of a top-level key of a JSON object held as text
    (Stripe metadata, survey properties). Malformed JSON gives null rather
    than an error.
-#}
{% macro json_extract_text(expression, key) %}
    {{ return(adapter.dispatch('json_extract_text', 'customer_health')(expression, key)) }}
{% endmacro %}

{% macro default__json_extract_text(expression, key) -%}
    get_json_object({{ expression }}, '$.{{ key }}')
{%- endmacro %}

{% macro duckdb__json_extract_text(expression, key) -%}
    case when json_valid({{ expression }}) then json_extract_string({{ expression }}, '$.{{ key }}') end
{%- endmacro %}

{% macro postgres__json_extract_text(expression, key) -%}
    case when {{ customer_health.is_valid_json_object(expression) }}
        then cast({{ expression }} as jsonb) ->> '{{ key }}' end
{%- endmacro %}
