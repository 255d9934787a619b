CREATE TABLE "widgets" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"agent_id" uuid NOT NULL,
	"publishable_key" text NOT NULL,
	"allowed_origins" text[] DEFAULT '{}'::text[] NOT NULL,
	"button_text" text DEFAULT 'Talk to us' NOT NULL,
	"color" text DEFAULT '#4f46e5' NOT NULL,
	"text_color" text DEFAULT '#ffffff' NOT NULL,
	"position" text DEFAULT 'bottom-right' NOT NULL,
	"greeting" text DEFAULT '' NOT NULL,
	"consent_text" text DEFAULT '' NOT NULL,
	"max_concurrent_sessions" integer DEFAULT 5 NOT NULL,
	"max_session_seconds" integer DEFAULT 600 NOT NULL,
	"calls_per_visitor_per_hour" integer DEFAULT 5 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "widgets_limits_positive" CHECK ("widgets"."max_concurrent_sessions" > 0 and "widgets"."max_session_seconds" > 0 and "widgets"."calls_per_visitor_per_hour" > 0)
);
--> statement-breakpoint
ALTER TABLE "widgets" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "calls" ADD COLUMN "widget_id" uuid;--> statement-breakpoint
ALTER TABLE "calls" ADD COLUMN "origin" text;--> statement-breakpoint
ALTER TABLE "widgets" ADD CONSTRAINT "widgets_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "widgets" ADD CONSTRAINT "widgets_agent_id_agents_id_fk" FOREIGN KEY ("agent_id") REFERENCES "public"."agents"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "widgets_publishable_key_key" ON "widgets" USING btree ("publishable_key");--> statement-breakpoint
CREATE UNIQUE INDEX "widgets_agent_key" ON "widgets" USING btree ("agent_id");--> statement-breakpoint
CREATE INDEX "calls_tenant_widget_status_idx" ON "calls" USING btree ("tenant_id","widget_id","status") WHERE widget_id is not null;--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "widgets" AS PERMISSIVE FOR ALL TO public USING ("tenant_id" = nullif(current_setting('app.tenant_id', true), '')::uuid) WITH CHECK ("tenant_id" = nullif(current_setting('app.tenant_id', true), '')::uuid);--> statement-breakpoint
CREATE POLICY "widget_by_publishable_key" ON "widgets" AS PERMISSIVE FOR SELECT TO public USING ("widgets"."publishable_key" = nullif(current_setting('app.publishable_key', true), ''));--> statement-breakpoint
ALTER TABLE widgets FORCE ROW LEVEL SECURITY;--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE, DELETE ON widgets TO bvrai_app;
