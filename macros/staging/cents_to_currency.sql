{#-
    Stripe amounts are integer minor units (cents); this gives currency units.
    Zero-decimal currencies (JPY, KRW, ...) are not divided.
-#}
{% macro cents_to_currency(amount, currency) %}
    {{ return(adapter.dispatch('cents_to_currency', 'customer_health')(amount, currency)) }}
{% endmacro %}

{% macro default__cents_to_currency(amount, currency) -%}
    cast(
        case
            when lower({{ currency }}) in ('bif', 'clp', 'djf', 'gnf', 'jpy', 'kmf', 'krw', 'mga', 'pyg', 'rwf', 'ugx', 'vnd', 'vuv', 'xaf', 'xof', 'xpf')
                then {{ amount }}
            else {{ amount }} / 100.0
        end
        as {{ dbt.type_numeric() }}
    )
{%- endmacro %}
