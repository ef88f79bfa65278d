{#-
    Fails for each combination of the columns that occurs more than once.

    rewritten_by_latest_run (optional): one of the columns, a partition the
    model writes whole (a day of an incremental model deleted and inserted
    again, or the key itself). The model stamps built_at on the rows it
    writes (macro built_at). When the table holds rows of earlier runs, only
    the partitions the latest run wrote are checked: a duplicate needs two
    rows with the same partition value, and the partitions the latest run did
    not write are the ones earlier runs' tests passed. A table written by one
    run (a full build) is checked whole. Run --full-refresh, or this test
    without the argument, to check every partition again.
-#}
{% test unique_combination_of_columns(model, combination_of_columns, rewritten_by_latest_run=none) %}

{%- set scope_column = rewritten_by_latest_run -%}
{%- if scope_column is not none and scope_column not in combination_of_columns -%}
    {{ exceptions.raise_compiler_error(
        "unique_combination_of_columns on " ~ model ~ ": rewritten_by_latest_run '" ~ scope_column
        ~ "' must be one of combination_of_columns " ~ (combination_of_columns | join(', '))
        ~ " (duplicates are found within the partitions it names)") }}
{%- endif -%}

{%- set latest_built_at = none -%}
{#- not built yet (dbt compile or docs generate on a fresh warehouse): nothing to scope #}
{%- if scope_column is not none and execute and load_relation(model) is not none -%}
    {%- set runs = run_query(
        "select cast(max(built_at) as " ~ dbt.type_string() ~ "), "
        ~ "case when min(built_at) < max(built_at) then 1 else 0 end from " ~ model) -%}
    {%- if runs.rows[0][1] == 1 -%}
        {%- set latest_built_at = runs.rows[0][0] -%}
    {%- endif -%}
{%- endif %}

with checked_rows as (

    select {{ combination_of_columns | join(', ') }}
    from {{ model }}
    {% if latest_built_at is not none -%}
    {#-
        ">=" selects the same rows as "=" (no row is later than the latest
        run), but DuckDB estimates an equality on built_at at half the table
        and then builds its hash table on every stored key instead of on
        the latest run's: 10.1-12.9 s against 2.6-2.7 s for the 47.5 M Segment
        tracks of a 20,000-account world.
    #}
    where {{ scope_column }} in (
        select {{ scope_column }}
        from {{ model }}
        where built_at >= cast('{{ latest_built_at }}' as {{ dbt.type_timestamp() }})
    )
    {%- endif %}

)

select
    {{ combination_of_columns | join(', ') }},
    count(*) as occurrences
from checked_rows
group by {{ combination_of_columns | join(', ') }}
having count(*) > 1

{% endtest %}
