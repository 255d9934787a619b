-- Reverses 0014: the warm-transfer fallback queue.
SELECT pgboss.delete_queue('transfer.fallback');
SELECT pgboss.delete_queue('transfer.fallback.dead');
