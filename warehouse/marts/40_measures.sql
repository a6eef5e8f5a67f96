-- Các đại lượng cộng được (tử số, mẫu số, cỡ mẫu) cho mỗi kỳ, mỗi tổ và toàn phường.
-- Số liệu toàn phường là tổng của các tổ, không phải trung bình các tỷ lệ.
CREATE OR REPLACE TABLE marts.measures AS
WITH params AS (
    SELECT as_of, lighting_repair_days, old_open_fault_days FROM marts.settings_params
),
periods AS (
    SELECT
        period_key, data_start, data_end, saturdays,
        -- Calendar months the period's days touch (inspection coverage is averaged over them).
        datediff('month', data_start, data_end) + 1 AS months
    FROM marts.periods WHERE status <> 'not_started'
),
groups AS (
    -- Each period's denominators from the groups-list version valid on its last day.
    SELECT period_key, group_code, households, population FROM marts.period_groups
),
grid AS (
    SELECT p.period_key, g.group_code, g.population, g.households, p.saturdays, p.months
    FROM periods AS p
    JOIN groups AS g USING (period_key)
),
violation_sums AS (
    SELECT
        p.period_key,
        f.group_code,
        sum(f.violations) AS violations,
        sum(f.violations_resolved) AS violations_resolved,
        sum(f.violation_repeats) AS violation_repeats
    FROM periods AS p
    JOIN marts.fact_violations AS f ON f.day BETWEEN p.data_start AND p.data_end
    GROUP BY ALL
),
cleanup_sums AS (
    SELECT
        p.period_key,
        f.group_code,
        sum(f.cleanup_events) AS cleanup_events,
        count(*) FILTER (WHERE f.saturday_events > 0) AS saturdays_with_event,
        sum(f.participants) AS participants,
        sum(f.waste_kg) AS waste_kg,
        sum(f.waste_events) AS waste_events
    FROM periods AS p
    JOIN marts.fact_cleanups AS f ON f.day BETWEEN p.data_start AND p.data_end
    GROUP BY ALL
),
sorting_sums AS (
    SELECT
        p.period_key,
        f.group_code,
        sum(f.households_checked) AS households_checked,
        sum(f.households_compliant) AS households_compliant
    FROM periods AS p
    JOIN marts.fact_sorting AS f ON f.day BETWEEN p.data_start AND p.data_end
    GROUP BY ALL
),
sorting_months AS (
    -- Inspection coverage: households inspected in each month, capped at the group's households
    -- (a household inspected twice in a month is not two households).
    SELECT s.period_key, s.group_code, sum(least(s.checked, g.households)) AS households_covered
    FROM (
        SELECT p.period_key, f.group_code, date_trunc('month', f.day) AS month, sum(f.households_checked) AS checked
        FROM periods AS p
        JOIN marts.fact_sorting AS f ON f.day BETWEEN p.data_start AND p.data_end
        GROUP BY ALL
    ) AS s
    JOIN groups AS g USING (period_key, group_code)  -- the period's households (its list version)
    GROUP BY ALL
),
lighting_sums AS (
    -- Tickets reported in the period, judged as of today: repaired within the deadline (on time),
    -- repaired after it (late), or still open and already past it (late too, not missing).
    SELECT
        p.period_key,
        t.group_code,
        count(*) FILTER (WHERE t.status = 'repaired') AS lighting_repaired,
        count(*) FILTER (WHERE t.status = 'repaired' AND t.repair_days <= s.lighting_repair_days)
            AS lighting_on_time,
        count(*) FILTER (WHERE t.status = 'repaired' AND t.repair_days > s.lighting_repair_days)
            AS lighting_late,
        count(*) FILTER (WHERE t.status = 'open' AND s.as_of - t.reported_on > s.lighting_repair_days)
            AS lighting_open_overdue
    FROM periods AS p
    CROSS JOIN params AS s
    JOIN marts.fact_lighting AS t ON t.reported_on BETWEEN p.data_start AND p.data_end
    GROUP BY ALL
),
lighting_backlog AS (
    -- Faults still open at the end of the period (never repaired, or repaired later) and older
    -- than the threshold on that day, whenever they were reported.
    SELECT
        p.period_key,
        t.group_code,
        count(*) AS lighting_open_old
    FROM periods AS p
    CROSS JOIN params AS s
    JOIN marts.fact_lighting AS t
        ON p.data_end - t.reported_on > s.old_open_fault_days
        AND (t.status = 'open' OR t.repaired_on > p.data_end)
    GROUP BY ALL
),
wide AS (
    SELECT
        g.period_key,
        g.group_code,
        g.population::DOUBLE AS population,
        g.households::DOUBLE AS households,
        g.saturdays::DOUBLE AS saturdays,
        coalesce(v.violations, 0)::DOUBLE AS violations,
        coalesce(v.violations_resolved, 0)::DOUBLE AS violations_resolved,
        coalesce(v.violation_repeats, 0)::DOUBLE AS violation_repeats,
        coalesce(c.cleanup_events, 0)::DOUBLE AS cleanup_events,
        coalesce(c.saturdays_with_event, 0)::DOUBLE AS saturdays_with_event,
        coalesce(c.participants, 0)::DOUBLE AS participants,
        coalesce(c.waste_kg, 0)::DOUBLE AS waste_kg,
        coalesce(c.waste_events, 0)::DOUBLE AS waste_events,
        coalesce(s.households_checked, 0)::DOUBLE AS households_checked,
        coalesce(s.households_compliant, 0)::DOUBLE AS households_compliant,
        coalesce(sm.households_covered, 0)::DOUBLE AS households_covered_monthly,
        (g.households * g.months)::DOUBLE AS household_months,
        coalesce(l.lighting_repaired, 0)::DOUBLE AS lighting_repaired,
        coalesce(l.lighting_on_time, 0)::DOUBLE AS lighting_on_time,
        coalesce(l.lighting_late, 0)::DOUBLE AS lighting_late,
        coalesce(l.lighting_open_overdue, 0)::DOUBLE AS lighting_open_overdue,
        coalesce(l.lighting_on_time + l.lighting_late + l.lighting_open_overdue, 0)::DOUBLE AS lighting_judged,
        coalesce(b.lighting_open_old, 0)::DOUBLE AS lighting_open_old
    FROM grid AS g
    LEFT JOIN violation_sums AS v USING (period_key, group_code)
    LEFT JOIN cleanup_sums AS c USING (period_key, group_code)
    LEFT JOIN sorting_sums AS s USING (period_key, group_code)
    LEFT JOIN sorting_months AS sm USING (period_key, group_code)
    LEFT JOIN lighting_sums AS l USING (period_key, group_code)
    LEFT JOIN lighting_backlog AS b USING (period_key, group_code)
),
group_long AS (
    UNPIVOT wide ON COLUMNS(* EXCLUDE (period_key, group_code)) INTO NAME measure VALUE amount
),
categories AS (
    SELECT DISTINCT category FROM marts.indicators WHERE category IS NOT NULL
),
category_sums AS (
    SELECT p.period_key, f.group_code, f.category, sum(f.violations) AS amount
    FROM periods AS p
    JOIN marts.fact_violations AS f ON f.day BETWEEN p.data_start AND p.data_end
    GROUP BY ALL
),
category_long AS (
    SELECT
        g.period_key,
        g.group_code,
        'violations:' || k.category AS measure,
        coalesce(s.amount, 0)::DOUBLE AS amount
    FROM grid AS g
    CROSS JOIN categories AS k
    LEFT JOIN category_sums AS s
        ON s.period_key = g.period_key AND s.group_code = g.group_code AND s.category = k.category
),
all_group AS (
    SELECT period_key, group_code, measure, amount FROM group_long
    UNION ALL
    SELECT period_key, group_code, measure, amount FROM category_long
),
final AS (
    SELECT period_key, 'group' AS scope, group_code, group_code AS scope_key, measure, amount
    FROM all_group
    UNION ALL
    SELECT period_key, 'ward' AS scope, NULL AS group_code, '' AS scope_key, measure, sum(amount) AS amount
    FROM all_group
    GROUP BY period_key, measure
)
SELECT * FROM final;

COMMENT ON TABLE marts.measures IS 'Các đại lượng gốc của chỉ tiêu (tử số, mẫu số, cỡ mẫu) theo kỳ, tổ dân phố và toàn phường; toàn phường = tổng các tổ / The raw measures behind the indicators per period, group and ward; ward = sum of groups';
COMMENT ON COLUMN marts.measures.period_key IS 'Mã kỳ (xem marts.periods) / Period key';
COMMENT ON COLUMN marts.measures.scope IS 'Phạm vi: group (tổ dân phố) hoặc ward (toàn phường) / Scope: group or ward';
COMMENT ON COLUMN marts.measures.group_code IS 'Mã tổ dân phố (trống với toàn phường) / Group code (null for the ward)';
COMMENT ON COLUMN marts.measures.scope_key IS 'Khóa nối: mã tổ, hoặc chuỗi rỗng với toàn phường / Join key: group code, or empty for the ward';
COMMENT ON COLUMN marts.measures.measure IS 'Tên đại lượng (ví dụ violations, households_checked, violations:fire_safety) / Measure name';
COMMENT ON COLUMN marts.measures.amount IS 'Giá trị của đại lượng trong kỳ / Amount of the measure in the period';
