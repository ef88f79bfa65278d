{#-
    Every tier transition of every account: the day the tier shown for the
    account (after overrides) differed from the day before, with the score on
    both days and the signal that moved it (the top risk driver for a
    downgrade, the top strength driver for an upgrade). The first scored day
    of an account is not a transition.
-#}

with conditions as (

    select * from {{ ref('int_playbook_conditions_daily') }}

),

transitions as (

    select
        account_id,
        date_day,
        previous_tier,
        health_tier,
        previous_health_score,
        health_score,
        top_risk_driver,
        top_strength_driver,
        case previous_tier when 'green' then 3 when 'yellow' then 2 when 'red' then 1 end as previous_tier_rank,
        case health_tier when 'green' then 3 when 'yellow' then 2 when 'red' then 1 end as tier_rank
    from conditions
    where previous_tier is not null
        and previous_tier <> health_tier

),

final as (

    select
        {{ dbt.hash(dbt.concat(['account_id', "'|'", dbt.cast('date_day', dbt.type_string())])) }} as tier_change_id,
        account_id,
        date_day as change_date,
        previous_tier as from_tier,
        health_tier as to_tier,
        case
            when previous_tier_rank is null or tier_rank is null then 'data'
            when tier_rank < previous_tier_rank then 'down'
            else 'up'
        end as direction,
        previous_health_score as score_before,
        health_score as score_after,
        health_score - previous_health_score as score_change,
        case
            when tier_rank is not null and previous_tier_rank is not null and tier_rank > previous_tier_rank
                then top_strength_driver
            else top_risk_driver
        end as top_driver,
        top_risk_driver,
        top_strength_driver
    from transitions

)

select * from final
