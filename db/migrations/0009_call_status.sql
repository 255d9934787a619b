ALTER TABLE "calls" ADD COLUMN "provider_status" text;--> statement-breakpoint
ALTER TABLE "calls" ADD COLUMN "provider_status_rank" integer DEFAULT -1 NOT NULL;--> statement-breakpoint
ALTER TABLE "calls" ADD COLUMN "provider_duration_seconds" integer;