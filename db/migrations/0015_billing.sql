ALTER TABLE "tenants" ADD COLUMN "plan" text DEFAULT 'trial' NOT NULL;--> statement-breakpoint
ALTER TABLE "tenants" ADD COLUMN "stripe_customer_id" text;--> statement-breakpoint
ALTER TABLE "tenants" ADD COLUMN "stripe_subscription_id" text;--> statement-breakpoint
ALTER TABLE "tenants" ADD COLUMN "subscription_status" text;--> statement-breakpoint
ALTER TABLE "tenants" ADD COLUMN "period_start" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "tenants" ADD COLUMN "period_end" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "tenants" ADD COLUMN "past_due_since" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "usage_records" ADD COLUMN "plan" text;--> statement-breakpoint
CREATE UNIQUE INDEX "tenants_stripe_customer_id_key" ON "tenants" USING btree ("stripe_customer_id");--> statement-breakpoint
-- Each usage record becomes one Stripe meter event (its id the identifier), retried until Stripe has it.
SELECT pgboss.create_queue('usage.report.dead', '{"policy":"standard","retentionMinutes":43200}'::json);--> statement-breakpoint
SELECT pgboss.create_queue('usage.report', '{"policy":"standard","retryLimit":12,"retryDelay":10,"retryBackoff":true,"expireInSeconds":60,"retentionMinutes":10080,"deadLetter":"usage.report.dead"}'::json);
