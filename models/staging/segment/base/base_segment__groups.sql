{#-
    Every raw Segment group call with its reject reason. Incremental like
    base_segment__tracks: each run reads only the loads that arrived after
    the latest load it holds (uuid_ts), plus the rows it already holds for
    the same message ids, and ranks those together (a later load of a
    message wins; the earlier copy becomes a duplicate_load reject). The
    table is rewritten whole only on --full-refresh.
-#}

{{ config(
    materialized='incremental',
    incremental_strategy='delete_reloaded+insert',
    unique_key='message_id',
    on_schema_change='fail'
) }}

{%- set raw_columns = customer_health.relation_columns(source('segment', 'groups')) -%}
{%- set watermark = customer_health.incremental_watermark('max(loaded_at)') -%}

with source_rows as (

    select * from {{ source('segment', 'groups') }}
    {{ customer_health.raw_load_filter(source('segment', 'groups'), 'uuid_ts', watermark) }}

),

typed as (

    select
        {{ customer_health.clean_id(customer_health.source_column(raw_columns, 'id', 'string')) }} as message_id,
        {{ customer_health.clean_id(customer_health.source_column(raw_columns, 'user_id', 'string')) }} as user_id,
        {{ customer_health.clean_id(customer_health.source_column(raw_columns, 'group_id', 'string')) }} as workspace_id,
        {{ customer_health.source_column(raw_columns, 'name', 'string') }} as workspace_name,
        {{ customer_health.source_column(raw_columns, 'plan', 'string') }} as raw_plan,
        {{ customer_health.to_utc_timestamp(adapter.quote('timestamp')) }} as grouped_at,
        {{ customer_health.to_utc_timestamp('received_at') }} as received_at,
        {{ customer_health.to_utc_timestamp('uuid_ts') }} as loaded_at
    from source_rows

),

new_loads as (

    select * from typed
    {% if watermark is not none -%}
    where typed.loaded_at > {{ watermark }}
    {%- endif %}

),

candidates as (

    select * from new_loads
    {% if is_incremental() %}
    union all
    select
        message_id,
        user_id,
        workspace_id,
        workspace_name,
        raw_plan,
        grouped_at,
        received_at,
        loaded_at
    from {{ this }}
    {#- the stored copies found by message id first, as in base_segment__tracks #}
    where message_id in (
        select stored.message_id
        from {{ this }} as stored
        where stored.message_id in (select new_loads.message_id from new_loads)
    )
    {% endif %}

),

ranked as (

    select
        candidates.*,
        {#- rows without a message id are rejected anyway; rank 1 keeps them stable across runs -#}
        case
            when candidates.message_id is null then 1
            else
                row_number() over (
                    partition by candidates.message_id
                    order by candidates.loaded_at desc, candidates.received_at desc
                )
        end as load_rank
    from candidates

),

checked as (

    select
        ranked.*,
        case
            when ranked.message_id is null then 'missing_key'
            when ranked.load_rank > 1 then 'duplicate_load'
            when ranked.user_id is null then 'missing_user_id'
            when ranked.workspace_id is null then 'missing_group_id'
            when ranked.grouped_at is null then 'unparseable_timestamp'
            when ranked.grouped_at > {{ dbt.dateadd('hour', var('staging_future_tolerance_hours'), 'ranked.received_at') }}
                then 'future_date'
        end as reject_reason
    from ranked

)

select
    checked.*,
    {{ customer_health.built_at() }} as built_at
from checked
