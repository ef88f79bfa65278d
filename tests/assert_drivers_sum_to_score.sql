-- The score decomposes exactly: for every account-day in the drivers table,
-- the contributions add up to the computed health score.
with contributions as (

    select
        account_id,
        score_date,
        sum(contribution) as contribution_total
    from {{ ref('customer_health_drivers') }}
    group by
        account_id,
        score_date

),

scores as (

    select
        account_id,
        date_day,
        health_score
    from {{ ref('int_health_scored') }}

)

select
    contributions.account_id,
    contributions.score_date,
    contributions.contribution_total,
    scores.health_score
from contributions
inner join scores
    on contributions.account_id = scores.account_id
    and contributions.score_date = scores.date_day
where abs(contributions.contribution_total - coalesce(scores.health_score, 0)) > 0.0001
