-- Phiếu báo hỏng đèn chưa sửa, đã quá hạn sửa chữa
-- Street-light faults still open past the repair deadline
SELECT l.ticket_id, l.unit_code, l.group_code, l.street, l.lamp_id, l.reported_on,
       date_diff('day', l.reported_on, s.as_of) AS days_open
FROM lighting_repairs AS l
CROSS JOIN marts.settings_params AS s
WHERE l.status = 'open' AND date_diff('day', l.reported_on, s.as_of) > s.lighting_repair_days
ORDER BY days_open DESC
