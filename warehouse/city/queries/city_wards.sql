-- Các phường của thành phố (mã, tên, số tổ, số hộ, số dân). $wards: mart city_wards.
SELECT ward_code, ward_name, group_count, households, population
FROM read_parquet($wards)
ORDER BY ward_name, ward_code
