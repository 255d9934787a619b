-- The application role: it logs in, but is neither superuser, table owner nor BYPASSRLS, so every
-- policy applies to it. Roles are cluster-wide, so create it only once; its password (if any)
-- is set by the operator, never here.
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'bvrai_app') THEN
    CREATE ROLE bvrai_app LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS;
  END IF;
END
$$;--> statement-breakpoint
GRANT USAGE ON SCHEMA public TO bvrai_app;--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO bvrai_app;--> statement-breakpoint
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO bvrai_app;--> statement-breakpoint
-- Nothing deletes a call, its transcript, a usage record or an audit row from the application.
REVOKE DELETE ON calls, call_turns, call_events, usage_records, audit_log, stripe_events FROM bvrai_app;--> statement-breakpoint
-- FORCE makes the owner obey the policies too; only superusers (migrations) remain above them.
ALTER TABLE tenants FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE memberships FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE api_keys FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE audit_log FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE agents FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE phone_numbers FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE calls FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE call_turns FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE call_events FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE usage_records FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE webhook_endpoints FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE webhook_deliveries FORCE ROW LEVEL SECURITY;
