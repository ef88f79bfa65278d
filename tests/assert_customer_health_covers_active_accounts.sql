-- Exactly one customer_health row per active customer account: every account
-- that is a customer on the as-of date (per its subscription, or the CRM when
-- billed elsewhere) and every CRM account of type customer has a row, and no
-- other account does.
with active_accounts as (

    select account_id
    from {{ ref('int_account_days') }}
    where is_as_of_date

),

crm_customers as (

    select account_id
    from {{ ref('stg_salesforce__accounts') }}
    where account_type = 'customer'

),

expected as (

    select account_id from active_accounts
    union
    select account_id from crm_customers

),

scored as (

    select account_id from {{ ref('customer_health') }}

)

select
    coalesce(expected.account_id, scored.account_id) as account_id,
    case when scored.account_id is null then 'active account without a score' else 'score for an inactive account' end as problem
from expected
full outer join scored
    on expected.account_id = scored.account_id
where expected.account_id is null
    or scored.account_id is null
