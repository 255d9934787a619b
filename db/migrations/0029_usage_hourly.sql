-- Usage per tenant and UTC hour, kept by trigger, so the seconds used this period (read at every
-- call's admission) are a few rows, not the whole period's records (docs/decisions/0039).
CREATE TABLE "usage_hourly" (
	"tenant_id" uuid NOT NULL,
	"hour" timestamp with time zone NOT NULL,
	"calls" integer NOT NULL,
	"seconds" bigint NOT NULL,
	"micros" bigint NOT NULL,
	CONSTRAINT "usage_hourly_tenant_id_hour_pk" PRIMARY KEY("tenant_id","hour")
);
--> statement-breakpoint
ALTER TABLE "usage_hourly" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "usage_hourly" ADD CONSTRAINT "usage_hourly_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "usage_hourly" AS PERMISSIVE FOR ALL TO public USING ("tenant_id" = nullif(current_setting('app.tenant_id', true), '')::uuid) WITH CHECK ("tenant_id" = nullif(current_setting('app.tenant_id', true), '')::uuid);--> statement-breakpoint
ALTER TABLE usage_hourly FORCE ROW LEVEL SECURITY;--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE ON usage_hourly TO bvrai_app;--> statement-breakpoint
-- The roll-up moves with every change of a usage record (the application only inserts them; an
-- operator's correction or delete is followed too), in the writer's transaction and under its RLS.
CREATE FUNCTION usage_hourly_follow() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    UPDATE usage_hourly SET calls = calls - 1, seconds = seconds - OLD.quantity, micros = micros - OLD.amount_micros
    WHERE tenant_id = OLD.tenant_id AND hour = date_trunc('hour', OLD.created_at, 'UTC');
  END IF;
  IF TG_OP IN ('UPDATE', 'INSERT') THEN
    INSERT INTO usage_hourly AS h (tenant_id, hour, calls, seconds, micros)
    VALUES (NEW.tenant_id, date_trunc('hour', NEW.created_at, 'UTC'), 1, NEW.quantity, NEW.amount_micros)
    ON CONFLICT (tenant_id, hour) DO UPDATE
      SET calls = h.calls + 1, seconds = h.seconds + EXCLUDED.seconds, micros = h.micros + EXCLUDED.micros;
  END IF;
  RETURN NULL;
END $$;--> statement-breakpoint
CREATE FUNCTION usage_hourly_clear() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  TRUNCATE usage_hourly;
  RETURN NULL;
END $$;--> statement-breakpoint
CREATE TRIGGER usage_records_hourly AFTER INSERT OR DELETE OR UPDATE OF tenant_id, quantity, amount_micros, created_at
  ON usage_records FOR EACH ROW EXECUTE FUNCTION usage_hourly_follow();--> statement-breakpoint
CREATE TRIGGER usage_records_hourly_truncate AFTER TRUNCATE ON usage_records
  FOR EACH STATEMENT EXECUTE FUNCTION usage_hourly_clear();--> statement-breakpoint
INSERT INTO usage_hourly (tenant_id, hour, calls, seconds, micros)
SELECT tenant_id, date_trunc('hour', created_at, 'UTC'), count(*), sum(quantity), sum(amount_micros)
FROM usage_records GROUP BY 1, 2;
