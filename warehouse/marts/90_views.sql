-- What changed since each frozen evaluation: the frozen league table and indicator values against the live ones.
CREATE OR REPLACE VIEW evaluation_changes AS
WITH snapshots AS (
    SELECT snapshot_id, evaluation, frozen_at FROM marts.evaluation_snapshots
),
frozen AS (
    SELECT snapshot_id, group_code, group_name, rank, score, tier FROM marts.evaluation_snapshot_league
),
live AS (
    SELECT evaluation, group_code, group_name, rank, score, tier FROM marts.league_table
),
keys AS (
    SELECT snapshot_id, group_code FROM frozen
    UNION
    SELECT s.snapshot_id, l.group_code FROM snapshots AS s JOIN live AS l USING (evaluation)
),
final AS (
    SELECT
        s.snapshot_id,
        s.evaluation,
        s.frozen_at,
        k.group_code,
        coalesce(l.group_name, f.group_name) AS group_name,
        f.rank AS frozen_rank,
        l.rank AS live_rank,
        f.score AS frozen_score,
        l.score AS live_score,
        l.score - f.score AS score_change,
        f.tier AS frozen_tier,
        l.tier AS live_tier,
        f.rank IS DISTINCT FROM l.rank
            OR round(f.score, 6) IS DISTINCT FROM round(l.score, 6)
            OR f.tier IS DISTINCT FROM l.tier AS changed
    FROM keys AS k
    JOIN snapshots AS s USING (snapshot_id)
    LEFT JOIN frozen AS f ON f.snapshot_id = k.snapshot_id AND f.group_code = k.group_code
    LEFT JOIN live AS l ON l.evaluation = s.evaluation AND l.group_code = k.group_code
)
SELECT * FROM final;

COMMENT ON VIEW evaluation_changes IS 'Thay đổi của bảng xếp hạng kể từ khi chốt: mỗi lần chốt × tổ dân phố, điểm/hạng/xếp loại lúc chốt và hiện tại / League-table changes since each freeze';
COMMENT ON COLUMN evaluation_changes.snapshot_id IS 'Mã lần chốt / Snapshot id';
COMMENT ON COLUMN evaluation_changes.evaluation IS 'Tên kỳ đánh giá / Evaluation name';
COMMENT ON COLUMN evaluation_changes.frozen_at IS 'Thời điểm chốt / When it was frozen';
COMMENT ON COLUMN evaluation_changes.group_code IS 'Mã tổ dân phố / Group code';
COMMENT ON COLUMN evaluation_changes.group_name IS 'Tên tổ dân phố / Group name';
COMMENT ON COLUMN evaluation_changes.frozen_rank IS 'Thứ hạng lúc chốt / Rank when frozen';
COMMENT ON COLUMN evaluation_changes.live_rank IS 'Thứ hạng hiện tại / Rank now';
COMMENT ON COLUMN evaluation_changes.frozen_score IS 'Điểm lúc chốt / Score when frozen';
COMMENT ON COLUMN evaluation_changes.live_score IS 'Điểm hiện tại / Score now';
COMMENT ON COLUMN evaluation_changes.score_change IS 'Điểm hiện tại − điểm lúc chốt / Score now − score when frozen';
COMMENT ON COLUMN evaluation_changes.frozen_tier IS 'Xếp loại lúc chốt / Tier when frozen';
COMMENT ON COLUMN evaluation_changes.live_tier IS 'Xếp loại hiện tại / Tier now';
COMMENT ON COLUMN evaluation_changes.changed IS 'Có thay đổi về hạng, điểm hoặc xếp loại / Rank, score or tier changed';

CREATE OR REPLACE VIEW evaluation_indicator_changes AS
WITH snapshots AS (
    SELECT snapshot_id, evaluation, frozen_at FROM marts.evaluation_snapshots
),
frozen AS (
    SELECT snapshot_id, scope, group_code, indicator_id, value, target FROM marts.evaluation_snapshot_indicators
),
live AS (
    SELECT period_key AS evaluation, scope, group_code, indicator_id, value, target
    FROM marts.indicator_values
    WHERE period_type = 'evaluation'
),
final AS (
    SELECT
        s.snapshot_id,
        s.evaluation,
        s.frozen_at,
        f.scope,
        f.group_code,
        f.indicator_id,
        f.value AS frozen_value,
        l.value AS live_value,
        l.value - f.value AS value_change,
        f.target AS frozen_target,
        l.target AS live_target,
        round(f.value, 9) IS DISTINCT FROM round(l.value, 9)
            OR round(f.target, 9) IS DISTINCT FROM round(l.target, 9) AS changed
    FROM frozen AS f
    JOIN snapshots AS s USING (snapshot_id)
    LEFT JOIN live AS l
        ON l.evaluation = s.evaluation AND l.scope = f.scope
        AND l.group_code IS NOT DISTINCT FROM f.group_code AND l.indicator_id = f.indicator_id
)
SELECT * FROM final;

COMMENT ON VIEW evaluation_indicator_changes IS 'Thay đổi của giá trị chỉ tiêu kỳ đánh giá kể từ khi chốt (do đính chính số liệu hoặc sửa thiết lập) / Indicator values of an evaluation changed since the freeze';
COMMENT ON COLUMN evaluation_indicator_changes.snapshot_id IS 'Mã lần chốt / Snapshot id';
COMMENT ON COLUMN evaluation_indicator_changes.evaluation IS 'Tên kỳ đánh giá / Evaluation name';
COMMENT ON COLUMN evaluation_indicator_changes.frozen_at IS 'Thời điểm chốt / When it was frozen';
COMMENT ON COLUMN evaluation_indicator_changes.scope IS 'Phạm vi: group hoặc ward / Scope';
COMMENT ON COLUMN evaluation_indicator_changes.group_code IS 'Mã tổ dân phố (trống với toàn phường) / Group code';
COMMENT ON COLUMN evaluation_indicator_changes.indicator_id IS 'Mã chỉ tiêu / Indicator id';
COMMENT ON COLUMN evaluation_indicator_changes.frozen_value IS 'Giá trị lúc chốt / Value when frozen';
COMMENT ON COLUMN evaluation_indicator_changes.live_value IS 'Giá trị hiện tại / Value now';
COMMENT ON COLUMN evaluation_indicator_changes.value_change IS 'Giá trị hiện tại − lúc chốt / Value now − value when frozen';
COMMENT ON COLUMN evaluation_indicator_changes.frozen_target IS 'Chỉ tiêu lúc chốt / Target when frozen';
COMMENT ON COLUMN evaluation_indicator_changes.live_target IS 'Chỉ tiêu hiện tại / Target now';
COMMENT ON COLUMN evaluation_indicator_changes.changed IS 'Giá trị hoặc chỉ tiêu đã thay đổi / Value or target changed';
