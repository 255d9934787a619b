CREATE TABLE "campaign_rows" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"campaign_id" uuid NOT NULL,
	"row_number" integer NOT NULL,
	"phone" text NOT NULL,
	"variables" text NOT NULL,
	"timezone" text NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"next_attempt_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_call_id" uuid,
	"claimed_at" timestamp with time zone,
	"result" jsonb,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "campaign_rows" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "campaigns" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"name" text NOT NULL,
	"agent_id" uuid NOT NULL,
	"from_number_ids" uuid[] NOT NULL,
	"status" text DEFAULT 'running' NOT NULL,
	"window_start_minute" integer DEFAULT 540 NOT NULL,
	"window_end_minute" integer DEFAULT 1020 NOT NULL,
	"default_timezone" text DEFAULT 'America/New_York' NOT NULL,
	"calls_per_minute" integer DEFAULT 10 NOT NULL,
	"max_concurrent" integer DEFAULT 5 NOT NULL,
	"max_attempts" integer DEFAULT 2 NOT NULL,
	"retry_delay_minutes" integer DEFAULT 60 NOT NULL,
	"machine_detection" text DEFAULT 'off' NOT NULL,
	"voicemail_message" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "campaigns" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "calls" ADD COLUMN "campaign_row_id" uuid;--> statement-breakpoint
ALTER TABLE "campaign_rows" ADD CONSTRAINT "campaign_rows_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "campaign_rows" ADD CONSTRAINT "campaign_rows_campaign_id_campaigns_id_fk" FOREIGN KEY ("campaign_id") REFERENCES "public"."campaigns"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "campaigns" ADD CONSTRAINT "campaigns_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "campaigns" ADD CONSTRAINT "campaigns_agent_id_agents_id_fk" FOREIGN KEY ("agent_id") REFERENCES "public"."agents"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "campaign_rows_campaign_row_key" ON "campaign_rows" USING btree ("campaign_id","row_number");--> statement-breakpoint
CREATE INDEX "campaign_rows_due_idx" ON "campaign_rows" USING btree ("tenant_id","campaign_id","status","next_attempt_at");--> statement-breakpoint
CREATE INDEX "campaigns_tenant_created_idx" ON "campaigns" USING btree ("tenant_id","created_at" DESC NULLS LAST);--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "campaign_rows" AS PERMISSIVE FOR ALL TO public USING ("tenant_id" = nullif(current_setting('app.tenant_id', true), '')::uuid) WITH CHECK ("tenant_id" = nullif(current_setting('app.tenant_id', true), '')::uuid);--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "campaigns" AS PERMISSIVE FOR ALL TO public USING ("tenant_id" = nullif(current_setting('app.tenant_id', true), '')::uuid) WITH CHECK ("tenant_id" = nullif(current_setting('app.tenant_id', true), '')::uuid);--> statement-breakpoint
ALTER TABLE campaigns FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE campaign_rows FORCE ROW LEVEL SECURITY;--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE, DELETE ON campaigns, campaign_rows TO bvrai_app;
