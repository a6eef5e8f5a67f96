-- The months a file's accepted rows fall in (a correction of an old record does not make a
-- file "cover" every month in between).
ALTER TABLE raw.uploads ADD COLUMN IF NOT EXISTS report_months DATE[];
