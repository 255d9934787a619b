-- The lost-call sweep reads any tenant's open calls as a role of its own, so its policies are no
-- longer OR'ed into the app's tenant predicate on every query of calls (docs/decisions/0039). The
-- app sets the role for the sweep's transaction only; it must not inherit the role's policies, so
-- bvrai_app is NOINHERIT (its only membership). Roles are cluster-wide: created once.
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'bvrai_call_sweep') THEN
    CREATE ROLE bvrai_call_sweep NOLOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS;
  END IF;
END
$$;--> statement-breakpoint
ALTER ROLE bvrai_app NOINHERIT;--> statement-breakpoint
GRANT bvrai_call_sweep TO bvrai_app;--> statement-breakpoint
GRANT USAGE ON SCHEMA public TO bvrai_call_sweep;--> statement-breakpoint
GRANT SELECT ON calls TO bvrai_call_sweep;--> statement-breakpoint
ALTER POLICY "maintenance_open_calls" ON "calls" TO bvrai_call_sweep USING (current_setting('app.maintenance', true) = 'on' AND "calls"."ended_at" IS NULL AND "calls"."started_at" IS NOT NULL);--> statement-breakpoint
ALTER POLICY "maintenance_ringing_web_calls" ON "calls" TO bvrai_call_sweep USING (current_setting('app.maintenance', true) = 'on' AND "calls"."ended_at" IS NULL AND "calls"."status" = 'ringing' AND "calls"."direction" = 'web');
