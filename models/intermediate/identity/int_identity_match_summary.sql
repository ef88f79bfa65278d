{#- How many records of each system and entity map to a CRM account, and why the rest do not. -#}

with identity_map as (

    select * from {{ ref('int_account_identity_map') }}

),

summarized as (

    select
        source_system,
        source_entity,
        coalesce(unmatched_reason, 'matched') as match_outcome,
        count(*) as record_count
    from identity_map
    group by
        source_system,
        source_entity,
        coalesce(unmatched_reason, 'matched')

)

select * from summarized
