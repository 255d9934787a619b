-- Reverses 0031: the daily roll-up by agent and number (the usage records it summed stay; the
-- hourly roll-up goes back to 0029's trigger), and the list indexes' old DESC NULLS LAST order.
DROP TRIGGER IF EXISTS usage_records_hourly ON usage_records;
CREATE OR REPLACE FUNCTION usage_hourly_follow() RETURNS trigger LANGUAGE plpgsql AS $$
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
END $$;
CREATE OR REPLACE FUNCTION usage_hourly_clear() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  TRUNCATE usage_hourly;
  RETURN NULL;
END $$;
CREATE TRIGGER usage_records_hourly AFTER INSERT OR DELETE OR UPDATE OF tenant_id, quantity, amount_micros, created_at
  ON usage_records FOR EACH ROW EXECUTE FUNCTION usage_hourly_follow();
DROP FUNCTION IF EXISTS usage_daily_add(usage_records, integer);
DROP TABLE IF EXISTS usage_daily;
DROP INDEX IF EXISTS api_keys_tenant_created_idx;
CREATE INDEX api_keys_tenant_created_idx ON api_keys USING btree (tenant_id, created_at DESC NULLS LAST);
DROP INDEX IF EXISTS invitations_tenant_created_idx;
CREATE INDEX invitations_tenant_created_idx ON invitations USING btree (tenant_id, created_at DESC NULLS LAST);
DROP INDEX IF EXISTS webhook_endpoints_tenant_idx;
CREATE INDEX webhook_endpoints_tenant_idx ON webhook_endpoints USING btree (tenant_id, created_at DESC NULLS LAST);
DROP INDEX IF EXISTS campaigns_tenant_created_idx;
CREATE INDEX campaigns_tenant_created_idx ON campaigns USING btree (tenant_id, created_at DESC NULLS LAST);
DROP INDEX IF EXISTS kb_documents_base_idx;
CREATE INDEX kb_documents_base_idx ON kb_documents USING btree (tenant_id, knowledge_base_id, created_at DESC NULLS LAST);
DROP INDEX IF EXISTS test_runs_tenant_idx;
CREATE INDEX test_runs_tenant_idx ON test_runs USING btree (tenant_id, suite_id, created_at DESC NULLS LAST);
DROP INDEX IF EXISTS test_suites_tenant_idx;
CREATE INDEX test_suites_tenant_idx ON test_suites USING btree (tenant_id, created_at DESC NULLS LAST);
DROP INDEX IF EXISTS agents_tenant_created_idx;
CREATE INDEX agents_tenant_created_idx ON agents USING btree (tenant_id, created_at DESC NULLS LAST) WHERE deleted_at is null;
DROP INDEX IF EXISTS phone_numbers_tenant_idx;
CREATE INDEX phone_numbers_tenant_idx ON phone_numbers USING btree (tenant_id, created_at DESC NULLS LAST);
