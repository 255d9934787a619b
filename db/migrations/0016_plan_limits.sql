-- The number limit now comes from the tenant's plan (core/billing/plans).
ALTER TABLE "tenants" DROP COLUMN "max_phone_numbers";
