-- Reverses 0005: tenants' own provider keys (they are encrypted; nothing else refers to them).
DROP TABLE IF EXISTS provider_credentials;
