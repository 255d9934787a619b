CREATE TABLE "call_analyses" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"call_id" uuid NOT NULL,
	"status" text NOT NULL,
	"summary" text,
	"data" text,
	"success" boolean,
	"success_reason" text,
	"error" text,
	"model" text,
	"sandbox" boolean DEFAULT false NOT NULL,
	"completed_at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "call_analyses" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "agents" ADD COLUMN "analysis_plan" jsonb DEFAULT '{}'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "call_analyses" ADD CONSTRAINT "call_analyses_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "call_analyses" ADD CONSTRAINT "call_analyses_call_id_calls_id_fk" FOREIGN KEY ("call_id") REFERENCES "public"."calls"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "call_analyses_call_key" ON "call_analyses" USING btree ("call_id");--> statement-breakpoint
CREATE INDEX "call_analyses_tenant_success_idx" ON "call_analyses" USING btree ("tenant_id","success");--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "call_analyses" AS PERMISSIVE FOR ALL TO public USING ("tenant_id" = nullif(current_setting('app.tenant_id', true), '')::uuid) WITH CHECK ("tenant_id" = nullif(current_setting('app.tenant_id', true), '')::uuid);--> statement-breakpoint
ALTER TABLE call_analyses FORCE ROW LEVEL SECURITY;--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE ON call_analyses TO bvrai_app;--> statement-breakpoint
SELECT pgboss.create_queue('call.analyze.dead', '{"policy":"standard","retentionMinutes":43200}'::json);--> statement-breakpoint
SELECT pgboss.create_queue('call.analyze', '{"policy":"standard","retryLimit":4,"retryDelay":10,"retryBackoff":true,"expireInSeconds":120,"retentionMinutes":10080,"deadLetter":"call.analyze.dead"}'::json);
