-- Shared expressions of the marts, declared once.
-- The same address however it was typed: case, spacing and diacritics (đ too) ignored; empty is NULL.
CREATE OR REPLACE MACRO marts.address_key(address) AS
    nullif(
        regexp_replace(strip_accents(replace(lower(trim(coalesce(address, ''))), 'đ', 'd')), '\s+', ' ', 'g'),
        ''
    );

-- The months a loaded file reports on: those its accepted rows fall in (report_months), else every
-- month from its first to its last date.
CREATE OR REPLACE MACRO marts.upload_months(report_months, period_start, period_end) AS
    coalesce(
        report_months,
        generate_series(date_trunc('month', period_start), date_trunc('month', period_end), INTERVAL 1 MONTH)::DATE[]
    );
