{#-
    Public contract: one row per account family (a parent account and its
    subsidiaries, followed down the CRM's parent links to any depth) with at
    least one active customer account scored on the latest day. The family's
    score is the mean of its accounts' scores weighted by ARR (var
    health_family_rollup_weighting: arr, the default, or equal), and is
    tiered like an account's score.

    Missing is not bad: accounts whose tier is insufficient_data add nothing
    to the family's score; coverage_pct is the share of the family's weight
    (ARR) that was scored, and below health_min_coverage_pct the family's
    tier is insufficient_data. A family without any ARR weighs its accounts
    equally. A red subsidiary in a green family stays visible: worst_tier,
    the member counts per tier and the lowest-scoring account.

    The 30-day change compares today's family score with the same accounts'
    scores 30 days earlier, weighted alike (today's ARR): a change in the
    accounts' health, not in who belongs to the family or what it pays.
-#}

{%- set config = customer_health.health_config() %}
{%- set weigh_by_arr = 'true' if config.family_weighting == 'arr' else 'false' %}

with recursive scored_accounts as (

    select * from {{ ref('customer_health') }}

),

crm_accounts as (

    select * from {{ ref('stg_salesforce__accounts') }}

),

calendar as (

    select as_of_date from {{ ref('int_scoring_calendar') }}
    where is_as_of_date

),

day_30_days_earlier as (

    select cast({{ dbt.dateadd('day', -30, 'as_of_date') }} as date) as date_day from calendar

),

{#-
    That day's scores, its date read as a list (of one) so that the engine
    skips the table's other days.
-#}
scores_30_days_earlier as (

    select
        account_id,
        health_score,
        health_tier
    from {{ ref('int_health_scores_overridden') }}
    where date_day in (select day_30_days_earlier.date_day from day_30_days_earlier)

),

{#-
    The tops of the CRM's account hierarchy: accounts without a parent, and
    accounts whose parent is not among the accepted CRM accounts (deleted,
    rejected or never loaded), which head their own family.
-#}
hierarchy_tops as (

    select crm_accounts.account_id
    from crm_accounts
    left join crm_accounts as parents
        on crm_accounts.parent_account_id = parents.account_id
    where crm_accounts.parent_account_id is null
        or parents.account_id is null

),

{#-
    Every account below a top, walked down the parent links. A parent link
    names one parent, so the walk reaches each account once and ends on any
    data: accounts whose parent links loop (or that sit below such a loop)
    reach no top and form no family.
-#}
descendants as (

    select
        hierarchy_tops.account_id,
        hierarchy_tops.account_id as top_parent_account_id
    from hierarchy_tops

    union all

    select
        crm_accounts.account_id,
        descendants.top_parent_account_id
    from crm_accounts
    inner join descendants
        on crm_accounts.parent_account_id = descendants.account_id

),

{#- a top account with at least one subsidiary in the CRM -#}
families as (

    select
        top_parent_account_id as family_account_id,
        count(*) as crm_accounts_in_family
    from descendants
    group by top_parent_account_id
    having count(*) > 1

),

members as (

    select
        families.family_account_id,
        scored_accounts.account_id,
        scored_accounts.score_date,
        scored_accounts.health_score,
        scored_accounts.health_tier,
        {#- an override may set a tier without a score: such an account has no score to weigh -#}
        scored_accounts.health_tier <> 'insufficient_data' and scored_accounts.health_score is not null as is_scored,
        coalesce(scored_accounts.arr, 0) as arr,
        scored_accounts.renewal_date,
        scored_accounts.config_version,
        scores_30_days_earlier.health_score as health_score_30_days_earlier,
        coalesce(scores_30_days_earlier.health_tier, 'insufficient_data') <> 'insufficient_data'
        and scores_30_days_earlier.health_score is not null as was_scored_30_days_earlier
    from scored_accounts
    inner join descendants
        on scored_accounts.account_id = descendants.account_id
    inner join families
        on descendants.top_parent_account_id = families.family_account_id
    left join scores_30_days_earlier
        on scored_accounts.account_id = scores_30_days_earlier.account_id

),

family_totals as (

    select
        family_account_id,
        sum(arr) as family_arr
    from members
    group by family_account_id

),

weighted_members as (

    select
        members.*,
        case when {{ weigh_by_arr }} and family_totals.family_arr > 0 then 'arr' else 'equal' end as rollup_weighting,
        case when {{ weigh_by_arr }} and family_totals.family_arr > 0 then members.arr else 1 end as rollup_weight
    from members
    inner join family_totals
        on members.family_account_id = family_totals.family_account_id

),

{#- the family's lowest-scoring scored account (ties: the lowest account id) -#}
lowest_members as (

    select
        family_account_id,
        account_id,
        health_score,
        row_number() over (
            partition by family_account_id
            order by health_score, account_id
        ) as score_rank
    from weighted_members
    where is_scored

),

rolled_up as (

    select
        family_account_id,
        max(score_date) as score_date,
        max(rollup_weighting) as rollup_weighting,
        {#- counts as bigint: DuckDB's sum of integers is a 128-bit integer, slow to scan and poorly read by BI drivers -#}
        count(*) as member_accounts,
        cast(sum(case when health_tier = 'green' then 1 else 0 end) as {{ dbt.type_bigint() }}) as green_accounts,
        cast(sum(case when health_tier = 'yellow' then 1 else 0 end) as {{ dbt.type_bigint() }}) as yellow_accounts,
        cast(sum(case when health_tier = 'red' then 1 else 0 end) as {{ dbt.type_bigint() }}) as red_accounts,
        cast(
            sum(case when health_tier = 'insufficient_data' then 1 else 0 end) as {{ dbt.type_bigint() }}
        ) as insufficient_data_accounts,
        sum(case when is_scored then rollup_weight * health_score end)
        / nullif(sum(case when is_scored then rollup_weight else 0 end), 0) as family_health_score,
        sum(case when was_scored_30_days_earlier then rollup_weight * health_score_30_days_earlier end)
        / nullif(sum(case when was_scored_30_days_earlier then rollup_weight else 0 end), 0) as family_health_score_30_days_earlier,
        100.0 * sum(case when is_scored then rollup_weight else 0 end) / sum(rollup_weight) as coverage_pct,
        sum(arr) as family_arr,
        sum(case when health_tier = 'red' then arr else 0 end) as red_arr,
        min(renewal_date) as next_renewal_date,
        max(config_version) as config_version
    from weighted_members
    group by family_account_id

),

final as (

    select
        rolled_up.family_account_id,
        crm_accounts.account_name as family_account_name,
        rolled_up.score_date,
        round(cast(rolled_up.family_health_score as {{ dbt.type_numeric() }}), 2) as family_health_score,
        {{ customer_health.health_tier('rolled_up.family_health_score', 'rolled_up.coverage_pct') }} as family_health_tier,
        round(cast(rolled_up.coverage_pct as {{ dbt.type_numeric() }}), 1) as coverage_pct,
        round(
            cast(rolled_up.family_health_score - rolled_up.family_health_score_30_days_earlier as {{ dbt.type_numeric() }}), 2
        ) as score_change_30d,
        {{ customer_health.health_trend('rolled_up.family_health_score', 'rolled_up.family_health_score_30_days_earlier') }} as trend,
        rolled_up.rollup_weighting,
        case
            when rolled_up.red_accounts > 0 then 'red'
            when rolled_up.yellow_accounts > 0 then 'yellow'
            when rolled_up.green_accounts > 0 then 'green'
            else 'insufficient_data'
        end as worst_tier,
        lowest_members.account_id as lowest_scoring_account_id,
        lowest_members.health_score as lowest_health_score,
        families.crm_accounts_in_family,
        rolled_up.member_accounts,
        rolled_up.green_accounts,
        rolled_up.yellow_accounts,
        rolled_up.red_accounts,
        rolled_up.insufficient_data_accounts,
        rolled_up.family_arr,
        rolled_up.red_arr,
        rolled_up.next_renewal_date,
        rolled_up.config_version
    from rolled_up
    inner join families
        on rolled_up.family_account_id = families.family_account_id
    left join crm_accounts
        on rolled_up.family_account_id = crm_accounts.account_id
    left join lowest_members
        on rolled_up.family_account_id = lowest_members.family_account_id
        and lowest_members.score_rank = 1

)

select * from final
