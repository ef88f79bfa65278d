{#-
    One row per day from start_date to end_date inclusive, as column date_day.
    start_date / end_date are SQL expressions (e.g. columns of a one-row CTE
    named in from_clause, or literals like "cast('2025-01-01' as date)").
-#}
{% macro date_spine(start_date, end_date, from_clause) %}
    {{ return(adapter.dispatch('date_spine', 'customer_health')(start_date, end_date, from_clause)) }}
{% endmacro %}

{% macro default__date_spine(start_date, end_date, from_clause) -%}
    {#- powers of ten up to 100,000 days: portable to any SQL engine -#}
    select
        cast({{ dbt.dateadd('day', 'day_numbers.day_offset', start_date) }} as date) as date_day
    from {{ from_clause }}
    cross join (
        select ones.n + 10 * tens.n + 100 * hundreds.n + 1000 * thousands.n + 10000 * ten_thousands.n as day_offset
        from (select 0 as n union all select 1 union all select 2 union all select 3 union all select 4 union all select 5 union all select 6 union all select 7 union all select 8 union all select 9) as ones
        cross join (select 0 as n union all select 1 union all select 2 union all select 3 union all select 4 union all select 5 union all select 6 union all select 7 union all select 8 union all select 9) as tens
        cross join (select 0 as n union all select 1 union all select 2 union all select 3 union all select 4 union all select 5 union all select 6 union all select 7 union all select 8 union all select 9) as hundreds
        cross join (select 0 as n union all select 1 union all select 2 union all select 3 union all select 4 union all select 5 union all select 6 union all select 7 union all select 8 union all select 9) as thousands
        cross join (select 0 as n union all select 1 union all select 2 union all select 3 union all select 4 union all select 5 union all select 6 union all select 7 union all select 8 union all select 9) as ten_thousands
    ) as day_numbers
    where day_numbers.day_offset <= {{ dbt.datediff(start_date, end_date, 'day') }}
{%- endmacro %}
