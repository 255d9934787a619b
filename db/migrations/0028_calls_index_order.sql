-- Indexes in the order the queries ask for (ORDER BY created_at DESC is NULLS FIRST), the calls list's
-- (created_at, id) cursor in one index, and the open calls apart for admission (docs/decisions/0039).
DROP INDEX "calls_tenant_created_idx";--> statement-breakpoint
DROP INDEX "audit_log_tenant_created_idx";--> statement-breakpoint
DROP INDEX "usage_records_tenant_created_idx";--> statement-breakpoint
DROP INDEX "webhook_deliveries_tenant_created_idx";--> statement-breakpoint
DROP INDEX "calls_tenant_agent_created_idx";--> statement-breakpoint
CREATE INDEX "calls_tenant_created_id_idx" ON "calls" USING btree ("tenant_id","created_at" DESC NULLS FIRST,"id" DESC NULLS FIRST);--> statement-breakpoint
CREATE INDEX "calls_tenant_open_idx" ON "calls" USING btree ("tenant_id","created_at" DESC NULLS FIRST) WHERE ended_at is null;--> statement-breakpoint
CREATE INDEX "audit_log_tenant_created_idx" ON "audit_log" USING btree ("tenant_id","created_at" DESC NULLS FIRST);--> statement-breakpoint
CREATE INDEX "usage_records_tenant_created_idx" ON "usage_records" USING btree ("tenant_id","created_at" DESC NULLS FIRST);--> statement-breakpoint
CREATE INDEX "webhook_deliveries_tenant_created_idx" ON "webhook_deliveries" USING btree ("tenant_id","created_at" DESC NULLS FIRST);--> statement-breakpoint
CREATE INDEX "calls_tenant_agent_created_idx" ON "calls" USING btree ("tenant_id","agent_id","created_at" DESC NULLS FIRST);