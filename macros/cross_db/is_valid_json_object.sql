{#-
    True when the text is a JSON object, false when it is not, null when null.
    PostgreSQL 15 has no non-failing JSON test, so its version accepts text that
    looks like an object with balanced quotes; a stricter check would need a
    function, which this project does not install in your warehouse.
-#}
{% macro is_valid_json_object(expression) %}
    {{ return(adapter.dispatch('is_valid_json_object', 'customer_health')(expression)) }}
{% endmacro %}

{% macro default__is_valid_json_object(expression) -%}
    (get_json_object({{ expression }}, '$') is not null)
{%- endmacro %}

{% macro duckdb__is_valid_json_object(expression) -%}
    (json_valid({{ expression }}) and left(trim({{ expression }}), 1) = '{')
{%- endmacro %}

{% macro postgres__is_valid_json_object(expression) -%}
    (
        trim({{ expression }}) ~ '^\{(\s*"[^"\\]*"\s*:\s*("[^"\\]*"|-?[0-9.eE+-]+|true|false|null)\s*(,\s*"[^"\\]*"\s*:\s*("[^"\\]*"|-?[0-9.eE+-]+|true|false|null)\s*)*)?\}$'
    )
{%- endmacro %}
