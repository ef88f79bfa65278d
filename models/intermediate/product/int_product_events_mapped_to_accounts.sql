{#-
    Product events attributed to CRM accounts (user -> workspace -> account)
    and to features (feature catalog seed). Events of users whose workspace
    maps to no account are left out here and counted in the identity map.
-#}

with tracks as (

    select * from {{ ref('stg_segment__tracks') }}

),

user_accounts as (

    select
        source_id as user_id,
        account_id
    from {{ ref('int_account_identity_map') }}
    where source_system = 'segment'
        and source_entity = 'user'
        and is_matched

),

feature_catalog as (

    select * from {{ ref('product_feature_catalog') }}

),

mapped_events as (

    select
        tracks.message_id,
        user_accounts.account_id,
        tracks.user_id,
        tracks.event_name,
        feature_catalog.feature_name,
        coalesce(feature_catalog.is_core_workflow, false) as is_core_workflow,
        coalesce(feature_catalog.counts_for_breadth, false) as counts_for_breadth,
        feature_catalog.milestone,
        tracks.occurred_on
    from tracks
    inner join user_accounts
        on tracks.user_id = user_accounts.user_id
    left join feature_catalog
        on tracks.event_name = feature_catalog.event_name

)

select * from mapped_events
