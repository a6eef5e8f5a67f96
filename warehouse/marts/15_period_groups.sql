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

COMMENT ON TABLE marts.period_reference IS 'Phiên bản danh sách mỗi kỳ dùng: phiên bản có hiệu lực vào ngày cuối kỳ / The reference-list version each period uses: the one valid on its last day';
COMMENT ON COLUMN marts.period_reference.period_key IS 'Mã kỳ / Period key';
COMMENT ON COLUMN marts.period_reference.kind IS 'Danh sách: groups hoặc units / Which list';
COMMENT ON COLUMN marts.period_reference.version IS 'Số phiên bản được dùng / Version used';
COMMENT ON COLUMN marts.period_reference.valid_from IS 'Phiên bản áp dụng từ ngày / Valid from';

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

COMMENT ON TABLE marts.period_groups IS 'Tổ dân phố của mỗi kỳ theo phiên bản có hiệu lực vào ngày cuối kỳ: kỳ đã qua giữ nguyên mẫu số khi có phiên bản mới / Each period''s groups from the version valid on its last day: past periods keep their denominators';
COMMENT ON COLUMN marts.period_groups.period_key IS 'Mã kỳ / Period key';
COMMENT ON COLUMN marts.period_groups.group_code IS 'Mã tổ dân phố / Group code';
COMMENT ON COLUMN marts.period_groups.group_name IS 'Tên tổ dân phố / Group name';
COMMENT ON COLUMN marts.period_groups.households IS 'Số hộ / Households';
COMMENT ON COLUMN marts.period_groups.population IS 'Số nhân khẩu / Population';
COMMENT ON COLUMN marts.period_groups.ref_version IS 'Phiên bản danh sách tổ dân phố đã dùng / Groups-list version used';
COMMENT ON COLUMN marts.period_groups.valid_from IS 'Phiên bản áp dụng từ ngày / Version valid from';
