-- Reverses 0033: how outbound calls were answered, and what their agents do when screened, are forgotten.
DROP INDEX IF EXISTS "calls_tenant_answered_by_idx";
ALTER TABLE "calls" DROP COLUMN IF EXISTS "screening_message";
ALTER TABLE "calls" DROP COLUMN IF EXISTS "screening_action";
ALTER TABLE "calls" DROP COLUMN IF EXISTS "answered_by";
ALTER TABLE "campaigns" DROP COLUMN IF EXISTS "screening_message";
ALTER TABLE "campaigns" DROP COLUMN IF EXISTS "screening_action";
