CREATE TABLE "sms_campaigns" (
	"id" uuid PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"template" text NOT NULL,
	"type" text NOT NULL,
	"sender" text NOT NULL,
	"encoding" text NOT NULL,
	"throttle_per_sec" integer,
	"state" text NOT NULL,
	"audience" jsonb NOT NULL,
	"total" integer NOT NULL,
	"rejected" integer NOT NULL,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	"started_at" timestamp with time zone,
	"finished_at" timestamp with time zone
);
--> statement-breakpoint
DROP INDEX "sms_messages_campaign_idx";--> statement-breakpoint
CREATE INDEX "sms_messages_retry_idx" ON "sms_messages" USING btree ("next_attempt_at");--> statement-breakpoint
CREATE INDEX "sms_messages_campaign_idx" ON "sms_messages" USING btree ("campaign_id","status","created_at","id");