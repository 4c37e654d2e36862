CREATE TABLE "sms_account_members" (
	"principal_type" text NOT NULL,
	"principal_id" uuid NOT NULL,
	"account_id" uuid NOT NULL,
	CONSTRAINT "sms_account_members_principal_type_principal_id_pk" PRIMARY KEY("principal_type","principal_id")
);
--> statement-breakpoint
CREATE TABLE "sms_accounts" (
	"id" uuid PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"kind" text NOT NULL,
	"billing" text NOT NULL,
	"balance" bigint DEFAULT 0 NOT NULL,
	"monthly_quota" bigint,
	"quota_month" text,
	"quota_used" bigint DEFAULT 0 NOT NULL,
	"currency" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "sms_accounts_name_unique" UNIQUE("name")
);
--> statement-breakpoint
CREATE TABLE "sms_ledger" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"account_id" uuid NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"kind" text NOT NULL,
	"amount" bigint NOT NULL,
	"segments" integer DEFAULT 0 NOT NULL,
	"message_id" uuid,
	"message_type" text,
	"note" text,
	"created_by" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "sms_prices" (
	"id" uuid PRIMARY KEY NOT NULL,
	"prefix" text NOT NULL,
	"route" text DEFAULT '' NOT NULL,
	"per_segment" integer NOT NULL
);
--> statement-breakpoint
ALTER TABLE "api_keys" ADD COLUMN "rate_per_second" integer;--> statement-breakpoint
ALTER TABLE "api_keys" ADD COLUMN "rate_per_minute" integer;--> statement-breakpoint
ALTER TABLE "sms_messages" ADD COLUMN "account_id" uuid;--> statement-breakpoint
ALTER TABLE "sms_messages" ADD COLUMN "cost_minor" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "sms_messages" ADD COLUMN "send_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "sms_messages" ADD COLUMN "valid_until" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "sms_messages" ADD COLUMN "campaign_id" uuid;--> statement-breakpoint
ALTER TABLE "sms_account_members" ADD CONSTRAINT "sms_account_members_account_id_sms_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."sms_accounts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sms_ledger" ADD CONSTRAINT "sms_ledger_account_id_sms_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."sms_accounts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "sms_account_members_account_idx" ON "sms_account_members" USING btree ("account_id");--> statement-breakpoint
CREATE INDEX "sms_ledger_account_idx" ON "sms_ledger" USING btree ("account_id","at");--> statement-breakpoint
CREATE UNIQUE INDEX "sms_ledger_message_kind_idx" ON "sms_ledger" USING btree ("message_id","kind");--> statement-breakpoint
CREATE UNIQUE INDEX "sms_prices_prefix_route_idx" ON "sms_prices" USING btree ("prefix","route");--> statement-breakpoint
CREATE INDEX "sms_messages_account_idx" ON "sms_messages" USING btree ("account_id","created_at");--> statement-breakpoint
CREATE INDEX "sms_messages_campaign_idx" ON "sms_messages" USING btree ("campaign_id");