CREATE TABLE "usage_daily" (
	"tenant_id" uuid NOT NULL,
	"day" date NOT NULL,
	"agent_id" uuid,
	"phone_number_id" uuid,
	"calls" integer NOT NULL,
	"seconds" bigint NOT NULL,
	"micros" bigint NOT NULL,
	CONSTRAINT "usage_daily_line_key" UNIQUE NULLS NOT DISTINCT("tenant_id","day","agent_id","phone_number_id")
);
--> statement-breakpoint
ALTER TABLE "usage_daily" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
DROP INDEX "api_keys_tenant_created_idx";--> statement-breakpoint
DROP INDEX "invitations_tenant_created_idx";--> statement-breakpoint
DROP INDEX "webhook_endpoints_tenant_idx";--> statement-breakpoint
DROP INDEX "campaigns_tenant_created_idx";--> statement-breakpoint
DROP INDEX "kb_documents_base_idx";--> statement-breakpoint
DROP INDEX "test_runs_tenant_idx";--> statement-breakpoint
DROP INDEX "test_suites_tenant_idx";--> statement-breakpoint
DROP INDEX "agents_tenant_created_idx";--> statement-breakpoint
DROP INDEX "phone_numbers_tenant_idx";--> statement-breakpoint
ALTER TABLE "usage_daily" ADD CONSTRAINT "usage_daily_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "api_keys_tenant_created_idx" ON "api_keys" USING btree ("tenant_id","created_at" DESC NULLS FIRST);--> statement-breakpoint
CREATE INDEX "invitations_tenant_created_idx" ON "invitations" USING btree ("tenant_id","created_at" DESC NULLS FIRST);--> statement-breakpoint
CREATE INDEX "webhook_endpoints_tenant_idx" ON "webhook_endpoints" USING btree ("tenant_id","created_at" DESC NULLS FIRST);--> statement-breakpoint
CREATE INDEX "campaigns_tenant_created_idx" ON "campaigns" USING btree ("tenant_id","created_at" DESC NULLS FIRST);--> statement-breakpoint
CREATE INDEX "kb_documents_base_idx" ON "kb_documents" USING btree ("tenant_id","knowledge_base_id","created_at" DESC NULLS FIRST);--> statement-breakpoint
CREATE INDEX "test_runs_tenant_idx" ON "test_runs" USING btree ("tenant_id","suite_id","created_at" DESC NULLS FIRST);--> statement-breakpoint
CREATE INDEX "test_suites_tenant_idx" ON "test_suites" USING btree ("tenant_id","created_at" DESC NULLS FIRST);--> statement-breakpoint
CREATE INDEX "agents_tenant_created_idx" ON "agents" USING btree ("tenant_id","created_at" DESC NULLS FIRST) WHERE deleted_at is null;--> statement-breakpoint
CREATE INDEX "phone_numbers_tenant_idx" ON "phone_numbers" USING btree ("tenant_id","created_at" DESC NULLS FIRST);--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "usage_daily" AS PERMISSIVE FOR ALL TO public USING ("tenant_id" = nullif(current_setting('app.tenant_id', true), '')::uuid) WITH CHECK ("tenant_id" = nullif(current_setting('app.tenant_id', true), '')::uuid);--> statement-breakpoint
ALTER TABLE usage_daily FORCE ROW LEVEL SECURITY;--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE ON usage_daily TO bvrai_app;--> statement-breakpoint
-- The daily roll-up by agent and number moves with every change of a usage record, in the same
-- trigger and transaction as the hourly one (docs/decisions/0041). The call's agent and number
-- are read as they are now: when an agent or number is deleted the call's reference goes null, and
-- both the roll-up's stale id and the null label the same way on the usage page.
CREATE FUNCTION usage_daily_add(rec usage_records, sign integer) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  line record;
BEGIN
  SELECT c.agent_id, c.phone_number_id INTO line FROM calls c WHERE c.id = rec.call_id;
  INSERT INTO usage_daily AS d (tenant_id, day, agent_id, phone_number_id, calls, seconds, micros)
  VALUES (rec.tenant_id, (rec.created_at AT TIME ZONE 'UTC')::date, line.agent_id, line.phone_number_id,
          sign, sign * rec.quantity, sign * rec.amount_micros)
  ON CONFLICT ON CONSTRAINT usage_daily_line_key DO UPDATE
    SET calls = d.calls + EXCLUDED.calls, seconds = d.seconds + EXCLUDED.seconds, micros = d.micros + EXCLUDED.micros;
END $$;--> statement-breakpoint
CREATE OR REPLACE FUNCTION usage_hourly_follow() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    UPDATE usage_hourly SET calls = calls - 1, seconds = seconds - OLD.quantity, micros = micros - OLD.amount_micros
    WHERE tenant_id = OLD.tenant_id AND hour = date_trunc('hour', OLD.created_at, 'UTC');
    PERFORM usage_daily_add(OLD, -1);
  END IF;
  IF TG_OP IN ('UPDATE', 'INSERT') THEN
    INSERT INTO usage_hourly AS h (tenant_id, hour, calls, seconds, micros)
    VALUES (NEW.tenant_id, date_trunc('hour', NEW.created_at, 'UTC'), 1, NEW.quantity, NEW.amount_micros)
    ON CONFLICT (tenant_id, hour) DO UPDATE
      SET calls = h.calls + 1, seconds = h.seconds + EXCLUDED.seconds, micros = h.micros + EXCLUDED.micros;
    PERFORM usage_daily_add(NEW, 1);
  END IF;
  RETURN NULL;
END $$;--> statement-breakpoint
CREATE OR REPLACE FUNCTION usage_hourly_clear() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  TRUNCATE usage_hourly, usage_daily;
  RETURN NULL;
END $$;--> statement-breakpoint
DROP TRIGGER usage_records_hourly ON usage_records;--> statement-breakpoint
CREATE TRIGGER usage_records_hourly AFTER INSERT OR DELETE OR UPDATE OF tenant_id, call_id, quantity, amount_micros, created_at
  ON usage_records FOR EACH ROW EXECUTE FUNCTION usage_hourly_follow();--> statement-breakpoint
INSERT INTO usage_daily (tenant_id, day, agent_id, phone_number_id, calls, seconds, micros)
SELECT u.tenant_id, (u.created_at AT TIME ZONE 'UTC')::date, c.agent_id, c.phone_number_id,
       count(*), sum(u.quantity), sum(u.amount_micros)
FROM usage_records u LEFT JOIN calls c ON c.id = u.call_id GROUP BY 1, 2, 3, 4;
