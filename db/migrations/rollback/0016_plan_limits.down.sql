-- Reverses 0016: the per-tenant number limit returns (as it was before plans).
ALTER TABLE tenants ADD COLUMN IF NOT EXISTS max_phone_numbers integer NOT NULL DEFAULT 3;
