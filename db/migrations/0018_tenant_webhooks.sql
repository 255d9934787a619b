ALTER TABLE "webhook_deliveries" ADD COLUMN "body" text;--> statement-breakpoint
ALTER TABLE "webhook_deliveries" ADD COLUMN "last_response" text;--> statement-breakpoint
ALTER TABLE "webhook_deliveries" ADD COLUMN "last_attempt_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "webhook_endpoints" ADD COLUMN "disabled_reason" text;--> statement-breakpoint
ALTER TABLE "webhook_endpoints" ADD COLUMN "previous_secret" text;--> statement-breakpoint
ALTER TABLE "webhook_endpoints" ADD COLUMN "previous_secret_expires_at" timestamp with time zone;--> statement-breakpoint
SELECT pgboss.create_queue('webhook.event.dead', '{"policy":"standard","retentionMinutes":43200}'::json);--> statement-breakpoint
SELECT pgboss.create_queue('webhook.event', '{"policy":"standard","retryLimit":10,"retryDelay":5,"retryBackoff":true,"expireInSeconds":60,"retentionMinutes":10080,"deadLetter":"webhook.event.dead"}'::json);--> statement-breakpoint
SELECT pgboss.create_queue('webhook.deliver', '{"policy":"standard","retryLimit":5,"retryDelay":10,"retryBackoff":true,"expireInSeconds":60,"retentionMinutes":10080}'::json);
