{#-
    Every raw Salesforce contact row with its reject reason. Incremental
    by contact_id: a run rebuilds, from the raw table, the records loaded
    since it last ran and those whose orphan_account check flipped, and
    keeps the rest (macros/staging/load_driven_keys.sql). Rows without an
    id are added once, when loaded.
-#}

{{ config(
    materialized='incremental',
    incremental_strategy='delete+insert',
    unique_key='contact_id',
    on_schema_change='fail'
) }}

{%- set raw_columns = customer_health.relation_columns(source('salesforce', 'contact')) -%}
{%- set watermark = customer_health.incremental_watermark('max(fivetran_synced_at)') -%}
{%- set raw_key = customer_health.clean_id(customer_health.source_column(raw_columns, 'id', 'string')) -%}
{%- set raw_synced_at = customer_health.source_column(raw_columns, '_fivetran_synced', 'timestamp') %}

with source_rows as (

    select * from {{ source('salesforce', 'contact') }}

),

accounts as (

    select account_id from {{ ref('stg_salesforce__accounts') }}

),

{% if watermark is not none -%}
rebuilt_keys as (

    {{ customer_health.load_driven_keys(
        source=source('salesforce', 'contact'),
        raw_key=raw_key,
        raw_synced_at=raw_synced_at,
        key_column='contact_id',
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
        {{ raw_key }} as contact_id,
        {{ customer_health.clean_id(customer_health.source_column(raw_columns, 'account_id', 'string')) }} as account_id,
        {{ customer_health.source_column(raw_columns, 'name', 'string') }} as contact_name,
        lower(trim({{ customer_health.source_column(raw_columns, 'email', 'string') }})) as email,
        {{ customer_health.source_column(raw_columns, 'title', 'string') }} as title,
        coalesce({{ customer_health.source_column(raw_columns, 'is_executive_sponsor_c', 'boolean') }}, false) as is_executive_sponsor,
        coalesce({{ customer_health.source_column(raw_columns, 'is_champion_c', 'boolean') }}, false) as is_champion,
        coalesce({{ customer_health.source_column(raw_columns, 'no_longer_at_company_c', 'boolean') }}, false) as is_no_longer_at_company,
        coalesce({{ customer_health.source_column(raw_columns, 'is_deleted', 'boolean') }}, false) as is_deleted,
        coalesce({{ customer_health.source_column(raw_columns, '_fivetran_deleted', 'boolean') }}, false) as is_fivetran_deleted,
        {{ customer_health.source_column(raw_columns, 'created_date', 'timestamp') }} as created_at,
        {{ customer_health.source_column(raw_columns, 'last_modified_date', 'timestamp') }} as last_modified_at,
        {{ raw_synced_at }} as fivetran_synced_at
    from source_rows

),

rebuilt as (

    select * from typed
    {% if watermark is not none -%}
    where typed.contact_id in (select rebuilt_keys.contact_id from rebuilt_keys)
        or (typed.contact_id is null and typed.fivetran_synced_at > {{ watermark }})
    {%- endif %}

),

ranked as (

    select
        rebuilt.*,
        row_number() over (
            partition by rebuilt.contact_id
            order by rebuilt.fivetran_synced_at desc, rebuilt.last_modified_at desc
        ) as load_rank
    from rebuilt

),

checked as (

    select
        ranked.*,
        case
            when ranked.contact_id is null then 'missing_key'
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
