-- Reverses 0023: the relay's heartbeat on live calls and the lost-call sweep's view of them.
DROP POLICY IF EXISTS "maintenance_open_calls" ON "calls";
ALTER TABLE "calls" DROP COLUMN IF EXISTS "last_seen_at";
