-- Phiên bản danh sách tổ dân phố / đơn vị mà mỗi kỳ dùng: phiên bản có hiệu lực vào ngày cuối kỳ
-- (valid_from muộn nhất không sau ngày đó; nếu chưa có thì phiên bản sớm nhất).
CREATE OR REPLACE TABLE marts.period_reference AS
WITH versions AS (
    SELECT version, kind, valid_from FROM ref.versions
),
periods AS (
    SELECT period_key, period_end FROM marts.periods
),
candidates AS (
    SELECT p.period_key, p.period_end, v.kind, v.version, v.valid_from, v.valid_from <= p.period_end AS applies
    FROM periods AS p
    CROSS JOIN versions AS v
),
ranked AS (
    SELECT
        *,
        row_number() OVER (
            PARTITION BY period_key, kind
            ORDER BY applies DESC,
                CASE WHEN applies THEN valid_from END DESC NULLS LAST,
                CASE WHEN applies THEN version END DESC NULLS LAST,
                valid_from, version
        ) AS choice
    FROM candidates
),
final AS (
    SELECT period_key, kind, version, valid_from FROM ranked WHERE choice = 1
)
SELECT * FROM final;

-- comments: marts.period_reference

-- Số hộ, số nhân khẩu của từng tổ theo phiên bản mỗi kỳ dùng (mẫu số của các chỉ tiêu theo dân số, số hộ).
CREATE OR REPLACE TABLE marts.period_groups AS
WITH chosen AS (
    SELECT period_key, version, valid_from FROM marts.period_reference WHERE kind = 'groups'
),
final AS (
    SELECT c.period_key, g.group_code, g.group_name, g.households, g.population,
        c.version AS ref_version, c.valid_from
    FROM chosen AS c
    JOIN ref.groups AS g USING (version)
)
SELECT * FROM final;

-- comments: marts.period_groups
