{#-
    The keys an incremental base model rebuilds on a daily run, as a select
    of one column (key_column). A key is rebuilt, every raw row of it read
    again, when
      - a raw row of it was loaded after the latest load the model holds
        (watermark): a new record, a change Fivetran synced in place, a
        duplicate load or a soft delete;
      - its orphan check no longer holds: the parent it refers to was
        missing and has arrived, or was accepted and has been deleted or
        rejected since.
    Every other reject reason depends only on the key's own raw rows, so
    rebuilding these keys from the raw table gives the rows a full build
    would. Reading the key's raw rows again, rather than the stored copies
    plus the new loads, keeps a row Fivetran re-synced in place from being
    held twice.

    source:        the raw relation
    raw_key:       SQL for the cleaned key on a raw row
    raw_synced_at: SQL for the typed load time on a raw row (_fivetran_synced)
    key_column:    the model's key column
    watermark:     incremental_watermark('max(fivetran_synced_at)') of the model
    parents:       the CTE (or relation) of accepted parents
    parent_key:    its key column
    reference:     the model's column that refers to a parent
    orphan_reason: the model's reject reason for a missing parent
-#}
{% macro load_driven_keys(source, raw_key, raw_synced_at, key_column, watermark,
                          parents, parent_key, reference, orphan_reason) %}
    select recent_loads.{{ key_column }}
    from (
        select
            {{ raw_key }} as {{ key_column }},
            {{ raw_synced_at }} as fivetran_synced_at
        from {{ source }}
        {{ customer_health.raw_load_filter(source, '_fivetran_synced', watermark) }}
    ) as recent_loads
    where recent_loads.fivetran_synced_at > {{ watermark }}

    union

    select stored.{{ key_column }}
    from {{ this }} as stored
    left join {{ parents }} as parents
        on stored.{{ reference }} = parents.{{ parent_key }}
    where (stored.reject_reason is null and stored.{{ reference }} is not null and parents.{{ parent_key }} is null)
        or (stored.reject_reason = '{{ orphan_reason }}' and parents.{{ parent_key }} is not null)
{% endmacro %}
