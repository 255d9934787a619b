-- Reverses 0020: post-call analysis.
SELECT pgboss.delete_queue('call.analyze');
SELECT pgboss.delete_queue('call.analyze.dead');
DROP TABLE IF EXISTS call_analyses;
ALTER TABLE agents DROP COLUMN IF EXISTS analysis_plan;
