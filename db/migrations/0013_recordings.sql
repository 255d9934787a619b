CREATE TABLE "recordings" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"call_id" uuid NOT NULL,
	"provider_recording_sid" text NOT NULL,
	"provider_media_url" text NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"channels" integer,
	"duration_seconds" integer,
	"storage_key" text,
	"bytes" integer,
	"content_type" text,
	"error" text,
	"stored_at" timestamp with time zone,
	"provider_deleted_at" timestamp with time zone,
	"deleted_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "recordings" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "tenants" ADD COLUMN "recording_retention_days" integer DEFAULT 30 NOT NULL;--> statement-breakpoint
ALTER TABLE "agents" ADD COLUMN "record_calls" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "agents" ADD COLUMN "recording_disclosure" text;--> statement-breakpoint
ALTER TABLE "recordings" ADD CONSTRAINT "recordings_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "recordings" ADD CONSTRAINT "recordings_call_id_calls_id_fk" FOREIGN KEY ("call_id") REFERENCES "public"."calls"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "recordings_provider_recording_sid_key" ON "recordings" USING btree ("provider_recording_sid");--> statement-breakpoint
CREATE INDEX "recordings_tenant_call_idx" ON "recordings" USING btree ("tenant_id","call_id");--> statement-breakpoint
CREATE INDEX "recordings_stored_idx" ON "recordings" USING btree ("tenant_id","stored_at") WHERE status = 'stored';--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "recordings" AS PERMISSIVE FOR ALL TO public USING ("tenant_id" = nullif(current_setting('app.tenant_id', true), '')::uuid) WITH CHECK ("tenant_id" = nullif(current_setting('app.tenant_id', true), '')::uuid);--> statement-breakpoint
ALTER TABLE recordings FORCE ROW LEVEL SECURITY;--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE, DELETE ON recordings TO bvrai_app;--> statement-breakpoint
-- Copying a finished recording to our store retries with backoff (Twilio or the store may be down).
SELECT pgboss.create_queue('recording.store.dead', '{"policy":"standard","retentionMinutes":43200}'::json);--> statement-breakpoint
SELECT pgboss.create_queue('recording.store', '{"policy":"standard","retryLimit":10,"retryDelay":30,"retryBackoff":true,"expireInSeconds":300,"retentionMinutes":10080,"deadLetter":"recording.store.dead"}'::json);
