ALTER TABLE "campaigns" ADD COLUMN "screening_action" text DEFAULT 'state_purpose' NOT NULL;--> statement-breakpoint
ALTER TABLE "campaigns" ADD COLUMN "screening_message" text;--> statement-breakpoint
ALTER TABLE "calls" ADD COLUMN "answered_by" text;--> statement-breakpoint
ALTER TABLE "calls" ADD COLUMN "screening_action" text;--> statement-breakpoint
ALTER TABLE "calls" ADD COLUMN "screening_message" text;--> statement-breakpoint
CREATE INDEX "calls_tenant_answered_by_idx" ON "calls" USING btree ("tenant_id","answered_by","created_at" DESC NULLS FIRST) WHERE answered_by is not null;