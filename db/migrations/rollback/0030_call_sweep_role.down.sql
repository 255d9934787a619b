-- Reverses 0030: the sweep's policies apply to everyone again. The role, its membership and
-- bvrai_app's NOINHERIT are cluster-wide and may serve other databases, so they stay (harmless:
-- without these policies the role reads nothing).
ALTER POLICY "maintenance_open_calls" ON "calls" TO public;
ALTER POLICY "maintenance_ringing_web_calls" ON "calls" TO public;
REVOKE SELECT ON calls FROM bvrai_call_sweep;
REVOKE USAGE ON SCHEMA public FROM bvrai_call_sweep;
