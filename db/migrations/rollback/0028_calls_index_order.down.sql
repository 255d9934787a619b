-- Reverses 0028: the indexes go back to DESC NULLS LAST (which the lists' ORDER BY … DESC cannot use).
DROP INDEX IF EXISTS calls_tenant_open_idx;
DROP INDEX IF EXISTS calls_tenant_created_id_idx;
DROP INDEX IF EXISTS calls_tenant_agent_created_idx;
DROP INDEX IF EXISTS audit_log_tenant_created_idx;
DROP INDEX IF EXISTS usage_records_tenant_created_idx;
DROP INDEX IF EXISTS webhook_deliveries_tenant_created_idx;
CREATE INDEX calls_tenant_created_idx ON calls USING btree (tenant_id, created_at DESC NULLS LAST);
CREATE INDEX calls_tenant_agent_created_idx ON calls USING btree (tenant_id, agent_id, created_at DESC NULLS LAST);
CREATE INDEX audit_log_tenant_created_idx ON audit_log USING btree (tenant_id, created_at DESC NULLS LAST);
CREATE INDEX usage_records_tenant_created_idx ON usage_records USING btree (tenant_id, created_at DESC NULLS LAST);
CREATE INDEX webhook_deliveries_tenant_created_idx ON webhook_deliveries USING btree (tenant_id, created_at DESC NULLS LAST);
