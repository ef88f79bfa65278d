{#-
    Tickets attributed to CRM accounts: through the ticket's organization, or,
    when the ticket has none, through the requester's organization.
    Tickets that reach no account are kept with account_id null and counted.
-#}

with tickets as (

    select * from {{ ref('stg_zendesk__tickets') }}

),

identity_map as (

    select * from {{ ref('int_account_identity_map') }}
    where source_system = 'zendesk'

),

organization_accounts as (

    select
        source_id as organization_id,
        account_id
    from identity_map
    where source_entity = 'organization'

),

requester_accounts as (

    select
        source_id as user_id,
        account_id
    from identity_map
    where source_entity = 'user'

),

mapped_tickets as (

    select
        tickets.ticket_id,
        coalesce(
            organization_accounts.account_id,
            case when tickets.organization_id is null then requester_accounts.account_id end
        ) as account_id,
        tickets.priority,
        tickets.status,
        tickets.is_escalated,
        cast(tickets.created_at as date) as created_on,
        tickets.created_at
    from tickets
    left join organization_accounts
        on tickets.organization_id = organization_accounts.organization_id
    -- an equi-join; the requester counts only for tickets without an organization
    left join requester_accounts
        on tickets.requester_id = requester_accounts.user_id

)

select * from mapped_tickets
