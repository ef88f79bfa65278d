{#-
    A 64-bit fingerprint (a bigint) of a list of expressions, or of a whole
    row when the list is one relation's alias: equal for equal values, nulls
    included, and different, short of a hash collision, when any value
    differs. An incremental model stores it with each row (or, for rows it
    derives from a wider input row, the input's), so a later run can tell
    the rows that changed from those it recomputed to the same values
    (changed_days_only).

    DuckDB hashes the values themselves; PostgreSQL hashes the row's text
    form (doubles render exactly, a null apart from an empty string).
-#}
{% macro row_fingerprint(expressions) %}
    {{ return(adapter.dispatch('row_fingerprint', 'customer_health')(expressions)) }}
{% endmacro %}

{% macro default__row_fingerprint(expressions) -%}
    hashtextextended(cast(row({{ expressions | join(', ') }}) as text), 0)
{%- endmacro %}

{% macro duckdb__row_fingerprint(expressions) -%}
    cast(hash({{ expressions | join(', ') }}) >> 1 as bigint)
{%- endmacro %}
