-- Reverses 0026: the last accepted TOTP step (codes could be replayed within their window again).
ALTER TABLE "users" DROP COLUMN IF EXISTS "totp_last_step";
