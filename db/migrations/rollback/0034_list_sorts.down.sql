-- Reverses 0034: the calls list loses its duration and cost sorts (docs/decisions/0053); no data is lost.
DROP INDEX IF EXISTS calls_tenant_cost_idx;
DROP INDEX IF EXISTS calls_tenant_duration_idx;
