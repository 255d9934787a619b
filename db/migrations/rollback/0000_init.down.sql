-- Reverses 0000: drops every table it created (policies and indexes go with them).
-- Destroys data: run only on a database you mean to empty.
DROP TABLE IF EXISTS
  webhook_deliveries, webhook_endpoints, usage_records, stripe_events,
  call_events, call_turns, calls, phone_numbers, agents,
  audit_log, api_keys, sessions, memberships, users, tenants
  CASCADE;
