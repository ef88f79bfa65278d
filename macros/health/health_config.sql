{#-
    The scoring configuration, read from the health_* vars, validated and
    resolved. Every model that scores calls this, so a bad configuration fails
    `dbt parse` / `dbt compile` with a message that names the key to fix.

    Returns a dict:
      signals:     {name: {group, higher_is_better, method, min, max, bands, freshness_days, applies_to}}
      groups:      [group names, in first-seen order]
      scorecards:  [{name, applies_to, weights: {signal: effective weight, summing to 100}}], first match wins, default last
      tiers:       {red_below, green_above}
      min_coverage_pct, trend_flat_points, windows, drivers_days
      family_weighting: arr or equal (customer_health_account_families)
-#}
{% macro health_config() %}
    {{ return(adapter.dispatch('health_config', 'customer_health')()) }}
{% endmacro %}

{% macro health_config_error(key, problem) %}
    {{ exceptions.raise_compiler_error(
        "customer_health configuration error at `" ~ key ~ "`: " ~ problem
        ~ " (set in dbt_project.yml vars or --vars; see README, Configuration)"
    ) }}
{% endmacro %}

{% macro _check_number(key, value, minimum=none, maximum=none) %}
    {%- if value is none and '.' in key -%}
        {{ customer_health.health_config_error(key, "is missing; a mapping given in --vars replaces the project's whole mapping, so restate its other keys too") }}
    {%- endif -%}
    {%- if value is not number or value is boolean -%}
        {{ customer_health.health_config_error(key, "expected a number, got '" ~ value ~ "'") }}
    {%- endif -%}
    {%- if minimum is not none and value < minimum -%}
        {{ customer_health.health_config_error(key, "is " ~ value ~ "; it must be >= " ~ minimum) }}
    {%- endif -%}
    {%- if maximum is not none and value > maximum -%}
        {{ customer_health.health_config_error(key, "is " ~ value ~ "; it must be <= " ~ maximum) }}
    {%- endif -%}
{% endmacro %}

{% macro _check_date(key, value) %}
    {#- a YYYY-MM-DD day that exists (YAML may hand over a date or a string) -#}
    {%- set text = value | string -%}
    {%- set parts = modules.re.fullmatch('([0-9]{4})-([0-9]{2})-([0-9]{2})', text) -%}
    {%- set valid = [false] -%}
    {%- if parts -%}
        {%- set year, month, day = parts.group(1) | int, parts.group(2) | int, parts.group(3) | int -%}
        {%- if 1 <= month <= 12 and day >= 1 -%}
            {%- set next_month = modules.datetime.date(year + 1, 1, 1) if month == 12 else modules.datetime.date(year, month + 1, 1) -%}
            {%- do valid.append(day <= (next_month - modules.datetime.timedelta(days=1)).day) -%}
        {%- endif -%}
    {%- endif -%}
    {%- if not valid[-1] -%}
        {{ customer_health.health_config_error(key, "is '" ~ text ~ "'; expected a day as YYYY-MM-DD, e.g. 2026-06-30") }}
    {%- endif -%}
{% endmacro %}

{% macro _check_applies_to(key, applies_to) %}
    {%- if applies_to is not mapping -%}
        {{ customer_health.health_config_error(key, "must be a mapping with any of segments, coverage_models, min_tenure_days, max_tenure_days") }}
    {%- endif -%}
    {%- for rule, value in applies_to.items() -%}
        {%- if rule in ('segments', 'coverage_models') -%}
            {%- if value is string or value is not iterable or value is mapping -%}
                {{ customer_health.health_config_error(key ~ "." ~ rule, "must be a list, e.g. [enterprise]") }}
            {%- endif -%}
        {%- elif rule in ('min_tenure_days', 'max_tenure_days') -%}
            {{ customer_health._check_number(key ~ "." ~ rule, value, 0) }}
        {%- else -%}
            {{ customer_health.health_config_error(key ~ "." ~ rule, "unknown rule; use segments, coverage_models, min_tenure_days or max_tenure_days") }}
        {%- endif -%}
    {%- endfor -%}
{% endmacro %}

{% macro default__health_config() %}
    {%- set available = customer_health.available_health_signals() -%}
    {%- set raw_signals = var('health_signals', none) -%}
    {%- set raw_scorecards = var('health_scorecards', none) -%}
    {%- set raw_tiers = var('health_tier_thresholds', none) -%}
    {%- set raw_windows = var('health_windows', none) -%}
    {%- set min_coverage = var('health_min_coverage_pct', none) -%}
    {%- set trend_flat = var('health_trend_flat_points', none) -%}
    {%- set drivers_days = var('health_drivers_days', none) -%}
    {%- set family_weighting = var('health_family_rollup_weighting', 'arr') -%}
    {%- set recovery = var('health_tier_recovery_points', 0) -%}

    {#- ---- signals ---- -#}
    {%- if raw_signals is not mapping or raw_signals | length == 0 -%}
        {{ customer_health.health_config_error('health_signals', "must be a non-empty mapping of signal name to its settings") }}
    {%- endif -%}
    {%- set signals = {} -%}
    {%- set groups = [] -%}
    {%- for name, settings in raw_signals.items() -%}
        {%- set key = 'health_signals.' ~ name -%}
        {%- if name not in available -%}
            {{ customer_health.health_config_error(key, "unknown signal '" ~ name ~ "'; known signals: " ~ available | join(', ')) }}
        {%- endif -%}
        {%- if settings is not mapping -%}
            {{ customer_health.health_config_error(key, "must be a mapping with group, higher_is_better and normalization") }}
        {%- endif -%}
        {%- for setting in settings.keys() -%}
            {%- if setting not in ('group', 'higher_is_better', 'normalization', 'freshness_days', 'applies_to', 'description') -%}
                {{ customer_health.health_config_error(key ~ "." ~ setting, "unknown setting; use group, higher_is_better, normalization, freshness_days, applies_to, description") }}
            {%- endif -%}
        {%- endfor -%}
        {%- set group = settings.get('group') -%}
        {%- if group is not string or group | length == 0 -%}
            {{ customer_health.health_config_error(key ~ ".group", "each signal needs a group name") }}
        {%- endif -%}
        {%- if group not in groups -%}{%- do groups.append(group) -%}{%- endif -%}
        {%- set higher_is_better = settings.get('higher_is_better', true) -%}
        {%- if higher_is_better is not boolean -%}
            {{ customer_health.health_config_error(key ~ ".higher_is_better", "must be true or false") }}
        {%- endif -%}
        {%- set normalization = settings.get('normalization') -%}
        {%- if normalization is not mapping -%}
            {{ customer_health.health_config_error(key ~ ".normalization", "must be a mapping with a method: capped_linear, bands or percentile") }}
        {%- endif -%}
        {%- set method = normalization.get('method') -%}
        {%- set resolved = {'group': group, 'higher_is_better': higher_is_better, 'method': method,
                             'min': none, 'max': none, 'bands': [], 'freshness_days': none,
                             'applies_to': settings.get('applies_to', {}) or {},
                             'description': settings.get('description', '')} -%}
        {%- if method == 'capped_linear' -%}
            {{ customer_health._check_number(key ~ ".normalization.min", normalization.get('min')) }}
            {{ customer_health._check_number(key ~ ".normalization.max", normalization.get('max')) }}
            {%- if normalization['min'] >= normalization['max'] -%}
                {{ customer_health.health_config_error(key ~ ".normalization", "min (" ~ normalization['min'] ~ ") must be below max (" ~ normalization['max'] ~ ")") }}
            {%- endif -%}
            {%- do resolved.update({'min': normalization['min'], 'max': normalization['max']}) -%}
        {%- elif method == 'bands' -%}
            {%- set bands = normalization.get('bands') -%}
            {%- if bands is string or bands is not iterable or bands is mapping or bands | length == 0 -%}
                {{ customer_health.health_config_error(key ~ ".normalization.bands", "must be a list of [lower_bound, score] pairs, lowest bound first") }}
            {%- endif -%}
            {%- set previous = [none, none] -%}
            {%- for band in bands -%}
                {%- set band_key = key ~ ".normalization.bands[" ~ loop.index0 ~ "]" -%}
                {%- if band is string or band is not iterable or band is mapping or band | length != 2 -%}
                    {{ customer_health.health_config_error(band_key, "must be a [lower_bound, score] pair") }}
                {%- endif -%}
                {{ customer_health._check_number(band_key ~ " lower_bound", band[0]) }}
                {{ customer_health._check_number(band_key ~ " score", band[1], 0, 100) }}
                {%- if previous[0] is not none and band[0] <= previous[0] -%}
                    {{ customer_health.health_config_error(band_key, "lower bounds must increase (" ~ band[0] ~ " follows " ~ previous[0] ~ "); bands would overlap") }}
                {%- endif -%}
                {#- the scores follow the configured direction, so that higher_is_better means the same for every method -#}
                {%- if previous[1] is not none and higher_is_better and band[1] < previous[1] -%}
                    {{ customer_health.health_config_error(band_key, "score " ~ band[1] ~ " falls below " ~ previous[1] ~ " while higher_is_better is true; make the scores rise with the value, or set higher_is_better: false") }}
                {%- elif previous[1] is not none and not higher_is_better and band[1] > previous[1] -%}
                    {{ customer_health.health_config_error(band_key, "score " ~ band[1] ~ " rises above " ~ previous[1] ~ " while higher_is_better is false; make the scores fall as the value rises, or set higher_is_better: true") }}
                {%- endif -%}
                {%- do previous.clear() -%}{%- do previous.extend([band[0], band[1]]) -%}
            {%- endfor -%}
            {%- do resolved.update({'bands': bands}) -%}
        {%- elif method == 'percentile' -%}
            {#- no parameters: rank within segment and day -#}
        {%- else -%}
            {{ customer_health.health_config_error(key ~ ".normalization.method", "is '" ~ method ~ "'; use capped_linear, bands or percentile") }}
        {%- endif -%}
        {%- if settings.get('freshness_days') is not none -%}
            {{ customer_health._check_number(key ~ ".freshness_days", settings['freshness_days'], 1) }}
            {%- do resolved.update({'freshness_days': settings['freshness_days']}) -%}
        {%- endif -%}
        {{ customer_health._check_applies_to(key ~ ".applies_to", resolved['applies_to']) }}
        {%- do signals.update({name: resolved}) -%}
    {%- endfor -%}

    {#- ---- scorecards ---- -#}
    {%- if raw_scorecards is not mapping or 'default' not in raw_scorecards -%}
        {{ customer_health.health_config_error('health_scorecards', "must be a mapping that includes a `default` scorecard") }}
    {%- endif -%}
    {%- set default_card = raw_scorecards['default'] -%}
    {%- set scorecards = [] -%}
    {%- set ordered_names = ['default'] -%}
    {%- for card_name in raw_scorecards.keys() if card_name != 'default' -%}{%- do ordered_names.append(card_name) -%}{%- endfor -%}
    {%- for card_name in ordered_names -%}
        {%- set card = raw_scorecards[card_name] -%}
        {%- set card_key = 'health_scorecards.' ~ card_name -%}
        {%- if card is not mapping -%}
            {{ customer_health.health_config_error(card_key, "must be a mapping with group_weights and/or signal_weights") }}
        {%- endif -%}
        {%- for setting in card.keys() -%}
            {%- if setting not in ('applies_to', 'group_weights', 'signal_weights', 'description') -%}
                {{ customer_health.health_config_error(card_key ~ "." ~ setting, "unknown setting; use applies_to, group_weights, signal_weights, description") }}
            {%- endif -%}
        {%- endfor -%}
        {%- if card_name != 'default' and not card.get('applies_to') -%}
            {{ customer_health.health_config_error(card_key ~ ".applies_to", "every scorecard except default needs applies_to (segments, coverage_models, min_tenure_days, max_tenure_days)") }}
        {%- endif -%}
        {%- if card_name == 'default' and card.get('applies_to') -%}
            {{ customer_health.health_config_error(card_key ~ ".applies_to", "the default scorecard applies to every account no other scorecard matches; remove applies_to") }}
        {%- endif -%}
        {{ customer_health._check_applies_to(card_key ~ ".applies_to", card.get('applies_to', {}) or {}) }}
        {#- group weights: the card's own, falling back to the default card's -#}
        {%- set group_weights = {} -%}
        {%- for source_card in [default_card, card] -%}
            {%- for group, weight in (source_card.get('group_weights', {}) or {}).items() -%}
                {%- if group not in groups -%}
                    {{ customer_health.health_config_error(card_key ~ ".group_weights." ~ group, "unknown group '" ~ group ~ "'; groups of the configured signals: " ~ groups | join(', ')) }}
                {%- endif -%}
                {{ customer_health._check_number(card_key ~ ".group_weights." ~ group, weight, 0) }}
                {%- do group_weights.update({group: weight}) -%}
            {%- endfor -%}
        {%- endfor -%}
        {%- set signal_weights = {} -%}
        {%- for source_card in [default_card, card] -%}
            {%- for signal, weight in (source_card.get('signal_weights', {}) or {}).items() -%}
                {%- if signal not in signals -%}
                    {{ customer_health.health_config_error(card_key ~ ".signal_weights." ~ signal, "unknown signal '" ~ signal ~ "'; configured signals: " ~ signals.keys() | join(', ')) }}
                {%- endif -%}
                {{ customer_health._check_number(card_key ~ ".signal_weights." ~ signal, weight, 0) }}
                {%- do signal_weights.update({signal: weight}) -%}
            {%- endfor -%}
        {%- endfor -%}
        {#- effective weight = group weight x the signal's share of its group's signal weights -#}
        {%- set raw_weights = {} -%}
        {%- for group in groups -%}
            {%- set members = [] -%}
            {%- for signal, settings in signals.items() if settings.group == group -%}{%- do members.append(signal) -%}{%- endfor -%}
            {%- set member_total = [0] -%}
            {%- for signal in members -%}{%- do member_total.append(member_total.pop() + signal_weights.get(signal, 1)) -%}{%- endfor -%}
            {%- for signal in members -%}
                {%- if member_total[0] > 0 -%}
                    {%- do raw_weights.update({signal: group_weights.get(group, 0) * signal_weights.get(signal, 1) / member_total[0]}) -%}
                {%- else -%}
                    {%- do raw_weights.update({signal: 0}) -%}
                {%- endif -%}
            {%- endfor -%}
        {%- endfor -%}
        {%- set total = [0] -%}
        {%- for weight in raw_weights.values() -%}{%- do total.append(total.pop() + weight) -%}{%- endfor -%}
        {%- if total[0] <= 0 -%}
            {{ customer_health.health_config_error(card_key, "the weights sum to zero, so no score could be computed; give at least one group and one of its signals a positive weight") }}
        {%- endif -%}
        {%- set weights = {} -%}
        {%- for signal in signals.keys() -%}
            {%- do weights.update({signal: (100.0 * raw_weights[signal] / total[0]) | round(6)}) -%}
        {%- endfor -%}
        {%- do scorecards.append({'name': card_name, 'applies_to': card.get('applies_to', {}) or {}, 'weights': weights}) -%}
    {%- endfor -%}
    {#- matching order: the listed scorecards first (first match wins), default last -#}
    {%- do scorecards.append(scorecards.pop(0)) -%}

    {#- ---- tiers, coverage, trend, windows ---- -#}
    {%- if raw_tiers is not mapping -%}
        {{ customer_health.health_config_error('health_tier_thresholds', "must be a mapping with red_below and green_above") }}
    {%- endif -%}
    {%- for setting in raw_tiers.keys() -%}
        {%- if setting not in ('red_below', 'green_above') -%}
            {{ customer_health.health_config_error('health_tier_thresholds.' ~ setting, "unknown setting; use red_below and green_above") }}
        {%- endif -%}
    {%- endfor -%}
    {{ customer_health._check_number('health_tier_thresholds.red_below', raw_tiers.get('red_below'), 0, 100) }}
    {{ customer_health._check_number('health_tier_thresholds.green_above', raw_tiers.get('green_above'), 0, 100) }}
    {%- if raw_tiers['red_below'] > raw_tiers['green_above'] -%}
        {{ customer_health.health_config_error('health_tier_thresholds', "red_below (" ~ raw_tiers['red_below'] ~ ") is above green_above (" ~ raw_tiers['green_above'] ~ "): the red and green ranges would overlap") }}
    {%- endif -%}
    {{ customer_health._check_number('health_tier_recovery_points', recovery, 0, raw_tiers['green_above'] - raw_tiers['red_below']) }}
    {{ customer_health._check_number('health_min_coverage_pct', min_coverage, 0, 100) }}
    {{ customer_health._check_number('health_trend_flat_points', trend_flat, 0, 100) }}
    {{ customer_health._check_number('health_drivers_days', drivers_days, 1) }}
    {%- if raw_windows is not mapping -%}
        {{ customer_health.health_config_error('health_windows', "must be a mapping of window name to days") }}
    {%- endif -%}
    {%- for window in ('activity_days', 'quality_days', 'nps_days', 'qbr_days') -%}
        {{ customer_health._check_number('health_windows.' ~ window, raw_windows.get(window), 1, 730) }}
    {%- endfor -%}
    {%- for key in ('health_as_of_date', 'health_history_start_date') -%}
        {%- if var(key, none) is not none -%}
            {{ customer_health._check_date(key, var(key)) }}
        {%- endif -%}
    {%- endfor -%}
    {%- if family_weighting not in ('arr', 'equal') -%}
        {{ customer_health.health_config_error('health_family_rollup_weighting', "is '" ~ family_weighting ~ "'; use arr (weights by ARR) or equal") }}
    {%- endif -%}
    {%- for window in raw_windows.keys() -%}
        {%- if window not in ('activity_days', 'quality_days', 'nps_days', 'qbr_days') -%}
            {{ customer_health.health_config_error('health_windows.' ~ window, "unknown window; use activity_days, quality_days, nps_days, qbr_days") }}
        {%- endif -%}
    {%- endfor -%}

    {{ return({
        'signals': signals,
        'groups': groups,
        'scorecards': scorecards,
        'tiers': {'red_below': raw_tiers['red_below'], 'green_above': raw_tiers['green_above']},
        'tier_recovery_points': recovery,
        'min_coverage_pct': min_coverage,
        'trend_flat_points': trend_flat,
        'windows': raw_windows,
        'drivers_days': drivers_days,
        'family_weighting': family_weighting,
    }) }}
{% endmacro %}

{#-
    A stable hash of everything that changes a score: stamped on every score
    row, so history says which configuration produced it.
-#}
{% macro health_config_version() %}
    {%- set config = customer_health.health_config() -%}
    {#- what scores a day; a signal's description is documentation, so rewording it keeps the version -#}
    {%- set scored_signals = {} -%}
    {%- for name, settings in config.signals.items() -%}
        {%- set scored = {} -%}
        {%- for key, value in settings.items() if key != 'description' -%}
            {%- do scored.update({key: value}) -%}
        {%- endfor -%}
        {%- do scored_signals.update({name: scored}) -%}
    {%- endfor -%}
    {%- set material = {
        'signals': scored_signals,
        'scorecards': config.scorecards,
        'tiers': config.tiers,
        'min_coverage_pct': config.min_coverage_pct,
        'windows': config.windows,
    } -%}
    {#- no recovery band tiers as before it existed, so it keeps their version -#}
    {%- if config.tier_recovery_points %}
        {%- do material.update({'tier_recovery_points': config.tier_recovery_points}) -%}
    {%- endif %}
    {{ return(local_md5(tojson(material, sort_keys=true))[:12]) }}
{% endmacro %}
