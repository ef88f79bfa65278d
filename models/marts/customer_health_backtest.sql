-- sqlfluff:exclude_rules:structure.column_order,ambiguous.join,references.special_chars,references.keywords,ambiguous.column_count,layout.cte_newline,layout.indent,layout.long_lines,references.consistent
-- (layout rules off: much of this file is SQL generated per signal, tier or rule by Jinja)
{#
    Public contract: how well the score predicts churn, measured on this
    warehouse's own history (int_backtest_evaluations). One row per scope:
    overall, each segment, each snapshot date.

      auc                rank-based (Mann-Whitney): the chance that a churner
                         scored lower than a renewer, ties counting half
      accuracy           share of evaluations where the at-risk call (tier in
                         health_backtest_at_risk_tiers) matched the outcome
      balanced_accuracy  mean of recall (churners flagged) and specificity
                         (renewers not flagged); with few churners plain
                         accuracy rewards flagging nobody, this does not
      precision, recall  of the at-risk call
      top_decile_lift    churn rate of the lowest-scored 10% / overall churn rate
      churn_rate_<tier>  churn rate of the evaluations in each tier
-#}

with evaluations as (

    select * from {{ ref('int_backtest_evaluations') }}
    where health_score is not null

),

scoped as (

    select
        'overall' as scope,
        'overall' as scope_type,
        'overall' as scope_value,
        evaluations.*
    from evaluations

    union all

    select
        {{ dbt.concat(["'segment:'", "evaluations.segment"]) }} as scope,
        'segment' as scope_type,
        evaluations.segment as scope_value,
        evaluations.*
    from evaluations

    union all

    select
        {{ dbt.concat(["'snapshot:'", dbt.cast("evaluations.snapshot_date", dbt.type_string())]) }} as scope,
        'snapshot' as scope_type,
        {{ dbt.cast("evaluations.snapshot_date", dbt.type_string()) }} as scope_value,
        evaluations.*
    from evaluations

),

ranked as (

    select
        scoped.*,
        {#- rank 1 = healthiest; ties share the average of their ranks -#}
        rank() over (partition by scope order by health_score desc)
        + (count(*) over (partition by scope, health_score) - 1) / 2.0 as score_rank,
        ntile(10) over (partition by scope order by health_score asc, account_id asc, snapshot_date asc) as risk_decile
    from scoped

),

counted as (

    select
        scope,
        scope_type,
        scope_value,
        min(population) as population,
        min(horizon_days) as horizon_days,
        count(distinct snapshot_date) as snapshots,
        count(*) as evaluations,
        count(distinct account_id) as accounts,
        cast(sum(case when is_churned then 1 else 0 end) as {{ dbt.type_bigint() }}) as churners,
        cast(sum(case when not is_churned then 1 else 0 end) as {{ dbt.type_bigint() }}) as renewers,
        sum(case when is_churned then score_rank else 0 end) as churner_rank_sum,
        cast(sum(case when is_at_risk and is_churned then 1 else 0 end) as {{ dbt.type_bigint() }}) as true_positives,
        cast(sum(case when is_at_risk and not is_churned then 1 else 0 end) as {{ dbt.type_bigint() }}) as false_positives,
        cast(sum(case when not is_at_risk and not is_churned then 1 else 0 end) as {{ dbt.type_bigint() }}) as true_negatives,
        cast(sum(case when not is_at_risk and is_churned then 1 else 0 end) as {{ dbt.type_bigint() }}) as false_negatives,
        cast(sum(case when risk_decile = 1 then 1 else 0 end) as {{ dbt.type_bigint() }}) as top_decile_evaluations,
        cast(sum(case when risk_decile = 1 and is_churned then 1 else 0 end) as {{ dbt.type_bigint() }}) as top_decile_churners,
        {%- for tier in ['green', 'yellow', 'red', 'insufficient_data'] %}
        cast(sum(case when health_tier = '{{ tier }}' then 1 else 0 end) as {{ dbt.type_bigint() }}) as evaluations_{{ tier }},
        cast(sum(case when health_tier = '{{ tier }}' and is_churned then 1 else 0 end) as {{ dbt.type_bigint() }}) as churners_{{ tier }}{{ ',' if not loop.last }}
        {%- endfor %}
    from ranked
    group by
        scope,
        scope_type,
        scope_value

),

metrics as (

    select
        scope,
        scope_type,
        scope_value,
        population,
        horizon_days,
        snapshots,
        evaluations,
        accounts,
        churners,
        renewers,
        1.0 * churners / evaluations as churn_rate,
        case when churners > 0 and renewers > 0
            then (churner_rank_sum - churners * (churners + 1) / 2.0) / (1.0 * churners * renewers)
        end as auc,
        1.0 * (true_positives + true_negatives) / evaluations as accuracy,
        case when churners > 0 and renewers > 0
            then (1.0 * true_positives * renewers + 1.0 * true_negatives * churners) / (2.0 * churners * renewers)
        end as balanced_accuracy,
        case when true_positives + false_positives > 0
            then 1.0 * true_positives / (true_positives + false_positives) end as precision,
        case when churners > 0 then 1.0 * true_positives / churners end as recall,
        case when renewers > 0 then 1.0 * true_negatives / renewers end as specificity,
        true_positives + false_positives as flagged_at_risk,
        case when top_decile_evaluations > 0 and churners > 0
            then (1.0 * top_decile_churners / top_decile_evaluations) / (1.0 * churners / evaluations)
        end as top_decile_lift,
        {%- for tier in ['green', 'yellow', 'red', 'insufficient_data'] %}
        evaluations_{{ tier }},
        case when evaluations_{{ tier }} > 0 then 1.0 * churners_{{ tier }} / evaluations_{{ tier }} end as churn_rate_{{ tier }},
        {%- endfor %}
        '{{ customer_health.health_config_version() }}' as config_version
    from counted

),

{#- ratios as 8-byte floats on every engine (PostgreSQL would keep exact numerics) -#}
typed as (

    select
        scope,
        scope_type,
        scope_value,
        population,
        horizon_days,
        snapshots,
        evaluations,
        accounts,
        churners,
        renewers,
        {%- for metric in ['churn_rate', 'auc', 'accuracy', 'balanced_accuracy', 'precision', 'recall', 'specificity'] %}
        cast({{ metric }} as {{ customer_health.type_double() }}) as {{ metric }},
        {%- endfor %}
        flagged_at_risk,
        cast(top_decile_lift as {{ customer_health.type_double() }}) as top_decile_lift,
        {%- for tier in ['green', 'yellow', 'red', 'insufficient_data'] %}
        evaluations_{{ tier }},
        cast(churn_rate_{{ tier }} as {{ customer_health.type_double() }}) as churn_rate_{{ tier }},
        {%- endfor %}
        config_version
    from metrics

)

select * from typed
