{#-
    Nothing lost: every row of the raw table is either in the staging model or
    in stg_rejected_rows (with a reason). Fails with the three counts when
    raw <> staged + rejected.
-#}
{% test rows_reconcile(model, raw_relation, source_system, source_table) %}

with raw_rows as (
    select count(*) as row_count from {{ raw_relation }}
),

staged_rows as (
    select count(*) as row_count from {{ model }}
),

rejected_rows as (
    select count(*) as row_count
    from {{ ref('stg_rejected_rows') }}
    where source_system = '{{ source_system }}'
        and source_table = '{{ source_table }}'
)

select
    raw_rows.row_count as raw_row_count,
    staged_rows.row_count as staged_row_count,
    rejected_rows.row_count as rejected_row_count
from raw_rows
cross join staged_rows
cross join rejected_rows
where raw_rows.row_count <> staged_rows.row_count + rejected_rows.row_count

{% endtest %}
