-- Reverses 0017: stored answers to API requests made with an Idempotency-Key.
DROP TABLE IF EXISTS idempotency_keys;
