-- Dòng gốc của từng số liệu: đúng những bản ghi được tính vào tử số và mẫu số của mỗi chỉ tiêu,
-- mỗi kỳ, mỗi tổ và toàn phường (cùng điều kiện như marts.measures), kèm lần gửi và số dòng trong tệp.
CREATE OR REPLACE VIEW indicator_contributions AS
WITH params AS (
    SELECT as_of, lighting_repair_days, old_open_fault_days FROM marts.settings_params
),
periods AS (
    SELECT period_type, period_key, data_start, data_end FROM marts.periods WHERE status <> 'not_started'
),
violations AS (
    SELECT f.group_code, f.day, f.category, f.resolved, f.is_repeat, f.unit_code, f.record_id,
        v.upload_id, v.source_line
    FROM marts.violation_flags AS f
    JOIN core.violations AS v USING (unit_code, record_id)
),
violation_rows AS (
    SELECT p.period_key, v.*, m.measure
    FROM periods AS p
    JOIN violations AS v ON v.day BETWEEN p.data_start AND p.data_end
    CROSS JOIN LATERAL (
        SELECT 'violations' AS measure
        UNION ALL SELECT 'violations:' || v.category
        UNION ALL SELECT 'violations_resolved' WHERE v.resolved
        UNION ALL SELECT 'violation_repeats' WHERE v.is_repeat
    ) AS m
),
cleanups AS (
    SELECT group_code, held_on AS day, unit_code, event_id AS record_id, upload_id, source_line,
        participants, waste_kg,
        kind = 'saturday_with_people' AND isodow(held_on) = 6 AS saturday_event
    FROM core.cleanups
),
cleanup_rows AS (
    SELECT p.period_key, c.*, m.measure, m.amount
    FROM periods AS p
    JOIN cleanups AS c ON c.day BETWEEN p.data_start AND p.data_end
    CROSS JOIN LATERAL (
        SELECT 'cleanup_events' AS measure, 1.0 AS amount
        UNION ALL SELECT 'participants', c.participants
        UNION ALL SELECT 'waste_kg', c.waste_kg WHERE c.waste_kg IS NOT NULL
        UNION ALL SELECT 'waste_events', 1.0 WHERE c.waste_kg IS NOT NULL
    ) AS m
),
saturday_rows AS (
    -- A Saturday counts once however many events a group held on it: the first event carries it.
    SELECT p.period_key, c.group_code, c.unit_code, c.record_id, c.upload_id, c.source_line,
        'saturdays_with_event' AS measure,
        CASE WHEN row_number() OVER (
            PARTITION BY p.period_key, c.group_code, c.day ORDER BY c.unit_code, c.record_id
        ) = 1 THEN 1.0 ELSE 0.0 END AS amount
    FROM periods AS p
    JOIN cleanups AS c ON c.saturday_event AND c.day BETWEEN p.data_start AND p.data_end
),
sorting_rows AS (
    SELECT p.period_key, s.group_code, s.unit_code, s.inspection_id AS record_id, s.upload_id, s.source_line,
        m.measure, m.amount
    FROM periods AS p
    JOIN core.sorting_inspections AS s ON s.inspected_on BETWEEN p.data_start AND p.data_end
    CROSS JOIN LATERAL (
        SELECT 'households_checked' AS measure, s.households_checked::DOUBLE AS amount
        UNION ALL SELECT 'households_compliant', s.households_compliant::DOUBLE
    ) AS m
),
coverage_rows AS (
    -- Inspection coverage counts, per group and month, at most the group's households (as in
    -- marts.measures): each inspection carries its share of min(checked in the month, households).
    SELECT p.period_key, s.group_code, s.unit_code, s.inspection_id AS record_id, s.upload_id, s.source_line,
        'households_covered_monthly' AS measure,
        CASE WHEN sum(s.households_checked) OVER w = 0 THEN 0.0
            ELSE s.households_checked::DOUBLE
                * least(sum(s.households_checked) OVER w, g.households)::DOUBLE
                / (sum(s.households_checked) OVER w)::DOUBLE
        END AS amount
    FROM periods AS p
    JOIN core.sorting_inspections AS s ON s.inspected_on BETWEEN p.data_start AND p.data_end
    JOIN marts.period_groups AS g ON g.period_key = p.period_key AND g.group_code = s.group_code
    WINDOW w AS (PARTITION BY p.period_key, s.group_code, date_trunc('month', s.inspected_on))
),
tickets AS (
    SELECT t.*, l.upload_id, l.source_line
    FROM marts.fact_lighting_repairs AS t
    JOIN core.lighting_repairs AS l USING (unit_code, ticket_id)
),
lighting_rows AS (
    SELECT p.period_key, t.group_code, t.unit_code, t.ticket_id AS record_id, t.upload_id, t.source_line,
        m.measure, m.amount
    FROM periods AS p
    CROSS JOIN params AS s
    JOIN tickets AS t ON t.reported_on BETWEEN p.data_start AND p.data_end
    CROSS JOIN LATERAL (
        SELECT 'lighting_repaired' AS measure, 1.0 AS amount WHERE t.status = 'repaired'
        UNION ALL SELECT 'lighting_repair_days', (t.repaired_on - t.reported_on)::DOUBLE WHERE t.status = 'repaired'
        UNION ALL SELECT 'lighting_on_time', 1.0
            WHERE t.status = 'repaired' AND (t.repaired_on - t.reported_on) <= s.lighting_repair_days
        UNION ALL SELECT 'lighting_judged', 1.0
            WHERE (t.status = 'repaired')
                OR (t.status = 'open' AND s.as_of - t.reported_on > s.lighting_repair_days)
    ) AS m
),
backlog_rows AS (
    SELECT p.period_key, t.group_code, t.unit_code, t.ticket_id AS record_id, t.upload_id, t.source_line,
        'lighting_open_old' AS measure, 1.0 AS amount
    FROM periods AS p
    CROSS JOIN params AS s
    JOIN tickets AS t
        ON p.data_end - t.reported_on > s.old_open_fault_days
        AND (t.status = 'open' OR t.repaired_on > p.data_end)
),
group_rows AS (
    -- The denominators that come from the groups list: the version each period uses.
    SELECT g.period_key, g.group_code, NULL::VARCHAR AS unit_code, g.group_code AS record_id,
        NULL::BIGINT AS upload_id, NULL::BIGINT AS source_line, m.measure, m.amount,
        'residential_groups' AS feed
    FROM marts.period_groups AS g
    JOIN periods AS p USING (period_key)
    CROSS JOIN LATERAL (
        SELECT 'population' AS measure, g.population::DOUBLE AS amount
        UNION ALL SELECT 'households', g.households::DOUBLE
        -- Coverage's denominator: the households once for every calendar month the period touches.
        UNION ALL SELECT 'household_months',
            (g.households * (datediff('month', p.data_start, p.data_end) + 1))::DOUBLE
    ) AS m
),
record_rows AS (
    SELECT period_key, group_code, unit_code, record_id, upload_id, source_line, measure, 1.0 AS amount,
        'violations' AS feed
    FROM violation_rows
    UNION ALL
    SELECT period_key, group_code, unit_code, record_id, upload_id, source_line, measure, amount, 'cleanups'
    FROM cleanup_rows
    UNION ALL
    SELECT period_key, group_code, unit_code, record_id, upload_id, source_line, measure, amount, 'cleanups'
    FROM saturday_rows
    UNION ALL
    SELECT period_key, group_code, unit_code, record_id, upload_id, source_line, measure, amount,
        'sorting_inspections'
    FROM sorting_rows
    UNION ALL
    SELECT period_key, group_code, unit_code, record_id, upload_id, source_line, measure, amount,
        'sorting_inspections'
    FROM coverage_rows
    UNION ALL
    SELECT period_key, group_code, unit_code, record_id, upload_id, source_line, measure, amount,
        'lighting_repairs'
    FROM lighting_rows
    UNION ALL
    SELECT period_key, group_code, unit_code, record_id, upload_id, source_line, measure, amount,
        'lighting_repairs'
    FROM backlog_rows
),
counted AS (
    -- Only groups of the list version the period uses count, as in marts.measures.
    SELECT r.*
    FROM record_rows AS r
    SEMI JOIN marts.period_groups AS g ON g.period_key = r.period_key AND g.group_code = r.group_code
    UNION ALL
    SELECT * FROM group_rows
),
parts AS (
    SELECT indicator_id, 'numerator' AS part, numerator_measure AS measure, position FROM marts.indicators
    UNION ALL
    SELECT indicator_id, 'denominator', denominator_measure, position FROM marts.indicators
    WHERE kind = 'ratio'
),
by_group AS (
    SELECT i.indicator_id, c.period_key, 'group' AS scope, c.group_code, i.part, c.feed, c.record_id,
        c.unit_code, c.upload_id, c.source_line, c.amount, c.group_code AS record_group_code, i.position
    FROM parts AS i
    JOIN counted AS c ON c.measure = i.measure
),
final AS (
    SELECT b.indicator_id, p.period_type, b.period_key, b.scope, b.group_code, b.part, b.feed, b.record_id,
        b.unit_code, b.upload_id, b.source_line, b.amount, b.record_group_code
    FROM by_group AS b
    JOIN periods AS p USING (period_key)
    UNION ALL
    SELECT b.indicator_id, p.period_type, b.period_key, 'ward', NULL, b.part, b.feed, b.record_id,
        b.unit_code, b.upload_id, b.source_line, b.amount, b.record_group_code
    FROM by_group AS b
    JOIN periods AS p USING (period_key)
)
SELECT * FROM final;

-- comments: indicator_contributions
