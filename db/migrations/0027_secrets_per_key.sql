-- Stored API answers were kept per tenant and in clear (one key could replay another's answer, a
-- webhook's signing secret included): they cannot be attributed to a key now, so they go. A
-- client retrying across the deploy runs its request again, as after the 24 hours (docs/decisions/0024).
DELETE FROM "idempotency_keys";--> statement-breakpoint
DROP INDEX "idempotency_keys_tenant_key";--> statement-breakpoint
ALTER TABLE "idempotency_keys" ALTER COLUMN "body" SET DATA TYPE text USING NULL;--> statement-breakpoint
ALTER TABLE "idempotency_keys" ADD COLUMN "api_key_id" uuid NOT NULL;--> statement-breakpoint
ALTER TABLE "idempotency_keys" ADD CONSTRAINT "idempotency_keys_api_key_id_api_keys_id_fk" FOREIGN KEY ("api_key_id") REFERENCES "public"."api_keys"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "idempotency_keys_api_key_key" ON "idempotency_keys" USING btree ("tenant_id","api_key_id","key");--> statement-breakpoint
-- Versions stay history: the app role may change only their settings (HTTP tools' header values,
-- re-sealed by `npm run pii:rotate`), and only in a maintenance transaction.
CREATE POLICY "maintenance_reseal" ON "agent_versions" AS RESTRICTIVE FOR UPDATE TO public USING (current_setting('app.maintenance', true) = 'on');--> statement-breakpoint
GRANT UPDATE (settings) ON agent_versions TO bvrai_app;
