{#-
    A 64-bit fingerprint of a list of expressions (a bigint), equal for equal
    values, nulls included, and different, short of a hash collision, when
    any value differs. An incremental model stores it with the rows it
    derives from a wider input row, so a later run can tell the input rows
    that changed from those it recomputed to the same values.

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
