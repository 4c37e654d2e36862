CREATE TABLE "agent_sip_accounts" (
	"agent_id" uuid PRIMARY KEY NOT NULL,
	"username" text NOT NULL,
	"realm" text NOT NULL,
	"ha1" text NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "agent_sip_accounts_username_unique" UNIQUE("username")
);
--> statement-breakpoint
CREATE TABLE "cdrs" (
	"id" uuid PRIMARY KEY NOT NULL,
	"call_id" text NOT NULL,
	"direction" text NOT NULL,
	"from_address" text NOT NULL,
	"to_address" text NOT NULL,
	"agent_id" uuid,
	"interaction_id" uuid,
	"recording_id" uuid,
	"started_at" timestamp with time zone NOT NULL,
	"answered_at" timestamp with time zone,
	"ended_at" timestamp with time zone NOT NULL,
	"end_cause" text NOT NULL,
	"sip_status" integer
);
--> statement-breakpoint
CREATE TABLE "recordings" (
	"id" uuid PRIMARY KEY NOT NULL,
	"interaction_id" uuid NOT NULL,
	"file_path" text NOT NULL,
	"started_at" timestamp with time zone NOT NULL,
	"ended_at" timestamp with time zone,
	"duration_ms" integer,
	"pauses" jsonb NOT NULL
);
--> statement-breakpoint
ALTER TABLE "agent_sip_accounts" ADD CONSTRAINT "agent_sip_accounts_agent_id_agents_id_fk" FOREIGN KEY ("agent_id") REFERENCES "public"."agents"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cdrs" ADD CONSTRAINT "cdrs_agent_id_agents_id_fk" FOREIGN KEY ("agent_id") REFERENCES "public"."agents"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cdrs" ADD CONSTRAINT "cdrs_interaction_id_interactions_id_fk" FOREIGN KEY ("interaction_id") REFERENCES "public"."interactions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cdrs" ADD CONSTRAINT "cdrs_recording_id_recordings_id_fk" FOREIGN KEY ("recording_id") REFERENCES "public"."recordings"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "recordings" ADD CONSTRAINT "recordings_interaction_id_interactions_id_fk" FOREIGN KEY ("interaction_id") REFERENCES "public"."interactions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "cdrs_interaction_idx" ON "cdrs" USING btree ("interaction_id");--> statement-breakpoint
CREATE INDEX "recordings_interaction_idx" ON "recordings" USING btree ("interaction_id");