{#-
    Every CRM account next to the top of its account hierarchy (Salesforce
    ParentId, followed up to an account without a parent). An enterprise
    parent rolls its subsidiaries up under that top account.

    The hierarchy is walked down from its tops, so the walk ends however the
    CRM's parent links are set: an account whose parent is not among the
    accepted CRM accounts (deleted, rejected or never loaded) is the top of
    its own family, marked parent_missing; accounts whose parent links form a
    loop reach no top and are kept as families of their own, marked
    in_parent_loop. No account is dropped.
-#}

with recursive crm_accounts as (

    select
        account_id,
        parent_account_id
    from {{ ref('stg_salesforce__accounts') }}

),

tops as (

    select
        crm_accounts.account_id,
        case
            when crm_accounts.parent_account_id is null then 'top'
            else 'parent_missing'
        end as hierarchy_status
    from crm_accounts
    left join crm_accounts as parents
        on crm_accounts.parent_account_id = parents.account_id
    where crm_accounts.parent_account_id is null
        or parents.account_id is null

),

{#- each account once: a parent link names one parent, so the walk down from the tops cannot revisit one -#}
descendants as (

    select
        tops.account_id,
        tops.account_id as top_parent_account_id,
        0 as hierarchy_depth
    from tops

    union all

    select
        crm_accounts.account_id,
        descendants.top_parent_account_id,
        descendants.hierarchy_depth + 1 as hierarchy_depth
    from crm_accounts
    inner join descendants
        on crm_accounts.parent_account_id = descendants.account_id

),

mapped as (

    select
        crm_accounts.account_id,
        crm_accounts.parent_account_id,
        coalesce(descendants.top_parent_account_id, crm_accounts.account_id) as top_parent_account_id,
        coalesce(descendants.hierarchy_depth, 0) as hierarchy_depth,
        case
            when descendants.account_id is null then 'in_parent_loop'
            when tops.hierarchy_status is not null then tops.hierarchy_status
            else 'child'
        end as hierarchy_status
    from crm_accounts
    left join descendants
        on crm_accounts.account_id = descendants.account_id
    left join tops
        on crm_accounts.account_id = tops.account_id

)

select * from mapped
