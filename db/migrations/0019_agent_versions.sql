CREATE TABLE "agent_versions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"agent_id" uuid NOT NULL,
	"version" integer NOT NULL,
	"settings" jsonb NOT NULL,
	"created_by" uuid,
	"restored_from" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "agent_versions" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "calls" ADD COLUMN "agent_version" integer;--> statement-breakpoint
ALTER TABLE "agent_versions" ADD CONSTRAINT "agent_versions_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "agent_versions" ADD CONSTRAINT "agent_versions_agent_id_agents_id_fk" FOREIGN KEY ("agent_id") REFERENCES "public"."agents"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "agent_versions_agent_version_key" ON "agent_versions" USING btree ("agent_id","version");--> statement-breakpoint
CREATE INDEX "agent_versions_tenant_idx" ON "agent_versions" USING btree ("tenant_id");--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "agent_versions" AS PERMISSIVE FOR ALL TO public USING ("tenant_id" = nullif(current_setting('app.tenant_id', true), '')::uuid) WITH CHECK ("tenant_id" = nullif(current_setting('app.tenant_id', true), '')::uuid);--> statement-breakpoint
ALTER TABLE agent_versions FORCE ROW LEVEL SECURITY;--> statement-breakpoint
-- Versions are history: the app may add and read them, never change or remove one.
REVOKE ALL ON agent_versions FROM bvrai_app;--> statement-breakpoint
GRANT SELECT, INSERT ON agent_versions TO bvrai_app;--> statement-breakpoint
-- Each existing agent's current state becomes its first recorded version. The owner role is
-- subject to the forced policies, so they are lifted for this one statement.
ALTER TABLE agents NO FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE agent_versions NO FORCE ROW LEVEL SECURITY;--> statement-breakpoint
INSERT INTO agent_versions (tenant_id, agent_id, version, settings, created_at)
SELECT tenant_id, id, version, jsonb_build_object(
  'name', name, 'systemPrompt', system_prompt, 'firstMessage', first_message, 'voice', voice, 'model', model,
  'mode', mode, 'language', language, 'temperature', temperature::text, 'interruptionSensitivity', interruption_sensitivity::text,
  'maxDurationSeconds', max_duration_seconds, 'silenceTimeoutSeconds', silence_timeout_seconds,
  'endCallPhrases', to_jsonb(end_call_phrases), 'tools', tools, 'recordCalls', record_calls,
  'recordingDisclosure', recording_disclosure), updated_at
FROM agents;--> statement-breakpoint
ALTER TABLE agents FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE agent_versions FORCE ROW LEVEL SECURITY;
