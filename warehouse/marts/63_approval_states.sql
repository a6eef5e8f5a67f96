-- Where each unit's monthly report stands in the approval flow:
-- chưa nhận → đã nhận → đã gửi duyệt → đã duyệt / trả lại → đã khóa.
-- A view (over the approval log, the uploads and reporting_completeness) so the approval actions
-- see the state as it is now; reporting_completeness gets its state and state_vi columns below.
CREATE OR REPLACE VIEW marts.approval_states AS
WITH unit_actions AS (
    SELECT
        feed,
        unit_code,
        month_key,
        action,
        account,
        acted_at,
        comment,
        row_number() OVER (PARTITION BY feed, unit_code, month_key ORDER BY action_id DESC) AS newest
    FROM raw.approval_actions
    WHERE action IN ('submit', 'approve', 'return')
),
last_unit_action AS (
    SELECT * EXCLUDE (newest) FROM unit_actions WHERE newest = 1
),
arrivals AS (
    -- The newest file (or declaration) with rows in the month: a file after an action reopens the flow.
    SELECT unit_code, feed, strftime(report_month, '%Y-%m') AS month_key, max(received_at) AS last_received_at
    FROM (
        SELECT unit_code, feed, received_at,
            unnest(marts.upload_months(report_months, period_start, period_end)) AS report_month
        FROM raw.uploads
        WHERE status = 'loaded'
    )
    GROUP BY ALL
),
cells AS (
    SELECT
        rc.unit_code,
        rc.unit_name,
        rc.feed,
        rc.month_key,
        rc.month_end,
        rc.received,
        ar.last_received_at,
        a.action AS last_action,
        a.account AS last_action_by,
        a.acted_at AS last_action_at,
        a.comment AS last_action_comment,
        a.action IS NOT NULL AND (ar.last_received_at IS NULL OR a.acted_at >= ar.last_received_at) AS action_current,
        l.locked_by,
        l.locked_at
    FROM marts.reporting_completeness AS rc
    LEFT JOIN last_unit_action AS a USING (feed, unit_code, month_key)
    LEFT JOIN arrivals AS ar USING (feed, unit_code, month_key)
    LEFT JOIN marts.period_locks AS l USING (feed, month_key)
),
coded AS (
    SELECT
        *,
        CASE
            WHEN locked_by IS NOT NULL THEN 'locked'
            WHEN action_current AND last_action = 'submit' THEN 'submitted'
            WHEN action_current AND last_action = 'approve' THEN 'approved'
            WHEN action_current AND last_action = 'return' THEN 'returned'
            WHEN received THEN 'received'
            ELSE 'not_received'
        END AS state
    FROM cells
),
final AS (
    SELECT
        unit_code,
        unit_name,
        feed,
        month_key,
        month_end,
        state,
        CASE state
            WHEN 'not_received' THEN 'Chưa nhận'
            WHEN 'received' THEN 'Đã nhận'
            WHEN 'submitted' THEN 'Đã gửi duyệt'
            WHEN 'approved' THEN 'Đã duyệt'
            WHEN 'returned' THEN 'Trả lại'
            WHEN 'locked' THEN 'Đã khóa'
        END AS state_vi,
        CASE WHEN state = 'locked' THEN locked_by WHEN action_current THEN last_action_by END AS state_by,
        CASE WHEN state = 'locked' THEN locked_at WHEN action_current THEN last_action_at END AS state_at,
        CASE WHEN action_current THEN last_action_comment END AS state_comment,
        last_received_at
    FROM coded
)
SELECT * FROM final;

-- comments: marts.approval_states

-- The same state on reporting_completeness (kept as a table: add the columns, keep its comments).
ALTER TABLE marts.reporting_completeness ADD COLUMN state VARCHAR;
ALTER TABLE marts.reporting_completeness ADD COLUMN state_vi VARCHAR;
ALTER TABLE marts.reporting_completeness ADD COLUMN state_by VARCHAR;
ALTER TABLE marts.reporting_completeness ADD COLUMN state_at TIMESTAMP;
ALTER TABLE marts.reporting_completeness ADD COLUMN state_comment VARCHAR;
CREATE OR REPLACE TEMP TABLE approval_states_now AS SELECT * FROM marts.approval_states;
UPDATE marts.reporting_completeness AS rc
SET state = s.state, state_vi = s.state_vi, state_by = s.state_by, state_at = s.state_at, state_comment = s.state_comment
FROM approval_states_now AS s
WHERE s.unit_code = rc.unit_code AND s.feed = rc.feed AND s.month_key = rc.month_key;
DROP TABLE approval_states_now;

-- comments: marts.reporting_completeness
