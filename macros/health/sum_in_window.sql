{#-
    The sum of value over the rows whose day falls in a window of window_days
    ending lag_days before end_day, (end_day - lag_days - window_days,
    end_day - lag_days], as a bigint. The running-sum models (support,
    commercial, sentiment, relationship) count each window on the day before
    the days a daily run recomputes with it, from the records themselves.

    value, day: SQL expressions of the rows summed
    end_day:    SQL date expression (the day the window ends on, lag 0)
-#}
{% macro sum_in_window(value, day, end_day, window_days, lag_days=0) -%}
    cast(sum(
        case
            when {{ day }} > {{ dbt.dateadd('day', -(window_days + lag_days), end_day) }}
                and {{ day }} <= {{ dbt.dateadd('day', -lag_days, end_day) if lag_days else end_day }}
                then {{ value }}
            else 0
        end
    ) as {{ dbt.type_bigint() }})
{%- endmacro %}
