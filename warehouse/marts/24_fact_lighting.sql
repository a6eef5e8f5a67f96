-- Phiếu sửa đèn chiếu sáng (trừ phiếu hủy), mỗi phiếu một dòng.
CREATE OR REPLACE TABLE marts.fact_lighting AS
WITH tickets AS (
    SELECT unit_code, ticket_id, group_code, reported_on, repaired_on, status
    FROM core.lighting_repairs
    WHERE status <> 'cancelled'
),
final AS (
    SELECT
        group_code,
        unit_code,
        ticket_id,
        reported_on,
        CASE WHEN status = 'repaired' THEN repaired_on END AS repaired_on,
        status,
        CASE WHEN status = 'repaired' THEN repaired_on - reported_on END AS repair_days
    FROM tickets
)
SELECT * FROM final;

COMMENT ON TABLE marts.fact_lighting IS 'Phiếu báo hỏng đèn chiếu sáng còn hiệu lực (trừ phiếu hủy) / Street-light fault tickets, cancelled ones left out';
COMMENT ON COLUMN marts.fact_lighting.group_code IS 'Mã tổ dân phố / Group code';
COMMENT ON COLUMN marts.fact_lighting.unit_code IS 'Đơn vị gửi / Sending unit';
COMMENT ON COLUMN marts.fact_lighting.ticket_id IS 'Mã phiếu / Ticket id';
COMMENT ON COLUMN marts.fact_lighting.reported_on IS 'Ngày tiếp nhận / Date reported';
COMMENT ON COLUMN marts.fact_lighting.repaired_on IS 'Ngày sửa xong (chỉ với phiếu Đã sửa) / Date repaired (repaired tickets only)';
COMMENT ON COLUMN marts.fact_lighting.status IS 'Trạng thái: open (Chưa xử lý), repaired (Đã sửa) / Status';
COMMENT ON COLUMN marts.fact_lighting.repair_days IS 'Số ngày từ tiếp nhận đến sửa xong / Days from report to repair';
