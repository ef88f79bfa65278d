{#-
    A coarse filter on a raw table's own load column for an incremental base
    model: the rows loaded after a day before the watermark (a margin for any
    time zone reading), so the engine can skip the older loads in the scan.
    Empty when there is no watermark (a full build) or when the raw column is
    not a timestamp (then the model's exact comparison on the typed load time
    does all the filtering).

    relation:  the raw source relation
    column:    its load column, e.g. 'uuid_ts'
    watermark: incremental_watermark(...) of the model, or none
-#}
{% macro raw_load_filter(relation, column, watermark) %}
    {%- if watermark is none or not execute -%}
        {{- return('') -}}
    {%- endif -%}
    {%- for raw_column in adapter.get_columns_in_relation(relation) -%}
        {%- if raw_column.name | lower == column | lower and 'timestamp' in raw_column.data_type | lower -%}
            {{- return('where ' ~ column ~ ' > cast(' ~ dbt.dateadd('day', -1, watermark) ~ ' as '
                ~ raw_column.data_type ~ ')') -}}
        {%- endif -%}
    {%- endfor -%}
    {{- return('') -}}
{% endmacro %}
