{#-
    Convert a value that carries its own UTC offset (a timestamp with time zone,
    or ISO-8601 text such as '2025-03-04T10:11:12-05:00') to a timestamp
    without time zone in UTC. Unparseable text gives null.
    Use it for Segment timestamps and survey exports; Fivetran timestamps are
    already UTC and need only safe_cast_to(..., 'timestamp').
-#}
{% macro to_utc_timestamp(expression) %}
    {{ return(adapter.dispatch('to_utc_timestamp', 'customer_health')(expression)) }}
{% endmacro %}

{% macro default__to_utc_timestamp(expression) -%}
    to_utc_timestamp(cast({{ expression }} as timestamp), 'UTC')
{%- endmacro %}

{% macro duckdb__to_utc_timestamp(expression) -%}
    cast(timezone('UTC', try_cast({{ expression }} as timestamptz)) as timestamp)
{%- endmacro %}

{% macro postgres__to_utc_timestamp(expression) -%}
    case
        when trim(cast({{ expression }} as text))
            ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}[ T][0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]+)?)?([+-][0-9]{2}(:?[0-9]{2})?|Z)?$'
            then cast(cast(trim(cast({{ expression }} as text)) as timestamptz) at time zone 'UTC' as timestamp)
    end
{%- endmacro %}
