CREATE TABLE "ivr_flow_versions" (
	"flow_id" uuid NOT NULL,
	"version" integer NOT NULL,
	"document" jsonb NOT NULL,
	"created_by" text,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "ivr_flow_versions_flow_id_version_pk" PRIMARY KEY("flow_id","version")
);
--> statement-breakpoint
CREATE TABLE "ivr_flows" (
	"id" uuid PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"published_version" integer,
	"latest_version" integer NOT NULL,
	"created_by" text,
	"created_at" timestamp with time zone NOT NULL,
	"archived_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "ivr_numbers" (
	"id" uuid PRIMARY KEY NOT NULL,
	"dnis" text NOT NULL,
	"flow_id" uuid NOT NULL,
	"overrides" jsonb NOT NULL,
	"description" text,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "ivr_numbers_dnis_unique" UNIQUE("dnis")
);
--> statement-breakpoint
CREATE TABLE "voicemails" (
	"id" uuid PRIMARY KEY NOT NULL,
	"interaction_id" uuid,
	"call_id" text NOT NULL,
	"caller" text NOT NULL,
	"dnis" text NOT NULL,
	"mailbox" text,
	"file" text NOT NULL,
	"duration_ms" integer NOT NULL,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "ivr_flow_versions" ADD CONSTRAINT "ivr_flow_versions_flow_id_ivr_flows_id_fk" FOREIGN KEY ("flow_id") REFERENCES "public"."ivr_flows"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ivr_numbers" ADD CONSTRAINT "ivr_numbers_flow_id_ivr_flows_id_fk" FOREIGN KEY ("flow_id") REFERENCES "public"."ivr_flows"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "voicemails" ADD CONSTRAINT "voicemails_interaction_id_interactions_id_fk" FOREIGN KEY ("interaction_id") REFERENCES "public"."interactions"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "voicemails_interaction_idx" ON "voicemails" USING btree ("interaction_id");