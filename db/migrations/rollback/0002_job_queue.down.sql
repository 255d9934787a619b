-- Reverses 0002: removes the job queue and every job in it.
DROP SCHEMA IF EXISTS pgboss CASCADE;
