-- Reverses 0015: plans and Stripe subscriptions on tenants, usage reporting to Stripe.
SELECT pgboss.delete_queue('usage.report');
SELECT pgboss.delete_queue('usage.report.dead');
DROP INDEX IF EXISTS tenants_stripe_customer_id_key;
ALTER TABLE usage_records DROP COLUMN IF EXISTS plan;
ALTER TABLE tenants DROP COLUMN IF EXISTS past_due_since;
ALTER TABLE tenants DROP COLUMN IF EXISTS period_end;
ALTER TABLE tenants DROP COLUMN IF EXISTS period_start;
ALTER TABLE tenants DROP COLUMN IF EXISTS subscription_status;
ALTER TABLE tenants DROP COLUMN IF EXISTS stripe_subscription_id;
ALTER TABLE tenants DROP COLUMN IF EXISTS stripe_customer_id;
ALTER TABLE tenants DROP COLUMN IF EXISTS plan;
