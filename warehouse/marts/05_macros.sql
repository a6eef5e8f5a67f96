-- Shared expressions of the marts, declared once.
-- The same address however it was typed: case, spacing and diacritics (đ too) ignored; empty is NULL.
CREATE OR REPLACE MACRO marts.address_key(address) AS
    nullif(
        regexp_replace(strip_accents(replace(lower(trim(coalesce(address, ''))), 'đ', 'd')), '\s+', ' ', 'g'),
        ''
    );
