{#-
    Every raw Zendesk ticket row with its reject reason. Incremental by
    ticket_id: a run rebuilds, from the raw table, the records loaded
    since it last ran and those whose orphan_organization check flipped,
    and keeps the rest (macros/staging/load_driven_keys.sql). Rows without
    an id are added once, when loaded.
-#}

{{ config(
    materialized='incremental',
    incremental_strategy='delete+insert',
    unique_key='ticket_id',
    on_schema_change='fail'
) }}

{%- set raw_columns = customer_health.relation_columns(source('zendesk', 'ticket')) -%}
{%- set watermark = customer_health.incremental_watermark('max(fivetran_synced_at)') -%}
{%- set raw_key = customer_health.clean_id(customer_health.source_column(raw_columns, 'id', 'string')) -%}
{%- set raw_synced_at = customer_health.source_column(raw_columns, '_fivetran_synced', 'timestamp') %}

with source_rows as (

    select * from {{ source('zendesk', 'ticket') }}

),

organizations as (

    select organization_id from {{ ref('stg_zendesk__organizations') }}

),

{% if watermark is not none -%}
rebuilt_keys as (

    {{ customer_health.load_driven_keys(
        source=source('zendesk', 'ticket'),
        raw_key=raw_key,
        raw_synced_at=raw_synced_at,
        key_column='ticket_id',
        watermark=watermark,
        parents='organizations',
        parent_key='organization_id',
        reference='organization_id',
        orphan_reason='orphan_organization'
    ) }}

),

{% endif -%}
typed as (

    select
        {{ raw_key }} as ticket_id,
        {{ customer_health.clean_id(customer_health.source_column(raw_columns, 'organization_id', 'string')) }} as organization_id,
        {{ customer_health.clean_id(customer_health.source_column(raw_columns, 'requester_id', 'string')) }} as requester_id,
        {{ customer_health.clean_id(customer_health.source_column(raw_columns, 'assignee_id', 'string')) }} as assignee_id,
        {{ customer_health.source_column(raw_columns, 'subject', 'string') }} as subject,
        {{ customer_health.source_column(raw_columns, 'status', 'string') }} as raw_status,
        {{ customer_health.source_column(raw_columns, 'priority', 'string') }} as raw_priority,
        {{ customer_health.source_column(raw_columns, 'type', 'string') }} as raw_ticket_type,
        {{ customer_health.source_column(raw_columns, 'via_channel', 'string') }} as raw_channel,
        coalesce({{ customer_health.source_column(raw_columns, '_fivetran_deleted', 'boolean') }}, false) as is_fivetran_deleted,
        {{ customer_health.source_column(raw_columns, 'created_at', 'timestamp') }} as created_at,
        {{ customer_health.source_column(raw_columns, 'updated_at', 'timestamp') }} as updated_at,
        {{ raw_synced_at }} as fivetran_synced_at
    from source_rows

),

rebuilt as (

    select * from typed
    {% if watermark is not none -%}
    where typed.ticket_id in (select rebuilt_keys.ticket_id from rebuilt_keys)
        or (typed.ticket_id is null and typed.fivetran_synced_at > {{ watermark }})
    {%- endif %}

),

ranked as (

    select
        rebuilt.*,
        row_number() over (
            partition by rebuilt.ticket_id
            order by rebuilt.fivetran_synced_at desc, rebuilt.updated_at desc
        ) as load_rank
    from rebuilt

),

checked as (

    select
        ranked.*,
        case
            when ranked.ticket_id is null then 'missing_key'
            when ranked.load_rank > 1 then 'duplicate_load'
            when ranked.is_fivetran_deleted or lower(ranked.raw_status) = 'deleted' then 'soft_deleted'
            when ranked.created_at is null then 'missing_created_at'
            when ranked.created_at > {{ dbt.dateadd('hour', var('staging_future_tolerance_hours'), 'ranked.fivetran_synced_at') }}
                then 'future_date'
            when ranked.organization_id is not null and organizations.organization_id is null then 'orphan_organization'
        end as reject_reason
    from ranked
    left join organizations
        on ranked.organization_id = organizations.organization_id

)

select
    checked.*,
    {{ customer_health.built_at() }} as built_at
from checked
