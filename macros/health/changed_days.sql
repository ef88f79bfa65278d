{#-
    The days an incremental account x day model writes again.

    A daily run recomputes every lookback day, and on a normal day all but
    the newest one or two come out as they were. The model stores a
    fingerprint with each row (row_fingerprint) and, on an incremental run,
    keeps only the recomputed days on which some account-day is new, gone or
    has another fingerprint. delete+insert on the day then leaves the other
    days' rows, and their built_at, as they are; the days it writes, it
    writes whole.

    relation: the CTE of recomputed rows, with their fingerprint.
    fingerprint_column: the fingerprint's column, in relation and stored.
    stored_filter: SQL narrowing the stored rows to one per account-day,
    for a model that stores several (the drivers: one signal's row).

    Renders a where clause on an incremental run, nothing otherwise.
-#}
{% macro changed_days_only(relation, fingerprint_column, stored_filter=none) %}
    {%- if is_incremental() %}
    where {{ relation }}.date_day in (
        select coalesce(recomputed.date_day, stored.date_day)
        from (
            select account_id, date_day, {{ fingerprint_column }} as fingerprint
            from {{ relation }}
        ) as recomputed
        full outer join (
            select account_id, date_day, {{ fingerprint_column }} as fingerprint
            from {{ this }}
            where {{ customer_health.incremental_days('date_day') }}
            {%- if stored_filter %}
                and {{ stored_filter }}
            {%- endif %}
        ) as stored
            on recomputed.account_id = stored.account_id
            and recomputed.date_day = stored.date_day
        where recomputed.fingerprint is distinct from stored.fingerprint
    )
    {%- endif %}
{% endmacro %}
