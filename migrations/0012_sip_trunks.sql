CREATE TABLE "sip_trunks" (
	"name" text PRIMARY KEY NOT NULL,
	"sources" jsonb NOT NULL,
	"dids" jsonb NOT NULL,
	"outbound_proxy" text,
	"transport" text NOT NULL,
	"domain" text,
	"username" text,
	"password" text,
	"register_expires" integer NOT NULL,
	"caller_id" text,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
