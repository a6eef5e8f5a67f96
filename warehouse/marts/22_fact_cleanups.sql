-- Các đợt ra quân theo tổ và ngày.
CREATE OR REPLACE TABLE marts.fact_cleanups AS
WITH cleanups AS (
    SELECT group_code, held_on, kind, participants, waste_kg FROM core.cleanups
),
final AS (
    SELECT
        group_code,
        held_on AS day,
        count(*) AS cleanup_events,
        -- A "Ngày thứ 7 cùng dân" counts for the Saturday share only when held on a Saturday.
        count(*) FILTER (WHERE kind = 'saturday_with_people' AND isodow(held_on) = 6) AS saturday_events,
        sum(participants) AS participants,
        coalesce(sum(waste_kg), 0) AS waste_kg,
        count(waste_kg) AS waste_events
    FROM cleanups
    GROUP BY ALL
)
SELECT * FROM final;

COMMENT ON TABLE marts.fact_cleanups IS 'Các đợt ra quân theo tổ dân phố và ngày thực hiện / Cleanup events per group and day';
COMMENT ON COLUMN marts.fact_cleanups.group_code IS 'Mã tổ dân phố / Group code';
COMMENT ON COLUMN marts.fact_cleanups.day IS 'Ngày thực hiện / Date held';
COMMENT ON COLUMN marts.fact_cleanups.cleanup_events IS 'Số đợt ra quân (mọi hình thức) / Cleanup events of every kind';
COMMENT ON COLUMN marts.fact_cleanups.saturday_events IS 'Số đợt «Ngày thứ 7 cùng dân» tổ chức vào thứ Bảy / “Saturday with the people” events held on a Saturday';
COMMENT ON COLUMN marts.fact_cleanups.participants IS 'Tổng số người tham gia / Participants';
COMMENT ON COLUMN marts.fact_cleanups.waste_kg IS 'Tổng khối lượng rác (kg); đợt không ghi khối lượng tính 0 / Waste collected (kg); events without a weight count 0';
COMMENT ON COLUMN marts.fact_cleanups.waste_events IS 'Số đợt có ghi khối lượng rác / Events with a waste weight';
