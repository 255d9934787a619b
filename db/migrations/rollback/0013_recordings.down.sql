-- Reverses 0013: call recordings, their copy job, and the agent and tenant settings for them.
-- Recordings already in the object store are not deleted by this: empty the bucket's prefix first.
SELECT pgboss.delete_queue('recording.store');
SELECT pgboss.delete_queue('recording.store.dead');
DROP TABLE IF EXISTS recordings;
ALTER TABLE agents DROP COLUMN IF EXISTS recording_disclosure;
ALTER TABLE agents DROP COLUMN IF EXISTS record_calls;
ALTER TABLE tenants DROP COLUMN IF EXISTS recording_retention_days;
