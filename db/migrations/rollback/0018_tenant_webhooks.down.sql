-- Reverses 0018: tenant webhook delivery (queues, sealed bodies, secret rotation, disabling).
SELECT pgboss.delete_queue('webhook.deliver');
SELECT pgboss.delete_queue('webhook.event');
SELECT pgboss.delete_queue('webhook.event.dead');
ALTER TABLE webhook_deliveries DROP COLUMN IF EXISTS body, DROP COLUMN IF EXISTS last_response, DROP COLUMN IF EXISTS last_attempt_at;
ALTER TABLE webhook_endpoints DROP COLUMN IF EXISTS disabled_reason, DROP COLUMN IF EXISTS previous_secret, DROP COLUMN IF EXISTS previous_secret_expires_at;
