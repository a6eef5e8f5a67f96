-- Các phường trong kho chung của thành phố: mã chính thức, tên, số tổ, số hộ, số dân, có gửi bản ghi không.
-- Input: wards.
SELECT ward_code, ward_name, CAST(group_count AS BIGINT) AS group_count, CAST(households AS BIGINT) AS households,
    CAST(population AS BIGINT) AS population, shares_records
FROM wards
