CREATE TABLE "sms_inbound" (
	"id" uuid PRIMARY KEY NOT NULL,
	"sender" text NOT NULL,
	"recipient" text NOT NULL,
	"body" text NOT NULL,
	"parts" integer NOT NULL,
	"route" text NOT NULL,
	"fingerprint" text NOT NULL,
	"customer_id" uuid,
	"intent" text NOT NULL,
	"outcome" jsonb NOT NULL,
	"received_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "sms_inbound_parts" (
	"group_key" text NOT NULL,
	"seq" integer NOT NULL,
	"sender" text NOT NULL,
	"recipient" text NOT NULL,
	"route" text NOT NULL,
	"body" text NOT NULL,
	"bits" integer NOT NULL,
	"reference" integer NOT NULL,
	"total" integer NOT NULL,
	"received_at" timestamp with time zone NOT NULL,
	CONSTRAINT "sms_inbound_parts_group_key_seq_pk" PRIMARY KEY("group_key","seq")
);
--> statement-breakpoint
CREATE TABLE "sms_opt_outs" (
	"phone" text PRIMARY KEY NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"source" text NOT NULL,
	"keyword" text
);
--> statement-breakpoint
CREATE TABLE "sms_subscriptions" (
	"topic_id" uuid NOT NULL,
	"phone" text NOT NULL,
	"source" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "sms_subscriptions_topic_id_phone_pk" PRIMARY KEY("topic_id","phone")
);
--> statement-breakpoint
CREATE TABLE "sms_topics" (
	"id" uuid PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"keyword" text NOT NULL,
	"description" text NOT NULL,
	"type" text NOT NULL,
	"schedule" jsonb,
	"last_scheduled_at" timestamp with time zone,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "sms_topics_name_unique" UNIQUE("name"),
	CONSTRAINT "sms_topics_keyword_unique" UNIQUE("keyword")
);
--> statement-breakpoint
CREATE TABLE "webhook_deliveries" (
	"id" uuid PRIMARY KEY NOT NULL,
	"event_type" text NOT NULL,
	"url" text NOT NULL,
	"body" text NOT NULL,
	"status" text NOT NULL,
	"attempts" integer NOT NULL,
	"next_attempt_at" timestamp with time zone NOT NULL,
	"last_error" text,
	"created_at" timestamp with time zone NOT NULL,
	"delivered_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "work_order_events" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"work_order_id" uuid NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"type" text NOT NULL,
	"details" jsonb
);
--> statement-breakpoint
CREATE TABLE "work_orders" (
	"id" uuid PRIMARY KEY NOT NULL,
	"reference" serial NOT NULL,
	"title" text NOT NULL,
	"address" text,
	"notes" text,
	"technician_phone" text NOT NULL,
	"state" text NOT NULL,
	"customer_id" uuid,
	"interaction_id" uuid,
	"sms_id" uuid,
	"done_note" text,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	"acknowledged_at" timestamp with time zone,
	"done_at" timestamp with time zone,
	CONSTRAINT "work_orders_reference_unique" UNIQUE("reference")
);
--> statement-breakpoint
ALTER TABLE "sms_subscriptions" ADD CONSTRAINT "sms_subscriptions_topic_id_sms_topics_id_fk" FOREIGN KEY ("topic_id") REFERENCES "public"."sms_topics"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "work_order_events" ADD CONSTRAINT "work_order_events_work_order_id_work_orders_id_fk" FOREIGN KEY ("work_order_id") REFERENCES "public"."work_orders"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "sms_inbound_sender_idx" ON "sms_inbound" USING btree ("sender","received_at");--> statement-breakpoint
CREATE INDEX "sms_inbound_fingerprint_idx" ON "sms_inbound" USING btree ("fingerprint","received_at");--> statement-breakpoint
CREATE INDEX "sms_inbound_received_idx" ON "sms_inbound" USING btree ("received_at");--> statement-breakpoint
CREATE INDEX "sms_inbound_parts_at_idx" ON "sms_inbound_parts" USING btree ("received_at");--> statement-breakpoint
CREATE INDEX "sms_subscriptions_phone_idx" ON "sms_subscriptions" USING btree ("phone");--> statement-breakpoint
CREATE INDEX "webhook_deliveries_due_idx" ON "webhook_deliveries" USING btree ("status","next_attempt_at");--> statement-breakpoint
CREATE INDEX "work_order_events_order_idx" ON "work_order_events" USING btree ("work_order_id","id");--> statement-breakpoint
CREATE INDEX "work_orders_state_idx" ON "work_orders" USING btree ("state","created_at");