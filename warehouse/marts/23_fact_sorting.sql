-- Kiểm tra phân loại rác tại nguồn theo tổ và ngày.
CREATE OR REPLACE TABLE marts.fact_sorting AS
WITH inspections AS (
    SELECT group_code, inspected_on, households_checked, households_compliant FROM core.sorting_inspections
),
final AS (
    SELECT
        group_code,
        inspected_on AS day,
        count(*) AS inspections,
        sum(households_checked) AS households_checked,
        sum(households_compliant) AS households_compliant
    FROM inspections
    GROUP BY ALL
)
SELECT * FROM final;

COMMENT ON TABLE marts.fact_sorting IS 'Kiểm tra phân loại rác tại nguồn theo tổ dân phố và ngày kiểm tra / Waste-sorting inspections per group and day';
COMMENT ON COLUMN marts.fact_sorting.group_code IS 'Mã tổ dân phố / Group code';
COMMENT ON COLUMN marts.fact_sorting.day IS 'Ngày kiểm tra / Date inspected';
COMMENT ON COLUMN marts.fact_sorting.inspections IS 'Số đợt kiểm tra / Inspections';
COMMENT ON COLUMN marts.fact_sorting.households_checked IS 'Tổng số hộ được kiểm tra / Households checked';
COMMENT ON COLUMN marts.fact_sorting.households_compliant IS 'Tổng số hộ phân loại đúng / Households sorting correctly';
