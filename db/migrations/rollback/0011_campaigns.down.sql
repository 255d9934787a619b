-- Reverses 0011: campaigns and their rows, and the link from calls to a campaign row.
ALTER TABLE calls DROP COLUMN IF EXISTS campaign_row_id;
DROP TABLE IF EXISTS campaign_rows;
DROP TABLE IF EXISTS campaigns;
