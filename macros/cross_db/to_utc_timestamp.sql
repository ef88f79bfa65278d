{#-
    Convert a value that carries its own UTC offset (a timestamp with time zone,
    or ISO-8601 text such as '2025-03-04T10:11:12-05:00') to a timestamp
    without time zone in UTC. Unparseable text, and 'infinity', give null (as
    on PostgreSQL).
    Use it for Segment timestamps and survey exports; Fivetran timestamps are
    already UTC and need only safe_cast_to(..., 'timestamp').
-#}
{% macro to_utc_timestamp(expression) %}
    {{ return(adapter.dispatch('to_utc_timestamp', 'customer_health')(expression)) }}
{% endmacro %}

{% macro default__to_utc_timestamp(expression) -%}
    to_utc_timestamp(cast({{ expression }} as timestamp), 'UTC')
{%- endmacro %}

{#-
    DuckDB stores a timestamp with time zone as microseconds since the epoch
    in UTC, so the UTC wall time is that count read as a plain timestamp.
    timezone('UTC', ...) gives the same values through an ICU calendar call
    per row (6 s against 0.25 s for one column of 47.5 M Segment tracks),
    keeps 'infinity', and fails the query on instants near the end of the
    timestamp range.
-#}
{% macro duckdb__to_utc_timestamp(expression) -%}
    make_timestamp(epoch_us(try_cast({{ expression }} as timestamptz)))
{%- endmacro %}

{% macro postgres__to_utc_timestamp(expression) -%}
    case
        when trim(cast({{ expression }} as text))
            ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}[ T][0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]+)?)?([+-][0-9]{2}(:?[0-9]{2})?|Z)?$'
            then cast(cast(trim(cast({{ expression }} as text)) as timestamptz) at time zone 'UTC' as timestamp)
    end
{%- endmacro %}
