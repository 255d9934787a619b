-- Reverses 0012: Twilio's price per call and the job that fetches it.
SELECT pgboss.delete_queue('call.price');
SELECT pgboss.delete_queue('call.price.dead');
ALTER TABLE calls DROP COLUMN IF EXISTS provider_price_unit;
ALTER TABLE calls DROP COLUMN IF EXISTS provider_price_micros;
