-- Reverses 0024: the lost-call sweep's view of web calls never opened.
DROP POLICY IF EXISTS "maintenance_ringing_web_calls" ON "calls";
