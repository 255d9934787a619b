CREATE TABLE "twilio_accounts" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"account_sid" text NOT NULL,
	"auth_token" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "twilio_accounts" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "tenants" ADD COLUMN "max_phone_numbers" integer DEFAULT 3 NOT NULL;--> statement-breakpoint
ALTER TABLE "phone_numbers" ADD COLUMN "friendly_name" text;--> statement-breakpoint
ALTER TABLE "phone_numbers" ADD COLUMN "twilio_account_id" uuid;--> statement-breakpoint
ALTER TABLE "phone_numbers" ADD COLUMN "config_drift" text;--> statement-breakpoint
ALTER TABLE "phone_numbers" ADD COLUMN "config_checked_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "twilio_accounts" ADD CONSTRAINT "twilio_accounts_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "twilio_accounts_account_sid_key" ON "twilio_accounts" USING btree ("account_sid");--> statement-breakpoint
CREATE UNIQUE INDEX "twilio_accounts_one_subaccount_key" ON "twilio_accounts" USING btree ("tenant_id") WHERE kind = 'subaccount';--> statement-breakpoint
ALTER TABLE "phone_numbers" ADD CONSTRAINT "phone_numbers_twilio_account_id_twilio_accounts_id_fk" FOREIGN KEY ("twilio_account_id") REFERENCES "public"."twilio_accounts"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "twilio_accounts" AS PERMISSIVE FOR ALL TO public USING ("tenant_id" = nullif(current_setting('app.tenant_id', true), '')::uuid) WITH CHECK ("tenant_id" = nullif(current_setting('app.tenant_id', true), '')::uuid);--> statement-breakpoint
CREATE POLICY "twilio_account_by_sid" ON "twilio_accounts" AS PERMISSIVE FOR SELECT TO public USING ("twilio_accounts"."account_sid" = nullif(current_setting('app.twilio_account_sid', true), ''));--> statement-breakpoint
ALTER TABLE twilio_accounts FORCE ROW LEVEL SECURITY;--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE, DELETE ON twilio_accounts TO bvrai_app;
