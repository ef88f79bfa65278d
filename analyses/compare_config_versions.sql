-- Compare two scoring configurations on the same dates.
--
-- customer_health_history keeps the rows of every config_version it has
-- scored. After changing weights or thresholds, rebuild history for the new
-- version (dbt build -s customer_health_history), then compile this analysis
-- with the two versions and run the SQL it writes to target/compiled/:
--
--   dbt compile -s compare_config_versions \
--     --vars '{compare_old_version: 2216850ddee5, compare_new_version: 0a1b2c3d4e5f}'
--
-- One row per day: accounts scored by both versions, mean score of each,
-- mean absolute difference, and how many accounts changed tier.

with old_version as (

    select
        account_id,
        score_date,
        health_score,
        health_tier
    from {{ ref('customer_health_history') }}
    where config_version = '{{ var("compare_old_version", "") }}'

),

new_version as (

    select
        account_id,
        score_date,
        health_score,
        health_tier
    from {{ ref('customer_health_history') }}
    where config_version = '{{ var("compare_new_version", "") }}'

)

select
    old_version.score_date,
    count(*) as accounts,
    avg(old_version.health_score) as mean_score_old,
    avg(new_version.health_score) as mean_score_new,
    avg(abs(new_version.health_score - old_version.health_score)) as mean_abs_difference,
    sum(case when new_version.health_tier <> old_version.health_tier then 1 else 0 end) as accounts_changing_tier
from old_version
inner join new_version
    on old_version.account_id = new_version.account_id
    and old_version.score_date = new_version.score_date
group by old_version.score_date
order by old_version.score_date
