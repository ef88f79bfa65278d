{#-
    An identifier as trimmed text; empty strings become null, so a blank key
    is treated as a missing key.

    trim() runs only on values that start or end with a space (trim removes
    spaces, on both engines): the result is the same, and an id without
    one, nearly every id, is passed through instead of copied. Over the
    47.5 M message ids of a 20,000-account world that saves about 6 s.
-#}
{% macro clean_id(expression) %}
    {{ return(adapter.dispatch('clean_id', 'customer_health')(expression)) }}
{% endmacro %}

{% macro default__clean_id(expression) -%}
    {%- set as_text = 'cast(' ~ expression ~ ' as ' ~ dbt.type_string() ~ ')' -%}
    nullif(
        case
            when {{ as_text }} like ' %' or {{ as_text }} like '% ' then trim({{ as_text }})
            else {{ as_text }}
        end,
        ''
    )
{%- endmacro %}
