{#-
    SQL expression mapping a signal's raw value to 0-100 with its configured
    method (capped_linear or bands; percentile needs a window and is written
    in int_signals_normalized). capped_linear is reversed when higher_is_better
    is false; bands give their scores as written (direction is in the bands).
-#}
{% macro normalize_signal(raw_value, settings) %}
    {{ return(adapter.dispatch('normalize_signal', 'customer_health')(raw_value, settings)) }}
{% endmacro %}

{% macro default__normalize_signal(raw_value, settings) -%}
    {%- if settings.method == 'capped_linear' -%}
        {%- set span = settings.max - settings.min -%}
        {%- set scaled = '100.0 * (' ~ raw_value ~ ' - (' ~ settings.min ~ ')) / ' ~ span -%}
        {%- set capped = 'case when ' ~ scaled ~ ' < 0 then 0.0 when ' ~ scaled ~ ' > 100 then 100.0 else ' ~ scaled ~ ' end' -%}
        {%- if settings.higher_is_better -%}
            ({{ capped }})
        {%- else -%}
            (100.0 - ({{ capped }}))
        {%- endif -%}
    {%- elif settings.method == 'bands' -%}
        {#- bands are validated ascending; a value takes the score of the highest bound it reaches -#}
        case
            {%- for band in settings.bands | reverse %}
            when {{ raw_value }} >= {{ band[0] }} then 1.0 * {{ band[1] }}
            {%- endfor %}
            else 1.0 * {{ settings.bands[0][1] }}
        end
    {%- else -%}
        {{ exceptions.raise_compiler_error("normalize_signal: method '" ~ settings.method ~ "' is computed in int_signals_normalized") }}
    {%- endif -%}
{%- endmacro %}
