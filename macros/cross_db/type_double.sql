{#-
    An 8-byte floating-point type on every engine. dbt.type_float() renders
    `float`, which is 4 bytes on DuckDB (and 8 on PostgreSQL): scores and
    weights summed in single precision drift past their bounds
    (100.00001 percent), and the two engines would disagree.
-#}
{% macro type_double() %}
    {{ return(adapter.dispatch('type_double', 'customer_health')()) }}
{% endmacro %}

{% macro default__type_double() %}double precision{% endmacro %}
