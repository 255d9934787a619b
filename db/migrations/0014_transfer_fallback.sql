-- A warm transfer's person could not be reached: a job tells the caller, who is waiting on hold.
SELECT pgboss.create_queue('transfer.fallback.dead', '{"policy":"standard","retentionMinutes":43200}'::json);--> statement-breakpoint
SELECT pgboss.create_queue('transfer.fallback', '{"policy":"standard","retryLimit":3,"retryDelay":2,"retryBackoff":true,"expireInSeconds":60,"retentionMinutes":10080,"deadLetter":"transfer.fallback.dead"}'::json);
