CREATE TABLE "sip_trunk_roles" (
	"role" text PRIMARY KEY NOT NULL,
	"trunk" text NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
