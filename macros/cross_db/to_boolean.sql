{#-
    Read a loader's boolean, whatever form it arrives in: a real boolean, or
    text such as 'true', 'TRUE', 't', '1', 'yes' (CSV loads and Snowflake
    exports differ). Anything else is null.
-#}
{% macro to_boolean(expression) %}
    {{ return(adapter.dispatch('to_boolean', 'customer_health')(expression)) }}
{% endmacro %}

{% macro default__to_boolean(expression) -%}
    case
        when lower(trim(cast({{ expression }} as {{ dbt.type_string() }}))) in ('true', 't', '1', 'yes', 'y') then true
        when lower(trim(cast({{ expression }} as {{ dbt.type_string() }}))) in ('false', 'f', '0', 'no', 'n') then false
    end
{%- endmacro %}
