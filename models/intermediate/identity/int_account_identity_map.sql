{#-
    One row per record of every system that refers to a customer, mapped to
    the CRM account id. Records that cannot be mapped stay here with
    account_id null and the reason, so they are counted rather than dropped
    (see int_identity_match_summary).
-#}

with crm_accounts as (

    select * from {{ ref('stg_salesforce__accounts') }}

),

crm_contacts as (

    select * from {{ ref('stg_salesforce__contacts') }}

),

stripe_customers as (

    select * from {{ ref('stg_stripe__customers') }}

),

zendesk_organizations as (

    select * from {{ ref('stg_zendesk__organizations') }}

),

zendesk_users as (

    select * from {{ ref('stg_zendesk__users') }}

),

segment_groups as (

    select * from {{ ref('stg_segment__groups') }}

),

segment_identifies as (

    select * from {{ ref('stg_segment__identifies') }}

),

nps_responses as (

    select * from {{ ref('stg_survey__nps_responses') }}

),

crm_account_rows as (

    select
        'salesforce' as source_system,
        'account' as source_entity,
        crm_accounts.account_id as source_id,
        crm_accounts.account_id,
        'crm_account_id' as match_method,
        cast(null as {{ dbt.type_string() }}) as unmatched_reason
    from crm_accounts

),

stripe_customer_rows as (

    select
        'stripe' as source_system,
        'customer' as source_entity,
        stripe_customers.customer_id as source_id,
        crm_accounts.account_id,
        'customer_metadata' as match_method,
        case
            when stripe_customers.crm_account_id is null then 'no_crm_account_id_in_metadata'
            when crm_accounts.account_id is null then 'crm_account_id_not_found'
        end as unmatched_reason
    from stripe_customers
    left join crm_accounts
        on stripe_customers.crm_account_id = crm_accounts.account_id

),

zendesk_organization_rows as (

    select
        'zendesk' as source_system,
        'organization' as source_entity,
        zendesk_organizations.organization_id as source_id,
        crm_accounts.account_id,
        'organization_external_id' as match_method,
        case
            when zendesk_organizations.external_id is null then 'no_external_id'
            when crm_accounts.account_id is null then 'crm_account_id_not_found'
        end as unmatched_reason
    from zendesk_organizations
    left join crm_accounts
        on zendesk_organizations.external_id = crm_accounts.account_id

),

zendesk_user_rows as (

    select
        'zendesk' as source_system,
        'user' as source_entity,
        zendesk_users.user_id as source_id,
        zendesk_organization_rows.account_id,
        'user_organization' as match_method,
        case
            when zendesk_users.organization_id is null then 'user_without_organization'
            when zendesk_organization_rows.account_id is null then 'organization_unmatched'
        end as unmatched_reason
    from zendesk_users
    left join zendesk_organization_rows
        on zendesk_users.organization_id = zendesk_organization_rows.source_id
    where zendesk_users.user_role = 'end_user'

),

accounts_per_workspace as (

    select
        product_workspace_id as workspace_id,
        count(*) as account_count,
        min(account_id) as account_id
    from crm_accounts
    where product_workspace_id is not null
    group by product_workspace_id

),

segment_workspaces as (

    select distinct workspace_id from segment_groups

),

segment_workspace_rows as (

    select
        'segment' as source_system,
        'workspace' as source_entity,
        segment_workspaces.workspace_id as source_id,
        case when accounts_per_workspace.account_count = 1 then accounts_per_workspace.account_id end as account_id,
        'account_workspace_field' as match_method,
        case
            when accounts_per_workspace.account_id is null then 'workspace_not_on_any_account'
            when accounts_per_workspace.account_count > 1 then 'workspace_on_several_accounts'
        end as unmatched_reason
    from segment_workspaces
    left join accounts_per_workspace
        on segment_workspaces.workspace_id = accounts_per_workspace.workspace_id

),

latest_group_per_user as (

    select
        user_id,
        workspace_id,
        row_number() over (partition by user_id order by grouped_at desc, message_id desc) as recency_rank
    from segment_groups

),

product_users as (

    select distinct user_id from segment_identifies
    union
    select distinct user_id from segment_groups

),

segment_user_rows as (

    select
        'segment' as source_system,
        'user' as source_entity,
        product_users.user_id as source_id,
        segment_workspace_rows.account_id,
        'user_workspace' as match_method,
        case
            when latest_group_per_user.workspace_id is null then 'user_in_no_workspace'
            when segment_workspace_rows.account_id is null then 'workspace_unmatched'
        end as unmatched_reason
    from product_users
    left join latest_group_per_user
        on product_users.user_id = latest_group_per_user.user_id
        and latest_group_per_user.recency_rank = 1
    left join segment_workspace_rows
        on latest_group_per_user.workspace_id = segment_workspace_rows.source_id

),

respondents as (

    select distinct respondent_email from nps_responses

),

{#- only the respondents' emails are looked up: the aggregates below read no other -#}
contact_accounts_per_email as (

    select
        crm_contacts.email,
        count(distinct crm_contacts.account_id) as account_count,
        min(crm_contacts.account_id) as account_id
    from crm_contacts
    inner join respondents
        on crm_contacts.email = respondents.respondent_email
    group by crm_contacts.email

),

product_user_accounts_per_email as (

    select
        segment_identifies.email,
        count(distinct segment_user_rows.account_id) as account_count,
        min(segment_user_rows.account_id) as account_id
    from segment_identifies
    inner join respondents
        on segment_identifies.email = respondents.respondent_email
    inner join segment_user_rows
        on segment_identifies.user_id = segment_user_rows.source_id
    where segment_user_rows.account_id is not null
    group by segment_identifies.email

),

survey_respondent_rows as (

    select
        'survey' as source_system,
        'respondent' as source_entity,
        respondents.respondent_email as source_id,
        case
            when contact_accounts_per_email.account_count = 1 then contact_accounts_per_email.account_id
            when contact_accounts_per_email.account_id is null
                and product_user_accounts_per_email.account_count = 1 then product_user_accounts_per_email.account_id
        end as account_id,
        case
            when contact_accounts_per_email.account_id is not null then 'crm_contact_email'
            else 'product_user_email'
        end as match_method,
        case
            when contact_accounts_per_email.account_count > 1 then 'email_on_several_accounts'
            when contact_accounts_per_email.account_id is null
                and product_user_accounts_per_email.account_count > 1 then 'email_on_several_accounts'
            when contact_accounts_per_email.account_id is null
                and product_user_accounts_per_email.account_id is null then 'email_not_found'
        end as unmatched_reason
    from respondents
    left join contact_accounts_per_email
        on respondents.respondent_email = contact_accounts_per_email.email
    left join product_user_accounts_per_email
        on respondents.respondent_email = product_user_accounts_per_email.email

),

all_identity_rows as (

    select * from crm_account_rows
    union all
    select * from stripe_customer_rows
    union all
    select * from zendesk_organization_rows
    union all
    select * from zendesk_user_rows
    union all
    select * from segment_workspace_rows
    union all
    select * from segment_user_rows
    union all
    select * from survey_respondent_rows

),

final as (

    select
        source_system,
        source_entity,
        source_id,
        account_id,
        match_method,
        unmatched_reason,
        account_id is not null as is_matched
    from all_identity_rows

)

select * from final
