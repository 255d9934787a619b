ALTER TABLE "calls" ADD COLUMN "provider_price_micros" bigint;--> statement-breakpoint
ALTER TABLE "calls" ADD COLUMN "provider_price_unit" text;--> statement-breakpoint
-- Twilio sets a call's price a little after it ends: fetched by a job that retries until it is there.
SELECT pgboss.create_queue('call.price.dead', '{"policy":"standard","retentionMinutes":43200}'::json);--> statement-breakpoint
SELECT pgboss.create_queue('call.price', '{"policy":"standard","retryLimit":8,"retryDelay":30,"retryBackoff":true,"expireInSeconds":60,"retentionMinutes":10080,"deadLetter":"call.price.dead"}'::json);--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA pgboss TO bvrai_app;
