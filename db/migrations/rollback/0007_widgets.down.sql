-- Reverses 0007: website widgets and the web-call columns on calls.
DROP INDEX IF EXISTS calls_tenant_widget_status_idx;
ALTER TABLE calls DROP COLUMN IF EXISTS origin;
ALTER TABLE calls DROP COLUMN IF EXISTS widget_id;
DROP TABLE IF EXISTS widgets;
