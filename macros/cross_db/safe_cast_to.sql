{#-
    Cast an expression to one of the project's type kinds, returning null
    instead of failing when the value cannot be converted.

    kind: 'string' | 'integer' | 'numeric' | 'boolean' | 'date' | 'timestamp'

    DuckDB has try_cast. PostgreSQL has no non-failing cast, so its version
    checks the text form with a regular expression first.
-#}
{% macro safe_cast_to(expression, kind) %}
    {{ return(adapter.dispatch('safe_cast_to', 'customer_health')(expression, kind)) }}
{% endmacro %}

{% macro type_for_kind(kind) %}
    {%- if kind == 'string' -%} {{ return(dbt.type_string()) }}
    {%- elif kind == 'integer' -%} {{ return(dbt.type_bigint()) }}
    {%- elif kind == 'numeric' -%} {{ return(dbt.type_numeric()) }}
    {%- elif kind == 'boolean' -%} {{ return(dbt.type_boolean()) }}
    {%- elif kind == 'date' -%} {{ return('date') }}
    {%- elif kind == 'timestamp' -%} {{ return(dbt.type_timestamp()) }}
    {%- else -%}
        {{ exceptions.raise_compiler_error("safe_cast_to: unknown kind '" ~ kind ~ "'; use string, integer, numeric, boolean, date or timestamp") }}
    {%- endif -%}
{% endmacro %}

{% macro default__safe_cast_to(expression, kind) -%}
    {%- if kind == 'string' -%}
        cast({{ expression }} as {{ customer_health.type_for_kind(kind) }})
    {%- elif kind == 'boolean' -%}
        {{ customer_health.to_boolean(expression) }}
    {%- else -%}
        {{ dbt.safe_cast(expression, customer_health.type_for_kind(kind)) }}
    {%- endif -%}
{%- endmacro %}

{% macro duckdb__safe_cast_to(expression, kind) -%}
    {%- if kind == 'string' -%}
        cast({{ expression }} as {{ customer_health.type_for_kind(kind) }})
    {%- elif kind == 'boolean' -%}
        {{ customer_health.to_boolean(expression) }}
    {%- else -%}
        try_cast({{ expression }} as {{ customer_health.type_for_kind(kind) }})
    {%- endif -%}
{%- endmacro %}

{% macro postgres__safe_cast_to(expression, kind) -%}
    {%- set as_text = 'trim(cast(' ~ expression ~ ' as text))' -%}
    {%- if kind == 'string' -%}
        cast({{ expression }} as text)
    {%- elif kind == 'boolean' -%}
        {{ customer_health.to_boolean(expression) }}
    {%- elif kind == 'integer' -%}
        case when {{ as_text }} ~ '^[+-]?[0-9]{1,18}(\.0+)?$'
            then cast(cast({{ as_text }} as numeric) as bigint) end
    {%- elif kind == 'numeric' -%}
        case when {{ as_text }} ~ '^[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?$'
            then cast({{ as_text }} as {{ dbt.type_numeric() }}) end
    {%- elif kind == 'date' -%}
        case when {{ as_text }} ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}'
            then cast(substring({{ as_text }} from 1 for 10) as date) end
    {%- elif kind == 'timestamp' -%}
        case when {{ as_text }} ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}([ T][0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]+)?)?)?$'
            then cast({{ as_text }} as timestamp) end
    {%- endif -%}
{%- endmacro %}
