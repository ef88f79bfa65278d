{#-
    Every raw row that staging did not accept, with the reason. Together with
    the staged rows these account for every raw row (tested per source table
    by the rows_reconcile test on each staging model). It reads the rejected
    rows the base tables already hold. Unlike the staging views it is a
    table, so its readers (reports, the reconcile tests) do not scan every
    base table again.
-#}

{{ config(materialized='table') }}

with salesforce_accounts as (

    select
        'salesforce' as source_system,
        'account' as source_table,
        account_id as record_key,
        reject_reason,
        fivetran_synced_at as loaded_at
    from {{ ref('base_salesforce__accounts') }}
    where reject_reason is not null

),

salesforce_contacts as (

    select
        'salesforce' as source_system,
        'contact' as source_table,
        contact_id as record_key,
        reject_reason,
        fivetran_synced_at as loaded_at
    from {{ ref('base_salesforce__contacts') }}
    where reject_reason is not null

),

salesforce_opportunities as (

    select
        'salesforce' as source_system,
        'opportunity' as source_table,
        opportunity_id as record_key,
        reject_reason,
        fivetran_synced_at as loaded_at
    from {{ ref('base_salesforce__opportunities') }}
    where reject_reason is not null

),

salesforce_tasks as (

    select
        'salesforce' as source_system,
        'task' as source_table,
        task_id as record_key,
        reject_reason,
        fivetran_synced_at as loaded_at
    from {{ ref('base_salesforce__tasks') }}
    where reject_reason is not null

),

salesforce_events as (

    select
        'salesforce' as source_system,
        'event' as source_table,
        event_id as record_key,
        reject_reason,
        fivetran_synced_at as loaded_at
    from {{ ref('base_salesforce__events') }}
    where reject_reason is not null

),

salesforce_users as (

    select
        'salesforce' as source_system,
        'user' as source_table,
        user_id as record_key,
        reject_reason,
        fivetran_synced_at as loaded_at
    from {{ ref('base_salesforce__users') }}
    where reject_reason is not null

),

zendesk_organizations as (

    select
        'zendesk' as source_system,
        'organization' as source_table,
        organization_id as record_key,
        reject_reason,
        fivetran_synced_at as loaded_at
    from {{ ref('base_zendesk__organizations') }}
    where reject_reason is not null

),

zendesk_users as (

    select
        'zendesk' as source_system,
        'user' as source_table,
        user_id as record_key,
        reject_reason,
        fivetran_synced_at as loaded_at
    from {{ ref('base_zendesk__users') }}
    where reject_reason is not null

),

zendesk_tickets as (

    select
        'zendesk' as source_system,
        'ticket' as source_table,
        ticket_id as record_key,
        reject_reason,
        fivetran_synced_at as loaded_at
    from {{ ref('base_zendesk__tickets') }}
    where reject_reason is not null

),

zendesk_ticket_field_history as (

    select
        'zendesk' as source_system,
        'ticket_field_history' as source_table,
        {{ dbt.concat(["coalesce(ticket_id, '')", "'|'", "coalesce(field_name, '')", "'|'", "coalesce(" ~ dbt.cast("changed_at", dbt.type_string()) ~ ", '')"]) }} as record_key,
        reject_reason,
        fivetran_synced_at as loaded_at
    from {{ ref('base_zendesk__ticket_field_history') }}
    where reject_reason is not null

),

stripe_customers as (

    select
        'stripe' as source_system,
        'customer' as source_table,
        customer_id as record_key,
        reject_reason,
        fivetran_synced_at as loaded_at
    from {{ ref('base_stripe__customers') }}
    where reject_reason is not null

),

stripe_prices as (

    select
        'stripe' as source_system,
        'price' as source_table,
        price_id as record_key,
        reject_reason,
        fivetran_synced_at as loaded_at
    from {{ ref('base_stripe__prices') }}
    where reject_reason is not null

),

stripe_subscriptions as (

    select
        'stripe' as source_system,
        'subscription' as source_table,
        subscription_id as record_key,
        reject_reason,
        fivetran_synced_at as loaded_at
    from {{ ref('base_stripe__subscriptions') }}
    where reject_reason is not null

),

stripe_invoices as (

    select
        'stripe' as source_system,
        'invoice' as source_table,
        invoice_id as record_key,
        reject_reason,
        fivetran_synced_at as loaded_at
    from {{ ref('base_stripe__invoices') }}
    where reject_reason is not null

),

stripe_invoice_line_items as (

    select
        'stripe' as source_system,
        'invoice_line_item' as source_table,
        invoice_line_item_id as record_key,
        reject_reason,
        fivetran_synced_at as loaded_at
    from {{ ref('base_stripe__invoice_line_items') }}
    where reject_reason is not null

),

stripe_charges as (

    select
        'stripe' as source_system,
        'charge' as source_table,
        charge_id as record_key,
        reject_reason,
        fivetran_synced_at as loaded_at
    from {{ ref('base_stripe__charges') }}
    where reject_reason is not null

),

segment_identifies as (

    select
        'segment' as source_system,
        'identifies' as source_table,
        message_id as record_key,
        reject_reason,
        loaded_at
    from {{ ref('base_segment__identifies') }}
    where reject_reason is not null

),

segment_groups as (

    select
        'segment' as source_system,
        'groups' as source_table,
        message_id as record_key,
        reject_reason,
        loaded_at
    from {{ ref('base_segment__groups') }}
    where reject_reason is not null

),

segment_tracks as (

    select
        'segment' as source_system,
        'tracks' as source_table,
        message_id as record_key,
        reject_reason,
        loaded_at
    from {{ ref('base_segment__tracks') }}
    where reject_reason is not null

),

survey_nps_responses as (

    select
        'survey' as source_system,
        'nps_responses' as source_table,
        response_id as record_key,
        reject_reason,
        loaded_at
    from {{ ref('base_survey__nps_responses') }}
    where reject_reason is not null

),

all_rejected_rows as (

    select * from salesforce_accounts
    union all
    select * from salesforce_contacts
    union all
    select * from salesforce_opportunities
    union all
    select * from salesforce_tasks
    union all
    select * from salesforce_events
    union all
    select * from salesforce_users
    union all
    select * from zendesk_organizations
    union all
    select * from zendesk_users
    union all
    select * from zendesk_tickets
    union all
    select * from zendesk_ticket_field_history
    union all
    select * from stripe_customers
    union all
    select * from stripe_prices
    union all
    select * from stripe_subscriptions
    union all
    select * from stripe_invoices
    union all
    select * from stripe_invoice_line_items
    union all
    select * from stripe_charges
    union all
    select * from segment_identifies
    union all
    select * from segment_groups
    union all
    select * from segment_tracks
    union all
    select * from survey_nps_responses

),

numbered_rejected_rows as (

    select
        all_rejected_rows.*,
        row_number() over (
            partition by
                all_rejected_rows.source_system,
                all_rejected_rows.source_table,
                all_rejected_rows.record_key,
                all_rejected_rows.reject_reason,
                all_rejected_rows.loaded_at
            order by all_rejected_rows.source_system
        ) as occurrence
    from all_rejected_rows

)

select * from numbered_rejected_rows
