CREATE TABLE "sms_events" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"message_id" uuid NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"type" text NOT NULL,
	"details" jsonb
);
--> statement-breakpoint
CREATE TABLE "sms_messages" (
	"id" uuid PRIMARY KEY NOT NULL,
	"sender" text NOT NULL,
	"recipient" text NOT NULL,
	"body" text NOT NULL,
	"encoding" text NOT NULL,
	"segments" integer NOT NULL,
	"type" text DEFAULT 'notification' NOT NULL,
	"priority" integer NOT NULL,
	"status" text NOT NULL,
	"error_code" integer,
	"concat_ref" integer,
	"idempotency_key" text,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	"next_attempt_at" timestamp with time zone,
	"submitted_at" timestamp with time zone,
	"done_at" timestamp with time zone,
	CONSTRAINT "sms_messages_idempotency_key_unique" UNIQUE("idempotency_key")
);
--> statement-breakpoint
CREATE TABLE "sms_segments" (
	"message_id" uuid NOT NULL,
	"seq" integer NOT NULL,
	"status" text NOT NULL,
	"smsc_message_key" text,
	"smsc_message_id" text,
	"error_code" integer,
	"submitted_at" timestamp with time zone,
	"done_at" timestamp with time zone,
	CONSTRAINT "sms_segments_message_id_seq_pk" PRIMARY KEY("message_id","seq")
);
--> statement-breakpoint
ALTER TABLE "sms_events" ADD CONSTRAINT "sms_events_message_id_sms_messages_id_fk" FOREIGN KEY ("message_id") REFERENCES "public"."sms_messages"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sms_segments" ADD CONSTRAINT "sms_segments_message_id_sms_messages_id_fk" FOREIGN KEY ("message_id") REFERENCES "public"."sms_messages"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "sms_events_message_idx" ON "sms_events" USING btree ("message_id","id");--> statement-breakpoint
CREATE INDEX "sms_messages_due_idx" ON "sms_messages" USING btree ("status","priority","created_at");--> statement-breakpoint
CREATE INDEX "sms_messages_recipient_idx" ON "sms_messages" USING btree ("recipient","created_at");--> statement-breakpoint
CREATE INDEX "sms_segments_smsc_key_idx" ON "sms_segments" USING btree ("smsc_message_key");--> statement-breakpoint
CREATE INDEX "sms_segments_status_idx" ON "sms_segments" USING btree ("status");