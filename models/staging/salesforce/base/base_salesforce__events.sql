{#-
    Every raw Salesforce event row with its reject reason. Incremental by
    event_id: a run rebuilds, from the raw table, the records loaded since
    it last ran and those whose orphan_account check flipped, and keeps
    the rest (macros/staging/load_driven_keys.sql). Rows without an id are
    added once, when loaded.
-#}

{{ config(
    materialized='incremental',
    incremental_strategy='delete+insert',
    unique_key='event_id',
    on_schema_change='fail'
) }}

{%- set raw_columns = customer_health.relation_columns(source('salesforce', 'event')) -%}
{%- set watermark = customer_health.incremental_watermark('max(fivetran_synced_at)') -%}
{%- set raw_key = customer_health.clean_id(customer_health.source_column(raw_columns, 'id', 'string')) -%}
{%- set raw_synced_at = customer_health.source_column(raw_columns, '_fivetran_synced', 'timestamp') %}

with source_rows as (

    select * from {{ source('salesforce', 'event') }}

),

accounts as (

    select account_id from {{ ref('stg_salesforce__accounts') }}

),

{% if watermark is not none -%}
rebuilt_keys as (

    {{ customer_health.load_driven_keys(
        source=source('salesforce', 'event'),
        raw_key=raw_key,
        raw_synced_at=raw_synced_at,
        key_column='event_id',
        watermark=watermark,
        parents='accounts',
        parent_key='account_id',
        reference='account_id',
        orphan_reason='orphan_account'
    ) }}

),

{% endif -%}
typed as (

    select
        {{ raw_key }} as event_id,
        {{ customer_health.clean_id(customer_health.source_column(raw_columns, 'account_id', 'string')) }} as account_id,
        {{ customer_health.clean_id(customer_health.source_column(raw_columns, 'who_id', 'string')) }} as contact_id,
        {{ customer_health.clean_id(customer_health.source_column(raw_columns, 'owner_id', 'string')) }} as owner_user_id,
        {{ customer_health.source_column(raw_columns, 'subject', 'string') }} as subject,
        {{ customer_health.source_column(raw_columns, 'type', 'string') }} as raw_event_type,
        {{ customer_health.source_column(raw_columns, 'meeting_type_c', 'string') }} as raw_meeting_type,
        {{ customer_health.source_column(raw_columns, 'duration_in_minutes', 'integer') }} as duration_minutes,
        coalesce({{ customer_health.source_column(raw_columns, 'is_deleted', 'boolean') }}, false) as is_deleted,
        coalesce({{ customer_health.source_column(raw_columns, '_fivetran_deleted', 'boolean') }}, false) as is_fivetran_deleted,
        {{ customer_health.source_column(raw_columns, 'activity_date', 'date') }} as activity_date,
        {{ customer_health.source_column(raw_columns, 'start_date_time', 'timestamp') }} as started_at,
        {{ customer_health.source_column(raw_columns, 'end_date_time', 'timestamp') }} as ended_at,
        {{ customer_health.source_column(raw_columns, 'created_date', 'timestamp') }} as created_at,
        {{ raw_synced_at }} as fivetran_synced_at
    from source_rows

),

rebuilt as (

    select * from typed
    {% if watermark is not none -%}
    where typed.event_id in (select rebuilt_keys.event_id from rebuilt_keys)
        or (typed.event_id is null and typed.fivetran_synced_at > {{ watermark }})
    {%- endif %}

),

ranked as (

    select
        rebuilt.*,
        row_number() over (
            partition by rebuilt.event_id
            order by rebuilt.fivetran_synced_at desc
        ) as load_rank
    from rebuilt

),

checked as (

    select
        ranked.*,
        case
            when ranked.event_id is null then 'missing_key'
            when ranked.load_rank > 1 then 'duplicate_load'
            when ranked.is_deleted or ranked.is_fivetran_deleted then 'soft_deleted'
            when ranked.created_at > {{ dbt.dateadd('hour', var('staging_future_tolerance_hours'), 'ranked.fivetran_synced_at') }}
                then 'future_date'
            when ranked.account_id is null then 'missing_account_id'
            when accounts.account_id is null then 'orphan_account'
        end as reject_reason
    from ranked
    left join accounts
        on ranked.account_id = accounts.account_id

)

select
    checked.*,
    {{ customer_health.built_at() }} as built_at
from checked
