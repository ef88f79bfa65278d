with base_contacts as (

    select * from {{ ref('base_salesforce__contacts') }}

),

accepted_contacts as (

    select
        contact_id,
        account_id,
        contact_name,
        email,
        title,
        is_executive_sponsor,
        is_champion,
        is_no_longer_at_company,
        created_at,
        last_modified_at,
        fivetran_synced_at
    from base_contacts
    where reject_reason is null

)

select * from accepted_contacts
