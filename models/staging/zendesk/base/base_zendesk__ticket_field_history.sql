{#-
    Every raw Zendesk ticket field change with its reject reason.
    Incremental by ticket: a run rebuilds, from the raw table, every row of
    the tickets with a change loaded since it last ran and of those whose
    orphan_ticket check flipped, and keeps the rest
    (macros/staging/load_driven_keys.sql). A change's reject reasons depend
    only on its ticket's rows and on the ticket, so the rows kept are the
    rows a full build would write. Rows without a ticket id are added once,
    when loaded.
-#}

{{ config(
    materialized='incremental',
    incremental_strategy='delete+insert',
    unique_key='ticket_id',
    on_schema_change='fail'
) }}

{%- set raw_columns = customer_health.relation_columns(source('zendesk', 'ticket_field_history')) -%}
{%- set watermark = customer_health.incremental_watermark('max(fivetran_synced_at)') -%}
{%- set raw_key = customer_health.clean_id(customer_health.source_column(raw_columns, 'ticket_id', 'string')) -%}
{%- set raw_synced_at = customer_health.source_column(raw_columns, '_fivetran_synced', 'timestamp') %}

with tickets as (

    select ticket_id from {{ ref('stg_zendesk__tickets') }}

),

{% if watermark is not none -%}
rebuilt_tickets as (

    {{ customer_health.load_driven_keys(
        source=source('zendesk', 'ticket_field_history'),
        raw_key=raw_key,
        raw_synced_at=raw_synced_at,
        key_column='ticket_id',
        watermark=watermark,
        parents='tickets',
        parent_key='ticket_id',
        reference='ticket_id',
        orphan_reason='orphan_ticket'
    ) }}

),

{% endif -%}
source_rows as (

    select * from {{ source('zendesk', 'ticket_field_history') }}

),

typed as (

    select
        {{ raw_key }} as ticket_id,
        {{ customer_health.clean_id(customer_health.source_column(raw_columns, 'user_id', 'string')) }} as changed_by_user_id,
        lower(trim({{ customer_health.source_column(raw_columns, 'field_name', 'string') }})) as field_name,
        {{ customer_health.source_column(raw_columns, 'value', 'string') }} as field_value,
        {{ customer_health.source_column(raw_columns, 'updated', 'timestamp') }} as changed_at,
        {{ raw_synced_at }} as fivetran_synced_at
    from source_rows

),

rebuilt as (

    select * from typed
    {% if watermark is not none -%}
    where typed.ticket_id in (select rebuilt_tickets.ticket_id from rebuilt_tickets)
        or (typed.ticket_id is null and typed.fivetran_synced_at > {{ watermark }})
    {%- endif %}

),

ranked as (

    select
        rebuilt.*,
        row_number() over (
            partition by rebuilt.ticket_id, rebuilt.field_name, rebuilt.changed_at
            order by rebuilt.fivetran_synced_at desc
        ) as load_rank
    from rebuilt

),

checked as (

    select
        ranked.*,
        case
            when ranked.ticket_id is null or ranked.field_name is null or ranked.changed_at is null then 'missing_key'
            when ranked.load_rank > 1 then 'duplicate_load'
            when ranked.changed_at > {{ dbt.dateadd('hour', var('staging_future_tolerance_hours'), 'ranked.fivetran_synced_at') }}
                then 'future_date'
            when tickets.ticket_id is null then 'orphan_ticket'
        end as reject_reason
    from ranked
    left join tickets
        on ranked.ticket_id = tickets.ticket_id

)

select
    checked.*,
    {{ customer_health.built_at() }} as built_at
from checked
