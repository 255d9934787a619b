ALTER TABLE "agents" ADD COLUMN "language" text DEFAULT 'en' NOT NULL;--> statement-breakpoint
ALTER TABLE "agents" ADD COLUMN "temperature" numeric(3, 2) DEFAULT '0.70' NOT NULL;--> statement-breakpoint
ALTER TABLE "agents" ADD COLUMN "interruption_sensitivity" numeric(3, 2) DEFAULT '0.50' NOT NULL;--> statement-breakpoint
ALTER TABLE "agents" ADD COLUMN "max_duration_seconds" integer DEFAULT 1800 NOT NULL;--> statement-breakpoint
ALTER TABLE "agents" ADD COLUMN "silence_timeout_seconds" integer DEFAULT 20 NOT NULL;--> statement-breakpoint
ALTER TABLE "agents" ADD COLUMN "end_call_phrases" text[] DEFAULT '{}'::text[] NOT NULL;--> statement-breakpoint
ALTER TABLE "call_turns" ADD COLUMN "end_offset_ms" integer;--> statement-breakpoint
ALTER TABLE "call_turns" ADD COLUMN "interrupted" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "call_turns" ADD COLUMN "latency" jsonb;