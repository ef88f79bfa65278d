with base_organizations as (

    select * from {{ ref('base_zendesk__organizations') }}

),

accepted_organizations as (

    select
        organization_id,
        external_id,
        organization_name,
        created_at,
        updated_at,
        fivetran_synced_at
    from base_organizations
    where reject_reason is null

)

select * from accepted_organizations
